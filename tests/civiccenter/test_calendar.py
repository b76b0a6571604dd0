"""The work calendar in the database, the admin warning, and the public deadline calculator."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from civiccenter import roles
from civiccenter.models import CalendarDay, CalendarYear
from tests.conftest import make_staff

URL = reverse("deadline-calculator")


@pytest.mark.django_db
def test_the_2026_schedule_is_loaded_by_migration():
    calendar = CalendarDay.objects.work_calendar()
    assert calendar.working_days_in_year(2026) == 248
    assert {2025, 2026} <= calendar.years
    assert date(2026, 2, 17) in calendar.holidays and date(2026, 2, 28) in calendar.workdays


@pytest.mark.django_db
def test_an_adjusted_working_day_must_be_a_weekend_day():
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.create(date=date(2026, 11, 25), kind="workday", name="错误")  # a Wednesday


@pytest.mark.django_db
def test_a_date_is_entered_once():
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.create(date=date(2026, 10, 1), kind="holiday", name="国庆节")


@pytest.mark.django_db
def test_missing_years_within_the_horizon():
    assert CalendarYear.objects.missing_for(date(2026, 6, 1)) == []
    assert CalendarYear.objects.missing_for(date(2026, 11, 22)) == [2027]
    CalendarYear.objects.create(year=2027)
    assert CalendarYear.objects.missing_for(date(2026, 11, 22)) == []


@pytest.mark.django_db
def test_admin_warns_that_next_years_calendar_is_missing(client, department):
    from django.utils import timezone

    staff = make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    this_year = timezone.localdate().year
    CalendarYear.objects.filter(year__gte=this_year).delete()
    html = client.get(reverse("admin:index")).content.decode()
    assert f"no holiday schedule for {this_year}" in html
    for year in range(2020, 2040):
        CalendarYear.objects.get_or_create(year=year)
    assert "no holiday schedule for" not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_system_administrator_enters_a_holiday_and_the_calculator_follows(client, department):
    admin_user = make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    query = {"start": "2026-11-02", "days": "10", "unit": "working"}
    assert 'datetime="2026-11-16"' in client.get(URL, query).content.decode()
    response = client.post(
        reverse("admin:civiccenter_calendarday_add"),
        {"date": "2026-11-10", "kind": "holiday", "name": "临时休假", "name_en": "Extra day off"},
    )
    assert response.status_code == 302
    assert 'datetime="2026-11-17"' in client.get(URL, query).content.decode()


@pytest.mark.django_db
def test_clerk_can_read_the_calendar_but_not_change_it(client, department):
    clerk = make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)
    client.force_login(clerk)
    assert client.get(reverse("admin:civiccenter_calendarday_changelist")).status_code == 200
    response = client.post(
        reverse("admin:civiccenter_calendarday_add"), {"date": "2026-11-10", "kind": "holiday", "name": "x"}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date=date(2026, 11, 10)).exists()


@pytest.mark.django_db
def test_calendar_admin_lists_keep_a_fixed_number_of_queries(client, department, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin_user = make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    urls = [reverse("admin:civiccenter_calendaryear_changelist"), reverse("admin:civiccenter_calendarday_changelist")]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    for year in range(2030, 2040):
        CalendarYear.objects.create(year=year)
        CalendarDay.objects.create(date=date(year, 1, 1), kind="holiday", name="元旦")
    for url in urls:
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200


# The public calculator ----------------------------------------------------------


@pytest.mark.django_db
def test_calculator_shows_the_due_date_and_how_it_was_reached(client):
    """Licensing Law Art. 82: Fri 18 Sep 2026 + 20 working days = Thu 22 Oct 2026."""
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"start": "2026-09-18", "days": "20", "unit": "working"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<time class="due-date" datetime="2026-10-22">' in html
    assert "adjusted working day" in html and "public holiday" in html and "Mid-Autumn Festival" in html
    assert "Provisional" not in html


@pytest.mark.django_db
def test_calculator_in_calendar_days_moves_off_a_holiday(client):
    html = client.get(URL, {"start": "2026-09-03", "days": "30", "unit": "calendar"}).content.decode()
    assert '<time class="due-date" datetime="2026-10-08">' in html


@pytest.mark.django_db
def test_calculator_marks_a_deadline_past_the_loaded_calendar_provisional(client):
    client.cookies["django_language"] = "en"
    html = client.get(URL, {"start": "2099-12-20", "days": "20", "unit": "working"}).content.decode()
    assert "Provisional" in html


@pytest.mark.django_db
def test_calculator_without_a_query_shows_the_form_only(client):
    html = client.get(URL).content.decode()
    assert 'name="start"' in html and "due-date" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-02-30", "days": "5", "unit": "working"}, "start"),
        ({"start": "9999-12-31", "days": "5", "unit": "working"}, "start"),
        ({"start": "1900-01-01", "days": "5", "unit": "working"}, "start"),
        ({"start": "2026-11-23", "days": "0", "unit": "working"}, "days"),
        ({"start": "2026-11-23", "days": "100000", "unit": "working"}, "days"),
        ({"start": "2026-11-23", "days": "abc", "unit": "working"}, "days"),
        ({"start": "2026-11-23", "days": "5", "unit": "hours"}, "unit"),
        ({"start": "<script>", "days": "5", "unit": "working"}, "start"),
        ({"days": "5"}, "start"),
    ],
)
def test_calculator_bad_input_gets_a_field_error_not_a_500(client, query, field):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "due-date" not in response.content.decode()


@pytest.mark.django_db
def test_calculator_nul_is_refused_before_the_view(client):
    response = client.get(URL, {"start": "2026-11-23\x00", "days": "5", "unit": "working"})
    assert response.status_code == 400 and "due-date" not in response.content.decode()


@pytest.mark.django_db
def test_calculator_keeps_a_fixed_number_of_queries(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(URL, {"start": "2026-01-01", "days": "700", "unit": "working"})


# A year whose schedule is not entered yet (全国年节及纪念日放假办法, 2024 revision, Art. 2) -----------------


def _in_late_2026():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from civiccenter.lib import clock

    return clock.at(datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))


@pytest.mark.django_db
def test_new_years_day_of_a_year_without_its_schedule_is_no_working_day_holiday_rules_art_2(client):
    """2026-12-31 + 1 working day: Fri 1 Jan 2027 is New Year's Day even before the 2027 notice is entered."""
    client.cookies["django_language"] = "en"
    with _in_late_2026():
        html = client.get(URL, {"start": "2026-12-31", "days": "1", "unit": "working"}).content.decode()
    assert '<time class="due-date" datetime="2027-01-04">' in html
    assert "New Year" in html and "Provisional" in html


