"""A due date that runs into a year whose holiday schedule is not entered yet says it is provisional wherever it
is shown, printed or sent: the case's pages, the printed acceptance notice, the applicant's e-mail, the lists of
"my cases" and the staff's list (prc-rules §9: such a deadline is marked provisional)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from civiccenter.cases import Case
from civiccenter.lib import clock
from civiccenter.models import CalendarDay, CalendarYear, Notification
from tests.licensing.test_applications import make_application

LATE_2026 = datetime(2026, 12, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def accepted_into_2027(matter, applicant, staff_user):
    with clock.at(LATE_2026):
        application = make_application(matter, applicant)
        application.submit(by=applicant)
        application.accept(by=staff_user)
    return application


@pytest.mark.django_db
def test_a_deadline_in_a_year_without_its_schedule_is_marked_provisional_everywhere(
    client, accepted_into_2027, applicant, staff_user
):
    case = Case.objects.get(pk=accepted_into_2027.case_id)
    assert case.due_date.year == 2027 and case.due_provisional
    mark = "暂定"
    # The applicant's e-mail about the acceptance.
    assert mark in Notification.objects.filter(recipient=applicant).latest("pk").body
    client.force_login(applicant)
    for page in (
        reverse("licensing:acceptance-notice", args=[accepted_into_2027.pk]),
        reverse("accounts:cases"),
        reverse("licensing:application-detail", args=[accepted_into_2027.pk]),
    ):
        assert mark in client.get(page).content.decode(), page
    client.force_login(staff_user)
    staff_list = client.get(reverse("admin:licensing_application_changelist"))
    assert mark in staff_list.content.decode()


@pytest.mark.django_db
def test_once_the_years_schedule_is_entered_the_mark_goes(client, accepted_into_2027, applicant):
    CalendarYear.objects.create(year=2027, notice="国办发明电〔2026〕X号")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", name="元旦", name_en="New Year's Day")
    case = Case.objects.get(pk=accepted_into_2027.case_id)
    case.recompute_due()
    case.save()
    client.force_login(applicant)
    assert "暂定" not in client.get(reverse("accounts:cases")).content.decode()
