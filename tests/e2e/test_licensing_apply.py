"""The citizen's path and the clerk's path for a licence application, in a real browser.

Find a matter, apply with uploads, receive the correction notice, correct, see it
accepted, and follow it by tracking number and query code without signing in;
the clerk works in the admin.
"""

import pytest
from playwright.sync_api import expect

from civiccenter import roles
from civiccenter.lib.simplepdf import text_pdf
from licensing.models import Application
from tests.conftest import PASSWORD, make_department, make_staff, make_user
from tests.licensing.conftest import make_matter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()


def test_apply_correct_accept_and_track(live_server, browser, check_page, settings, tmp_path):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    department = make_department()
    matter = make_matter(department)
    citizen = make_user()
    make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)
    upload = tmp_path / "application.pdf"
    upload.write_bytes(text_pdf("食品经营许可申请书", ["申请人：张明"]))

    citizen_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = citizen_context.new_page()
    sign_in(page, live_server.url, citizen.email)

    # Find the matter and apply.
    page.goto(live_server.url + "/licensing/?q=食品")
    page.locator("main .card-title a").first.click()
    page.get_by_role("button", name="网上申请").click()
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[name=applicant_type][value=individual]").check()
    form.locator("input[name=id_number]").fill("110105 19491231 002x")
    materials = list(matter.current_version.materials.all())
    form.locator(f"input[name=material_{materials[0].pk}]").set_input_files(str(upload))
    form.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_be_visible()
    check_page(page, "draft")

    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[name=declaration]").check()
    form.get_by_role("button", name="提交申请").click()
    expect(page.locator("h1")).to_contain_text("受理回执")
    number = page.locator("dd strong").first.inner_text()
    code = page.locator("dd strong").nth(1).inner_text()
    assert number.startswith("XK-") and len(code) == 8
    check_page(page, "receipt")

    # The clerk requests correction in the admin.
    clerk_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    admin = clerk_context.new_page()
    admin.goto(live_server.url + "/admin/login/")
    admin.locator("input[name=username]").fill("clerk@example.cn")
    admin.locator("input[name=password]").fill(PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.goto(live_server.url + "/admin/licensing/application/")
    admin.get_by_role("link", name=number).click()
    admin.get_by_role("link", name="作出受理决定").click()
    correction = admin.locator("form:has(input[name=decision][value=correct])")
    correction.locator(f"input[name=note_{materials[0].pk}]").fill("申请书缺少签字")
    correction.locator("input[type=submit]").click()
    expect(admin.locator("ul.messagelist")).to_contain_text(number)

    # The citizen sees the notice, corrects and resends.
    page.goto(live_server.url + "/licensing/applications/")
    page.locator("main .list-group-item a").first.click()
    page.get_by_role("link", name="补正后重新提交").click()
    expect(page.locator(".alert-warning")).to_contain_text("申请书缺少签字")
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator(f"input[name=material_{materials[0].pk}]").set_input_files(str(upload))
    form.locator("input[name=declaration]").check()
    form.get_by_role("button", name="提交补正后的申请").click()
    expect(page.locator(".alert-success")).to_be_visible()

    # The clerk accepts.
    admin.goto(live_server.url + f"/admin/licensing/application/{Application.objects.get().pk}/decide/")
    admin.locator("form:has(input[name=decision][value=accept]) input[type=submit]").click()
    expect(admin.locator("ul.messagelist")).to_contain_text("已受理")

    # Anyone follows it with the number and code, without signing in.
    anonymous = browser.new_context(locale="en-US").new_page()
    anonymous.goto(live_server.url + "/track/")
    anonymous.locator("input[name=number]").fill(number.lower())
    anonymous.locator("input[name=code]").fill(code)
    anonymous.locator("main form [type=submit]").click()
    timeline = anonymous.locator(".case-timeline li")
    expect(timeline).to_have_count(4)
    expect(anonymous.locator("main")).to_contain_text("已受理")
    expect(anonymous.locator("time.due-date")).to_have_count(1)
    check_page(anonymous, "track")
    for context in (citizen_context, clerk_context, anonymous.context):
        context.close()
