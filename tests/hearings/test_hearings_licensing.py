"""Licensing hearings (Administrative Licensing Law Art. 45-48), with exact dates across the 2026 holidays.

The calendar (civiccenter/migrations/0004): Mid-Autumn 25-27 Sep and National Day 1-7 Oct are days off;
Sun 20 Sep and Sat 10 Oct are working days.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from civiccenter import roles
from civiccenter.cases import Case, InvalidTransition
from civiccenter.models import Notification
from hearings.models import Hearing
from hearings.models.hearings import sweep_unrequested_licensing_hearings
from licensing.models import Application
from tests.conftest import make_staff
from tests.hearings.test_hearings_rules import PDF, at
from tests.licensing.conftest import make_matter
from tests.licensing.test_applications import make_application

FRI_18_SEP = date(2026, 9, 18)
MON_21_SEP = date(2026, 9, 21)


@pytest.fixture
def reviewer(department):
    return make_staff("reviewer-l@example.cn", roles.DEPARTMENT_REVIEWER, department, full_name="李审核")


@pytest.fixture
def presiding(department):
    return make_staff("presiding@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈主持")


@pytest.fixture
def accepted(department, applicant, reviewer):
    application = make_application(make_matter(department), applicant)
    application.submit(by=applicant, today=FRI_18_SEP)
    application.accept(by=reviewer, today=FRI_18_SEP)
    return application


@pytest.fixture
def notified(accepted, reviewer):
    return Hearing.notify_right_to_hearing(
        application=accepted,
        by=reviewer,
        reviewing_officer=reviewer,
        interested_parties="相邻商户王某",
        today=MON_21_SEP,
    )


def due(application):
    return Case.objects.get(pk=application.case_id).due_date


@pytest.mark.django_db
def test_notice_of_the_right_to_a_hearing_art_47(notified, accepted, applicant):
    assert notified.kind == "licensing" and notified.status == "notified" and notified.right_notified_on == MON_21_SEP
    assert Notification.objects.filter(recipient=applicant, url__contains=str(accepted.pk)).exists()
    # Not public until scheduled.
    assert not Hearing.objects.public().filter(pk=notified.pk).exists()


@pytest.mark.django_db
def test_only_applications_under_review_and_only_one_hearing(department, applicant, reviewer, notified, accepted):
    with pytest.raises(InvalidTransition):
        Hearing.notify_right_to_hearing(application=accepted, by=reviewer, reviewing_officer=reviewer)
    draft = make_application(make_matter(department, code="XK-SCJG-002"), applicant)
    draft.submit(by=applicant, today=FRI_18_SEP)
    with pytest.raises(InvalidTransition):  # submitted, not yet accepted
        Hearing.notify_right_to_hearing(application=draft, by=reviewer, reviewing_officer=reviewer)


@pytest.mark.django_db
def test_request_within_5_days_ending_after_the_mid_autumn_holiday_art_47(notified, reviewer, applicant):
    # 21 Sep + 5 days = Sat 26 Sep, a day off (Mid-Autumn 25-27 Sep): the period ends on Mon 28 Sep.
    assert notified.request_deadline == date(2026, 9, 28)
    with pytest.raises(InvalidTransition, match="2026-09-28"):
        notified.request_hearing(by=applicant, today=date(2026, 9, 29))
    assert Hearing.objects.get(pk=notified.pk).status == "notified"
    notified.request_hearing(by=applicant, today=date(2026, 9, 28))
    assert notified.status == "requested" and notified.requested_on == date(2026, 9, 28)


@pytest.mark.django_db
def test_the_licensing_clock_stops_while_the_hearing_runs_art_45(notified, accepted, applicant, reviewer, presiding):
    assert due(accepted) == date(2026, 10, 22)  # 20 working days from Fri 18 Sep
    notified.request_hearing(by=applicant, today=date(2026, 9, 28))
    accepted.refresh_from_db()
    assert accepted.status == "suspended" and due(accepted) is None
    with pytest.raises(InvalidTransition):  # nothing is decided while the hearing runs
        accepted.approve(by=reviewer, scope="经营", valid_until=None)
    notified.schedule(
        by=reviewer,
        starts_at=at(date(2026, 10, 23)),
        place="第二听证室",
        presiding_officer=presiding,
        today=date(2026, 10, 16),
    )
    notified.conclude(
        by=presiding,
        record=ContentFile(PDF, name="r.pdf"),
        record_signed=True,
        report="听证报告。",
        decision="根据听证笔录作出许可决定。",
        today=date(2026, 10, 23),
    )
    accepted.refresh_from_db()
    # Counted before: Sun 20 (a working day), 21-24 and 28 Sep (6); paused 29 Sep-23 Oct;
    # then 26-30 Oct, 2-6 and 9-12 Nov (14 more): Thu 12 Nov.
    assert accepted.status == "accepted" and due(accepted) == date(2026, 11, 12)
    assert notified.status == "concluded"
    # The decision refers to the record (Art. 48): the case's timeline links the hearing.
    assert accepted.case.events.filter(note__contains=notified.get_absolute_url()).exists()


@pytest.mark.django_db
def test_held_within_20_working_days_of_the_request_across_national_day_art_47_82(
    notified, applicant, reviewer, presiding
):
    notified.request_hearing(by=applicant, today=date(2026, 9, 28))
    # 29, 30 Sep; 1-7 Oct off; 8, 9, Sat 10 (working), 12-16, 19-23, 26-30 Oct: the 20th is Fri 30 Oct.
    assert notified.hold_by == date(2026, 10, 30)
    with pytest.raises(InvalidTransition, match="2026-10-30"):
        notified.schedule(
            by=reviewer,
            starts_at=at(date(2026, 11, 2)),
            place="第二听证室",
            presiding_officer=presiding,
            today=date(2026, 10, 16),
        )
    notified.schedule(
        by=reviewer,
        starts_at=at(date(2026, 10, 30)),
        place="第二听证室",
        presiding_officer=presiding,
        today=date(2026, 10, 16),
    )
    assert notified.status == "announced"


@pytest.mark.django_db
def test_announced_7_days_before_art_48(notified, applicant, reviewer, presiding):
    notified.request_hearing(by=applicant, today=date(2026, 9, 28))
    with pytest.raises(InvalidTransition, match="7"):
        notified.schedule(
            by=reviewer,
            starts_at=at(date(2026, 10, 22)),
            place="第二听证室",
            presiding_officer=presiding,
            today=date(2026, 10, 16),
        )
    fresh = Hearing.objects.get(pk=notified.pk)
    assert fresh.status == "requested" and fresh.starts_at is None  # nothing kept from the refused move
    notified.schedule(
        by=reviewer,
        starts_at=at(date(2026, 10, 23)),
        place="第二听证室",
        presiding_officer=presiding,
        today=date(2026, 10, 16),
    )
    assert notified.announced_on == date(2026, 10, 16)
    assert (
        Notification.objects.filter(recipient=applicant, subject__contains=notified.application.case.number).count()
        >= 2
    )


@pytest.mark.django_db
def test_presiding_officer_cannot_be_the_reviewing_officer_art_48(notified, applicant, reviewer):
    notified.request_hearing(by=applicant, today=date(2026, 9, 28))
    with pytest.raises(InvalidTransition, match="48"):
        notified.schedule(
            by=reviewer,
            starts_at=at(date(2026, 10, 23)),
            place="第二听证室",
            presiding_officer=reviewer,
            today=date(2026, 10, 16),
        )
    assert Hearing.objects.get(pk=notified.pk).presiding_officer is None


@pytest.mark.django_db
def test_the_database_refuses_the_reviewing_officer_as_presiding_officer(notified, reviewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.filter(pk=notified.pk).update(presiding_officer=reviewer)


@pytest.mark.django_db
def test_the_database_ties_licensing_hearings_to_an_application(department):
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.create(kind="licensing", matter="无申请", department=department)


@pytest.mark.django_db
def test_an_unused_right_lapses_after_the_5_days(notified, accepted):
    assert sweep_unrequested_licensing_hearings(date(2026, 9, 28)) == 0
    assert sweep_unrequested_licensing_hearings(date(2026, 9, 29)) == 1
    notified.refresh_from_db()
    assert notified.status == "waived"
    assert Application.objects.get(pk=accepted.pk).status == "accepted"  # the clock never stopped
    assert due(accepted) == date(2026, 10, 22)


@pytest.mark.django_db
def test_refused_licensing_moves(notified, applicant, reviewer, presiding):
    with pytest.raises(InvalidTransition):  # not requested yet
        notified.schedule(
            by=reviewer,
            starts_at=at(date(2026, 10, 23)),
            place="室",
            presiding_officer=presiding,
            today=date(2026, 9, 22),
        )
    with pytest.raises(InvalidTransition):
        notified.conclude(
            by=reviewer, record=ContentFile(PDF, name="r.pdf"), record_signed=True, report="r", decision="d"
        )
    with pytest.raises(InvalidTransition):  # no public registration or draw
        notified.close_registration(by=reviewer)
    notified.request_hearing(by=applicant, today=date(2026, 9, 28))
    with pytest.raises(InvalidTransition):  # requested once
        notified.request_hearing(by=applicant, today=date(2026, 9, 28))
    with pytest.raises(InvalidTransition):
        notified.waive(by=reviewer)


# --- Pages and admin ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_applicant_requests_the_hearing_from_the_application_page(
    client, notified, accepted, applicant, other_applicant
):
    from django.urls import reverse
    from django.utils import timezone

    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("licensing:application-detail", args=[accepted.pk]))
    assert "Request a hearing" in page.text
    url = reverse("hearings:licensing-request", args=[notified.pk])
    client.force_login(other_applicant)
    assert client.post(url).status_code == 404
    client.force_login(applicant)
    assert client.get(url).status_code == 405
    response = client.post(url)  # today is past the 5 days of the fixture's notice: refused with a message
    assert response.status_code == 302
    assert Hearing.objects.get(pk=notified.pk).status == "notified"
    Hearing.objects.filter(pk=notified.pk).update(right_notified_on=timezone.localdate())
    client.post(url)
    assert Hearing.objects.get(pk=notified.pk).status == "requested"
    assert Application.objects.get(pk=accepted.pk).status == "suspended"


@pytest.mark.django_db
def test_staff_offer_schedule_and_conclude_in_the_admin(client, accepted, reviewer, presiding, settings, tmp_path):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from django.utils import timezone

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(reviewer)
    choose = client.get(reverse("admin:hearings_hearing_offer"))
    assert accepted.case.number in choose.text
    offer = reverse("admin:hearings_hearing_offer_for", args=[accepted.pk])
    response = client.post(offer, {"reviewing_officer": reviewer.pk, "interested_parties": "相邻商户"})
    hearing = Hearing.objects.get(application=accepted)
    assert response.status_code == 302 and hearing.status == "notified"
    conduct = reverse("admin:hearings_hearing_move", args=[hearing.pk])
    assert response["Location"] == conduct  # on to the hearing's steps page
    client.post(conduct, {"move": "request_hearing", "request_hearing-requested_by": "申请人"})
    hearing.refresh_from_db()
    assert hearing.status == "requested"
    when = timezone.localtime() + timedelta(days=8)
    # The reviewing officer is not offered as presiding officer.
    page = client.get(conduct)
    assert f'value="{reviewer.pk}"' not in page.text and f'value="{presiding.pk}"' in page.text
    # Once requested, a licensing hearing is scheduled, not announced like a public one.
    assert [move.name for move, _form, _url in page.context["moves"]] == ["schedule"]
    client.post(
        conduct,
        {
            "move": "schedule",
            "schedule-starts_at": when.strftime("%Y-%m-%dT%H:%M"),
            "schedule-place": "第二听证室",
            "schedule-presiding_officer": presiding.pk,
        },
    )
    hearing.refresh_from_db()
    assert hearing.status == "announced" and hearing.presiding_officer == presiding
    # Concluding before the day is refused with a message.
    upload = SimpleUploadedFile("record.pdf", PDF, content_type="application/pdf")
    response = client.post(
        conduct,
        {
            "move": "conclude",
            "conclude-record": upload,
            "conclude-record_signed": "on",
            "conclude-report": "报告",
            "conclude-decision": "决定",
        },
    )
    assert response.status_code == 200 and "errorlist" in response.text
    assert Hearing.objects.get(pk=hearing.pk).status == "announced"
    # The record of a licensing hearing is for the parties and the department only.
    Hearing.objects.filter(pk=hearing.pk).update(record="hearings/records/x.pdf")
    client.logout()
    assert client.get(reverse("hearings:hearing-record", args=[hearing.pk])).status_code == 404


@pytest.mark.django_db
def test_art_47_the_applications_steps_page_links_the_offer_of_a_hearing_once(client, accepted, reviewer):
    """Offering a hearing makes the hearing: the application's steps page links the hearings' page for it,
    and a posted 'offer_hearing' goes there; once a hearing exists it is offered no more (Art. 47)."""
    from django.urls import reverse

    steps = reverse("admin:licensing_application_move", args=[accepted.pk])
    offer = reverse("admin:hearings_hearing_offer_for", args=[accepted.pk])
    client.force_login(reviewer)
    page = client.get(steps)
    assert [page_url for move, _form, page_url in page.context["moves"] if move.name == "offer_hearing"] == [offer]
    assert f'href="{offer}"' in page.content.decode()
    assert client.post(steps, {"move": "offer_hearing"})["Location"] == offer
    Hearing.notify_right_to_hearing(application=accepted, by=reviewer, reviewing_officer=reviewer, today=MON_21_SEP)
    page = client.get(steps)
    assert "offer_hearing" not in [move.name for move, _form, _url in page.context["moves"]]


def _refused_in_both_languages(take, chinese, english):
    from django.utils import translation

    for language, words in (("zh-hans", chinese), ("en", english)):
        with translation.override(language):
            with pytest.raises(InvalidTransition) as refused:
                take()
            assert words in str(refused.value)


@pytest.mark.django_db
def test_no_decision_while_the_applicant_may_still_request_a_hearing_art_47(notified, accepted, reviewer):
    """The right notified on 21 Sep runs to 28 Sep (the 5 days end on a day off): no approval or denial before."""
    for decide in (
        lambda: accepted.approve(by=reviewer, scope="经营", valid_until=None, today=date(2026, 9, 28)),
        lambda: accepted.deny(by=reviewer, reasons="不符合条件", today=date(2026, 9, 25)),
    ):
        _refused_in_both_languages(decide, "2026-09-28", "Article 47")
    assert Application.objects.get(pk=accepted.pk).status == "accepted"
    assert accepted.case.events.filter(new_status__in=("approved", "denied")).count() == 0
    # The day after, the right has lapsed, even before the nightly sweep writes so.
    accepted.deny(by=reviewer, reasons="不符合条件", today=date(2026, 9, 29))
    assert accepted.status == "denied"
    assert "听证" not in accepted.case.events.last().note  # no hearing held: the decision cites none


@pytest.mark.django_db
def test_no_decision_nor_resumption_until_the_requested_hearing_has_its_signed_record_art_48(
    client, notified, accepted, applicant, reviewer, presiding
):
    notified.request_hearing(by=applicant, today=date(2026, 9, 28))
    accepted.refresh_from_db()
    assert accepted.status == "suspended"
    # Staff cannot press Resume to decide without the hearing: the review resumes when the hearing is concluded.
    _refused_in_both_languages(lambda: accepted.resume(by=reviewer, today=date(2026, 10, 9)), "听证笔录", "Article 48")
    notified.schedule(
        by=reviewer, starts_at=at(date(2026, 10, 23)), place="第二听证室", presiding_officer=presiding,
        today=date(2026, 10, 16),
    )  # fmt: skip
    _refused_in_both_languages(lambda: accepted.resume(by=reviewer, today=date(2026, 10, 19)), "听证笔录", "Article 48")
    accepted.refresh_from_db()
    assert accepted.status == "suspended" and due(accepted) is None

    notified.conclude(
        by=presiding,
        record=ContentFile(PDF, name="r.pdf"),
        record_signed=True,
        report="听证报告。",
        decision="根据听证笔录作出不予许可决定。",
        today=date(2026, 10, 23),
    )
    accepted.refresh_from_db()
    accepted.deny(by=reviewer, reasons="经营场所不符合安全条件", today=date(2026, 10, 26))
    # The decision names the record it rests on: on the timeline and in the printed decision.
    last = accepted.case.events.last()
    assert last.new_status == "denied" and notified.get_absolute_url() in last.note and "2026-10-23" in last.note
    client.force_login(applicant)
    printed = client.get(f"/licensing/applications/{accepted.pk}/decision/").content.decode()
    assert "听证" in printed and "第四十八条" in printed
