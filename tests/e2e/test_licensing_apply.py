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
    correction = admin.locator("#move-request_correction")
    correction.locator(f"input[name=request_correction-note_{materials[0].pk}]").fill("申请书缺少签字")
    correction.locator("button[name=move]").click()
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
    admin.goto(live_server.url + f"/admin/licensing/application/{Application.objects.get().pk}/move/")
    admin.locator("#move-accept button[name=move]").click()
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


def test_apply_to_licence_verified_and_service_rated(live_server, browser, check_page, settings, tmp_path):
    """The whole citizen path: apply, accepted, approved, print the licence, verify it as a stranger, rate."""
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    settings.SITE_URL = live_server.url
    department = make_department()
    matter = make_matter(department)
    citizen = make_user()
    make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    upload = tmp_path / "application.pdf"
    upload.write_bytes(text_pdf("食品经营许可申请书", ["申请人：张明"]))

    citizen_context = browser.new_context(viewport={"width": 390, "height": 844})  # on a phone
    page = citizen_context.new_page()
    sign_in(page, live_server.url, citizen.email)
    page.goto(live_server.url + matter.get_absolute_url())
    page.get_by_role("button", name="网上申请").click()
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[name=applicant_type][value=individual]").check()
    form.locator("input[name=id_number]").fill("11010519491231002X")
    material = matter.current_version.materials.first()
    form.locator(f"input[name=material_{material.pk}]").set_input_files(str(upload))
    form.locator("input[name=declaration]").check()
    form.get_by_role("button", name="提交申请").click()
    expect(page.locator("h1")).to_contain_text("受理回执")
    number = page.locator("dd strong").first.inner_text()

    # The reviewer accepts, then approves with a scope and a validity.
    clerk_context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = clerk_context.new_page()
    admin.goto(live_server.url + "/admin/login/")
    admin.locator("input[name=username]").fill("reviewer@example.cn")
    admin.locator("input[name=password]").fill(PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.goto(live_server.url + "/admin/licensing/application/")
    admin.get_by_role("link", name=number).click()
    admin.get_by_role("link", name="作出受理决定").click()
    admin.locator("#move-accept button[name=move]").click()
    expect(admin.locator("ul.messagelist")).to_contain_text("已受理")
    # Back on the same steps page, now offering the review's moves.
    approve = admin.locator("#move-approve")
    approve.locator("textarea[name=approve-scope]").fill("热食类食品制售")
    approve.locator("input[name=approve-valid_until]").fill("2031-11-30")
    approve.locator("button[name=move]").click()
    expect(admin.locator("ul.messagelist")).to_contain_text("准予许可")
    licence_number = Application.objects.get().licence.number
    expect(admin.locator("main, #content").first).to_contain_text("打印")

    # The citizen sees the approval, prints the licence and reads its verification code.
    page.goto(live_server.url + "/licensing/applications/")
    page.locator("main .list-group-item a").first.click()
    expect(page.locator(".alert-success")).to_contain_text(licence_number)
    check_page(page, "approved")
    # Among the documents issued on the application (each numbered and sealed): the licence.
    page.get_by_role("link", name="行政许可证", exact=True).click()
    expect(page.locator("h1")).to_contain_text("行政许可证")
    expect(page.locator("svg.segno")).to_be_visible()
    check_page(page, "licence")
    code = page.locator("#verification-code").inner_text()
    printed_address = page.locator("main .text-break").first.inner_text()  # the licence's; then the document's
    assert printed_address.endswith(f"/licensing/licences/{code}/")

    # A stranger (a customer, an inspector) types the printed address and sees it is genuine.
    stranger = browser.new_context(locale="en-US").new_page()
    stranger.goto(printed_address)
    expect(stranger.locator(".alert-success")).to_contain_text("真实有效")
    expect(stranger.locator("main")).to_contain_text(licence_number)
    check_page(stranger, "verified")

    # Back on the application, the citizen rates the service; it can be done once.
    page.go_back()
    page.get_by_role("link", name="评价本次服务").click()
    radios = page.locator("input[name=level]")
    expect(radios).to_have_count(5)
    assert not any(radios.nth(i).is_checked() for i in range(5)), "nothing is pre-selected"
    assert radios.first.get_attribute("required") is not None  # the browser asks for a level before sending
    page.locator("input[name=level][value='4']").check()
    page.locator("textarea[name=comment]").fill("办理很快。")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(live_server.url + f"/accounts/cases/{number}/rate/")
    expect(page.locator(".alert-info")).to_be_visible()
    stranger.goto(live_server.url + "/satisfaction/")
    expect(stranger.locator("main")).to_contain_text(department.name)
    for context in (citizen_context, clerk_context, stranger.context):
        context.close()
