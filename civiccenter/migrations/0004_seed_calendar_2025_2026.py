"""The official holiday schedules for 2025 and 2026 (prc-rules.md §9).

Staff enter later years in the admin when the State Council publishes them
(each November or December).
"""

from datetime import date, timedelta

from django.db import migrations

# (first day off, last day off, name, English name, [adjusted working days])
SCHEDULES = {
    2025: (
        "国务院办公厅关于2025年部分节假日安排的通知（2024-11-12）",
        [
            (date(2025, 1, 1), date(2025, 1, 1), "元旦", "New Year's Day", []),
            (date(2025, 1, 28), date(2025, 2, 4), "春节", "Spring Festival", [date(2025, 1, 26), date(2025, 2, 8)]),
            (date(2025, 4, 4), date(2025, 4, 6), "清明节", "Qingming Festival", []),
            (date(2025, 5, 1), date(2025, 5, 5), "劳动节", "Labour Day", [date(2025, 4, 27)]),
            (date(2025, 5, 31), date(2025, 6, 2), "端午节", "Dragon Boat Festival", []),
            (
                date(2025, 10, 1),
                date(2025, 10, 8),
                "国庆节、中秋节",
                "National Day and Mid-Autumn Festival",
                [date(2025, 9, 28), date(2025, 10, 11)],
            ),
        ],
    ),
    2026: (
        "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）",
        [
            (date(2026, 1, 1), date(2026, 1, 3), "元旦", "New Year's Day", [date(2026, 1, 4)]),
            (date(2026, 2, 15), date(2026, 2, 23), "春节", "Spring Festival", [date(2026, 2, 14), date(2026, 2, 28)]),
            (date(2026, 4, 4), date(2026, 4, 6), "清明节", "Qingming Festival", []),
            (date(2026, 5, 1), date(2026, 5, 5), "劳动节", "Labour Day", [date(2026, 5, 9)]),
            (date(2026, 6, 19), date(2026, 6, 21), "端午节", "Dragon Boat Festival", []),
            (date(2026, 9, 25), date(2026, 9, 27), "中秋节", "Mid-Autumn Festival", []),
            (date(2026, 10, 1), date(2026, 10, 7), "国庆节", "National Day", [date(2026, 9, 20), date(2026, 10, 10)]),
        ],
    ),
}


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("civiccenter", "CalendarYear")
    CalendarDay = apps.get_model("civiccenter", "CalendarDay")
    for year, (notice, holidays) in SCHEDULES.items():
        CalendarYear.objects.get_or_create(year=year, defaults={"notice": notice})
        for first, last, name, name_en, adjusted in holidays:
            day = first
            while day <= last:
                CalendarDay.objects.get_or_create(
                    date=day, defaults={"kind": "holiday", "name": name, "name_en": name_en}
                )
                day += timedelta(days=1)
            for workday in adjusted:
                CalendarDay.objects.get_or_create(
                    date=workday,
                    defaults={"kind": "workday", "name": f"{name}调休上班", "name_en": f"{name_en} (adjusted working day)"},
                )


def unseed(apps, schema_editor):
    apps.get_model("civiccenter", "CalendarDay").objects.filter(date__year__in=SCHEDULES).delete()
    apps.get_model("civiccenter", "CalendarYear").objects.filter(year__in=SCHEDULES).delete()


class Migration(migrations.Migration):
    dependencies = [("civiccenter", "0003_work_calendar")]

    operations = [migrations.RunPython(seed, unseed)]
