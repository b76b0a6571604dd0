"""The statutory clock with exact dates across the 2026 schedule (prc-rules.md §9)."""

from datetime import date

import pytest

from civiccenter.lib import workdays
from civiccenter.lib.workdays import CALENDAR, WORKING, Pause, WorkCalendar, compute


def days(first, last):
    from datetime import timedelta

    out, day = [], first
    while day <= last:
        out.append(day)
        day += timedelta(days=1)
    return out


# The 2026 notice of 2025-11-04, as the data migration loads it.
HOLIDAYS_2026 = frozenset(
    days(date(2026, 1, 1), date(2026, 1, 3))
    + days(date(2026, 2, 15), date(2026, 2, 23))
    + days(date(2026, 4, 4), date(2026, 4, 6))
    + days(date(2026, 5, 1), date(2026, 5, 5))
    + days(date(2026, 6, 19), date(2026, 6, 21))
    + days(date(2026, 9, 25), date(2026, 9, 27))
    + days(date(2026, 10, 1), date(2026, 10, 7))
)
WORKDAYS_2026 = frozenset(
    [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)]
)
CAL = WorkCalendar(HOLIDAYS_2026, WORKDAYS_2026, frozenset({2026}))


def test_2026_has_248_working_days():
    assert CAL.working_days_in_year(2026) == 248


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Licensing Law Art. 42 / OGI Art. 33: 20 working days across Mid-Autumn and National Day,
        # counting the adjusted working Sunday 20 Sep and Saturday 10 Oct.
        (date(2026, 9, 18), 20, date(2026, 10, 22)),
        # Across the Spring Festival, counting the adjusted working Saturday 28 Feb.
        (date(2026, 2, 9), 20, date(2026, 3, 13)),
        # Licensing Law Art. 32: 5 working days for a correction notice, across National Day.
        (date(2026, 9, 24), 5, date(2026, 10, 9)),
        # The start day is never counted, even on a working day.
        (date(2026, 11, 23), 1, date(2026, 11, 24)),
        # A Friday start: the weekend is skipped.
        (date(2026, 11, 20), 1, date(2026, 11, 23)),
        # Start on a holiday: counting begins with the next working day (the adjusted Sunday 4 Jan).
        (date(2026, 1, 1), 1, date(2026, 1, 4)),
    ],
)
def test_working_days_licensing_law_art_82(start, n, due):
    """Licensing Law Art. 82: time limits are working days, statutory holidays excluded."""
    result = compute(CAL, start, n, WORKING)
    assert result.due == due
    assert not result.provisional


def test_working_day_steps_explain_every_day():
    steps = {step.day: step.kind for step in compute(CAL, date(2026, 9, 18), 20).steps}
    assert steps[date(2026, 9, 19)] == workdays.SKIPPED_WEEKEND
    assert steps[date(2026, 9, 20)] == workdays.COUNTED_ADJUSTED
    assert steps[date(2026, 9, 25)] == workdays.SKIPPED_HOLIDAY
    assert steps[date(2026, 10, 10)] == workdays.COUNTED_ADJUSTED
    assert steps[date(2026, 10, 22)] == workdays.COUNTED
    counted = [s for s in compute(CAL, date(2026, 9, 18), 20).steps if s.count]
    assert [s.count for s in counted] == list(range(1, 21))


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # 信访工作条例 Art. 34: 60 calendar days ending on 1 May (Labour Day): moved to 6 May.
        (date(2026, 3, 2), 60, date(2026, 5, 6)),
        # Ends on Saturday 3 Oct (National Day): moves to Thursday 8 Oct.
        (date(2026, 9, 3), 30, date(2026, 10, 8)),
        # Ends on an ordinary Sunday: moves to Monday.
        (date(2026, 11, 1), 20, date(2026, 11, 23)),
        # Ends on the adjusted working Saturday 10 Oct: that is a working day, so it stands.
        (date(2026, 9, 10), 30, date(2026, 10, 10)),
        # Ends on a plain working day.
        (date(2026, 11, 2), 15, date(2026, 11, 17)),
    ],
)
def test_calendar_days_civil_code_art_203(start, n, due):
    """Civil Code Art. 201–203: start day not counted; a period ending on a day off ends on the next working day."""
    assert compute(CAL, start, n, CALENDAR).due == due


