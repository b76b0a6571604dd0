"""The statutory days off of 全国年节及纪念日放假办法, computed for any year (lunar dates included).

The State Council's yearly notice moves weekends around these days (调休) and is
entered in the admin as it appears; until it is, a year still has its statutory
days off, which the law fixes: never count them as working days. The 2024
revision (in force from 1 January 2025) gives 13 days: New Year's Day; the
Spring Festival eve and the first three days of the first lunar month; Qingming
(the day of the solar term); 1-2 May; the Dragon Boat Festival (5th of the 5th
lunar month); the Mid-Autumn Festival (15th of the 8th); 1-3 October. Before
2025 the 2013 text gave 11: the Spring Festival without its eve, 1 May alone.

Lunar dates and the solar term come from `lunar_python` (a port of the
lunar-java calendar library), not from tables written here.
"""

from datetime import date, timedelta
from functools import cache

from lunar_python import Lunar, Solar

REVISION_2024 = 2025  # the first year of the 2024 revision


def _solar(lunar_day):
    solar = lunar_day.getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@cache
def statutory_days_off(year: int) -> dict[date, tuple[str, str]]:
    """{day: (Chinese name, English name)} of `year`'s statutory days off (without the weekend adjustments)."""
    days = {date(year, 1, 1): ("元旦", "New Year's Day")}
    new_year = _solar(Lunar.fromYmd(year, 1, 1))
    spring = [new_year + timedelta(days=n) for n in range(3)]
    if year >= REVISION_2024:
        spring.insert(0, new_year - timedelta(days=1))  # the eve (除夕), the last day of the 12th month
    days.update((day, ("春节", "Spring Festival")) for day in spring)
    qingming = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    days[date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = ("清明节", "Qingming Festival")
    labour = [date(year, 5, 1), date(year, 5, 2)] if year >= REVISION_2024 else [date(year, 5, 1)]
    days.update((day, ("劳动节", "Labour Day")) for day in labour)
    days[_solar(Lunar.fromYmd(year, 5, 5))] = ("端午节", "Dragon Boat Festival")
    days[_solar(Lunar.fromYmd(year, 8, 15))] = ("中秋节", "Mid-Autumn Festival")
    days.update((date(year, 10, n), ("国庆节", "National Day")) for n in (1, 2, 3))
    return days
