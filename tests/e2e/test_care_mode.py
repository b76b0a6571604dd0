"""The elderly-friendly large-text mode (关怀版): a button in the header, kept across pages."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def root_font_size(page):
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_care_mode(live_server, page, check_page):
    page.goto(live_server.url + "/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(html).not_to_have_class("care-mode")
    normal_size = root_font_size(page)

    # The button is labelled in Chinese by default ("Large text (care mode)" in English).
    care_mode_form = page.locator("header form:has(input[name=care_mode])")
    button = care_mode_form.locator("button[type=submit]")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()

    expect(html).to_have_class("care-mode")
    expect(page).to_have_url(live_server.url + "/")  # back on the same page
    assert root_font_size(page) > normal_size
    expect(button).to_have_attribute("aria-pressed", "true")
    check_page(page, "care-mode")

    # Kept across page loads.
    page.reload()
    expect(html).to_have_class("care-mode")
    page.goto(live_server.url + "/accounts/signup/")
    expect(html).to_have_class("care-mode")

    # And switched off the same way.
    button.click()
    expect(html).not_to_have_class("care-mode")
    expect(page).to_have_url(live_server.url + "/accounts/signup/")
    page.reload()
    expect(html).not_to_have_class("care-mode")
    assert root_font_size(page) == normal_size
