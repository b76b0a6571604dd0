"""Signing up as a citizen or as an organization representative, in Chinese and in English."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from civiccenter.models import User

from .helpers import expect_language, path_of, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lantern-river-8-plum"
FIELDS = ["account_type", "full_name", "email", "phone", "password1", "password2", "privacy_consent"]
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm/[^/\s]+/[^/\s]+/")


@pytest.mark.parametrize(
    ("language", "account_type", "full_name"),
    [
        ("zh-hans", User.AccountType.CITIZEN, "张明"),
        ("zh-hans", User.AccountType.ORGANIZATION, "欧阳·晓丽"),
        ("en", User.AccountType.CITIZEN, "Emma O'Brien"),
        ("en", User.AccountType.ORGANIZATION, "Li Hua"),
    ],
    ids=["zh-citizen", "zh-organization", "en-citizen", "en-organization"],
)
def test_signup_and_confirm(live_server, page, check_page, mailoutbox, language, account_type, full_name):
    email = f"{account_type}.{language}@example.cn"
    page.goto(live_server.url + "/")
    if language != "zh-hans":
        switch_language(page, language)
    page.locator("header a[href='/accounts/signup/']").click()
    expect(page).to_have_url(live_server.url + "/accounts/signup/")
    expect_language(page, language)
    form = page.locator("main form[method=post]")
    check_page(page, "empty-form")

    # Empty: the browser's own validation stops it first (required fields)...
    assert form.evaluate("f => f.checkValidity()") is False
    # ...and the server must refuse it on its own, with every error shown next to its field.
    form.evaluate("f => { f.noValidate = true; }")
    form.locator("[name=submit]").click()
    expect(page).to_have_url(live_server.url + "/accounts/signup/")
    for field in FIELDS:
        expect(page.locator(f"#id_{field}_error")).to_be_visible()
    expect(form.locator("input[name=full_name]")).to_have_attribute("aria-invalid", "true")
    if language == "en":
        expect(page.locator("#id_privacy_consent_error")).to_have_text(
            "Please read and accept the privacy notice to create an account."
        )
    assert not User.objects.exists()
    assert mailoutbox == []
    check_page(page, "errors")

    form.locator(f"input[name=account_type][value={account_type}]").check()
    form.locator("input[name=full_name]").fill(full_name)
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=phone]").fill("138 0013 8000")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("input[name=privacy_consent]").check()
    form.locator("[name=submit]").click()

    expect(page).to_have_url(live_server.url + "/accounts/signup/sent/")
    expect_language(page, language)
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text(email)
    if language == "en":
        expect(page.locator("main h1")).to_have_text("Check your e-mail")
    check_page(page, "check-your-email")

    user = User.objects.get(email=email)
    assert (user.account_type, user.full_name, user.phone, user.language) == (
        account_type,
        full_name,
        "13800138000",
        language,
    )
    assert not user.email_confirmed
    call_command("send_notifications")  # the outbox worker delivers the confirmation
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [email]
    if language == "en":
        assert message.subject == "Confirm your e-mail address"
    link = CONFIRM_LINK.search(message.body).group(0)

    page.goto(link)
    expect(page).to_have_url(live_server.url + "/accounts/profile/")
    expect_language(page, language)
    expect(page.locator("header")).to_contain_text(full_name)  # signed in
    expect(page.locator(".messages .alert-success")).to_be_visible()
    expect(page.locator("main input[name=full_name]")).to_have_value(full_name)
    user.refresh_from_db()
    assert user.email_confirmed
    check_page(page, "confirmed-profile")

    # The link works once only.
    assert page.goto(link).status == 400
    assert path_of(page).startswith("/accounts/confirm/")