def test_sixty_calendar_days_from_2_march_land_in_the_labour_day_holiday():
    # 2 Mar + 60 days = 1 May (Labour Day, off until 5 May) -> Wednesday 6 May.
    result = compute(CAL, date(2026, 3, 2), 60, CALENDAR)
    assert result.due == date(2026, 5, 6)
    assert [s.kind for s in result.steps[-5:]] == [workdays.MOVED_TO_WORKING_DAY] * 5


def test_past_the_loaded_calendar_only_weekends_count_and_the_result_is_provisional():
    # 2027 is not loaded: 1 Jan 2027 (a Friday, surely a holiday) is counted as a working day.
    result = compute(CAL, date(2026, 12, 28), 5, WORKING)
    assert result.due == date(2027, 1, 4)
    assert result.provisional
    assert not compute(CAL, date(2026, 12, 1), 5, WORKING).provisional


def test_loading_the_next_year_changes_the_deadline_and_removes_provisional():
    with_2027 = WorkCalendar(HOLIDAYS_2026 | {date(2027, 1, 1)}, WORKDAYS_2026, frozenset({2026, 2027}))
    result = compute(with_2027, date(2026, 12, 28), 5, WORKING)
    assert result.due == date(2027, 1, 5)
    assert not result.provisional


def test_adding_a_holiday_moves_a_deadline():
    """What the recomputation of open deadlines relies on: the same inputs over a new calendar."""
    before = compute(CAL, date(2026, 11, 2), 10).due
    extra = WorkCalendar(HOLIDAYS_2026 | {date(2026, 11, 10)}, WORKDAYS_2026, frozenset({2026}))
    assert before == date(2026, 11, 16)
    assert compute(extra, date(2026, 11, 2), 10).due == date(2026, 11, 17)


def test_a_closed_pause_does_not_count():
    """OGI Art. 33 / Licensing Law Art. 45: consultation or expert time is not counted."""
    # 20 working days from Mon 2 Nov 2026 = Mon 30 Nov; a pause over the week of 9–13 Nov adds 5 working days.
    plain = compute(CAL, date(2026, 11, 2), 20)
    paused = compute(CAL, date(2026, 11, 2), 20, pauses=[Pause(date(2026, 11, 9), date(2026, 11, 14))])
    assert plain.due == date(2026, 11, 30)
    assert paused.due == date(2026, 12, 7)
    assert sum(1 for s in paused.steps if s.kind == workdays.SKIPPED_PAUSED) == 5


def test_an_open_pause_stops_the_clock():
    result = compute(CAL, date(2026, 11, 2), 20, pauses=[Pause(date(2026, 11, 9))])
    assert result.due is None and result.paused


def test_a_pause_from_the_start_stops_the_clock_at_once():
    assert compute(CAL, date(2026, 11, 2), 5, pauses=[Pause(date(2026, 11, 1))]).paused


def test_extension_adds_days_in_the_clocks_unit():
    """Licensing Law Art. 42: 20 working days, extended by 10 with approval."""
    extended = compute(CAL, date(2026, 9, 18), 20, extension=10)
    assert extended.due == date(2026, 11, 5)
    assert extended.extension == 10


def test_calendar_clock_pause_and_extension_together():
    """信访工作条例 Art. 34: 60 days + up to 30 more; the clock is paused for 3 days."""
    result = compute(
        CAL, date(2026, 6, 1), 60, CALENDAR, pauses=[Pause(date(2026, 6, 10), date(2026, 6, 13))], extension=30
    )
    # 1 Jun + 90 counted days + 3 paused = 2 Sep 2026 (a Wednesday).
    assert result.due == date(2026, 9, 2)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        compute(CAL, date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        compute(CAL, date(2026, 1, 1), 5, "hours")


def test_working_days_between():
    assert workdays.working_days_between(CAL, date(2026, 9, 24), date(2026, 10, 9)) == 5
    assert workdays.working_days_between(CAL, date(2026, 10, 9), date(2026, 9, 24)) == 0
