"""The numbers of the Letters and Visits Regulations (2022) a petition moves by, the fingerprint of a matter, and
the keys that find the same matter in new words.

All periods are calendar days (prc-rules.md §3), counted by the shared engine. Used by `Petition` (petitions.py)
and its moves (petition_moves.py).

Likely the same matter (Art. 19, 36): the same petitioner, found by a keyed digest of the identity or phone number
(both are encrypted at rest, so the database compares digests, never numbers), or a request in other words, found
by the share of two-character pairs the requests have in common (the Jaccard similarity of the pairs of
civiccenter/lib/textsearch.py, computed in SQL by `opinions_pair_similarity`: no extension needed).
"""

import hashlib
import hmac
import re
from datetime import date

from django.conf import settings

from civiccenter.lib import textsearch, workdays
from civiccenter.models import CalendarDay

DECIDE_DAYS = 15  # Art. 22-23
HANDLE_DAYS = 60  # Art. 34
MAX_EXTENSION_DAYS = 30  # Art. 34
REVIEW_REQUEST_DAYS = REVIEW_DAYS = 30  # Art. 35
REREVIEW_REQUEST_DAYS = REREVIEW_DAYS = 30  # Art. 36
MAX_REPRESENTATIVES = 5  # Art. 20

_NOT_WORD = re.compile(r"[\W_]+")
_NOT_DIGIT = re.compile(r"\D+")

# Requests sharing at least this share of their pairs are offered to staff as likely the same matter: 要求 → 请求
# in a 15-character request keeps 14 of 16 pairs (0.88); two matters sharing 小区 and 请求 stay under 0.2.
SIMILAR_REQUEST = 0.5
MAX_PAIRS = 300  # a request is at most 2,000 characters; its first pairs say what it is about


def _normal(text: str) -> str:
    return _NOT_WORD.sub("", (text or "").casefold())


def matter_fingerprint(name: str, address: str, request: str) -> str:
    """The same petitioner (name and address) with the same request, whatever the spacing or punctuation."""
    return hashlib.sha256("\x1f".join(_normal(v) for v in (name, address, request)).encode()).hexdigest()


def period_end(start: date, days: int, calendar=None) -> date:
    """The last day of a period of calendar days after `start` (the engine's rules, no pause)."""
    calendar = calendar or CalendarDay.objects.work_calendar()
    return workdays.compute(calendar, start, days, workdays.CALENDAR).due


def identity_digest(kind: str, value: str) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY) of an identity ("id") or phone ("phone") number, "" for none.

    Spacing, case, and a +86 prefix on a mobile number do not change it."""
    if kind == "phone":
        value = _NOT_DIGIT.sub("", value or "")
        if len(value) == 13 and value.startswith("86"):
            value = value[2:]
    else:
        value = "".join((value or "").split()).upper()
    if not value:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"petition-{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def request_pairs(request: str) -> list[str]:
    """The distinct two-character pairs (and Latin words) of a request, sorted: what `SIMILAR_REQUEST` compares."""
    return sorted(set(textsearch.tokens(request)))[:MAX_PAIRS]


# The similarity of two sets of pairs: shared pairs over all pairs (0 to 1), in SQL (migration 0010).
PAIR_SIMILARITY_SQL = """
CREATE OR REPLACE FUNCTION opinions_pair_similarity(a text[], b text[]) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN u.n = 0 THEN 0 ELSE i.n::double precision / u.n END
    FROM (SELECT count(*) AS n FROM (SELECT unnest(a) INTERSECT SELECT unnest(b)) AS x) AS i,
         (SELECT count(*) AS n FROM (SELECT unnest(a) UNION SELECT unnest(b)) AS y) AS u
$$;
"""
