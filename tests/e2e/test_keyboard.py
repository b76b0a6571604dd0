"""Keyboard use: the skip link comes first and moves focus to the main content."""

import pytest
from playwright.sync_api import expect

from .helpers import switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["zh-hans", "en"], ids=["zh", "en"])
def test_skip_link_is_the_first_tab_stop(live_server, page, language):
    if language != "zh-hans":
        page.goto(live_server.url + "/")
        switch_language(page, language)
    page.goto(live_server.url + "/")  # a fresh load: focus starts at the top of the document

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_be_in_viewport()  # hidden until focused, then visible
    expect(skip_link).not_to_be_empty()
    if language == "en":
        expect(skip_link).to_have_text("Skip to main content")

    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes on from the main content, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), page.evaluate(
        "document.activeElement.outerHTML"
    )
