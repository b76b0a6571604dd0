"""Licensing hearings (Administrative Licensing Law Art. 46-48): `LicensingHearingMoves`, inherited by `Hearing`.

A licensing hearing is requested within 5 days of the notice of the right to it, held within 20 working days of
the request (Art. 82), announced 7 days before, presided over by someone other than the reviewing officer; the
licensing clock stops while it runs (through `licensing.hearing_link`). Its moves are in `Hearing.WORKFLOW`
(hearings.py).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock, workdays
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.models import CalendarDay
from civiccenter.stateful import log_status
from licensing import hearing_link

# Administrative Licensing Law Art. 47: requested within 5 days of the notice; held within 20 days,
# which Art. 82 counts in working days as an organ's time limit.
REQUEST_DAYS = 5
HOLD_WORKING_DAYS = 20


class LicensingHearingMoves:
    """The licensing side of `Hearing`: its periods, the schedule check and the moves of Art. 46-48."""

    @property
    def request_deadline(self):
        """Art. 47: the hearing is requested within 5 days of the notice (a period ending on a day off runs on)."""
        if self.right_notified_on is None:
            return None
        return workdays.compute(
            CalendarDay.objects.work_calendar(), self.right_notified_on, REQUEST_DAYS, "calendar"
        ).due

    @property
    def hold_by(self):
        """Art. 47, 82: held within 20 working days of the request."""
        if self.requested_on is None:
            return None
        return workdays.compute(CalendarDay.objects.work_calendar(), self.requested_on, HOLD_WORKING_DAYS).due

    def _check_licensing_schedule(self):
        if self.status != self.Status.REQUESTED:
            raise InvalidTransition(_("A licensing hearing is scheduled once the hearing is requested."))
        if not self.presiding_officer_id:
            raise InvalidTransition(_("Name the presiding officer."))
        if self.hearing_date > self.hold_by:
            raise InvalidTransition(
                lazy_format(
                    _("The hearing must be held within 20 working days of the request, by %(date)s (Article 47)."),
                    {"date": self.hold_by.isoformat()},
                )
            )

    # --- Licensing hearings (Art. 46-48) ---------------------------------------

    @classmethod
    @in_language_of_record
    def notify_right_to_hearing(cls, *, application, by, reviewing_officer, interested_parties="", today=None):
        """Art. 47: tell the applicant (and interested parties) of their right to a hearing."""
        today = today or clock.today()
        with transaction.atomic():
            locked = hearing_link.lock_for_hearing(application)
            if hearing_link.has_hearing(locked):
                raise InvalidTransition(_("This application already has a hearing."))
            matter = locked.version.matter
            hearing = cls.objects.create(
                kind=cls.Kind.LICENSING,
                matter=f"{matter.name}（{locked.case.number}）听证",
                matter_en=f"Hearing on {matter.name_en or matter.name} ({locked.case.number})",
                department=locked.case.department,
                application=locked,
                reviewing_officer=reviewing_officer,
                interested_parties=interested_parties,
                status=cls.Status.NOTIFIED,
                right_notified_on=today,
                selection_method=str(
                    _("The applicant and the interested parties (Administrative Licensing Law, Article 47).")
                ),
            )
            log_status(hearing, by=by, note=_("Right notified."))
            hearing_link.offer_hearing(hearing, by=by)
        return hearing

    @in_language_of_record
    def request_hearing(self, *, by, requested_by="", today=None):
        """Art. 47: requested within 5 days; the licensing clock stops while the hearing runs (Art. 45)."""
        today = today or clock.today()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if hearing.status != self.Status.NOTIFIED:
                raise InvalidTransition(_("A hearing can be requested only after the notice of the right to it."))
            if today > hearing.request_deadline:
                raise InvalidTransition(
                    lazy_format(
                        _("The hearing had to be requested by %(date)s (5 days after the notice, Article 47)."),
                        {"date": hearing.request_deadline.isoformat()},
                    )
                )
            hold_by = workdays.compute(CalendarDay.objects.work_calendar(), today, HOLD_WORKING_DAYS).due
            hearing.move(
                "request_hearing",
                by=by,
                note=_("Hearing requested; to be held by %(date)s.") % {"date": hold_by.isoformat()},
                fields={"requested_on": today, "requested_by": requested_by or hearing.application.applicant_name},
            )
            hearing_link.hearing_requested(hearing, by=by, hold_by=hold_by, today=today)
        self.refresh_from_db()

    request_hearing.alters_data = True

    @in_language_of_record
    def schedule(self, *, by, starts_at, place, presiding_officer, today=None):
        """Art. 47-48: set the time, place and presiding officer of a requested licensing hearing and announce it."""
        self.WORKFLOW.check("schedule", type(self).objects.get(pk=self.pk).status)
        if presiding_officer is not None and presiding_officer.pk == self.reviewing_officer_id:
            raise InvalidTransition(
                _("The presiding officer cannot be the officer who reviews the application (Article 48).")
            )
        try:
            with transaction.atomic():
                type(self).objects.filter(pk=self.pk).update(
                    starts_at=starts_at, place=place, presiding_officer=presiding_officer
                )
                self.announce(by=by, today=today)
        except InvalidTransition:
            self.refresh_from_db()
            raise

    schedule.alters_data = True

    @in_language_of_record
    def waive(self, *, by, today=None):
        """Nobody asked within the 5 days (or the applicant declined): the review goes on without a hearing."""
        today = today or clock.today()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            hearing.move("waive", by=by, note=_("No hearing requested."))
        self.refresh_from_db()

    waive.alters_data = True
