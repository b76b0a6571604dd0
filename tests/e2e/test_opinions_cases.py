"""A complaint in the browser, on a phone: submit it with a photo, track it, read the reply, rate it poorly, reopen it."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from civiccenter import roles
from civiccenter.cases import Rating
from opinions.models import Opinion
from tests.conftest import PASSWORD, make_department, make_staff, make_user
from tests.opinions.test_cases import make_category

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, user, next_path):
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()


def photo_bytes():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, "JPEG")
    return out.getvalue()


def test_complaint_with_a_photo_tracked_replied_rated_poorly_and_reopened(
    live_server, phone_page, page, check_page, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    department = make_department()
    category = make_category(department)
    reviewer = make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    citizen = make_user()

    # The landing page, anonymous: the kinds and a sign-in link that comes back here.
    phone_page.goto(live_server.url + "/opinions/?kind=complaint")
    check_page(phone_page, "landing-anonymous")
    phone_page.locator("#opinion-form a.btn-primary").click()
    form = phone_page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(citizen.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()
    expect(phone_page.locator("input[name=title]")).to_be_visible()
    expect(phone_page.locator("input[name=contact_name]")).to_have_value(citizen.full_name)
    expect(phone_page.locator("input[name=consent_to_publish]")).not_to_be_checked()
    check_page(phone_page, "complaint-form")

    phone_page.locator("select[name=category]").select_option(str(category.pk))
    phone_page.locator("input[name=title]").fill("餐馆出售过期食品")
    phone_page.locator("textarea[name=description]").fill("文汇路一家餐馆出售过期的牛奶和面包，请尽快检查。")
    phone_page.locator("input[name=place]").fill("文汇路12号")
    phone_page.locator("input[name=files]").set_input_files(
        [{"name": "shop.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    phone_page.locator("#opinion-form button[type=submit]").click()
    expect(phone_page.locator("#tracking-number")).to_be_visible()
    opinion = Opinion.objects.get(submitter=citizen)
    case = opinion.case
    assert opinion.kind == "complaint" and opinion.files.count() == 1
    expect(phone_page.locator("#tracking-number")).to_have_text(case.number)
    expect(phone_page.locator("#query-code")).to_have_text(case.query_code)
    check_page(phone_page, "receipt")

    # Anyone tracks it by number and query code, without an account.
    page.goto(live_server.url + "/track/")
    page.locator("input[name=number]").fill(case.number)
    page.locator("input[name=code]").fill(case.query_code)
    page.locator("main form [type=submit]").click()
    expect(page.locator("main")).to_contain_text(case.number)
    check_page(page, "tracked")

    # The department accepts and replies.
    opinion.accept(by=reviewer)
    opinion.reply_to(by=reviewer, text="经查，该店已下架过期食品，并被责令整改。")

    # The citizen reads the reply on their case page, rates it poorly, and reopens it.
    phone_page.goto(live_server.url + opinion.get_absolute_url())
    expect(phone_page.locator(".reply-text")).to_contain_text("责令整改")
    check_page(phone_page, "replied")
    phone_page.locator(f"a[href$='/accounts/cases/{case.number}/rate/']").click()
    phone_page.locator("input[name=level][value='2']").check()
    phone_page.locator("main form [type=submit]").click()
    expect(phone_page.locator(".alert-success").first).to_be_visible()
    assert Rating.objects.get(case=case).level == 2

    phone_page.goto(live_server.url + opinion.get_absolute_url())
    phone_page.locator("textarea[name=reason]").fill("该店仍在出售过期食品，整改没有落实。")
    check_page(phone_page, "reopen-form")
    phone_page.locator("#reopen-heading ~ form [type=submit]").click()
    expect(phone_page.locator(".alert-success").first).to_be_visible()
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.REOPENED and opinion.case.due_date is not None
    expect(phone_page.locator("textarea[name=reason]")).to_have_count(0)  # once only
    check_page(phone_page, "reopened")
