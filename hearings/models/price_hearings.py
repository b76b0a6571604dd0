"""What a price hearing adds (NDRC Order 21, prc-rules.md §5): hearers, the timely lists, the quorum, the table.

- The participant list and the hearers' list are published at least HEARING_PRICE_LISTS_DAYS (15) days before
  the hearing, with the time, place and plan; a hearing whose lists came out late is not held.
- 3 to 5 hearers (听证人), one of them presiding, hear it and write and sign the hearing report.
- At the opening the attendance is checked against the quorum, HEARING_QUORUM_RATIO (2/3) of the participants;
  below it the hearing does not open and is postponed.
- The decision is published with a table of the participants' main opinions: adopted or not, and why.

Parts of §5 are marked unverified (the quorum's current text, the adoption table): the figures are settings.
The moves are methods of `Hearing` (this mixin), on rows of the table `Hearing.WORKFLOW` (hearings.py).
"""

import math
from datetime import timedelta
from fractions import Fraction

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Notification

__all__ = ["Hearer", "OpinionAdoption", "PriceHearingMoves", "quorum_ratio"]


def quorum_ratio() -> Fraction:
    """HEARING_QUORUM_RATIO as an exact fraction ("2/3" or "0.6667")."""
    return Fraction(str(settings.HEARING_QUORUM_RATIO))


class Hearer(models.Model):
    """A hearer (听证人) of a price hearing: 3 to 5 of them, one presiding; they write and sign the report."""

    hearing = models.ForeignKey("hearings.Hearing", on_delete=models.CASCADE, related_name="hearers")
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    role = models.CharField(
        _("role"),
        max_length=100,
        validators=[validate_plain_text],
        help_text=_("Office or capacity, as published with the hearers' list."),
    )
    presiding = models.BooleanField(_("presiding hearer"), default=False)
    signed_report = models.BooleanField(_("signed the hearing report"), default=False, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["-presiding", "order", "pk"]
        verbose_name = _("hearer")
        verbose_name_plural = _("hearers")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing"],
                condition=Q(presiding=True),
                name="hearer_one_presiding",
                violation_error_message=_("A hearing has one presiding hearer."),
            ),
            models.UniqueConstraint(fields=["hearing", "name"], name="hearer_name_unique"),
        ]

    def __str__(self):
        return self.name


