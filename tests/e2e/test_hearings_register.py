"""A citizen registers for a hearing on a phone, and sees the registration and its state."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civiccenter import roles
from hearings.models import HearingRegistration
from tests.conftest import PASSWORD, make_department, make_staff, make_user
from tests.hearings.test_hearings_rules import make_hearing, make_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_registers_for_a_hearing_on_a_phone(live_server, phone_page, check_page):
    page = phone_page
    department = make_department()
    staff = make_staff("organizer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    today = timezone.localdate()
    hearing = make_hearing(
        department,
        starts_at=timezone.now() + timedelta(days=40),
        registration_opens=today,
        registration_closes=today + timedelta(days=10),
    )
    hearing.announce(by=staff, today=today)
    citizen = make_user()

    page.goto(live_server.url + "/hearings/hearings/")
    page.locator(f"main a[href='{hearing.get_absolute_url()}']").click()
    expect(page.locator("main h1")).to_contain_text("示范区管道天然气销售价格调整听证会")
    check_page(page, "hearing")

    page.locator("main a[href*='/accounts/login/']").click()
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(citizen.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()
    expect(page.locator("main h1")).to_be_visible()
    check_page(page, "registration-form")

    # A wrong ID number first: a clear error, nothing saved.
    form = page.locator("main form[method=post]")
    form.locator("input[name=category]").first.check()
    form.locator("input[name=id_number]").fill("36042619910102009X")
    form.locator("[name=submit]").click()
    expect(page.locator("main .invalid-feedback, main .alert-danger").first).to_be_visible()
    assert not HearingRegistration.objects.exists()
    check_page(page, "registration-form-errors")

    form = page.locator("main form[method=post]")
    form.locator("input[name=category]").first.check()
    form.locator("input[name=id_number]").fill(make_id())
    form.locator("textarea[name=statement]").fill("希望保留第一档气价。")
    form.locator("input[name=publish_consent]").check()
    form.locator("[name=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main [data-status=applied]")).to_be_visible()
    check_page(page, "my-registrations")
    registration = HearingRegistration.objects.get()
    assert registration.user == citizen and registration.publish_consent

    page.goto(live_server.url + hearing.get_absolute_url())
    expect(page.locator("main .alert-info")).to_be_visible()
