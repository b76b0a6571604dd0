"""A disclosure request in a real browser: the citizen files it, the office confirms it and asks for a
correction, the citizen corrects, the office replies with a partial disclosure and a file, the citizen
reads the reply letter and downloads the file. Both sides use English, chosen with the language cookie."""

import pytest
from playwright.sync_api import expect

from civiccenter import roles
from civiccenter.lib.simplepdf import text_pdf
from disclosure.models.requests import DisclosureRequest
from tests.conftest import PASSWORD, make_department, make_staff, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def english_context(browser, base, **options):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}, **options)
    context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    context.set_default_timeout(10_000)
    return context


def test_request_corrected_partly_disclosed_and_downloaded(live_server, browser, check_page, settings, tmp_path):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    base = live_server.url
    department = make_department(code="ZJ", name="区住房和城乡建设局", name_en="District Housing Bureau")
    citizen = make_user()
    make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)
    upload = tmp_path / "list.pdf"
    upload.write_bytes(text_pdf("2025年老旧小区改造项目清单", ["示范小区一期"]))

    # The citizen files the request, on a phone.
    citizen_context = english_context(browser, base, is_mobile=True, has_touch=True)
    citizen_context.set_default_timeout(10_000)
    page = citizen_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/accounts/login/")
    login = page.locator("main form[method=post]")
    login.locator("input[name=username]").fill(citizen.email)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("[name=submit]").click()
    page.goto(base + "/disclosure/requests/new/")
    form = page.locator("main form[method=post]")
    form.get_by_role("button", name="Send the request").click()  # empty: errors, nothing saved
    expect(page.locator(".alert-danger")).to_be_visible()
    assert not DisclosureRequest.objects.exists()
    form.locator("input[name=applicant_kind][value=individual]").check()
    form.locator("select[name=id_type]").select_option("resident_id")
    form.locator("input[name=id_number]").fill("11010519491231002X")
    form.locator("select[name=department]").select_option(str(department.pk))
    form.locator("textarea[name=description]").fill("请提供本区老旧小区改造项目清单。")
    form.locator("input[name=form_wanted][value=download]").check()
    form.locator("input[name=delivery][value=online]").check()
    check_page(page, "form")
    form.get_by_role("button", name="Send the request").click()
    expect(page.locator(".alert-success")).to_be_visible()
    request = DisclosureRequest.objects.get()
    number = request.case.number
    expect(page.locator("h1")).to_contain_text(number)

    # The clerk confirms receipt and asks for a correction.
    clerk_context = english_context(browser, base)
    admin = clerk_context.new_page()
    admin.goto(base + "/admin/login/")
    admin.locator("input[name=username]").fill("clerk@example.cn")
    admin.locator("input[name=password]").fill(PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.goto(base + "/admin/disclosure/disclosurerequest/")
    admin.get_by_role("link", name=number).click()
    admin.get_by_role("link", name="Handle the request").click()
    admin.locator("#move-confirm button[name=move]").click()
    expect(admin.locator("ul.messagelist")).to_contain_text(number)
    # The same steps page, now offering what a received request allows.
    correction = admin.locator("#move-request_correction")
    correction.locator("textarea[name=request_correction-items]").fill("请说明所需信息的年份")
    correction.locator("button[name=move]").click()
    expect(admin.locator("ul.messagelist")).to_contain_text(number)

    # The citizen sees the notice and corrects.
    page.goto(base + "/disclosure/requests/")
    page.get_by_role("link", name=number).click()
    expect(page.locator(".alert-warning")).to_contain_text("请说明所需信息的年份")
    check_page(page, "correction")
    fix = page.locator(f"form[action='/disclosure/requests/{request.pk}/correct/']")
    fix.locator("textarea[name=description]").fill("请提供本区2025年度老旧小区改造项目清单。")
    fix.locator("[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert DisclosureRequest.objects.get().status == "received"

    # The clerk uploads the file and replies: partly disclosed, with reasons.
    admin.goto(base + f"/admin/disclosure/disclosurerequest/{request.pk}/move/")
    files = admin.locator("#move-add_reply_file")
    files.locator("input[name=add_reply_file-title]").fill("2025年老旧小区改造项目清单")
    files.locator("input[name=add_reply_file-pages]").fill("2")
    files.locator("input[name=add_reply_file-file]").set_input_files(str(upload))
    files.locator("button[name=move]").click()
    reply = admin.locator("#move-reply")
    reply.locator("select[name=reply-reply_type]").select_option("partial")
    reply.locator("textarea[name=reply-reasons]").fill("施工合同中的个人信息已删除（第三十七条）。")
    reply.locator("button[name=preview]").click()
    expect(admin.locator("#fee-preview")).to_contain_text("Free of charge")
    admin.locator("#move-reply button[name=move]").click()
    expect(admin.locator("ul.messagelist")).to_contain_text(number)
    assert DisclosureRequest.objects.get().status == "replied"

    # The citizen reads the reply, prints the letter and downloads the file.
    page.goto(base + f"/disclosure/requests/{request.pk}/")
    expect(page.locator("main")).to_contain_text("施工合同中的个人信息已删除")
    check_page(page, "replied")
    with page.expect_download() as download:
        page.get_by_role("link", name="2025年老旧小区改造项目清单").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Reply letter").click()
    expect(page.locator("h1")).to_contain_text("Reply to a request for government information")
    expect(page.locator("main")).to_contain_text("60 days")
    check_page(page, "letter")
    for context in (citizen_context, clerk_context):
        context.close()
