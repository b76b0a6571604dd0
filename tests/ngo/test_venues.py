"""Venues: the booking rules, the week view, the venue's calendar file and the admin lists.

The helpers here (`make_venue`, `make_org`, `open_day`, `book`) are shared by test_bookings.py.
"""

from datetime import UTC, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from civiccenter.models import CalendarDay
from ngo.models import Membership, Organization
from ngo.models.venues import Booking, Closure, OpeningHours, Venue, local_dt
from tests.conftest import make_staff, make_user

_counter = iter(range(1, 10_000))


def make_venue(department, slug="hall", **rules):
    fields = {
        "name": "多功能厅",
        "name_en": "Multi-purpose hall",
        "floor": "三楼",
        "room": "301",
        "capacity": 40,
        "min_minutes": 60,
        "max_minutes": 240,
        "min_days_ahead": 1,
        "max_days_ahead": 30,
        "monthly_hours": 8,
        "needs_approval": True,
        "cancel_hours": 24,
        **rules,
    }
    venue = Venue.objects.create(slug=slug, department=department, **fields)
    OpeningHours.objects.bulk_create(
        OpeningHours(venue=venue, weekday=day, opens=time(8, 0), closes=time(21, 0)) for day in range(7)
    )
    return venue


def make_org(admin, name=None, verified=True):
    n = next(_counter)
    org = Organization.objects.create(
        name=name or f"测试公益组织{n}",
        type=Organization.Type.SOCIAL_GROUP,
        uscc=f"51330106MA{n:07d}A",
        certificate="ngo/certificates/test.pdf",
        field=Organization.Field.COMMUNITY,
        area="西湖街道",
        contact_person="刘芳",
        contact_phone="13900139000",
        description="社区公益服务。",
        status=Organization.Status.VERIFIED if verified else Organization.Status.PENDING,
        verified_at=timezone.now() if verified else None,
        created_by=admin,
    )
    Membership.objects.create(organization=org, user=admin, role=Membership.Role.ADMINISTRATOR)
    return org


def open_day(ahead=3):
    """A day `ahead` days from today or later that is no public holiday."""
    day = timezone.localdate() + timedelta(days=ahead)
    holidays = set(CalendarDay.objects.filter(kind="holiday").values_list("date", flat=True))
    while day in holidays:
        day += timedelta(days=1)
    return day


def at(day, hour, minute=0):
    return local_dt(day, time(hour, minute))


