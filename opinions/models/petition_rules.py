"""The numbers of the Letters and Visits Regulations (2022) a petition moves by, and the fingerprint of a matter.

All periods are calendar days (prc-rules.md §3), counted by the shared engine. Used by `Petition` (petitions.py)
and its moves (petition_moves.py).
"""

import hashlib
import re
from datetime import date

from civiccenter.lib import workdays
from civiccenter.models import CalendarDay

DECIDE_DAYS = 15  # Art. 22-23
HANDLE_DAYS = 60  # Art. 34
MAX_EXTENSION_DAYS = 30  # Art. 34
REVIEW_REQUEST_DAYS = REVIEW_DAYS = 30  # Art. 35
REREVIEW_REQUEST_DAYS = REREVIEW_DAYS = 30  # Art. 36
MAX_REPRESENTATIVES = 5  # Art. 20

_NOT_WORD = re.compile(r"[\W_]+")


def _normal(text: str) -> str:
    return _NOT_WORD.sub("", (text or "").casefold())


def matter_fingerprint(name: str, address: str, request: str) -> str:
    """The same petitioner (name and address) with the same request, whatever the spacing or punctuation."""
    return hashlib.sha256("\x1f".join(_normal(v) for v in (name, address, request)).encode()).hexdigest()


def period_end(start: date, days: int, calendar=None) -> date:
    """The last day of a period of calendar days after `start` (the engine's rules, no pause)."""
    calendar = calendar or CalendarDay.objects.work_calendar()
    return workdays.compute(calendar, start, days, workdays.CALENDAR).due
