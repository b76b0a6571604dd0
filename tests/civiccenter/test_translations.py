"""Chinese is the default language and must be complete."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.conftest import make_department

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Words that stay in Latin letters on a Chinese page.
# Atom: the feed format; App: as written in Chinese (政务App); https: the protocol, as written.
ALLOWED = {"English", "Bootstrap", "Atom", "App", "https"}


def untranslated_words(html):
    """Latin words on a Chinese page, outside markup, scripts, e-mail addresses and URLs."""
    body = html[html.index("<body") :]
    body = re.sub(r"<(script|style|code)[^>]*>.*?</\1>", " ", body, flags=re.S)  # code is no language
    text = re.sub(r"<[^>]+>|&#?\w+;", " ", body)
    # File names and stored paths (ngo/logos/3f2a.png), whatever their folders are called.
    text = re.sub(r"[\w./-]*\.(?:pdf|png|jpg|jpeg|csv|ics)(?![A-Za-z0-9])", " ", text)
    # Codes (tracking numbers, query codes, matter codes, PDF) are upper-case letters and digits,
    # also where they touch Chinese characters (no \b between 传 and P).
    text = re.sub(r"\S+@\S+|https?://\S+|(?<![A-Za-z0-9])[-0-9A-Z]*[A-Z]{2,}[-0-9A-Z]*(?![A-Za-z0-9])", " ", text)
    return {word for word in re.findall(r"[A-Za-z]{3,}", text)} - ALLOWED


def test_chinese_catalog_has_no_untranslated_or_fuzzy_entries():
    catalog = polib.pofile(str(CATALOG))
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []


def test_chinese_catalog_keeps_every_placeholder():
    for entry in polib.pofile(str(CATALOG)):
        placeholders = set(re.findall(r"%\(\w+\)[sd]", entry.msgid + entry.msgid_plural))
        for translation in [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values():
            assert set(re.findall(r"%\(\w+\)[sd]", translation)) == placeholders, entry.msgid


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/about/",
        "/contact/",
        "/privacy/",
        "/disclosure/",
        "/consultation/",
        "/hearings/",
        "/opinions/",
        "/ngo/",
        "/licensing/",
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/confirm/resend/",
        "/deadlines/",
        "/deadlines/?start=2026-09-18&days=20&unit=working",
        "/deadlines/?start=2026-09-18&days=1&unit=calendar",
    ],
)
def test_chinese_pages_contain_no_untranslated_english(client, url):
    make_department()
    words = untranslated_words(client.get(url).content.decode())
    assert words == set(), f"{url}: {sorted(words)[:10]}"
