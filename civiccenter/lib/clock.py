"""The portal's one clock: the moment and the day every move, default and deadline reads.

Everything outside this module asks `clock.now()` and `clock.today()` instead of
`django.utils.timezone`. Normally they are the real time. Inside `clock.at(moment)`
they are that moment, for the code that replays what happened on an earlier day:
the demo builds a year of cases through the real moves this way, each step on the
day it happened, and the timeline, closing times and deadlines follow without
being written afterwards. The setting is per thread and per task (a context
variable), so a request served at the same time never sees it.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_moment: ContextVar[datetime | None] = ContextVar("civiccenter_clock_moment", default=None)


def now() -> datetime:
    """The current moment (aware), or the moment set by `at`."""
    moment = _moment.get()
    return moment if moment is not None else timezone.now()


def today() -> date:
    """The current day in the portal's time zone (Beijing), or the day of the moment set by `at`."""
    return timezone.localdate(now())


@contextmanager
def at(moment: datetime):
    """Run the block as if it were `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _moment.set(moment)
    try:
        yield moment
    finally:
        _moment.reset(token)
