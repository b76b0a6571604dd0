"""NGO development in the browser: an organization's administrator publishes an activity, a moderator approves
it in the admin, and a citizen finds it on /ngo/activities/ and registers."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civiccenter import roles
from ngo.models.development import Activity, ActivityRegistration
from tests.conftest import PASSWORD, make_department, make_staff, make_user
from tests.ngo.test_development import make_organization

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, user, next_path):
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()


def test_publish_approve_find_and_register(live_server, browser, page, check_page):
    admin = make_user("admin@ngo.example.cn", full_name="刘芳")
    organization = make_organization(admin, name="示范区环保志愿者协会", field="environment")
    moderator = make_staff(
        "moderator@example.cn", roles.MODERATOR, make_department(code="ZXBGS", name="区市民服务中心办公室")
    )
    citizen = make_user("citizen@example.cn", full_name="张明", phone="13800138000")
    starts = timezone.localtime(timezone.now() + timedelta(days=6)).replace(hour=9, minute=0, second=0, microsecond=0)

    # The organization's administrator publishes the activity.
    sign_in(page, live_server.url, admin, "/ngo/activities/new/")
    expect(page.locator("h1")).to_be_visible()
    check_page(page, "activity-form")
    page.locator("select[name=organization]").select_option(str(organization.pk))
    page.locator("input[name=title]").fill("河道巡护志愿行动")
    page.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("input[name=ends_at]").fill((starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("input[name=place]").fill("东湖河滨公园南门")
    page.locator("textarea[name=description]").fill("沿河道巡查垃圾和排污口，记录并上报问题。")
    page.locator("input[name=registration_open]").check()
    page.locator("input[name=capacity]").fill("20")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    activity = Activity.objects.get(title="河道巡护志愿行动")
    assert activity.status == Activity.Status.PENDING
    check_page(page, "activity-pending-preview")

    # A moderator approves it from the queue in the admin.
    staff = browser.new_context(locale="en-US")
    staff_page = staff.new_page()
    sign_in(staff_page, live_server.url, moderator, "/admin/ngo/activity/")
    staff_page.goto(live_server.url + "/admin/ngo/activity/")
    staff_page.locator(f"input[name=_selected_action][value='{activity.pk}']").check()
    staff_page.locator("select[name=action]").select_option("approve_selected")
    staff_page.locator("button[name=index], input[name=index]").first.click()
    expect(staff_page.locator(".messagelist")).to_be_visible()
    staff.close()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED

    # A citizen finds it on the public list and registers.
    citizen_context = browser.new_context(locale="en-US")
    citizen_page = citizen_context.new_page()
    citizen_page.goto(live_server.url + "/ngo/activities/")
    link = citizen_page.locator(f"main a[href='/ngo/activities/{activity.pk}/']")
    expect(link).to_have_text("河道巡护志愿行动")
    check_page(citizen_page, "activity-list")
    link.click()
    citizen_page.locator("main a[href^='/accounts/login/?next=']").click()
    form = citizen_page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(citizen.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()
    citizen_page.locator(f"form[action$='/activities/{activity.pk}/register/'] button").click()
    expect(citizen_page.locator(".alert-success").first).to_be_visible()
    check_page(citizen_page, "activity-registered")
    assert ActivityRegistration.objects.filter(activity=activity, user=citizen).exists()
    citizen_context.close()
