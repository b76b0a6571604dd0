"""Scrubbing personal details out of text before it is published (PIPL Art. 25; prc-rules.md §10).

People type their phone number, identity number or e-mail address into free
text ("please call me on 138-1234-5678"). Before anything a citizen wrote is
published, `scrub()` masks them, following the usual conventions: mobiles
`138****5678`, landlines `0571-********`, identity numbers `330106********123X`,
long digit runs (bank cards) all but the last 4 digits, e-mail addresses
`z***@example.cn`, and given names `张*`. Staff review the result before
publishing; the publishing code runs `scrub()` again over what staff approved,
so a number re-typed during review cannot slip through.

Matching is done on a copy where full-width digits and letters (１３８, ＠) are
folded to ASCII one character at a time, so positions still line up with the
original text and only the matched parts change.
"""

import re
import unicodedata
from dataclasses import dataclass, field

# mask_name is imported from here by the apps that publish texts.
from civiccenter.lib.masking import mask_id_number, mask_name, mask_phone  # noqa: F401

PHONE, LANDLINE, ID_NUMBER, LONG_NUMBER, EMAIL, NAME = "phone", "landline", "id_number", "long_number", "email", "name"

_SEP = r"[\s\-\u2010-\u2015.]?"  # space, hyphen, dashes or a dot between groups of digits
_NOT_DIGIT_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_DIGIT_AFTER = r"(?![0-9A-Za-z])"

PATTERNS = [
    (EMAIL, re.compile(r"[A-Za-z0-9._%+\-]+\s?@\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")),
    # 18 characters (GB 11643-1999: 6 region + 8 birth date + 3 sequence + check digit or X), or the old 15 digits;
    # people group them 6-8-4.
    (
        ID_NUMBER,
        re.compile(
            _NOT_DIGIT_BEFORE
            + rf"(?:\d{{6}}{_SEP}\d{{8}}{_SEP}\d{{3}}[0-9Xx]|\d{{6}}{_SEP}\d{{6}}{_SEP}\d{{3}})"
            + _NOT_DIGIT_AFTER
        ),
    ),
    # Mainland mobiles, with or without +86 / 0086 / (+86), grouped 3-4-4 or not.
    (
        PHONE,
        re.compile(
            r"(?:(?:\+|00)\s?86[\s\-]?|\(\s?\+?86\s?\)\s?|(?<![0-9])86[\s\-]|(?<![0-9A-Za-z])(?<![0-9][\s\-.]))"
            + rf"1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}"
            + _NOT_DIGIT_AFTER
        ),
    ),
    # Landlines with their area code: 0571-86010101, (0571) 8601 0101, 010 12345678, +86 571 86010101, ext.
    (
        LANDLINE,
        re.compile(
            r"(?:(?:\+|00)\s?86[\s\-]?\(?0?\d{2,3}\)?|\(0\d{2,3}\)|(?<![0-9A-Za-z])(?<![0-9][\s\-.])0\d{2,3})"
            + rf"{_SEP}\d{{3,4}}{_SEP}\d{{4}}"
            + r"(?:\s?(?:转|ext\.?|x|-)\s?\d{1,6})?"
            + _NOT_DIGIT_AFTER
        ),
    ),
    # Bank cards and any other long personal number: 12 digits or more, in groups of 4 or not.
    (
        LONG_NUMBER,
        re.compile(_NOT_DIGIT_BEFORE + rf"\d{{4}}(?:{_SEP}\d{{4}}){{2,4}}(?:{_SEP}\d{{1,3}})?" + _NOT_DIGIT_AFTER),
    ),
    (LONG_NUMBER, re.compile(_NOT_DIGIT_BEFORE + r"\d{12,}" + _NOT_DIGIT_AFTER)),
]


@dataclass
class Finding:
    kind: str
    original: str
    replacement: str


@dataclass
class Scrubbed:
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.findings)


def _fold(text: str) -> str:
    """Full-width digits and letters to ASCII, character by character (positions are kept)."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def _mask(kind: str, original: str, folded: str) -> str:
    digits = re.sub(r"[^0-9Xx]", "", folded)
    if kind == EMAIL:
        local, _at, domain = re.sub(r"\s", "", folded).partition("@")
        return f"{local[:1]}***@{domain}"
    if kind == ID_NUMBER:
        return mask_id_number(digits)
    if kind == LONG_NUMBER:
        return "*" * (len(digits) - 4) + digits[-4:]
    if kind == PHONE:
        return mask_phone(digits)
    if kind == LANDLINE:
        rest = re.sub(r"^\s*(?:\+|00)\s?86", "", folded)
        area = re.search(r"\d{2,4}", rest).group(0)
        return f"{area if area.startswith('0') else '0' + area}-********"
    return "*" * len(original)


def scrub(text: str, *, names=()) -> Scrubbed:
    """Mask phone numbers, identity numbers, long numbers, e-mail addresses and the given `names` in `text`."""
    text = text or ""
    findings = []
    folded = _fold(text)
    for kind, pattern in PATTERNS:
        pieces, last = [], 0
        for match in pattern.finditer(folded):
            original = text[match.start() : match.end()]
            replacement = _mask(kind, original, match.group(0))
            findings.append(Finding(kind, original, replacement))
            pieces.append(text[last : match.start()])
            pieces.append(replacement)
            last = match.end()
        if pieces:
            pieces.append(text[last:])
            text = "".join(pieces)
            folded = _fold(text)
    for name in {n.strip() for n in names if n and len(n.strip()) >= 2}:
        if name in text:
            masked = mask_name(name)
            findings.append(Finding(NAME, name, masked))
            text = text.replace(name, masked)
    return Scrubbed(text, findings)


def scrub_text(text: str, *, names=()) -> str:
    return scrub(text, names=names).text


def contains_personal_details(text: str) -> bool:
    """True when `scrub()` would change something other than names (for tests and checks before publishing)."""
    return any(finding.kind != NAME for finding in scrub(text).findings)
