"""The demo: data files for every app, loaded through the apps' real open and transition methods.

`make run` loads it with `manage.py seed_demo`. Each app names its parts on its
AppConfig (`demo_parts`, dotted paths into this package, read by
`civiccenter/parts.py`), so the core imports neither the apps nor this package.

Layout: `demo/<app>/<part>.py` is a loader, `seed(stdout=None) -> int`, and
`demo/<app>/<part>.toml` (or several files) its content: people, texts, and each
case's story as steps. Nothing of the content is a Python literal. A loader
creates every case and every object with a status by the app's real methods
(`submit`, `register`, the workflow's moves), each inside
`civiccenter.lib.clock.at(the moment it happened)`, never later than the moment
of loading: the moves date the timeline, the clock and the notices themselves,
so a timeline never runs backwards whatever the day and the hour of loading,
and nothing is re-dated afterwards (held by tests/architecture).

Dates in the files are TOML dates (fixed: `2025-03-10`) or days relative to
the loading day (`days_ago = 12`, counted in calendar days); `when()` reads
either. Loaders are idempotent: a second run adds nothing.
"""

import tomllib
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

from django.utils import timezone

from civiccenter.lib import clock

ROOT = Path(__file__).resolve().parent


@cache
def _read(path):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def load(app, name):
    """The content of `demo/<app>/<name>.toml`, as a dict (read once per process)."""
    return _read(ROOT / app / f"{name}.toml")


def today():
    """The loading day in the portal's time zone (Beijing)."""
    return clock.today()


def when(value, *, base=None):
    """A day from a data file: a TOML date as it is, or `{days_ago = N}` / an int N counted back from today."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, dict):
        value = value["days_ago"]
    return (base or today()) - timedelta(days=int(value))


def moment(day, hour=9, minute=0):
    """An aware datetime on `day` at the given local time, never later than now (an event is not in the future)."""
    at = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    return min(at, clock.now())
