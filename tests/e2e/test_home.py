"""The home page: Chinese by default, English through the language switch, and on a phone."""

import pytest
from playwright.sync_api import expect

from .helpers import CENTER_NAME_EN, CENTER_NAME_ZH, expect_language, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_in_chinese_then_english(live_server, page, check_page):
    # The context's browser asks for English (Accept-Language: en-US): the portal still answers in Chinese.
    page.goto(live_server.url + "/")
    expect_language(page, "zh-hans")
    heading = page.locator("main h1")
    expect(heading).to_be_visible()
    expect(heading).to_contain_text(CENTER_NAME_ZH)
    expect(page.locator("footer")).to_contain_text(CENTER_NAME_ZH)
    check_page(page, "zh")

    switch_language(page, "en")
    expect_language(page, "en")
    expect(page).to_have_url(live_server.url + "/")  # the switch brings the visitor back where they were
    expect(heading).to_have_text(f"Welcome to the {CENTER_NAME_EN}")
    expect(page.get_by_role("heading", name="What the center does for you")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    check_page(page, "en")

    # The choice sticks: the next page is English too, and switching back gives Chinese.
    page.goto(live_server.url + "/about/")
    expect_language(page, "en")
    switch_language(page, "zh-hans")
    expect_language(page, "zh-hans")


def test_home_on_a_phone(live_server, phone_page, check_page):
    page = phone_page
    page.goto(live_server.url + "/")
    expect_language(page, "zh-hans")
    expect(page.locator("main h1")).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling on a 390 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_page(page, "phone")
