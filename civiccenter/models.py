"""The core's models, importable from here (Django's and the migrations' path); each is defined in its module.

`people` (departments, users), `workcalendar` (holidays and working days),
`notifications`, `cases`, `documents` (numbered and sealed documents) (the case machinery) and `stateful` (the status history of
everything that is not a case). Those modules import each other, never this one.
"""

from civiccenter.cases import Case, CaseEvent, CasePause, FollowUp, Rating, TrackingCounter
from civiccenter.documents import IssuedDocument
from civiccenter.notifications import Notification, NotificationQuerySet
from civiccenter.people import (
    Department,
    DepartmentQuerySet,
    DepartmentScopedQuerySet,
    User,
    UserManager,
    UserQuerySet,
)
from civiccenter.stateful import StatusEvent
from civiccenter.submissions import Submission
from civiccenter.workcalendar import CalendarDay, CalendarDayQuerySet, CalendarYear, CalendarYearQuerySet

__all__ = [
    "CalendarDay",
    "CalendarDayQuerySet",
    "CalendarYear",
    "CalendarYearQuerySet",
    "Case",
    "CaseEvent",
    "CasePause",
    "Department",
    "DepartmentQuerySet",
    "DepartmentScopedQuerySet",
    "FollowUp",
    "IssuedDocument",
    "Notification",
    "NotificationQuerySet",
    "Rating",
    "StatusEvent",
    "Submission",
    "TrackingCounter",
    "User",
    "UserManager",
    "UserQuerySet",
]
