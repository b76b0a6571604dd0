"""Bookings: every transition allowed and refused, the booking pages, concurrency, the sweep and the feeds."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.models import Notification
from ngo.models.venues import Booking, BookingFeed, sweep_bookings
from tests.conftest import make_staff, make_user
from tests.ngo.test_venues import at, book, make_org, make_venue, open_day


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


@pytest.fixture
def reviewer(department):
    return make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)


@pytest.fixture
def pending(venue, org, applicant):
    return book(venue, org, applicant, open_day(), 10, 12)


def _approved_past(venue, org, applicant, reviewer):
    past = timezone.localdate() - timedelta(days=1)
    booking = book(venue, org, applicant, past, 10, 12, now=at(past, 8) - timedelta(days=2))
    booking.approve(by=reviewer)
    return booking


# --- Transitions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_book_opens_a_pending_case_with_tracking_number_and_notice(pending, applicant):
    assert pending.status == "pending" and pending.case.status == "pending"
    assert pending.case.number.startswith("CD-") and pending.case.kind == "booking"
    assert pending.case.department == pending.venue.department
    assert Notification.objects.filter(recipient=applicant, subject__contains=pending.case.number).exists()


@pytest.mark.django_db
def test_venue_without_approval_books_approved_at_once(department, org, applicant):
    venue = make_venue(department, slug="room", needs_approval=False)
    assert book(venue, org, applicant, open_day()).status == "approved"


@pytest.mark.django_db
def test_approve_and_reject_with_reason(pending, reviewer, venue, org, applicant):
    pending.approve(by=reviewer)
    assert pending.status == "approved" and pending.case.closed_at is None
    with pytest.raises(InvalidTransition):
        pending.reject(by=reviewer, reason="不符合")
    other = book(venue, org, applicant, open_day(), 14, 16)
    with pytest.raises(InvalidTransition, match="reason"):
        other.reject(by=reviewer, reason=" ")
    other.reject(by=reviewer, reason="该时段中心有活动")
    other.refresh_from_db()
    assert other.status == "rejected" and other.reason == "该时段中心有活动" and other.case.closed_at
    with pytest.raises(InvalidTransition):
        other.approve(by=reviewer)


@pytest.mark.django_db
def test_organization_cancels_before_the_deadline_only(venue, org, applicant):
    booking = book(venue, org, applicant, open_day(), 10, 12)
    with pytest.raises(InvalidTransition, match="24 hours"):
        booking.cancel(by=applicant, now=booking.starts_at - timedelta(hours=23))
    booking.cancel(by=applicant, now=booking.starts_at - timedelta(hours=25))
    assert booking.status == "cancelled"
    with pytest.raises(InvalidTransition):
        booking.cancel(by=applicant, now=booking.starts_at - timedelta(hours=25))
    # The time is free again.
    assert book(venue, org, applicant, open_day(), 10, 12).status == "pending"


@pytest.mark.django_db
def test_staff_cancel_any_time_with_a_reason(pending, reviewer):
    with pytest.raises(InvalidTransition, match="reason"):
        pending.cancel_by_staff(by=reviewer, reason="")
    pending.approve(by=reviewer)
    pending.cancel_by_staff(by=reviewer, reason="场地漏水抢修")
    assert pending.status == "cancelled" and pending.reason == "场地漏水抢修"


@pytest.mark.django_db
def test_no_show_only_after_the_end(pending, reviewer, venue, org, applicant):
    pending.approve(by=reviewer)
    with pytest.raises(InvalidTransition, match="after the booking has ended"):
        pending.record_no_show(by=reviewer)
    past = _approved_past(venue, org, applicant, reviewer)
    past.record_no_show(by=reviewer)
    assert past.status == "no_show" and past.case.closed_at is not None


@pytest.mark.django_db
def test_pending_cannot_be_a_no_show_nor_held(pending, reviewer):
    with pytest.raises(InvalidTransition):
        pending.record_no_show(by=reviewer, now=pending.ends_at + timedelta(hours=1))
    with pytest.raises(InvalidTransition):
        pending.complete(now=pending.ends_at + timedelta(hours=1))


@pytest.mark.django_db
def test_every_move_writes_a_timeline_event(pending, reviewer):
    pending.approve(by=reviewer)
    pending.cancel_by_staff(by=reviewer, reason="场地检修")
    assert list(pending.case.events.values_list("new_status", flat=True)) == ["pending", "approved", "cancelled"]


@pytest.mark.django_db
def test_only_administrators_book(venue, org, other_applicant):
    with pytest.raises(InvalidTransition, match="administer"):
        book(venue, org, other_applicant, open_day())


@pytest.mark.django_db
def test_the_database_refuses_overlaps(pending, venue, applicant):
    from django.core.exceptions import ValidationError

    second = make_org(make_user("s@example.cn"))
    with pytest.raises(ValidationError, match="from 10:00 to 12:00"):
        book(venue, second, second.memberships.get().user, open_day(), 11, 13)
    # Touching ends do not overlap.
    assert book(venue, second, second.memberships.get().user, open_day(), 12, 13).status == "pending"


# --- Sweep --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sweep_reminds_once_and_closes_ended_bookings(venue, org, applicant, reviewer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    soon = book(venue, org, applicant, tomorrow, 10, 12, now=at(tomorrow, 8) - timedelta(days=2))
    soon.approve(by=reviewer)
    past = _approved_past(venue, org, applicant, reviewer)
    lapsed_day = timezone.localdate() - timedelta(days=2)
    lapsed = book(venue, org, applicant, lapsed_day, 14, 15, now=at(lapsed_day, 8) - timedelta(days=2))
    today = timezone.localdate()
    assert sweep_bookings(today) == 3
    assert sweep_bookings(today) == 0
    assert (
        Notification.objects.filter(subject__contains="明天", recipient=applicant).count()
        + Notification.objects.filter(subject__contains="Tomorrow", recipient=applicant).count()
        == 1
    )
    past.refresh_from_db()
    lapsed.refresh_from_db()
    assert past.status == "completed" and past.case.closed_at is not None
    assert lapsed.status == "expired"


# --- Pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_book_through_the_form(client, venue, org, applicant):
    client.force_login(applicant)
    day = open_day()
    url = reverse("ngo:venue-book", args=[venue.slug])
    page = client.get(url + f"?day={day:%Y-%m-%d}&start=14:00&end=16:00")
    assert page.status_code == 200 and 'value="14:00" selected' in page.content.decode()
    response = client.post(
        url,
        {
            "organization": org.pk,
            "day": f"{day:%Y-%m-%d}",
            "start": "14:00",
            "end": "16:00",
            "purpose": "社区长者防诈骗知识讲座",
            "attendance": 30,
            "equipment_needed": "投影仪",
            "open_to_public": "on",
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == booking.get_absolute_url()
    assert booking.open_to_public and booking.attendance == 30


@pytest.mark.django_db
def test_bad_input_is_a_form_error_and_nothing_is_saved(client, venue, org, applicant):
    client.force_login(applicant)
    day = open_day()
    response = client.post(
        reverse("ngo:venue-book", args=[venue.slug]),
        {
            "organization": org.pk,
            "day": f"{day:%Y-%m-%d}",
            "start": "14:00",
            "end": "14:30",
            "purpose": "短",
            "attendance": 99,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "at most 40 people" in html and "at least 10 characters" in html
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_taken_time_is_a_form_error_naming_it(client, pending, venue, org, applicant):
    client.force_login(applicant)
    day = open_day()
    response = client.post(
        reverse("ngo:venue-book", args=[venue.slug]),
        {
            "organization": org.pk,
            "day": f"{day:%Y-%m-%d}",
            "start": "11:00",
            "end": "13:00",
            "purpose": "社区议事协商会议",
            "attendance": 10,
        },
    )
    assert "already booked on" in response.content.decode() and "from 10:00 to 12:00" in response.content.decode()
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_booking_needs_sign_in_and_a_verified_organization(client, venue, applicant):
    url = reverse("ngo:venue-book", args=[venue.slug])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(applicant)
    make_org(applicant, verified=False)
    response = client.get(url)
    assert response.status_code == 200 and "form" not in response.context
    assert "verified" in response.content.decode()


@pytest.mark.django_db
def test_my_bookings_and_booking_page(client, pending, applicant, other_applicant, django_assert_max_num_queries):
    assert client.get(reverse("ngo:bookings"))["Location"].startswith(reverse("accounts:login"))
    client.force_login(applicant)
    response = client.get(reverse("ngo:bookings"))
    assert pending.case.number in response.content.decode()
    page = client.get(pending.get_absolute_url())
    assert page.status_code == 200 and pending.case.number in page.content.decode()
    assert reverse("ngo:booking-cancel", args=[pending.pk]) in page.content.decode()
    client.force_login(other_applicant)
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert client.post(reverse("ngo:booking-cancel", args=[pending.pk])).status_code == 404
    assert pending.case.number not in client.get(reverse("ngo:bookings")).content.decode()


@pytest.mark.django_db
def test_cancel_view_is_post_only_and_cancels(client, pending, applicant):
    client.force_login(applicant)
    url = reverse("ngo:booking-cancel", args=[pending.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    pending.refresh_from_db()
    assert pending.status == "cancelled"


@pytest.mark.django_db
def test_rating_link_after_the_booking_closes(client, venue, org, applicant, reviewer):
    booking = _approved_past(venue, org, applicant, reviewer)
    booking.complete()
    client.force_login(applicant)
    assert (
        reverse("accounts:rate", args=[booking.case.number]) in client.get(booking.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_my_bookings_query_count_is_fixed(client, venue, applicant, django_assert_num_queries):
    org = make_org(applicant)
    client.force_login(applicant)
    for hour in (8, 10):
        book(venue, org, applicant, open_day(), hour, hour + 1)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(reverse("ngo:bookings"))
    venue.monthly_hours = 100
    venue.save()
    for i in range(18):
        book(venue, org, applicant, open_day(4 + i // 6), 8 + 2 * (i % 6), 9 + 2 * (i % 6))
    with django_assert_num_queries(len(two)):
        client.get(reverse("ngo:bookings"))


# --- Organization calendar -------------------------------------------------------------------


@pytest.mark.django_db
def test_organization_calendar_by_token_with_details_and_reset(client, pending, org, applicant):
    client.force_login(applicant)
    client.post(reverse("ngo:organization-ics-reset", args=[org.pk]))
    feed = BookingFeed.objects.get(organization=org)
    client.logout()
    body = client.get(feed.get_absolute_url()).content.decode()
    assert body.startswith("BEGIN:VCALENDAR") and pending.case.number in body and "DTSTART:" in body
    assert all(line.endswith("Z") for line in body.split("\r\n") if line.startswith("DTSTART"))
    old = feed.get_absolute_url()
    client.force_login(applicant)
    client.post(reverse("ngo:organization-ics-reset", args=[org.pk]))
    client.logout()
    assert client.get(old).status_code == 404


@pytest.mark.django_db
def test_calendar_reset_refuses_other_organizations(client, org, other_applicant):
    client.force_login(other_applicant)
    assert client.post(reverse("ngo:organization-ics-reset", args=[org.pk])).status_code == 404


# --- Admin actions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_actions_call_the_model_methods(client, pending, reviewer):
    client.force_login(reviewer)
    url = reverse("admin:ngo_booking_changelist")
    client.post(url, {"action": "approve", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == "approved"
    page = client.post(url, {"action": "cancel_by_staff", "_selected_action": [pending.pk]})
    assert page.status_code == 200 and "reason" in page.content.decode()
    client.post(
        url, {"action": "cancel_by_staff", "_selected_action": [pending.pk], "apply": "1", "reason": "场地检修"}
    )
    pending.refresh_from_db()
    assert pending.status == "cancelled" and pending.reason == "场地检修"


# --- Concurrency ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_for_one_time_leave_exactly_one_booking(department):
    """Ten organizations post overlapping times at once through the view: one booking, nine clear messages."""
    venue = make_venue(department, monthly_hours=100)
    day = open_day()
    users = [make_user(f"c{i}@example.cn") for i in range(10)]
    orgs = [make_org(user) for user in users]
    barrier = threading.Barrier(10)
    results = [None] * 10

    def attempt(i):
        try:
            client = Client()
            client.cookies["django_language"] = "en"
            client.force_login(users[i])
            barrier.wait()
            response = client.post(
                reverse("ngo:venue-book", args=[venue.slug]),
                {
                    "organization": orgs[i].pk,
                    "day": f"{day:%Y-%m-%d}",
                    # 10:00-12:00, 10:30-12:30, 11:00-13:00: each overlaps the others.
                    "start": ["10:00", "10:30", "11:00"][i % 3],
                    "end": ["12:00", "12:30", "13:00"][i % 3],
                    "purpose": "社区公益活动同时预订测试",
                    "attendance": 10,
                },
            )
            results[i] = (response.status_code, response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Booking.objects.count() == 1
    codes = sorted(code for code, _ in results)
    assert codes == [200] * 9 + [302]
    refused = [html for code, html in results if code == 200]
    booking = Booking.objects.get()
    taken = f"from {timezone.localtime(booking.starts_at):%H:%M} to {timezone.localtime(booking.ends_at):%H:%M}"
    assert all("is already booked on" in html and taken in html for html in refused)


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2000-01-01"])
def test_a_date_far_out_is_a_form_error_not_a_server_error(client, venue, org, applicant, day):
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    url = reverse("ngo:venue-book", args=[venue.slug])
    assert client.get(url + f"?day={day}&start=14:00&end=16:00").status_code == 200
    response = client.post(
        url,
        {
            "organization": org.pk,
            "day": day,
            "start": "14:00",
            "end": "16:00",
            "purpose": "社区长者防诈骗知识讲座",
            "attendance": 30,
        },
    )
    html = response.content.decode()
    # A date no calendar form takes is refused by the field (1900 to a century ahead); a real date outside
    # the next three years by the booking's own rule.
    assert response.status_code == 200 and ("Choose a date from" in html or "Enter a date from" in html)
    assert not Booking.objects.exists()
