"""Venue booking in the browser: a verified organization's administrator books a free time from the week
view, sees the booking approved, and downloads the organization's calendar file.

The organization is created in the test (the registration page belongs to the organizations part) and
verified with its model method, as staff do."""

from datetime import UTC

import pytest
from django.utils import translation
from playwright.sync_api import expect

from civiccenter import roles
from civiccenter.models import User
from ngo.models.venues import Booking
from tests.conftest import make_department, make_staff, make_user
from tests.e2e.test_consultation import sign_in
from tests.ngo.test_venues import make_org, make_venue, open_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def week_of(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def test_book_a_venue_see_it_approved_and_download_the_calendar(live_server, page, check_page):
    department = make_department()
    reviewer = make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    venue = make_venue(department)
    representative = make_user("rep@example.cn", full_name="刘芳", account_type=User.AccountType.ORGANIZATION)
    organization = make_org(representative, name="示范区邻里互助会", verified=False)
    organization.status = organization.Status.PENDING
    organization.verify(by=reviewer)
    day = open_day()

    sign_in(page, live_server.url, representative, f"/ngo/venues/{venue.slug}/?week={week_of(day)}")
    expect(page.locator("table.venue-week")).to_be_visible()
    check_page(page, "week")
    page.locator(f"a[href*='day={day:%Y-%m-%d}&start=14:00']").click()
    expect(page.locator("select[name=start]")).to_have_value("14:00")
    page.locator("select[name=end]").select_option("16:00")
    page.locator("textarea[name=purpose]").fill("社区长者智能手机使用培训，帮助老年人防范电信诈骗。")
    page.locator("input[name=attendance]").fill("25")
    check_page(page, "form")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    booking = Booking.objects.get(organization=organization)
    expect(page.locator("main")).to_contain_text(booking.case.number)
    check_page(page, "booked")

    booking.approve(by=reviewer)
    page.reload()
    with translation.override("zh-hans"):
        expect(page.locator(".booking-status")).to_have_text(str(Booking.Status.APPROVED.label))

    page.goto(live_server.url + "/ngo/venues/bookings/")
    page.locator("form[action$='/reset/'] button").click()
    check_page(page, "my-bookings")
    link = page.locator("a.org-ics")
    with page.expect_download() as download_info:
        link.evaluate("a => a.setAttribute('download', '')")
        link.click()
    body = open(download_info.value.path(), encoding="utf-8").read()
    assert body.startswith("BEGIN:VCALENDAR") and booking.case.number in body
    start = booking.starts_at.astimezone(UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in body
