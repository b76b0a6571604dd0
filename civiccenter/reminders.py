"""The nightly deadline reminders to departments: a case's due date coming near, and once it is overdue.

How near is a property of the rule that set the clock (`Case.clock_remind_days`, given with the clock by the app
from its own setting: the Open Government Information Regulations' requests 5 working days,
`DISCLOSURE_REMINDER_WORKING_DAYS`); a clock set without one is reminded `DEADLINE_REMINDER_WORKING_DAYS` (3)
working days before.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from civiccenter.cases import Case
from civiccenter.lib import workdays
from civiccenter.notifications import Notification
from civiccenter.people import User
from civiccenter.workcalendar import CalendarDay


def due_soon_condition(today, calendar=None):
    """Open cases whose due date is within their rule's reminder lead of `today` (one condition per lead in use)."""
    calendar = calendar or CalendarDay.objects.work_calendar()
    leads = set(
        Case.objects.open()
        .filter(due_date__gte=today)
        .order_by()
        .values_list("clock_remind_days", flat=True)
        .distinct()
    )
    condition = Q(pk__in=[])
    for lead in leads:
        days = settings.DEADLINE_REMINDER_WORKING_DAYS if lead is None else lead
        soon = workdays.compute(calendar, today, days).due
        rule = Q(clock_remind_days__isnull=True) if lead is None else Q(clock_remind_days=lead)
        condition |= rule & Q(due_date__lte=soon)
    return condition


def sweep_deadline_reminders(today) -> int:
    """Tell each department's staff of its cases due within their rule's lead time, and of those now overdue;
    once per due date (an extended or recomputed date is reminded again)."""
    cases = (
        Case.objects.open()
        .filter(due_date__isnull=False)
        .filter(
            Q(due_date__gte=today)
            & due_soon_condition(today)
            & (Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due_date")))
            | Q(due_date__lt=today) & (Q(overdue_notified_for__isnull=True) | ~Q(overdue_notified_for=F("due_date")))
        )
        .select_related("department")
    )
    staff = {}
    count = 0
    for case in cases:
        overdue = case.due_date < today
        field = "overdue_notified_for" if overdue else "reminded_for"
        with transaction.atomic():
            if not Case.objects.filter(pk=case.pk).exclude(**{field: case.due_date}).update(**{field: case.due_date}):
                continue
            if case.department_id not in staff:
                staff[case.department_id] = list(
                    User.objects.filter(department=case.department_id, is_staff=True, is_active=True)
                )
            for person in staff[case.department_id]:
                Notification.queue(
                    recipient=person,
                    template="civiccenter/email/deadline",
                    context={"case": case, "overdue": overdue},
                )
        count += 1
    return count
