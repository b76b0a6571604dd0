"""The hostile-input corpus and the machinery that sends it: every URL pattern with malformed values, every query
parameter the code reads, every form a visitor, a citizen, an organization, a clerk or a superuser can reach.

Used by test_hostile_input.py. Everything is deterministic: the same requests in the same order on every run.
"""

import re
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

BASE_DIR = Path(settings.BASE_DIR)
PROJECT_PACKAGES = ("civiccenter", "licensing", "disclosure", "consultation", "hearings", "opinions", "ngo")

# The corpus. Bytes are sent as they are (percent-encoded), so b"\xff" is invalid UTF-8 on the wire.
LONG = "长" * 2500 + "x" * 2500
PAYLOADS = (
    LONG,
    "a\x00b",
    b"\xff\xfe\xc3(",
    "' OR '1'='1' --",
    "'; DROP TABLE civiccenter_user; --",
    "{{ 7|add:7 }}{% debug %}${7*7}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "99999999999999999999",
    "-99999999999999999999",
    "-1",
    "0",
    "1e309",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-02-30",
    "9999-W99",
    "9999-12-31T23:59",
    "\u202e\ufeff\u200b\U0001f4a9",
    "../../../../etc/passwd",
    "\r\nSet-Cookie: hostile=1",
    "%00%ff",
    " ",
)
# Values for the parts of a path: the converter's own shape at its extremes, and what it does not match.
PATH_VALUES = {
    "int": ("0", "99999999999999999999", "2147483648", "-1"),
    "slug": ("%00", "%ff", "a" * 5000, "x--", "%27%3B%20DROP%20TABLE%20x%3B--"),
    "str": (
        "%00",
        "%ff%fe",
        "%7B%7B7*7%7D%7D",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "a" * 5000,
        "%27%20OR%201%3D1--",
    ),
    "path": ("%00", "%ff", "..%2F..%2Fetc%2Fpasswd", "1%2F2%2F3", "a" * 5000, "%7B%7B7*7%7D%7D"),
    "uuid": ("00000000-0000-0000-0000-000000000000", "%00"),
}
# Query parameters every page is sent, besides those the code reads (found in the source) and its GET forms' fields.
COMMON_PARAMETERS = ("q", "page", "p", "o", "day", "date", "start", "end", "year", "month", "week", "_popup")
SKIPPED_PATHS = re.compile(r"/logout/|/delete/|^/static/|^/media/|^/csp-report")


