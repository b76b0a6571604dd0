"""An online request waits on the office's clock until it is confirmed (Regulations on Open Government Information,
Art. 31): DISCLOSURE_CONFIRMATION_WORKING_DAYS (2; no article fixes it, so it is a setting), then Art. 33's 20
working days from the confirmation. Reminders come a rule's own lead time before: 5 working days for the reply
(DISCLOSURE_REMINDER_WORKING_DAYS), the working day before for the confirmation, 3 for clocks that name none.

Dates over the 2026 calendar: Mid-Autumn Fri 25 - Sun 27 Sep, National Day Thu 1 - Wed 7 Oct; Sun 20 Sep and
Sat 10 Oct are working days.
"""

from datetime import date

import pytest
from django.urls import reverse

from civiccenter import supervision
from civiccenter.cases import Case
from civiccenter.models import Notification
from civiccenter.reminders import sweep_deadline_reminders
from tests.disclosure.test_requests_common import MON_14_SEP, clerk_of, online, registered


@pytest.fixture
def clerk(department):
    return clerk_of(department)


def case_of(request):
    return Case.objects.get(pk=request.case_id)


def reminders_to(person, number):
    return Notification.objects.filter(recipient=person, subject__contains=number).count()


@pytest.mark.django_db
def test_an_unconfirmed_request_is_late_once_its_confirmation_limit_passes_art_31(
    applicant, clerk, department, supervisor
):
    """Filed Wed 30 Sep: 2 working days after National Day are Thu 8 and Fri 9 Oct; late from Sat 10 Oct."""
    request = online(applicant, department, today=date(2026, 9, 30))
    case = case_of(request)
    assert (case.status, case.received_on, case.due_date) == ("submitted", None, date(2026, 10, 9))
    assert (case.clock_unit, case.clock_days, case.clock_start) == ("working", 2, date(2026, 9, 30))
    assert "第三十一条" in case.clock_rule and case.clock_remind_days == 1
    assert not Case.objects.overdue(today=date(2026, 10, 9)).exists()
    assert list(Case.objects.overdue(today=date(2026, 10, 10))) == [case]
    rows, _soon = supervision.figures(
        supervisor, start=date(2026, 9, 1), end=date(2026, 10, 12), today=date(2026, 10, 12)
    )
    assert next(row for row in rows if row["department"] == department)["overdue"] == 1
    # Confirmed Mon 12 Oct: received that day; the 20 working days run to Mon 9 Nov, reminded 5 before.
    request.confirm(by=clerk, today=date(2026, 10, 12))
    case = case_of(request)
    assert (case.received_on, case.due_date, case.clock_days) == (date(2026, 10, 12), date(2026, 11, 9), 20)
    assert case.clock_remind_days == 5 and "第三十三条" in case.clock_rule


@pytest.mark.django_db
def test_the_confirmation_limit_is_a_setting_art_31(applicant, department, settings):
    """5 working days from Mon 14 Sep 2026: Tue 15 - Fri 18 and the working Sunday 20 Sep."""
    settings.DISCLOSURE_CONFIRMATION_WORKING_DAYS = 5
    case = case_of(online(applicant, department, today=MON_14_SEP))
    assert case.due_date == date(2026, 9, 20) and "5" in case.clock_rule


@pytest.mark.django_db
def test_the_office_is_reminded_the_working_day_before_the_confirmation_limit_art_31(applicant, clerk, department):
    """Filed Mon 14 Sep: to be confirmed by Wed 16 Sep; reminded on Tue 15, told it is overdue on Thu 17."""
    number = case_of(online(applicant, department, today=MON_14_SEP)).number
    assert sweep_deadline_reminders(MON_14_SEP) == 0
    assert sweep_deadline_reminders(date(2026, 9, 15)) == 1
    assert reminders_to(clerk, number) == 1
    assert sweep_deadline_reminders(date(2026, 9, 16)) == 0  # once per due date
    assert sweep_deadline_reminders(date(2026, 9, 17)) == 1
    assert reminders_to(clerk, number) == 2


