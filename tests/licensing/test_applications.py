"""The Art. 32 acceptance state machine on the shared case machinery, with exact dates."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from civiccenter import roles
from civiccenter.cases import Case, InvalidTransition, recompute_open_cases
from civiccenter.models import CalendarDay
from licensing.models import Application, CorrectionNotice, validate_resident_id, validate_uscc
from tests.conftest import make_staff, make_user
from tests.licensing.conftest import make_matter

THU_24_SEP = date(2026, 9, 24)  # + 5 working days across National Day = Fri 9 Oct


def make_application(matter, applicant, **fields):
    fields.setdefault("applicant_name", applicant.full_name)
    fields.setdefault("contact_phone", "13800138000")
    fields.setdefault("declaration", True)
    return Application.objects.create(version=matter.current_version, applicant=applicant, **fields)


@pytest.fixture
def application(matter, applicant):
    return make_application(matter, applicant)


@pytest.fixture
def submitted(application, applicant):
    return application.submit(by=applicant, today=THU_24_SEP)


def statuses(application):
    return [(event.old_status, event.new_status) for event in application.case.events.all()]


@pytest.mark.django_db
def test_submit_opens_a_case_with_a_number_a_code_and_the_5_day_clock_art_32(submitted, applicant):
    """Art. 32: acceptance is decided within 5 working days of receipt; Thu 24 Sep 2026 -> Fri 9 Oct 2026."""
    case = submitted.case
    assert submitted.status == "submitted" and case.status == "submitted"
    assert case.number == "XK-2026-000001"
    assert len(case.query_code) == 8
    assert case.applicant == applicant and case.received_on == THU_24_SEP
    assert case.due_date == date(2026, 10, 9)
    assert "第三十二条" in case.clock_rule  # Chinese, the language of record
    assert statuses(submitted) == [("", "submitted")]


@pytest.mark.django_db
def test_tracking_numbers_count_up_per_year(matter, applicant):
    first = make_application(matter, applicant).submit(by=applicant, today=date(2026, 12, 31))
    second = make_application(matter, applicant).submit(by=applicant, today=date(2026, 12, 31))
    third = make_application(matter, applicant).submit(by=applicant, today=date(2027, 1, 4))
    assert [first.case.number, second.case.number, third.case.number] == [
        "XK-2026-000001",
        "XK-2026-000002",
        "XK-2027-000001",
    ]


@pytest.mark.django_db
def test_submit_requires_the_declaration_art_78(matter, applicant):
    """Art. 78: the applicant declares the information true, warned of the consequences of false information."""
    application = make_application(matter, applicant, declaration=False)
    with pytest.raises(InvalidTransition):
        application.submit(by=applicant)
    application.refresh_from_db()
    assert application.status == "draft" and application.case is None


@pytest.mark.django_db
def test_a_submitted_application_cannot_be_submitted_again(submitted, applicant):
    with pytest.raises(InvalidTransition):
        submitted.submit(by=applicant)


@pytest.mark.django_db
def test_accept_starts_the_decision_clock_art_42(submitted, staff_user):
    """Art. 42: 20 working days from acceptance (statutory); the promise is the matter's own 10."""
    submitted.accept(by=staff_user, today=date(2026, 9, 28))
    case = Case.objects.get(pk=submitted.case_id)
    assert submitted.status == "accepted" and submitted.accepted_on == date(2026, 9, 28)
    assert case.due_date == date(2026, 10, 30)  # 20 wd after Mon 28 Sep 2026, counting Sat 10 Oct
    assert submitted.promised_due == date(2026, 10, 16)  # 10 wd
    assert "第四十二条" in case.clock_rule
    assert statuses(submitted)[-1] == ("submitted", "accepted")