@pytest.mark.django_db
def test_the_spring_festival_of_a_year_without_its_schedule_is_computed_holiday_rules_art_2(client):
    """The eve (Fri 5 Feb 2027) and the first three days of the lunar year (6-8 Feb) are days off."""
    with _in_late_2026():
        calendar = CalendarDay.objects.work_calendar()
        html = client.get(URL, {"start": "2027-02-04", "days": "1", "unit": "working"}).content.decode()
    assert [calendar.is_working_day(date(2027, 2, d)) for d in range(4, 10)] == [True, False, False, False, False, True]
    assert '<time class="due-date" datetime="2027-02-09">' in html and "春节" in html
    # Qingming, Labour Day, Dragon Boat, Mid-Autumn and National Day too; the 2026 schedule is untouched.
    for day in (date(2027, 4, 5), date(2027, 5, 3 - 1), date(2027, 6, 9), date(2027, 9, 15), date(2027, 10, 1)):
        assert not calendar.is_working_day(day)
    assert calendar.is_working_day(date(2026, 2, 14))  # an adjusted working Saturday of the 2026 notice


@pytest.mark.django_db
def test_entering_the_years_schedule_makes_its_deadlines_final(client):
    CalendarYear.objects.create(year=2027, notice="国办发明电〔2026〕X号")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", name="元旦", name_en="New Year's Day")
    client.cookies["django_language"] = "en"
    with _in_late_2026():
        html = client.get(URL, {"start": "2026-12-31", "days": "1", "unit": "working"}).content.decode()
    assert '<time class="due-date" datetime="2027-01-04">' in html and "Provisional" not in html
