"""The statutory clock: working and calendar days over China's official holiday schedule.

Pure functions over a `WorkCalendar` value, so they are tested with exact
dates and no database. `civiccenter.models.CalendarDay.objects.work_calendar()`
builds the value from the admin-editable calendar.

Rules (prc-rules.md §9):
- Adding N days never counts the start day.
- Working days are Monday to Friday, minus statutory days off, plus the
  adjusted working weekend days (调休上班日) of the State Council's notice.
- A calendar-day period whose last day is not a working day (a weekend or a
  holiday) ends on the next working day (Civil Code Art. 201–203).
- Past the last year whose schedule is loaded, only weekends and the statutory
  days off (computed, `civiccenter.lib.holidays`) are known: the result is
  marked provisional.
- Days inside a pause (correction notice, consultation, hearing, ...) do not
  count; an extension adds days in the clock's own unit after the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

WORKING = "working"
CALENDAR = "calendar"
UNITS = (WORKING, CALENDAR)

# How each day met on the way was treated, for the "how it was computed" view.
COUNTED = "counted"
COUNTED_ADJUSTED = "counted_adjusted"  # a weekend made a working day by the notice
SKIPPED_WEEKEND = "skipped_weekend"
SKIPPED_HOLIDAY = "skipped_holiday"
SKIPPED_PAUSED = "skipped_paused"
MOVED_TO_WORKING_DAY = "moved"  # calendar period ended on a day off


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # adjusted working weekend days
    years: frozenset[int] = frozenset()  # years whose official schedule is loaded
    names: dict[date, str] = field(default_factory=dict, compare=False, hash=False)

    def knows(self, day: date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def working_days_in_year(self, year: int) -> int:
        day, end, count = date(year, 1, 1), date(year, 12, 31), 0
        while day <= end:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count


@dataclass(frozen=True)
class Pause:
    """A stopped clock: from `start` (inclusive) to `end` (exclusive); `end=None` is still running."""

    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Step:
    day: date
    kind: str
    count: int | None = None  # the running count, for counted days
    name: str = ""  # the holiday's or adjusted day's name


@dataclass(frozen=True)
class Deadline:
    start: date
    days: int
    unit: str
    due: date | None  # None while an open pause stops the clock
    provisional: bool
    steps: tuple[Step, ...]
    extension: int = 0

    @property
    def paused(self) -> bool:
        return self.due is None


def _classify(calendar: WorkCalendar, day: date) -> str:
    if day in calendar.workdays:
        return COUNTED_ADJUSTED
    if day in calendar.holidays:
        return SKIPPED_HOLIDAY
    if day.weekday() >= 5:
        return SKIPPED_WEEKEND
    return COUNTED


def compute(
    calendar: WorkCalendar,
    start: date,
    days: int,
    unit: str = WORKING,
    *,
    pauses: Iterable[Pause] = (),
    extension: int = 0,
) -> Deadline:
    """The due date `days` (+ `extension`) working or calendar days after `start`."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}")
    if days < 0 or extension < 0:
        raise ValueError("days and extension must not be negative")
    pauses = tuple(pauses)
    total = days + extension
    steps: list[Step] = []
    provisional = False
    count = 0
    day = start
    if any(pause.end is None and pause.start <= start for pause in pauses):
        return Deadline(start, days, unit, None, False, (), extension)
    while count < total:
        day += timedelta(days=1)
        if any(pause.covers(day) for pause in pauses):
            if any(pause.end is None and pause.covers(day) for pause in pauses):
                # The clock is stopped with no end yet: no due date can be given.
                return Deadline(start, days, unit, None, provisional, tuple(steps), extension)
            steps.append(Step(day, SKIPPED_PAUSED))
            continue
        provisional |= not calendar.knows(day)
        kind = _classify(calendar, day)
        if unit == WORKING and kind in (SKIPPED_HOLIDAY, SKIPPED_WEEKEND):
            steps.append(Step(day, kind, name=calendar.names.get(day, "")))
            continue
        count += 1
        steps.append(Step(day, kind if unit == WORKING else COUNTED, count, calendar.names.get(day, "")))
    if unit == CALENDAR:
        # The last day falls on a day off: the period ends on the next working day.
        while not calendar.is_working_day(day) or any(pause.covers(day) for pause in pauses):
            day += timedelta(days=1)
            provisional |= not calendar.knows(day)
            steps.append(Step(day, MOVED_TO_WORKING_DAY, name=calendar.names.get(day, "")))
    return Deadline(start, days, unit, day, provisional, tuple(steps), extension)


def working_days_between(calendar: WorkCalendar, start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count