@pytest.mark.django_db
def test_refusing_to_accept_needs_a_reason_and_closes_the_case_art_32_38(submitted, staff_user):
    """Art. 32(2) and 38: non-acceptance in writing, with reasons and the competent organ where known."""
    with pytest.raises(InvalidTransition):
        submitted.refuse(by=staff_user, reason="  ")
    submitted.refuse(by=staff_user, reason="不属于本机关职权范围", competent_organ="市市场监督管理局")
    case = Case.objects.get(pk=submitted.case_id)
    assert submitted.status == "not_accepted" and case.closed_at is not None and case.due_date is None
    assert "市市场监督管理局" in case.events.last().note
    with pytest.raises(InvalidTransition):
        submitted.accept(by=staff_user)


@pytest.mark.django_db
def test_correction_once_completely_then_resubmit_then_accept_art_32(submitted, staff_user, applicant, matter):
    """Art. 32(4): one notice listing everything; the clock restarts when the corrected application arrives."""
    materials = list(matter.current_version.materials.all())
    notice = submitted.request_correction(
        by=staff_user, items=[(materials[0], "缺少签字"), (materials[1], "复印件不清晰")], today=date(2026, 9, 28)
    )
    assert [item.note for item in notice.items.all()] == ["缺少签字", "复印件不清晰"]
    case = Case.objects.get(pk=submitted.case_id)
    assert submitted.status == "correction_requested" and case.due_date is None
    assert "缺少签字" in case.events.last().note and "复印件不清晰" in case.events.last().note

    with pytest.raises(InvalidTransition):  # the notice is given once
        submitted.request_correction(by=staff_user, items=[(materials[0], "again")], today=date(2026, 9, 29))
    with pytest.raises(InvalidTransition):  # nothing to accept while the applicant corrects
        submitted.accept(by=staff_user)

    submitted.resubmit(by=applicant, today=date(2026, 10, 12))
    case.refresh_from_db()
    assert submitted.status == "submitted" and case.due_date == date(2026, 10, 19)
    submitted.accept(by=staff_user, today=date(2026, 10, 13))
    assert statuses(submitted) == [
        ("", "submitted"),
        ("submitted", "correction_requested"),
        ("correction_requested", "submitted"),
        ("submitted", "accepted"),
    ]


@pytest.mark.django_db
def test_correction_notice_must_list_items(submitted, staff_user):
    with pytest.raises(InvalidTransition):
        submitted.request_correction(by=staff_user, items=[])
    assert not CorrectionNotice.objects.exists()


@pytest.mark.django_db
def test_no_correction_notice_after_the_5_working_days_art_32(submitted, staff_user, matter):
    """Art. 32(4): not told within 5 working days -> accepted from receipt; a late notice is refused."""
    material = matter.current_version.materials.first()
    with pytest.raises(InvalidTransition):
        submitted.request_correction(by=staff_user, items=[(material, "迟到的补正")], today=date(2026, 10, 12))
    # On the last day (Fri 9 Oct) it is still in time.
    submitted.request_correction(by=staff_user, items=[(material, "按时")], today=date(2026, 10, 9))


@pytest.mark.django_db
def test_the_database_holds_one_correction_notice_per_application(submitted, staff_user):
    CorrectionNotice.objects.create(application=submitted, issued_on=THU_24_SEP)
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionNotice.objects.create(application=submitted, issued_on=THU_24_SEP)


@pytest.mark.django_db
def test_deemed_acceptance_as_of_the_day_received_art_32(submitted):
    """Art. 32(4): silence for 5 working days means accepted from the day the application was received."""
    call_command("sweep_deadlines", today="2026-10-09", stdout=open("/dev/null", "w"))  # the last day: not yet
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    call_command("sweep_deadlines", today="2026-10-12", stdout=open("/dev/null", "w"))
    submitted.refresh_from_db()
    case = Case.objects.get(pk=submitted.case_id)
    assert submitted.status == "accepted" and submitted.deemed_accepted
    assert submitted.accepted_on == THU_24_SEP
    assert case.due_date == date(2026, 10, 29)  # 20 wd from 24 Sep, not from the sweep
    last = case.events.last()
    assert last.actor is None and "第三十二条" in last.note and last.public


