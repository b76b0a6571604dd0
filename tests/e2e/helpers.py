"""What the browser tests share besides fixtures: the center's names and the language switch."""

import re

from django.conf import settings
from playwright.sync_api import Page, expect

# From settings.CENTER, so the assertions hold whatever the translations say.
CENTER_NAME_ZH = settings.CENTER["zh-hans"]["name"]  # 示范区市民服务中心
CENTER_NAME_EN = settings.CENTER["en"]["name"]  # Model District Citizen Service Center

HTML_LANG = {"zh-hans": "zh-CN", "en": "en"}


def switch_language(page: Page, code: str) -> None:
    """Choose a language with the switch in the header, as a visitor does (works without JavaScript)."""
    switch = page.locator("header form:has(select[name=language])")
    switch.locator("select[name=language]").select_option(code)
    switch.locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[code])


def expect_language(page: Page, code: str) -> None:
    """The page is in `code`: <html lang> and the center's name in the header."""
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[code])
    name = CENTER_NAME_EN if code == "en" else CENTER_NAME_ZH
    expect(page.locator("header .site-name")).to_have_text(name)


def path_of(page: Page) -> str:
    """The path of the page's URL (no scheme, host, query or fragment)."""
    return re.sub(r"^[a-z]+://[^/]+", "", page.url).split("?")[0].split("#")[0]
