"""Every public page, in both languages, against axe-core; and the signed-in pages besides the profile."""

import pytest
from playwright.sync_api import expect

from civiccenter.models import Notification
from tests.conftest import PASSWORD, make_department, make_user

from .helpers import expect_language, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The pages the flow tests (home, sign-up, sign-in) do not already check. One test per
# language visits them all in one browser context, which is several times faster than
# a test per page, and reports the violations of every page at once.
PUBLIC_PAGES = {
    "about": "/about/",
    "contact": "/contact/",
    "privacy": "/privacy/",
    "disclosure": "/disclosure/",
    "consultation": "/consultation/",
    "hearings": "/hearings/",
    "opinions": "/opinions/",
    "ngo": "/ngo/",
    "licensing": "/licensing/",
    "resend-confirmation": "/accounts/confirm/resend/",
    "password-reset": "/accounts/password/reset/",
    "password-reset-sent": "/accounts/password/reset/sent/",
    "confirm-invalid": "/accounts/confirm/MQ/bad-token/",
    "password-reset-invalid": "/accounts/password/reset/MQ/bad-token/",
    "not-found": "/no-such-page/",
    "deadlines": "/deadlines/",
    "licence-register": "/licensing/register/",
    "track": "/track/",
    "satisfaction": "/satisfaction/",
    "deadline-result": "/deadlines/?start=2026-09-18&days=20&unit=working",
    "deadline-errors": "/deadlines/?start=2026-02-30&days=0&unit=working",
}


@pytest.mark.parametrize("language", ["zh-hans", "en"], ids=["zh", "en"])
def test_public_pages(live_server, page, check_page, language):
    make_department(window_location="一楼 A 区 3 号窗口", window_location_en="Ground floor, area A, window 3")
    if language != "zh-hans":
        page.goto(live_server.url + "/about/")
        switch_language(page, language)
    failures = []
    for name, path in PUBLIC_PAGES.items():
        page.goto(live_server.url + path)
        expect_language(page, language)
        expect(page.locator("main h1")).to_have_count(1)
        try:
            check_page(page, name)
        except pytest.fail.Exception as failure:
            failures.append(str(failure))
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


def test_signed_in_pages(live_server, page, check_page):
    user = make_user()
    page.goto(live_server.url + "/accounts/login/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()
    expect(page).to_have_url(live_server.url + "/accounts/profile/")

    # The profile form with an error.
    form = page.locator("main form[method=post]")
    form.locator("input[name=phone]").fill("12345")
    form.locator("[name=submit]").click()
    expect(page.locator("#id_phone_error")).to_be_visible()
    check_page(page, "profile-errors")

    page.goto(live_server.url + "/accounts/password/")
    expect(page.locator("main input[name=old_password]")).to_be_visible()
    check_page(page, "password-change")

    # The inbox: a notice from the header link, read, then the list with nothing unread.
    Notification.queue(recipient=user, template="accounts/email/welcome", url=live_server.url + "/accounts/profile/")
    page.goto(live_server.url + "/")
    page.locator("header a[href='/accounts/inbox/']").click()
    expect(page.locator("main .list-group-item")).to_have_count(1)
    check_page(page, "inbox")
    page.locator("main .list-group-item a").click()
    expect(page.locator("main h1")).to_contain_text("示范区市民服务中心")
    check_page(page, "notification")
    page.goto(live_server.url + "/accounts/inbox/")
    expect(page.locator("main .fw-bold")).to_have_count(0)
