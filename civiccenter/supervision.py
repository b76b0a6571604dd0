"""Supervision of deadlines: open, due soon, overdue, on-time rate and median handling time, per department."""

import statistics
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from civiccenter.cases import Case
from civiccenter.lib import clock, workdays
from civiccenter.models import CalendarDay, Department

DUE_SOON_WORKING_DAYS = 3


def figures(user, *, start: date, end: date, today: date | None = None):
    """One row per department the user may see; four queries whatever the number of cases."""
    today = today or clock.today()
    soon = workdays.compute(CalendarDay.objects.work_calendar(), today, DUE_SOON_WORKING_DAYS).due
    cases = Case.objects.visible_to(user)
    open_counts = {
        row["department"]: row
        for row in cases.open()
        .values("department")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            due_soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
        )
    }
    closed = cases.filter(closed_at__date__gte=start, closed_at__date__lte=end).values_list(
        "department", "received_on", "closed_at", "due_at_close"
    )
    handled, on_time, timed = {}, {}, {}
    for department, received_on, closed_at, due in closed:
        days = (timezone.localtime(closed_at).date() - received_on).days if received_on else None
        if days is not None:
            handled.setdefault(department, []).append(days)
        if due is not None:
            timed[department] = timed.get(department, 0) + 1
            on_time[department] = on_time.get(department, 0) + (timezone.localtime(closed_at).date() <= due)
    rows = []
    for department in Department.objects.visible_to(user):
        counts = open_counts.get(department.pk, {})
        durations = handled.get(department.pk, [])
        rows.append(
            {
                "department": department,
                "open": counts.get("open", 0),
                "due_soon": counts.get("due_soon", 0),
                "overdue": counts.get("overdue", 0),
                "closed": len(durations),
                "on_time_rate": round(100 * on_time.get(department.pk, 0) / timed[department.pk])
                if timed.get(department.pk)
                else None,
                "median_days": statistics.median(durations) if durations else None,
            }
        )
    return rows, soon


def late_cases(user, *, today=None, soon=None, limit=50):
    today = today or clock.today()
    return (
        Case.objects.visible_to(user)
        .open()
        .filter(due_date__lte=soon or today)
        .select_related("department")
        .order_by("due_date")[:limit]
    )


# The header is kept as these keys (not translated labels): the file is read by scripts as well as by people.
CSV_HEADER = ["department", "open", "due_soon", "overdue", "closed_in_period", "on_time_rate_percent", "median_days"]


def csv_rows(rows):
    for row in rows:
        yield [
            row["department"].name,
            row["open"],
            row["due_soon"],
            row["overdue"],
            row["closed"],
            row["on_time_rate"],
            row["median_days"],
        ]


def default_period(today=None):
    today = today or clock.today()
    return today - timedelta(days=30), today
