"""The statutory days off of 全国年节及纪念日放假办法, computed for any year (lunar dates from lunar_python)."""

from datetime import date

from civiccenter.lib.holidays import statutory_days_off


def test_the_13_days_off_of_the_2024_revision_art_2():
    """From 2025: New Year 1, Spring Festival 4 (the eve and 1-3 of the first month), Qingming 1, Labour Day 2,
    Dragon Boat 1, Mid-Autumn 1, National Day 3."""
    days = statutory_days_off(2027)
    assert sorted(days) == [
        date(2027, 1, 1),
        date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8),
        date(2027, 4, 5),
        date(2027, 5, 1), date(2027, 5, 2),
        date(2027, 6, 9),
        date(2027, 9, 15),
        date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3),
    ]  # fmt: skip
    assert days[date(2027, 2, 5)] == ("春节", "Spring Festival")
    assert days[date(2027, 9, 15)] == ("中秋节", "Mid-Autumn Festival")


def test_the_computed_days_match_the_2026_notice():
    """Every statutory day of 2026 is among the days off of the State Council's notice for 2026 (prc-rules §9)."""
    days = statutory_days_off(2026)
    assert len(days) == 13
    assert {date(2026, 2, 16), date(2026, 2, 17), date(2026, 4, 5), date(2026, 6, 19), date(2026, 9, 25)} <= set(days)


def test_before_2025_the_2013_text_gave_11_days():
    days = statutory_days_off(2024)
    assert len(days) == 11 and date(2024, 2, 9) not in days and date(2024, 5, 2) not in days  # no eve, one May day
