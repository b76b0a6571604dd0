"""Signing in, in Chinese and in English, with JavaScript on and off."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user

from .helpers import expect_language, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["zh-hans", "en"], ids=["zh", "en"])
def test_signin(live_server, request, check_page, language, javascript):
    # axe-core needs JavaScript: pages are checked in the JavaScript run only.
    page = request.getfixturevalue("page" if javascript else "nojs_page")
    user = make_user(full_name="张明" if language == "zh-hans" else "Zhang Ming")

    page.goto(live_server.url + "/")
    if not javascript:  # make sure that JavaScript really is off
        page.add_script_tag(content="document.documentElement.dataset.scripts = 'ran'")
        expect(page.locator("html")).not_to_have_attribute("data-scripts", "ran")
    if language != "zh-hans":
        switch_language(page, language)
    page.locator("header a[href='/accounts/login/']").click()
    expect(page).to_have_url(live_server.url + "/accounts/login/")
    expect_language(page, language)
    form = page.locator("main form[method=post]")
    if language == "en":
        expect(page.locator("main h1")).to_have_text("Sign in")
    if javascript:
        check_page(page, "signin")

    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD.upper())
    form.locator("[name=submit]").click()
    expect(page).to_have_url(live_server.url + "/accounts/login/")
    error = form.locator(".alert-danger")
    expect(error).to_be_visible()
    if language == "en":
        expect(error).to_contain_text("The e-mail address or the password is not right.")
    expect(page.locator("header")).not_to_contain_text(user.full_name)
    if javascript:
        check_page(page, "wrong-password")

    expect(form.locator("input[name=username]")).to_have_value(user.email)  # kept for the next try
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()
    expect(page).to_have_url(live_server.url + "/accounts/profile/")
    expect_language(page, language)
    expect(page.locator("header")).to_contain_text(user.full_name)
    expect(page.locator("main")).to_contain_text(user.email)
    expect(page.locator("main input[name=phone]")).to_have_value(user.phone)
    if language == "en":
        expect(page.locator("main h1")).to_have_text("My account")
    if javascript:
        check_page(page, "profile")

    # Signing out (a form in the header) brings back the signed-out header.
    page.locator("header form[action='/accounts/logout/'] button[type=submit]").click()
    expect(page.locator("header a[href='/accounts/login/']")).to_be_visible()
    expect_language(page, language)