class OpinionAdoption(models.Model):
    """A row of the table published with the decision: a main opinion, adopted or not, and why."""

    hearing = models.ForeignKey("hearings.Hearing", on_delete=models.CASCADE, related_name="opinion_rows")
    opinion = models.TextField(_("main opinion"), validators=[validate_plain_text])
    adopted = models.BooleanField(_("adopted"), default=False)
    reason = models.TextField(_("reason"), validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("adoption of a main opinion")
        verbose_name_plural = _("adoption of the main opinions")
        constraints = [
            models.CheckConstraint(condition=~Q(opinion="") & ~Q(reason=""), name="opinionadoption_opinion_and_reason"),
        ]

    def __str__(self):
        return self.opinion[:60]


class PriceHearingMoves:
    """The price hearing's rules and moves of `Hearing`: lists in time, hearers, the quorum at the opening."""

    # --- Figures -------------------------------------------------------------------------------------

    @property
    def lists_due(self):
        """The last day the participant and hearer lists of a price hearing may be published."""
        if not self.starts_at:
            return None
        return self.hearing_date - timedelta(days=settings.HEARING_PRICE_LISTS_DAYS)

    @property
    def lists_published_in_time(self) -> bool:
        return bool(self.lists_published_on and self.lists_due and self.lists_published_on <= self.lists_due)

    @staticmethod
    def quorum(expected: int) -> int:
        """The smallest attendance that reaches HEARING_QUORUM_RATIO of `expected` participants."""
        return math.ceil(quorum_ratio() * expected)

    def _check_hearers(self):
        hearers = list(self.hearers.all())
        low, high = settings.HEARING_PRICE_HEARERS_MIN, settings.HEARING_PRICE_HEARERS_MAX
        if not low <= len(hearers) <= high:
            raise InvalidTransition(
                lazy_format(
                    _("A price hearing has %(min)d to %(max)d hearers (NDRC Order 21); %(count)d are recorded."),
                    {"min": low, "max": high, "count": len(hearers)},
                )
            )
        if sum(1 for hearer in hearers if hearer.presiding) != 1:
            raise InvalidTransition(_("Name one of the hearers as the presiding hearer."))

    def _check_price_lists(self, today):
        """NDRC Order 21: the participant and hearer lists are published at least 15 days before the hearing."""
        self._check_hearers()
        if today > self.lists_due:
            raise InvalidTransition(
                lazy_format(
                    _(
                        "The participant and hearer lists of a price hearing must be published at least %(days)d "
                        "days before it (by %(date)s, NDRC Order 21): postpone the hearing."
                    ),
                    {"days": settings.HEARING_PRICE_LISTS_DAYS, "date": self.lists_due.isoformat()},
                )
            )

    def _check_can_open(self, today, present):
        if not self.is_price:
            raise InvalidTransition(_("Only a price hearing checks its attendance against a quorum here."))
        if self.hearing_date and today < self.hearing_date:
            raise InvalidTransition(_("The hearing has not been held yet."))
        if not self.lists_published_in_time:
            raise InvalidTransition(
                lazy_format(
                    _(
                        "The participant and hearer lists were not published %(days)d days before the hearing "
                        "(NDRC Order 21): it cannot be held on this date."
                    ),
                    {"days": settings.HEARING_PRICE_LISTS_DAYS},
                )
            )
        expected = self.selected().count()
        if present is None or present < 0 or present > expected:
            raise InvalidTransition(
                lazy_format(
                    _("Give the number of participants present, from 0 to %(expected)d."), {"expected": expected}
                )
            )
        return expected

    # --- Moves ---------------------------------------------------------------------------------------

    @in_language_of_record
    def open_session(self, *, by, present, today=None):
        """Open a price hearing: the attendance is checked against the quorum and recorded."""
        today = today or clock.today()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            expected = hearing._check_can_open(today, present)
            needed = self.quorum(expected)
            if present < needed:
                raise InvalidTransition(
                    lazy_format(
                        _(
                            "Only %(present)d of %(expected)d participants are present; a price hearing opens with "
                            "at least %(needed)d (%(ratio)s of them): postpone it."
                        ),
                        {
                            "present": present,
                            "expected": expected,
                            "needed": needed,
                            "ratio": settings.HEARING_QUORUM_RATIO,
                        },
                    )
                )
            hearing.move(
                "open_session",
                by=by,
                note=lazy_format(
                    _("Opened: %(present)d of %(expected)d participants present (quorum %(needed)d)."),
                    {"present": present, "expected": expected, "needed": needed},
                ),
                fields={"participants_present": present, "participants_expected": expected, "opened_on": today},
            )
        self.refresh_from_db()

    open_session.alters_data = True

    @in_language_of_record
    def postpone(self, *, by, present, starts_at, reason="", today=None):
        """Below the quorum at the opening: the attendance is recorded and the hearing moves to a later time."""
        today = today or clock.today()
        reason = (reason or "").strip()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            expected = hearing._check_can_open(today, present)
            needed = self.quorum(expected)
            if present >= needed:
                raise InvalidTransition(
                    lazy_format(
                        _("%(present)d of %(expected)d participants are present, the quorum is reached: open it."),
                        {"present": present, "expected": expected},
                    )
                )
            if not starts_at or starts_at <= hearing.starts_at:
                raise InvalidTransition(_("Give the new time of the hearing, later than the one announced."))
            note = lazy_format(
                _("Postponed: %(present)d of %(expected)d participants present, below the quorum of %(needed)d."),
                {"present": present, "expected": expected, "needed": needed},
            )
            hearing.move(
                "postpone",
                by=by,
                note=f"{note} {reason}".strip(),
                fields={"participants_present": present, "participants_expected": expected, "starts_at": starts_at},
            )
            # Every selected participant is told the new time (the outbox, in this transaction).
            for registration in hearing.selected().select_related("user"):
                Notification.queue(
                    recipient=registration.user,
                    template="hearings/hearings/email/postponed",
                    context={"hearing": hearing, "registration": registration},
                    url=reverse("hearings:hearing", args=[hearing.pk]),
                )
        self.refresh_from_db()

    postpone.alters_data = True

    def _check_price_conclusion(self, signed_by):
        """The hearers sign the report; the decision comes with the table of the main opinions."""
        if self.status != self.Status.OPENED:
            raise InvalidTransition(_("A price hearing is concluded after it opened with its quorum."))
        signers = list(signed_by or ())
        own = {hearer.pk for hearer in self.hearers.all()}
        if not signers or any(getattr(s, "pk", s) not in own for s in signers):
            raise InvalidTransition(_("Record which of the hearing's hearers signed the hearing report."))
        rows = list(self.opinion_rows.all())
        if not rows:
            raise InvalidTransition(
                _("List the participants' main opinions, each adopted or not with its reason (NDRC Order 21).")
            )
        return [getattr(s, "pk", s) for s in signers]