@pytest.mark.django_db
def test_a_clerk_accepting_after_the_5_working_days_accepts_as_of_the_day_received_art_32(submitted, staff_user):
    """Art. 32(4): after 5 silent working days the law has accepted it from the day received, whoever presses
    the button later and whether or not the nightly sweep has run; the Art. 42 clock starts from that day."""
    assert Case.objects.get(pk=submitted.case_id).due_date == date(2026, 10, 9)
    submitted.accept(by=staff_user, today=date(2026, 10, 12))
    case = Case.objects.get(pk=submitted.case_id)
    assert submitted.status == "accepted" and submitted.deemed_accepted
    assert submitted.accepted_on == THU_24_SEP
    assert case.due_date == date(2026, 10, 29)  # 20 wd from 24 Sep, as the sweep would have made it
    last = case.events.last()
    assert last.actor == staff_user and "第三十二条" in last.note


@pytest.mark.django_db
def test_a_clerk_accepting_on_the_last_of_the_5_working_days_accepts_that_day_art_32(submitted, staff_user):
    submitted.accept(by=staff_user, today=date(2026, 10, 9))
    assert submitted.accepted_on == date(2026, 10, 9) and not submitted.deemed_accepted


@pytest.mark.django_db
def test_no_deemed_acceptance_once_a_correction_was_requested(submitted, staff_user, matter):
    material = matter.current_version.materials.first()
    submitted.request_correction(by=staff_user, items=[(material, "补正")], today=date(2026, 9, 25))
    call_command("sweep_deadlines", today="2026-12-01", stdout=open("/dev/null", "w"))
    submitted.refresh_from_db()
    assert submitted.status == "correction_requested"
    with pytest.raises(InvalidTransition):
        submitted.deem_accepted(today=date(2026, 12, 1))


@pytest.mark.django_db
def test_sweep_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep_deadlines", today="2026-02-30")


@pytest.mark.django_db
def test_running_applications_keep_their_version(submitted, matter, staff_user):
    draft = matter.start_new_version(by=staff_user)
    draft.statutory_limit, draft.promised_limit = 30, 30
    draft.save()
    draft.publish(by=staff_user)
    submitted.accept(by=staff_user, today=date(2026, 9, 28))
    assert submitted.version.number == 1
    assert Case.objects.get(pk=submitted.case_id).due_date == date(2026, 10, 30)  # v1 20 days, not v2 30


@pytest.mark.django_db
def test_adding_a_holiday_recomputes_open_cases(submitted):
    assert submitted.case.due_date == date(2026, 10, 9)
    CalendarDay.objects.create(date=date(2026, 9, 28), kind="holiday", name="临时休假")
    assert recompute_open_cases() == 1
    assert Case.objects.get(pk=submitted.case_id).due_date == date(2026, 10, 10)  # the adjusted working Saturday


@pytest.mark.django_db
def test_cases_are_visible_to_their_applicant_and_department_only(
    submitted, applicant, other_applicant, staff_user, other_department
):
    from civiccenter import roles
    from tests.conftest import make_staff

    stranger = make_staff("other@example.cn", roles.DEPARTMENT_REVIEWER, other_department)
    assert list(Case.objects.visible_to(applicant)) == [submitted.case]
    assert not Case.objects.visible_to(other_applicant).exists()
    assert list(Case.objects.visible_to(staff_user)) == [submitted.case]
    assert not Case.objects.visible_to(stranger).exists()
    assert list(Application.objects.visible_to(applicant)) == [submitted]
    assert not Application.objects.visible_to(other_applicant).exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_transitions_leave_one_consistent_status_and_timeline(department):
    """Six clerks act on one case at once: exactly one move wins, the timeline records exactly it."""
    from civiccenter import roles
    from tests.conftest import make_staff

    matter = make_matter(department)
    applicant = make_user()
    application = make_application(matter, applicant).submit(by=applicant, today=THU_24_SEP)
    clerk = make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)
    material = matter.current_version.materials.first()
    moves = [
        lambda app: app.accept(by=clerk, today=date(2026, 9, 25)),
        lambda app: app.refuse(by=clerk, reason="不符合条件"),
        lambda app: app.request_correction(by=clerk, items=[(material, "补正")], today=date(2026, 9, 25)),
    ] * 2
    barrier = threading.Barrier(len(moves))
    outcomes = []

    def run(move):
        try:
            mine = Application.objects.select_related("case", "version").get(pk=application.pk)
            barrier.wait()
            move(mine)
            outcomes.append("ok")
        except (InvalidTransition, IntegrityError) as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(move,)) for move in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == 1, outcomes
    application.refresh_from_db()
    case = Case.objects.get(pk=application.case_id)
    assert application.status == case.status != "submitted"
    assert case.events.count() == 2
    assert case.events.last().new_status == case.status