@pytest.mark.django_db
def test_the_reply_is_reminded_5_working_days_before_and_other_clocks_3_art_33(clerk, department):
    """Received Mon 14 Sep: reply due Fri 16 Oct. 5 working days before: from Sat 10 Oct (a working day); a clock
    set without a lead time (another app's) is reminded 3 working days before: from Tue 13 Oct."""
    request = registered(clerk, department, received_on=MON_14_SEP)
    other = Case.open_case(
        kind="other",
        prefix="QT",
        department=department,
        status="open",
        by=clerk,
        received_on=MON_14_SEP,
        clock=("rule", "working", 20, MON_14_SEP),
    )
    assert case_of(request).due_date == other.due_date == date(2026, 10, 16)
    assert other.clock_remind_days is None
    assert sweep_deadline_reminders(date(2026, 10, 9)) == 0
    assert sweep_deadline_reminders(date(2026, 10, 10)) == 1
    assert reminders_to(clerk, case_of(request).number) == 1
    assert sweep_deadline_reminders(date(2026, 10, 12)) == 0
    assert sweep_deadline_reminders(date(2026, 10, 13)) == 1
    assert reminders_to(clerk, other.number) == 1


@pytest.mark.django_db
def test_the_reminder_lead_is_a_setting_of_the_rule_art_33(clerk, department, settings):
    settings.DISCLOSURE_REMINDER_WORKING_DAYS = 2
    request = registered(clerk, department, received_on=MON_14_SEP)
    assert case_of(request).clock_remind_days == 2
    assert sweep_deadline_reminders(date(2026, 10, 13)) == 0  # Wed 14, Thu 15: not yet
    assert sweep_deadline_reminders(date(2026, 10, 14)) == 1


@pytest.mark.django_db
def test_the_requester_sees_the_clock_has_not_started_and_the_confirmation_limit_art_31(client, applicant, department):
    request = online(applicant, department, today=MON_14_SEP)
    case = case_of(request)
    client.cookies["django_language"] = "en"
    client.force_login(applicant)
    html = client.get(request.get_absolute_url()).content.decode()
    assert 'id="confirmation-pending"' in html and "have not started yet" in html
    assert 'datetime="2026-09-16"' in html
    listing = client.get(reverse("disclosure:request-list")).content.decode()
    assert "Not started: to be confirmed by" in listing and 'datetime="2026-09-16"' in listing
    client.logout()
    tracked = client.get(reverse("track"), {"number": case.number, "code": case.query_code}).content.decode()
    assert 'datetime="2026-09-16"' in tracked and case.clock_rule in tracked
    assert "第三十一条" in case.clock_rule and "尚未起算" in case.clock_rule  # stored in the language of record


@pytest.mark.django_db
def test_the_applicants_notice_says_until_when_the_office_confirms_art_31(applicant, department):
    online(applicant, department, today=MON_14_SEP)
    body = Notification.objects.get(recipient=applicant).body
    assert "2026-09-16" in body


@pytest.mark.django_db
def test_a_request_filed_before_the_confirmation_limit_gets_it_from_the_day_filed_art_31(applicant, department):
    """A request left without a clock (filed before the limit existed) is given it by the nightly sweep, counted
    from the day it was filed; a request already on a clock, or confirmed, is left alone."""
    from datetime import datetime, time

    from django.utils import timezone

    from civiccenter.lib import clock
    from disclosure.models.requests import sweep_unclocked_requests

    with clock.at(timezone.make_aware(datetime.combine(MON_14_SEP, time(10)))):
        legacy = online(applicant, department, today=MON_14_SEP)
    Case.objects.filter(pk=legacy.case_id).update(
        clock_rule="", clock_unit="", clock_days=None, clock_start=None, due_date=None
    )
    current = online(applicant, department, today=date(2026, 9, 15))
    assert sweep_unclocked_requests(date(2026, 9, 30)) == 1
    case = case_of(legacy)
    assert (case.clock_start, case.due_date, case.status) == (MON_14_SEP, date(2026, 9, 16), "submitted")
    assert "第三十一条" in case.events.last().note
    assert Case.objects.overdue(today=date(2026, 9, 30)).filter(pk=legacy.case_id).exists()
    assert case_of(current).clock_start == date(2026, 9, 15)  # already on its clock: untouched
    assert sweep_unclocked_requests(date(2026, 10, 1)) == 0  # once
