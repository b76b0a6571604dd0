"""The urgency of a complaint or request for help (prc-rules §7, the 12345 hotline rules, 国办发〔2020〕53号).

A submitter or the staff member registering a call chooses normal, urgent or emergency for a complaint or a
request for help (never for a suggestion or a report). An urgent case has the category's shorter time limit; an
emergency the shortest, and its handling department's duty contact is told at once ("emergencies are passed on
immediately"), or, when the department has no duty contact, its staff who handle opinions. Staff change the
urgency with the move `set_urgency` (`UrgencyMoves`, inherited by `Opinion`): the case's time limit is counted
again from the same day, through the core (`Case.retime`), and the change is on the timeline.
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.models import Notification, User
from opinions.models.categories import URGENT_KINDS, Urgency

KINDS_ONLY = _("Only a complaint or a request for help can be urgent; a suggestion or a report is handled as normal.")


def check_urgency(kind, urgency):
    """The urgency a submission may have (a form error on the field otherwise)."""
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose how urgent the matter is.")}, code="bad_urgency")
    if urgency != Urgency.NORMAL and kind not in URGENT_KINDS:
        raise ValidationError({"urgency": KINDS_ONLY}, code="urgency_not_for_kind")


def opinion_handlers(department):
    """The active staff of `department` who may handle opinions (by their role, their own permission, or superuser)."""
    permission = Permission.objects.get(content_type__app_label="opinions", codename="handle_opinion")
    return (
        User.objects.filter(department=department, is_staff=True, is_active=True)
        .filter(Q(groups__permissions=permission) | Q(user_permissions=permission) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )


def notify_duty_contact(opinion):
    """Tell the handling department of an emergency at once: its duty contact, or else its opinion handlers.

    Written in the transaction of the move that made it an emergency (submitted, raised or transferred).
    """
    department = opinion.case.department
    context = {"opinion": opinion, "case": opinion.case, "department": department}
    url = reverse("admin:opinions_opinion_move", args=[opinion.pk])
    template = "opinions/email/opinion_emergency"
    if department.duty_email:
        return [Notification.queue(email=department.duty_email, template=template, context=context, url=url)]
    return [
        Notification.queue(recipient=person, template=template, context=context, url=url)
        for person in opinion_handlers(department)
    ]


class UrgencyMoves:
    """The move `set_urgency` of `Opinion`; the model declares the table, the field and `clock_rule`."""

    @property
    def is_emergency(self):
        return self.urgency == Urgency.EMERGENCY

    def may_be_urgent(self):
        return self.kind in URGENT_KINDS

    @in_language_of_record
    def set_urgency(self, *, by, urgency, reason):
        """Raise or lower the urgency: the time limit of the new level, counted from the same day (pauses and an
        extension stay); an emergency's duty contact is told at once."""
        reason = (reason or "").strip()
        if urgency not in Urgency.values:
            raise InvalidTransition(_("Choose how urgent the matter is."))
        if not reason:
            raise InvalidTransition(_("Give the reason for the change of urgency."))
        with transaction.atomic():
            locked = self._locked()
            self._check_handler(by, locked.case)
            self.WORKFLOW.check("set_urgency", locked.status)
            if urgency != Urgency.NORMAL and not locked.may_be_urgent():
                raise InvalidTransition(KINDS_ONLY)
            if urgency == locked.urgency:
                raise InvalidTransition(
                    lazy_format(_("The case is already “%(urgency)s”."), {"urgency": Urgency(urgency).label})
                )
            category = locked.category
            # The core writes the new due date into `%(due)s` (nothing else in the note is formatted).
            note = _(
                "Urgency changed from “%(old)s” to “%(new)s”; the reply is now due by %(due)s. Reason: %(reason)s"
            ) % {
                "old": Urgency(locked.urgency).label,
                "new": Urgency(urgency).label,
                "due": "%(due)s",
                "reason": reason,
            }
            locked.case.retime(
                by=by, rule=self.clock_rule(category, urgency), days=category.time_limit_for(urgency), note=note
            )
            type(self).objects.filter(pk=locked.pk).update(urgency=urgency)
            locked.urgency = urgency
            if urgency == Urgency.EMERGENCY:
                notify_duty_contact(locked)
        self.refresh_from_db()