def sample(items, count, key):
    """`count` of `items`, the same for the same key on every run (crc32, not Python's salted hash)."""
    items = list(items)
    if len(items) <= count:
        return items
    start = zlib.crc32(key.encode()) % len(items)
    return [items[(start + step * (len(items) // count)) % len(items)] for step in range(count)]


def as_text(value):
    return value.decode("latin-1") if isinstance(value, bytes) else value


# Query parameters read by the code ---------------------------------------------------------------------------

_READ = re.compile(r"""\bGET(?:\.get|\.getlist)?[(\[]\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")


def parameters_read_in_code():
    names = set()
    for package in PROJECT_PACKAGES:
        for path in (BASE_DIR / package).rglob("*.py"):
            if "migrations" not in path.parts:
                names.update(_READ.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


def query(pairs):
    """A query string; bytes values are percent-encoded as they are (invalid UTF-8 stays invalid)."""
    return urlencode([(name, value) for name, value in pairs], quote_via=quote)


# URL patterns ------------------------------------------------------------------------------------------------


@dataclass
class Pattern:
    route: str  # the whole pattern, e.g. "ngo/venues/<slug:slug>/book/"
    parts: list  # (name, kind) of each variable part


_ROUTE_PART = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")


def _as_route(pattern):
    """A pattern's text with its variable parts as <kind:name> (regex groups become <path:name>)."""
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "regex") and not hasattr(pattern.pattern, "converters"):
        text = _REGEX_GROUP.sub(lambda m: f"<path:{m.group('name')}>", text)
        text = text.lstrip("^").rstrip("$").replace("\\Z", "")
        text = re.sub(r"\\(.)", r"\1", text)
    return text


def url_patterns(patterns=None, prefix=""):
    """Every URL pattern of the project, admin included, with its variable parts."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + _as_route(entry)
        if isinstance(entry, URLResolver):
            found += url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            parts = [(m.group("name"), m.group("kind") or "str") for m in _ROUTE_PART.finditer(route)]
            found.append(Pattern(route, parts))
    return found


def fill(route, values):
    """The route with each variable part replaced by values[name]."""
    return "/" + _ROUTE_PART.sub(lambda m: values[m.group("name")], route)


def malformed_urls(pattern):
    """The pattern with each variable part in turn malformed, the others a plain value of their kind."""
    plain = {name: "1" if kind == "int" else "x" for name, kind in pattern.parts}
    urls = []
    for name, kind in pattern.parts:
        for value in PATH_VALUES.get(kind, PATH_VALUES["str"]):
            urls.append(fill(pattern.route, {**plain, name: value}))
    return urls


def route_of(path):
    """The route a path resolves to (one per URL pattern), or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.url_name or path


# Pages and their forms -----------------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list = field(default_factory=list)
    checked: bool = False
    required: bool = False


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    fields: list = field(default_factory=list)


class PageParser(HTMLParser):
    """The links (<a href>) and forms of a page, with each field's kind, value and options."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = Form(
                method=attrs.get("method", "get").lower(),
                action=attrs.get("action", ""),
                multipart="multipart" in attrs.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag in ("input", "button"):
            kind = attrs.get("type", "text" if tag == "input" else "submit").lower()
            self._form.fields.append(
                Field(
                    attrs["name"],
                    kind,
                    attrs.get("value", ""),
                    checked="checked" in attrs,
                    required="required" in attrs,
                )
            )
        elif tag == "select":
            self._select = Field(attrs["name"], "select", required="required" in attrs)
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(attrs["name"], "textarea", required="required" in attrs)
            self._form.fields.append(self._textarea)
        if tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select.value = attrs.get("value", "")
                self._select.checked = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse(html):
    parser = PageParser()
    parser.feed(html)
    return parser


def same_site_path(href, base):
    """The path and query of a link within the portal, or None for another site, an anchor or a mailto."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
        return None
    path = parts.path or urlsplit(base).path
    if not path.startswith("/"):
        path = urlsplit(base).path.rsplit("/", 1)[0] + "/" + path
    return path + ("?" + parts.query if parts.query else "")


# A plausible value per field, so that the form gets past its other fields and the hostile one is read in context.
PLAUSIBLE = {
    "email": "hostile@example.cn",
    "tel": "13800138000",
    "number": "1",
    "date": "2030-06-03",
    "datetime-local": "2030-06-03T10:00",
    "time": "10:00",
    "url": "https://example.cn/",
    "password": "",
}
PLAUSIBLE_TEXT = "测试内容：一段足够长的正常文字，用于检验表单 test content"


def baseline(form):
    """What a careful visitor would send: the page's own values, a plausible value where a field is empty."""
    pairs, files = [], {}
    seen_radio = set()
    for item in form.fields:
        if item.kind in ("submit", "button", "image", "reset"):
            continue
        if item.kind == "file":
            files[item.name] = ("document.pdf", b"%PDF-1.4 hostile garbage \x00\xff")
        elif item.kind == "checkbox":
            if item.checked or (item.required and "DELETE" not in item.name):
                pairs.append((item.name, item.value or "on"))
        elif item.kind == "radio":
            if item.name not in seen_radio and (
                item.checked or not any(f.checked for f in form.fields if f.name == item.name)
            ):
                pairs.append((item.name, item.value))
                seen_radio.add(item.name)
        elif item.kind == "select":
            value = item.value if item.checked else next((option for option in item.options if option), "")
            pairs.append((item.name, value))
        elif item.value or item.kind == "hidden":
            pairs.append((item.name, item.value))
        else:
            pairs.append((item.name, PLAUSIBLE.get(item.kind, PLAUSIBLE_TEXT)))
    # The first named submit button: views tell their actions apart by it.
    button = next((f for f in form.fields if f.kind == "submit"), None)
    if button is not None:
        pairs.append((button.name, button.value))
    return pairs, files


def target_fields(form):
    """The names a hostile value is put in: every field but the CSRF token, each name once."""
    names = []
    for item in form.fields:
        if item.name != "csrfmiddlewaretoken" and item.kind not in ("reset", "image") and item.name not in names:
            names.append(item.name)
    return names


def with_value(pairs, files, name, value):
    """The baseline with `name` set to `value` (a file field gets a file of that content and name)."""
    if name in files:
        text = as_text(value)
        return pairs, {**files, name: (f"{text[:200]}.pdf", value if isinstance(value, bytes) else value.encode())}
    replaced = [(key, value if key == name else old) for key, old in pairs]
    if name not in {key for key, _old in pairs}:
        replaced.append((name, value))
    return replaced, files