def book(venue, org, user, day, start=10, end=12, attendance=20, **kwargs):
    return Booking.book(
        venue=venue,
        organization=org,
        by=user,
        starts_at=at(day, start),
        ends_at=at(day, end),
        purpose="社区长者智能手机使用培训",
        attendance=attendance,
        **kwargs,
    )


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """The pages read in English here (the visitor's choice, kept in the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def venue(department):
    return make_venue(department)


@pytest.fixture
def org(applicant):
    return make_org(applicant)


def problems(venue, org, starts_at, ends_at, attendance=10, now=None):
    return [
        str(p)
        for p in venue.booking_problems(
            organization=org, starts_at=starts_at, ends_at=ends_at, attendance=attendance, now=now
        )
    ]


# --- The rules -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_booking_within_every_rule_has_no_problem(venue, org):
    day = open_day()
    assert problems(venue, org, at(day, 10), at(day, 12)) == []


@pytest.mark.django_db
def test_length_rule_shortest_and_longest(venue, org):
    day = open_day()
    assert "lasts from 60 to 240 minutes" in problems(venue, org, at(day, 10), at(day, 10, 30))[0]
    assert "lasts from 60 to 240 minutes" in problems(venue, org, at(day, 9), at(day, 14))[0]
    assert problems(venue, org, at(day, 9), at(day, 13)) == []


@pytest.mark.django_db
def test_advance_window_minimum_and_maximum_days(venue, org):
    venue.min_days_ahead, venue.max_days_ahead = 2, 10
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    assert any("from 2 to 10 days ahead" in p for p in problems(venue, org, at(tomorrow, 10), at(tomorrow, 11)))
    far = today + timedelta(days=11)
    assert any("from 2 to 10 days ahead" in p for p in problems(venue, org, at(far, 10), at(far, 11)))


@pytest.mark.django_db
def test_capacity_rule(venue, org):
    day = open_day()
    assert any("at most 40 people" in p for p in problems(venue, org, at(day, 10), at(day, 11), attendance=41))


@pytest.mark.django_db
def test_opening_hours_and_closed_weekdays(venue, org):
    day = open_day()
    assert any("open from 08:00 to 21:00" in p for p in problems(venue, org, at(day, 7), at(day, 9)))
    assert any("open from 08:00 to 21:00" in p for p in problems(venue, org, at(day, 20), at(day, 22)))
    venue.hours.filter(weekday=day.weekday()).delete()
    assert any("is closed on" in p for p in problems(venue, org, at(day, 10), at(day, 11)))


@pytest.mark.django_db
def test_closures_close_the_venue(venue, org):
    day = open_day()
    Closure.objects.create(venue=venue, starts_on=day, ends_on=day + timedelta(days=2), reason="空调检修")
    assert any("空调检修" in p for p in problems(venue, org, at(day, 10), at(day, 11)))


@pytest.mark.django_db
def test_public_holidays_close_the_venue_and_adjusted_weekends_do_not_open_it(venue, org):
    day = open_day()
    CalendarDay.objects.update_or_create(date=day, defaults={"kind": "holiday", "name": "测试假日"})
    assert any("测试假日" in p for p in problems(venue, org, at(day, 10), at(day, 11)))
    # An adjusted working Saturday follows the venue's own Saturday hours: closed if it has none.
    saturday = open_day(7)
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    CalendarDay.objects.update_or_create(date=saturday, defaults={"kind": "workday", "name": "调休上班"})
    venue.hours.filter(weekday=5).delete()
    venue.max_days_ahead = 30
    assert any("is closed on" in p for p in problems(venue, org, at(saturday, 10), at(saturday, 11)))


@pytest.mark.django_db
def test_monthly_allowance_counts_pending_approved_and_no_shows_but_not_cancelled(venue, org, applicant):
    day = open_day()
    first = book(venue, org, applicant, day, 8, 12)  # 4 h pending
    first.approve(by=make_staff("r@example.cn", roles.DEPARTMENT_REVIEWER, venue.department))
    cancelled = book(venue, org, applicant, day, 13, 17)
    cancelled.cancel(by=applicant)
    book(venue, org, applicant, day, 13, 16)  # 3 h pending: 7 of 8 used
    msg = problems(venue, org, at(day, 17), at(day, 19))
    assert any("8 hours a month" in p and "7 hours" in p for p in msg)
    assert problems(venue, org, at(day, 17), at(day, 18)) == []


@pytest.mark.django_db
def test_no_show_keeps_counting_against_the_allowance(venue, org, applicant):
    day = open_day()
    past = timezone.localdate() - timedelta(days=1)
    if past.month != day.month:
        pytest.skip("the month turns between yesterday and the booking day")
    staff = make_staff("r@example.cn", roles.DEPARTMENT_REVIEWER, venue.department)
    missed = book(venue, org, applicant, past, 8, 12, now=at(past, 8) - timedelta(days=2))
    missed.approve(by=staff)
    missed.record_no_show(by=staff)
    book(venue, org, applicant, day, 8, 12)
    assert any("8 hours a month" in p for p in problems(venue, org, at(day, 13), at(day, 14)))


@pytest.mark.django_db
def test_verification_gate_unverified_organizations_cannot_book(venue, applicant):
    pending = make_org(applicant, verified=False)
    day = open_day()
    assert any("verified" in p for p in problems(venue, pending, at(day, 10), at(day, 11)))
    with pytest.raises(Exception, match="verified"):
        book(venue, pending, applicant, day)
    assert not Booking.objects.exists()


# --- The week view ----------------------------------------------------------------------


def week_of(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@pytest.mark.django_db
def test_week_view_shows_taken_times_without_the_organization(client, venue, applicant, org):
    day = open_day()
    book(venue, org, applicant, day, 14, 16)
    response = client.get(reverse("ngo:venue", args=[venue.slug]) + f"?week={week_of(day)}")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row"' in html and '<th scope="col">' in html
    assert html.count("table-danger") == 4  # 14:00 to 16:00 in half hours
    assert org.name not in html and "智能手机" not in html


@pytest.mark.django_db
def test_week_view_costs_the_same_queries_for_2_and_20_bookings(client, venue, department, django_assert_num_queries):
    day = open_day()
    url = reverse("ngo:venue", args=[venue.slug]) + f"?week={week_of(day)}"
    users = [make_user(f"a{i}@example.cn") for i in range(20)]
    orgs = [make_org(user) for user in users]
    for i in range(2):
        book(venue, orgs[i], users[i], day, 8 + i, 9 + i)
    with django_assert_num_queries(6):
        client.get(url)
    for i in range(2, 12):
        book(venue, orgs[i], users[i], day, 8 + i, 9 + i)
    week2 = open_day(8)
    for i in range(12, 20):
        book(venue, orgs[i], users[i], week2, i - 4, i - 3)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("table-danger") >= 24


@pytest.mark.django_db
def test_week_view_is_navigable_and_bad_weeks_fall_back(client, venue):
    response = client.get(reverse("ngo:venue", args=[venue.slug]) + "?week=2026-W48")
    assert 'href="?week=2026-W47"' in response.content.decode()
    assert 'href="?week=2026-W49"' in response.content.decode()
    assert client.get(reverse("ngo:venue", args=[venue.slug]) + "?week=nonsense").status_code == 200
    # The first and last weeks a date can hold: their previous/next links must not overflow.
    for edge in ("0001-W01", "9999-W52", "2026-W99"):
        assert client.get(reverse("ngo:venue", args=[venue.slug]) + f"?week={edge}").status_code == 200
    assert client.get(reverse("ngo:venue", args=["nowhere"])).status_code == 404


@pytest.mark.django_db
def test_free_slots_link_to_the_form_only_for_administrators_of_verified_organizations(client, venue, applicant):
    day = open_day()
    url = reverse("ngo:venue", args=[venue.slug]) + f"?week={week_of(day)}"
    book_url = reverse("ngo:venue-book", args=[venue.slug])
    assert book_url not in client.get(url).content.decode()
    client.force_login(applicant)
    assert "register" in client.get(url).content.decode()
    make_org(applicant)
    assert f"{book_url}?day={day:%Y-%m-%d}&amp;start=10:00" in client.get(url).content.decode()


@pytest.mark.django_db
def test_venue_list(client, venue, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(reverse("ngo:venues"))
    assert venue.name_en in response.content.decode()


# --- Calendar files ----------------------------------------------------------------------


@pytest.mark.django_db
def test_venue_calendar_has_times_only(client, venue, org, applicant):
    day = open_day()
    booking = book(venue, org, applicant, day, 14, 16)
    response = client.get(reverse("ngo:venue-ics", args=[venue.slug]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    start = booking.starts_at.astimezone(UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in body
    assert "SUMMARY:已预订" in body or "SUMMARY:Already booked" in body
    assert org.name not in body and "智能手机" not in body and booking.case.number not in body


# --- Admin ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_booking_change_list_has_a_fixed_query_count(client, venue, department, django_assert_num_queries):
    reviewer = make_staff("rev@example.cn", roles.DEPARTMENT_REVIEWER, department)
    client.force_login(reviewer)
    url = reverse("admin:ngo_booking_changelist")
    day = open_day()
    users = [make_user(f"b{i}@example.cn") for i in range(20)]
    for i in range(2):
        book(venue, make_org(users[i]), users[i], day, 8 + i, 9 + i)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for i in range(2, 20):
        book(venue, make_org(users[i]), users[i], open_day(3 + i // 10), 8 + i % 10, 9 + i % 10)
    with django_assert_num_queries(len(two)):
        response = client.get(url)
    assert response.content.decode().count("CD-") >= 20


@pytest.mark.django_db
def test_venue_admin_is_scoped_to_the_department(client, venue, other_department):
    outsider = make_staff("x@example.cn", roles.DEPARTMENT_HEAD, other_department)
    client.force_login(outsider)
    assert venue.name not in client.get(reverse("admin:ngo_venue_changelist")).content.decode()
    assert client.get(reverse("admin:ngo_venue_change", args=[venue.pk])).status_code in (302, 404)
