"""Booking a window appointment in the browser, then cancelling it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from licensing.models import Appointment, WindowSlot
from tests.conftest import PASSWORD, make_department, make_user
from tests.licensing.conftest import make_matter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_book_and_cancel_a_window_appointment(live_server, page, check_page):
    department = make_department()
    matter = make_matter(department)
    WindowSlot.objects.create(department=department, window="1号窗口", starts_at=timezone.now() + timedelta(days=3))
    citizen = make_user()

    page.goto(live_server.url + matter.get_absolute_url())
    page.locator("main a[href$='/appointments/']").click()
    expect(page.locator("main table")).to_contain_text("1号窗口")
    page.locator("main a[href*='/accounts/login/']").click()
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(citizen.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()
    check_page(page, "slots")

    page.locator("main table button[type=submit]").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    code = Appointment.objects.get().code
    expect(page.locator("main")).to_contain_text(code)
    check_page(page, "booked")

    page.get_by_role("button", name="取消预约").click()
    expect(page.locator("main .badge")).to_be_visible()
    assert Appointment.objects.get().status == "cancelled"
