"""Review and decision (Administrative Licensing Law Art. 34-45), with exact dates across the 2026 holidays."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from civiccenter import roles
from civiccenter.cases import Case, InvalidTransition
from licensing.models import Application, Licence
from tests.conftest import make_staff
from tests.licensing.conftest import make_matter
from tests.licensing.test_applications import make_application

FRI_18_SEP = date(2026, 9, 18)


@pytest.fixture
def accepted(matter, applicant, staff_user):
    application = make_application(matter, applicant)
    application.submit(by=applicant, today=FRI_18_SEP)
    application.accept(by=staff_user, today=FRI_18_SEP)
    return application


@pytest.fixture
def head(department):
    return make_staff("head-l@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈主任")


def due(application):
    return Case.objects.get(pk=application.case_id).due_date


@pytest.mark.django_db
def test_decision_due_20_working_days_after_acceptance_art_42(accepted):
    """Art. 42: received Fri 18 Sep 2026 and accepted that day -> decision due Thu 22 Oct 2026."""
    assert due(accepted) == date(2026, 10, 22)
    assert accepted.promised_due == date(2026, 10, 9)  # the matter promises 10 working days


@pytest.mark.django_db
def test_joint_handling_may_take_45_working_days_art_42(department, applicant, staff_user):
    """Art. 42: joint or centralised handling: 45 working days."""
    matter = make_matter(department, code="XK-SCJG-045", publish=False)
    draft = matter.draft
    draft.joint_handling, draft.statutory_limit = True, 45
    draft.save()
    draft.publish(by=None)
    matter.refresh_from_db()
    application = make_application(matter, applicant)
    application.submit(by=applicant, today=FRI_18_SEP)
    application.accept(by=staff_user, today=FRI_18_SEP)
    assert due(application) == date(2026, 11, 26)  # 22 Oct (20th day) + 25 more working days
    assert application.extension_days == 15


@pytest.mark.django_db
def test_one_extension_of_10_working_days_with_a_reason_art_42(accepted, head):
    with pytest.raises(InvalidTransition):
        accepted.extend(by=head, reason="  ")
    accepted.extend(by=head, reason="需要现场核查两个经营场所", today=date(2026, 10, 20))
    assert due(accepted) == date(2026, 11, 5)  # 22 Oct + 10 working days
    event = accepted.case.events.last()
    assert event.public and event.kind == "extended" and "需要现场核查两个经营场所" in event.note
    with pytest.raises(InvalidTransition, match="第四十二条|Article 42"):
        accepted.extend(by=head, reason="再次延长", today=date(2026, 10, 21))
    assert due(accepted) == date(2026, 11, 5)


@pytest.mark.django_db
def test_no_extension_once_the_time_limit_is_over_art_42(accepted, head):
    """Art. 42: the extension is approved within the 20 working days, not after them."""
    with pytest.raises(InvalidTransition):
        accepted.extend(by=head, reason="逾期后延长", today=date(2026, 10, 23))
    accepted.extend(by=head, reason="需要现场核查", today=date(2026, 10, 22))  # the last day still counts
    assert due(accepted) == date(2026, 11, 5)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_extension_is_approved_by_the_head_of_the_organ_not_a_reviewer_art_42(accepted, staff_user, language):
    from django.utils import translation

    with translation.override(language):
        with pytest.raises(InvalidTransition) as refused:
            accepted.extend(by=staff_user, reason="需要现场核查", today=date(2026, 10, 20))
        assert ("机关负责人" if language == "zh-hans" else "head of the organ") in str(refused.value)
    assert due(accepted) == date(2026, 10, 22) and not accepted.case.events.filter(kind="extended").exists()


@pytest.mark.django_db
def test_suspension_stops_the_clock_with_a_notice_of_the_time_needed_art_45(accepted, staff_user):
    """Art. 45: hearing, testing, inspection, expert review are not counted; the applicant is told the time needed."""
    with pytest.raises(InvalidTransition):
        accepted.suspend(by=staff_user, kind="testing", expected_days=0, today=date(2026, 10, 12))
    accepted.suspend(by=staff_user, kind="testing", expected_days=5, today=date(2026, 10, 12))
    case = Case.objects.get(pk=accepted.case_id)
    assert accepted.status == "suspended" and case.due_date is None
    assert "5" in case.events.last().note
    with pytest.raises(InvalidTransition):  # nothing is decided while suspended
        accepted.approve(by=staff_user, scope="x", valid_until=None)

    accepted.resume(by=staff_user, today=date(2026, 10, 16))
    # 13-16 Oct were not counted: 22 Oct moves by 4 working days to Wed 28 Oct.
    assert accepted.status == "accepted" and due(accepted) == date(2026, 10, 28)


@pytest.mark.django_db
def test_resuming_the_same_day_loses_no_time(accepted, staff_user):
    accepted.suspend(by=staff_user, kind="hearing", expected_days=20, today=date(2026, 10, 12))
    accepted.resume(by=staff_user, today=date(2026, 10, 12))
    assert due(accepted) == date(2026, 10, 22)


@pytest.mark.django_db
def test_extension_and_suspension_add_up(accepted, staff_user, head):
    accepted.suspend(by=staff_user, kind="expert_review", expected_days=3, today=date(2026, 10, 12))
    accepted.extend(by=head, reason="专家意见分歧")
    accepted.resume(by=staff_user, today=date(2026, 10, 16))
    assert due(accepted) == date(2026, 11, 11)  # 28 Oct + 10 working days


@pytest.mark.django_db
def test_approval_issues_a_licence_with_a_public_verification_page_art_38_44(client, accepted, staff_user):
    licence = accepted.approve(
        by=staff_user, scope="热食类食品制售", valid_until=date(2031, 10, 19), today=date(2026, 10, 20)
    )
    assert accepted.status == "approved" and accepted.decided_on == date(2026, 10, 20)
    assert licence.number == "XKZ-2026-000001" and licence.issued_on == date(2026, 10, 20)
    case = Case.objects.get(pk=accepted.case_id)
    assert case.closed_at is not None and case.due_date is None
    client.cookies["django_language"] = "en"
    html = client.get(reverse("licensing:licence-verify", args=[licence.verification_code.lower()])).content.decode()
    assert licence.number in html and "热食类食品制售" in html and "in force today" in html
    assert client.get(reverse("licensing:licence-verify", args=["NOSUCHCD"])).status_code == 404
    with pytest.raises(InvalidTransition):
        accepted.deny(by=staff_user, reasons="too late")


@pytest.mark.django_db
def test_approval_needs_a_scope_and_a_validity_after_issue(accepted, staff_user):
    with pytest.raises(InvalidTransition):
        accepted.approve(by=staff_user, scope="", valid_until=None)
    with pytest.raises(InvalidTransition):
        accepted.approve(by=staff_user, scope="x", valid_until=date(2026, 10, 1), today=date(2026, 10, 20))
    assert not Licence.objects.exists()


@pytest.mark.django_db
def test_a_denial_needs_reasons_and_carries_the_remedies_art_38(accepted, staff_user):
    """Art. 38: a denial is written, with reasons and the rights to reconsideration (60 days) and litigation (6 months)."""
    with pytest.raises(InvalidTransition):
        accepted.deny(by=staff_user, reasons="")
    accepted.deny(by=staff_user, reasons="经营场所与食品安全要求不符", today=date(2026, 10, 20))
    event = Case.objects.get(pk=accepted.case_id).events.last()
    assert "经营场所与食品安全要求不符" in event.note and "60" in event.note and "6" in event.note
    assert accepted.status == "denied" and not Licence.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_denial_without_reasons(accepted):
    with pytest.raises(IntegrityError), transaction.atomic():
        # The status follows the case (the record cannot hold another): move the case as a raw write would.
        Case.objects.filter(pk=accepted.case_id).update(status="denied")
        Application.objects.filter(pk=accepted.pk).update(status="denied")


@pytest.mark.django_db
def test_no_review_moves_before_acceptance(matter, applicant, staff_user):
    submitted = make_application(matter, applicant)
    submitted.submit(by=applicant, today=FRI_18_SEP)
    for move in (
        lambda: submitted.extend(by=staff_user, reason="x"),
        lambda: submitted.suspend(by=staff_user, kind="testing", expected_days=3),
        lambda: submitted.resume(by=staff_user),
        lambda: submitted.approve(by=staff_user, scope="x", valid_until=None),
        lambda: submitted.deny(by=staff_user, reasons="x"),
    ):
        with pytest.raises(InvalidTransition):
            move()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


# Art. 34: substantive verification by two officers -------------------------------------------------------


@pytest.fixture
def two_officer_matter(accepted):
    version = accepted.version
    version.two_officers = True
    version.save()
    return accepted


@pytest.mark.django_db
def test_a_decision_on_a_two_officer_matter_names_both_officers_art_34(client, two_officer_matter, staff_user, head):
    from django.utils import translation

    application = two_officer_matter
    for second in (None, staff_user):  # no second officer, or the same person twice
        for language, words in (("zh-hans", "第三十四条"), ("en", "Article 34")):
            with translation.override(language):
                with pytest.raises(InvalidTransition) as refused:
                    application.approve(
                        by=staff_user, scope="经营", valid_until=None, second_officer=second, today=date(2026, 10, 20)
                    )
                assert words in str(refused.value)
    assert Application.objects.get(pk=application.pk).status == "accepted"
    application.deny(by=staff_user, reasons="现场核查不符合条件。", second_officer=head, today=date(2026, 10, 20))
    assert (application.decided_by, application.second_officer) == (staff_user, head)
    client.force_login(application.applicant)
    printed = client.get(reverse("licensing:decision-document", args=[application.pk])).content.decode()
    assert "第三十四条" in printed and staff_user.full_name in printed and head.full_name in printed


@pytest.mark.django_db
def test_an_ordinary_matter_is_decided_by_one_officer(accepted, staff_user):
    accepted.approve(by=staff_user, scope="经营", valid_until=None, today=date(2026, 10, 20))
    assert accepted.status == "approved" and accepted.second_officer is None and accepted.decided_by == staff_user


# Art. 78: false information, a warning and, on a matter of safety, a year's bar ---------------------------


@pytest.mark.django_db
def test_false_information_on_a_safety_matter_bars_a_new_application_for_a_year_art_78(accepted, staff_user, applicant):
    from django.utils import translation

    version = accepted.version
    version.safety_related = True
    version.save()
    accepted.deny(by=staff_user, reasons="提交的检测报告系伪造。", false_information=True, today=date(2026, 10, 20))
    assert accepted.false_information_on == date(2026, 10, 20) and accepted.bar_ends() == date(2027, 10, 20)
    note = accepted.case.events.last().note
    assert "警告" in note and "2027-10-20" in note
    again = make_application(accepted.version.matter, applicant)
    for language, words in (("zh-hans", "2027-10-20"), ("en", "Article 78")):
        with translation.override(language):
            with pytest.raises(InvalidTransition) as refused:
                again.submit(by=applicant, today=date(2027, 10, 19))
            assert words in str(refused.value)
    assert Application.objects.get(pk=again.pk).status == "draft"
    again.submit(by=applicant, today=date(2027, 10, 20))
    assert again.status == "submitted"


@pytest.mark.django_db
def test_false_information_on_another_matter_is_warned_without_a_bar_art_78(accepted, staff_user, applicant):
    accepted.deny(by=staff_user, reasons="隐瞒有关情况。", false_information=True, today=date(2026, 10, 20))
    assert "警告" in accepted.case.events.last().note and "2027" not in accepted.case.events.last().note
    again = make_application(accepted.version.matter, applicant)
    again.submit(by=applicant, today=date(2026, 10, 21))
    assert again.status == "submitted"


@pytest.mark.django_db
def test_the_bar_follows_the_identity_not_only_the_account_art_78(accepted, staff_user, other_applicant, applicant):
    version = accepted.version
    version.safety_related = True
    version.save()
    Application.objects.filter(pk=accepted.pk).update(id_number="11010519491231002X", applicant_type="individual")
    accepted.refresh_from_db()
    accepted.deny(by=staff_user, reasons="伪造材料。", false_information=True, today=date(2026, 10, 20))
    other = make_application(
        accepted.version.matter, other_applicant, id_number="11010519491231002X", applicant_type="individual"
    )
    with pytest.raises(InvalidTransition):
        other.submit(by=other_applicant, today=date(2026, 11, 2))
