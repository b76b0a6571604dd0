"""The public deadline calculator, used as a citizen would: from the footer, with the keyboard-fillable form."""

import pytest
from playwright.sync_api import expect

from .helpers import switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_calculator_from_the_footer_in_both_languages(live_server, page, check_page):
    page.goto(live_server.url + "/")
    page.locator("footer a[href='/deadlines/']").click()
    form = page.locator("main form")
    form.locator("input[name=start]").fill("2026-09-18")
    form.locator("input[name=days]").fill("20")
    form.locator("input[name=unit][value=working]").check()
    form.locator("[type=submit]").click()

    due = page.locator("time.due-date")
    expect(due).to_have_attribute("datetime", "2026-10-22")
    expect(page.locator("main table")).to_contain_text("中秋节")
    assert "start=2026-09-18" in page.url  # a shareable, bookmarkable URL
    check_page(page, "zh-result")

    switch_language(page, "en")
    expect(page.locator("time.due-date")).to_have_attribute("datetime", "2026-10-22")
    expect(page.locator("main table")).to_contain_text("Mid-Autumn Festival")

    form = page.locator("main form")
    form.locator("input[name=start]").fill("2026-09-03")
    form.locator("input[name=days]").fill("30")
    form.locator("input[name=unit][value=calendar]").check()
    form.locator("[type=submit]").click()
    expect(page.locator("time.due-date")).to_have_attribute("datetime", "2026-10-08")
    check_page(page, "en-calendar")


def test_calculator_without_javascript_and_with_bad_input(live_server, nojs_page):
    page = nojs_page
    page.goto(live_server.url + "/deadlines/?start=2026-02-30&days=0&unit=working")
    expect(page.locator("time.due-date")).to_have_count(0)
    expect(page.locator("#id_start.is-invalid, #id_days.is-invalid")).to_have_count(2)