@pytest.mark.django_db(transaction=True)
def test_tracking_numbers_stay_unique_under_concurrency(department):
    matter = make_matter(department)
    applicant = make_user()
    drafts = [make_application(matter, applicant) for _ in range(8)]
    barrier = threading.Barrier(len(drafts))

    def run(draft):
        try:
            barrier.wait()
            draft.submit(by=applicant, today=THU_24_SEP)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == [f"XK-2026-{n:06d}" for n in range(1, 9)]


@pytest.mark.parametrize("value", ["11010519491231002X", "360426199101010071", "44011320141005001X"])
def test_valid_resident_identity_numbers_gb_11643(value):
    validate_resident_id(value)


@pytest.mark.parametrize("value", ["36042619910102009X", "110105194912310021", "11010519491331002X", "123"])
def test_invalid_resident_identity_numbers_gb_11643(value):
    with pytest.raises(ValidationError):
        validate_resident_id(value)


@pytest.mark.parametrize("value", ["91110000600037341L", "91440300708461136T", "91310115MA1K3BTP2B"])
def test_valid_unified_social_credit_codes_gb_32100(value):
    validate_uscc(value)


@pytest.mark.parametrize("value", ["9111000060003734", "<script>", "911100006000373O1L"])
def test_invalid_unified_social_credit_codes_gb_32100(value):
    with pytest.raises(ValidationError):
        validate_uscc(value)


def test_a_code_whose_check_character_fails_is_not_refused_by_the_field_gb_32100():
    # prc-rules §8: early pilot codes fail the check and are still legal; the form asks to confirm them.
    validate_uscc("91110000600037341N")


@pytest.mark.django_db
def test_entering_a_day_off_recomputes_every_date_of_open_work_computed_from_the_calendar(
    client, department, applicant, matter
):
    """Not only the cases' due dates: an unpublished document's Art. 26 deadline (OGI Regulations) and an
    application's promised decision date move with the calendar too; a published document's do not."""
    from disclosure.models import Document
    from tests.disclosure.test_documents_models import make_document

    draft = make_document(department, "草稿文件", formed_on=date(2026, 11, 2))
    published = make_document(department, "已发布文件", formed_on=date(2026, 11, 2), publish_on=date(2026, 11, 3))
    application = make_application(matter, applicant)
    application.submit(by=applicant, today=date(2026, 11, 2))
    reviewer = make_staff("reviewer-c@example.cn", roles.DEPARTMENT_REVIEWER, department)
    application.accept(by=reviewer, today=date(2026, 11, 2))
    before = Application.objects.get(pk=application.pk).promised_due
    assert Document.objects.get(pk=draft.pk).publish_by == date(2026, 11, 30)

    admin_user = make_staff("admin-c@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:civiccenter_calendarday_add"),
        {"date": "2026-11-10", "kind": "holiday", "name": "临时休假", "name_en": "Extra day off"},
        follow=True,
    )
    assert response.status_code == 200
    assert Document.objects.get(pk=draft.pk).publish_by == date(2026, 12, 1)
    assert Document.objects.get(pk=published.pk).publish_by == date(2026, 11, 30)  # already published: history
    assert Application.objects.get(pk=application.pk).promised_due > before
