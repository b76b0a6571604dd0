"""Hearings (听证会): notices, categories and quotas, registration, the auditable draw, licensing hearings.

Rules (prc-rules.md §4 Art. 16-17, §5, §2 Art. 46-48):
- A price hearing is announced at least 30 days ahead, with consumers at least
  two fifths of the participant quotas (both configurable).
- Where applicants exceed a quota, participants are drawn at random so that
  anyone can check the draw afterwards: the seed, a SHA-256 hash of the
  candidate list and the log are published, and `verify_draw()` re-runs it
  (hearing_draws.py).
- Materials reach participants at least 7 days (15 for price hearings) before
  the hearing, or the lateness has a recorded reason.
- A licensing hearing (Administrative Licensing Law Art. 46-48) is requested
  within 5 days of the notice of the right to it, held within 20 working days
  of the request (Art. 82), announced 7 days before, presided over by someone
  other than the reviewing officer; the licensing clock stops while it runs
  (licensing_hearings.py).

The state graph is the table `Hearing.WORKFLOW`, beside the model here; categories
and registrations are in registrations.py.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record, lazy_format, localized
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, DepartmentScopedQuerySet
from civiccenter.stateful import StatefulModel
from civiccenter.workflow import ANYONE, STAFF, Move, Workflow, take_each
from hearings.models.hearing_draws import DrawCheck, HearingDraw
from hearings.models.licensing_hearings import LicensingHearingMoves
from hearings.models.price_hearings import Hearer, OpinionAdoption, PriceHearingMoves
from hearings.models.registrations import (  # id_digest: imported from here by the registration form
    HearingCategory,
    HearingRegistration,
    birth_date_from_id,
    id_digest,  # noqa: F401
)
from licensing import hearing_link

__all__ = [
    "Hearing",
    "HearingCategory",
    "HearingRegistration",
    "DrawCheck",
    "Hearer",
    "OpinionAdoption",
    "upcoming_hearings",
    "past_hearings",
    "birth_date_from_id",
    "sweep_unrequested_licensing_hearings",
]


class HearingQuerySet(DepartmentScopedQuerySet):
    def public(self):
        """Announced hearings (a licensing hearing before it is scheduled is not public)."""
        return self.exclude(status__in=Hearing.UNPUBLISHED)

    def upcoming(self, now=None):
        return self.public().filter(starts_at__gte=now or clock.now()).exclude(status=Hearing.Status.CONCLUDED)

    def past(self, now=None):
        return self.public().filter(Q(starts_at__lt=now or clock.now()) | Q(status=Hearing.Status.CONCLUDED))

    def for_list(self):
        """With the number of live registrations and the total of the quotas, in the same query."""
        registrations = (
            HearingRegistration.objects.filter(hearing=OuterRef("pk"))
            .exclude(status=HearingRegistration.Status.WITHDRAWN)
            .values("hearing")
            .annotate(n=Count("pk"))
            .values("n")
        )
        quotas = (
            HearingCategory.objects.filter(hearing=OuterRef("pk"))
            .values("hearing")
            .annotate(n=Sum("quota"))
            .values("n")
        )
        return self.select_related("department").annotate(
            registrations_count=Coalesce(Subquery(registrations), 0), quota_total=Coalesce(Subquery(quotas), 0)
        )


def upcoming_hearings(now=None):
    """For the section's landing page: announced hearings still to come, soonest first."""
    return Hearing.objects.upcoming(now).select_related("department").order_by("starts_at", "pk")


def past_hearings(now=None):
    """For the section's landing page: hearings held, latest first, with their reports and decisions."""
    return Hearing.objects.past(now).select_related("department").order_by("-starts_at", "-pk")


class Hearing(HearingDraw, LicensingHearingMoves, PriceHearingMoves, StatefulModel):
    class Kind(models.TextChoices):
        PRICE = "price", _("Price hearing")
        MAJOR_DECISION = "major_decision", _("Major administrative decision")
        LEGISLATIVE = "legislative", _("Legislative hearing")
        LICENSING = "licensing", _("Licensing hearing")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NOTIFIED = "notified", _("Right to a hearing notified")
        REQUESTED = "requested", _("Hearing requested")
        WAIVED = "waived", _("Not requested")
        ANNOUNCED = "announced", _("Announced")
        REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
        DRAWN = "drawn", _("Participants drawn")
        LIST_PUBLISHED = "list_published", _("Participant list published")
        MATERIALS_SENT = "materials_sent", _("Materials sent")
        OPENED = "opened", _("Opened with its quorum")
        CONCLUDED = "concluded", _("Held: record, report and decision")
        CANCELLED = "cancelled", _("Cancelled")

    WORKFLOW = Workflow(
        "hearings.hearing",
        Status,
        [
            Move(
                "announce",
                (Status.DRAFT, Status.REQUESTED),
                Status.ANNOUNCED,
                label=_("Announce"),
                requires=_("Time, place, notice period of its kind, how participants are chosen."),
            ),
            Move("close_registration", (Status.ANNOUNCED,), Status.REGISTRATION_CLOSED, label=_("Close registration")),
            Move(
                "draw",
                (Status.REGISTRATION_CLOSED,),
                Status.DRAWN,
                label=_("Draw the participants"),
                requires=_("An auditable random draw where applicants exceed a quota."),
            ),
            Move(
                "publish_list",
                (Status.DRAWN,),
                Status.LIST_PUBLISHED,
                label=_("Publish the participant list"),
                requires=_("Consumers at least two fifths for a price hearing."),
            ),
            Move(
                "send_materials",
                (Status.LIST_PUBLISHED,),
                Status.MATERIALS_SENT,
                label=_("Send the materials"),
                requires=_("15 days before a price hearing, 7 otherwise, or a recorded reason."),
            ),
            Move(
                "open_session",
                (Status.MATERIALS_SENT,),
                Status.OPENED,
                label=_("Open the price hearing: check the attendance"),
                requires=_(
                    "On the day, the lists published in time, at least two thirds of the participants present "
                    "(NDRC Order 21)."
                ),
            ),
            Move(
                "postpone",
                (Status.MATERIALS_SENT,),
                None,
                label=_("Postpone: below the quorum"),
                requires=_("The attendance below the quorum, and the new time."),
            ),
            Move(
                "conclude",
                (Status.ANNOUNCED, Status.MATERIALS_SENT, Status.OPENED),
                Status.CONCLUDED,
                label=_("Conclude: record, report and decision"),
                requires=_(
                    "The signed record, the report and the decision; for a public hearing, how opinions were "
                    "adopted (for a price hearing: the hearers who signed the report and the table of the main "
                    "opinions). A licensing hearing is concluded from its announcement."
                ),
            ),
            Move(
                "request_hearing",
                (Status.NOTIFIED,),
                Status.REQUESTED,
                label=_("Request the hearing"),
                by=ANYONE,  # the applicant on their page, or staff recording a request by letter or in person
                requires=_("Within 5 days of the notice of the right (Administrative Licensing Law, Article 47)."),
            ),
            Move(
                "schedule",
                (Status.REQUESTED,),
                Status.ANNOUNCED,
                label=_("Schedule the hearing"),
                requires=_("Time, place and a presiding officer who is not the reviewing officer (Article 48)."),
            ),
            Move(
                "waive",
                (Status.NOTIFIED,),
                Status.WAIVED,
                label=_("Not requested in time"),
                by=STAFF,
                requires=_(
                    "The applicant declined, or the 5 days of Article 47 are over (the nightly sweep then takes it)."
                ),
            ),
        ],
    )
    UNPUBLISHED = ("draft", "notified", "requested", "waived")

    def available_moves(self, user=None, by=None):
        """The table's moves from the status, less what this kind of hearing does not have: a licensing hearing
        is scheduled (not announced) once requested and has no registration or draw, so it is concluded from its
        announcement; a public hearing is concluded once the materials are sent."""
        moves = super().available_moves(user=user, by=by)
        if self.is_licensing:
            hidden = {"close_registration"} | ({"announce"} if self.status == self.Status.REQUESTED else set())
            if self.status != self.Status.ANNOUNCED:
                hidden.add("conclude")
        else:
            # A price hearing opens with its quorum (or is postponed) before it is concluded.
            concluded_from = self.Status.OPENED if self.is_price else self.Status.MATERIALS_SENT
            hidden = {"conclude"} if self.status != concluded_from else set()
        if not self.is_price:
            hidden |= {"open_session", "postpone"}
        return [move for move in moves if move.name not in hidden]

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MAJOR_DECISION)
    matter = models.CharField(_("matter"), max_length=200, validators=[validate_plain_text])
    matter_en = models.CharField(_("matter in English"), max_length=300, blank=True, validators=[validate_plain_text])
    department = models.ForeignKey(
        Department, verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="hearings"
    )
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_plain_text])
    description = models.TextField(_("notice"), blank=True, help_text=_("What is to be decided, and the plan."))
    selection_method = models.TextField(
        _("how participants are chosen"),
        blank=True,
        help_text=_("Published with the notice (Major Decision-making Procedures, Article 16)."),
    )
    registration_opens = models.DateField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    observer_places = models.PositiveSmallIntegerField(_("observer places"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT, editable=False)
    announced_on = models.DateField(_("announced on"), null=True, blank=True, editable=False)
    materials = CheckedFileField(_("hearing materials"), folder="hearings/materials", kinds=("pdf",), blank=True)
    materials_summary = models.TextField(_("summary of the materials"), blank=True)
    materials_sent_on = models.DateField(_("materials sent on"), null=True, blank=True, editable=False)
    materials_late_reason = models.TextField(_("reason the materials were sent late"), blank=True, editable=False)
    lists_published_on = models.DateField(_("lists published on"), null=True, blank=True, editable=False)
    # The attendance check at the opening of a price hearing (the last one, if it was postponed).
    participants_expected = models.PositiveSmallIntegerField(
        _("participants on the list"), null=True, blank=True, editable=False
    )
    participants_present = models.PositiveSmallIntegerField(
        _("participants present"), null=True, blank=True, editable=False
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True, editable=False)
    presiding_officer = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("presiding officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hearings_presided",
    )
    # A hearing on a major decision or a rule informs its draft: the decision waits for the record (Order 713 Art. 16-17).
    draft = models.ForeignKey(
        "hearings.Draft",
        verbose_name=_("draft decision it informs"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hearings",
        help_text=_("The draft published for comment whose decision this hearing informs."),
    )
    # Licensing hearings (Art. 46-48).
    application = models.ForeignKey(
        "licensing.Application",
        verbose_name=_("licence application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hearings",
    )
    reviewing_officer = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("reviewing officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hearings_reviewed",
    )
    interested_parties = models.TextField(_("interested parties notified"), blank=True)
    right_notified_on = models.DateField(_("right to a hearing notified on"), null=True, blank=True, editable=False)
    requested_on = models.DateField(_("hearing requested on"), null=True, blank=True, editable=False)
    requested_by = models.CharField(_("requested by"), max_length=200, blank=True, editable=False)
    # After the hearing.
    record = CheckedFileField(
        _("record (signed)"), folder="hearings/records", kinds=("pdf",), storage=private_storage, blank=True
    )
    report = models.TextField(_("hearing report"), blank=True, editable=False)
    decision = models.TextField(_("decision after the hearing"), blank=True, editable=False)
    adoption = models.TextField(_("how the participants' main opinions were adopted"), blank=True, editable=False)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True, editable=False)
    # The draw, published for anyone to check.
    draw_seed = models.CharField(_("draw seed"), max_length=64, blank=True, editable=False)
    candidate_list = models.TextField(_("candidate list"), blank=True, editable=False)
    candidate_hash = models.CharField(_("candidate list SHA-256"), max_length=64, blank=True, editable=False)
    draw_log = models.JSONField(_("draw log"), default=list, blank=True, editable=False)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = HearingQuerySet.as_manager()
    display_matter = localized("matter")

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        permissions = [("conduct_hearing", _("Can announce hearings, draw participants and record the outcome"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["price", "major_decision", "legislative", "licensing"]), name="hearing_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "notified",
                        "requested",
                        "waived",
                        "announced",
                        "registration_closed",
                        "drawn",
                        "list_published",
                        "materials_sent",
                        "opened",
                        "concluded",
                        "cancelled",
                    ]
                ),
                name="hearing_status_valid",
            ),
            # Art. 48: the presiding officer is not the officer who reviews the application.
            models.CheckConstraint(
                condition=Q(presiding_officer__isnull=True)
                | Q(reviewing_officer__isnull=True)
                | ~Q(presiding_officer=F("reviewing_officer")),
                name="hearing_presiding_not_reviewing",
                violation_error_message=_(
                    "The presiding officer cannot be the officer who reviews the application (Article 48)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__isnull=True)
                | Q(registration_opens__isnull=True)
                | Q(registration_closes__gte=F("registration_opens")),
                name="hearing_registration_period_ordered",
            ),
            # A licensing hearing belongs to an application; the others do not.
            models.CheckConstraint(
                condition=Q(kind="licensing", application__isnull=False) | (~Q(kind="licensing") & Q(application=None)),
                name="hearing_application_iff_licensing",
            ),
            models.CheckConstraint(
                condition=~Q(kind="licensing") | Q(draft=None), name="hearing_licensing_informs_no_draft"
            ),
            models.CheckConstraint(
                condition=~Q(status="concluded") | (~Q(record="") & ~Q(decision="")),
                name="hearing_concluded_has_record_and_decision",
            ),
            # The opening records the attendance, never more than the list.
            models.CheckConstraint(
                condition=~Q(status="opened") | (Q(participants_present__isnull=False) & Q(opened_on__isnull=False)),
                name="hearing_opened_has_attendance",
            ),
            models.CheckConstraint(
                condition=Q(participants_present__isnull=True)
                | Q(participants_present__lte=F("participants_expected")),
                name="hearing_present_within_list",
            ),
        ]

    def __str__(self):
        return self.display_matter

    def get_absolute_url(self):
        return reverse("hearings:hearing", args=[self.pk])

    # --- Figures and rules -------------------------------------------------

    @property
    def is_licensing(self):
        return self.kind == self.Kind.LICENSING

    @property
    def is_price(self):
        return self.kind == self.Kind.PRICE

    @property
    def hearing_date(self):
        return timezone.localdate(self.starts_at) if self.starts_at else None

    @property
    def notice_days(self) -> int:
        """Minimum days between announcement and hearing, per kind (HEARING_NOTICE_DAYS)."""
        return settings.HEARING_NOTICE_DAYS[self.kind]

    @property
    def materials_days(self) -> int:
        """Days before the hearing the materials must reach participants: 15 for price hearings, else 7."""
        return settings.HEARING_MATERIALS_DAYS_PRICE if self.is_price else settings.HEARING_MATERIALS_DAYS

    @property
    def materials_due(self):
        return self.hearing_date - timedelta(days=self.materials_days) if self.starts_at else None

    @staticmethod
    def consumer_share_ok(consumers: int, total: int) -> bool:
        """Consumers ≥ HEARING_CONSUMER_RATIO (2/5) of the participants, compared exactly."""
        ratio = Decimal(str(settings.HEARING_CONSUMER_RATIO))
        return total > 0 and Decimal(consumers) >= ratio * Decimal(total)

    def registration_open(self, today=None) -> bool:
        today = today or clock.today()
        return (
            self.status == self.Status.ANNOUNCED
            and not self.is_licensing
            and self.registration_opens is not None
            and self.registration_opens <= today <= self.registration_closes
        )

    @property
    def is_drawn(self):
        return bool(self.draw_seed)

    def available_actions(self):
        return [str(move.target) for move in self.WORKFLOW.available(self.status) if move.target]

    # --- Announcement ------------------------------------------------------

    @in_language_of_record
    def announce(self, *, by, today=None):
        """Publish the notice: time, place, categories and quotas, how participants are chosen, registration."""
        today = today or clock.today()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if not hearing.starts_at or not hearing.place:
                raise InvalidTransition(_("Give the hearing's time and place before announcing it."))
            if hearing.presiding_officer_id and hearing.presiding_officer_id == hearing.reviewing_officer_id:
                raise InvalidTransition(
                    _("The presiding officer cannot be the officer who reviews the application (Article 48).")
                )
            days_ahead = (hearing.hearing_date - today).days
            if days_ahead < hearing.notice_days:
                raise InvalidTransition(
                    lazy_format(
                        _("A %(kind)s must be announced at least %(days)d days before it is held."),
                        {"kind": self.Kind(hearing.kind).label, "days": hearing.notice_days},
                    )
                )
            if hearing.is_licensing:
                hearing._check_licensing_schedule()
            else:
                hearing._check_public_notice(today)
            hearing.move("announce", by=by, note=_("Announced."), fields={"announced_on": today})
            if hearing.is_licensing:
                hearing_link.hearing_scheduled(hearing)
        self.refresh_from_db()

    announce.alters_data = True

    def _check_public_notice(self, today):
        categories = list(self.categories.all())
        if not categories or sum(c.quota for c in categories) == 0:
            raise InvalidTransition(_("Give the participant categories and their quotas before announcing."))
        if not self.selection_method.strip():
            raise InvalidTransition(
                _("Publish how participants are chosen (Major Decision-making Procedures, Article 16).")
            )
        if not self.registration_opens or not self.registration_closes:
            raise InvalidTransition(_("Give the registration period."))
        if self.registration_closes >= self.hearing_date:
            raise InvalidTransition(_("Registration must close before the day of the hearing."))
        if self.registration_closes < today:
            raise InvalidTransition(_("The registration period is already over."))
        if self.is_price:
            consumers = sum(c.quota for c in categories if c.is_consumer)
            total = sum(c.quota for c in categories)
            if not self.consumer_share_ok(consumers, total):
                raise InvalidTransition(
                    lazy_format(
                        _(
                            "Consumers must be at least %(ratio)s of the participants of a price hearing: "
                            "%(consumers)d of %(total)d places."
                        ),
                        {"ratio": settings.HEARING_CONSUMER_RATIO, "consumers": consumers, "total": total},
                    )
                )

    # --- Registration, draw, list (the draw itself: HearingDraw, hearing_draws.py) ---

    @in_language_of_record
    def close_registration(self, *, by, today=None):
        today = today or clock.today()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if hearing.is_licensing:
                raise InvalidTransition(_("A licensing hearing has no public registration."))
            if hearing.registration_closes and today <= hearing.registration_closes:
                raise InvalidTransition(_("The registration period is not over yet."))
            hearing.move("close_registration", by=by, note=_("Registration closed."))
        self.refresh_from_db()

    close_registration.alters_data = True

    def selected(self):
        return self.registrations.filter(status=HearingRegistration.Status.SELECTED)

    @in_language_of_record
    def publish_list(self, *, by, today=None):
        """Publish the participant list; a price hearing's needs consumers at the configured share (§5), and is
        published with its hearers' list at least 15 days before the hearing (NDRC Order 21)."""
        today = today or clock.today()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if hearing.status != self.Status.DRAWN:
                raise InvalidTransition(_("The list is published once participants are drawn."))
            selected = hearing.selected()
            total = selected.count()
            if total == 0:
                raise InvalidTransition(_("No participant is selected."))
            consumers = selected.filter(category__is_consumer=True).count()
            if hearing.is_price and not self.consumer_share_ok(consumers, total):
                raise InvalidTransition(
                    lazy_format(
                        _(
                            "Consumers must be at least %(ratio)s of the participants of a price hearing: "
                            "%(consumers)d of %(total)d selected."
                        ),
                        {"ratio": settings.HEARING_CONSUMER_RATIO, "consumers": consumers, "total": total},
                    )
                )
            if hearing.is_price:
                hearing._check_price_lists(today)
            note = (
                _("Participant and hearer lists published.") if hearing.is_price else _("Participant list published.")
            )
            hearing.move("publish_list", by=by, note=note, fields={"lists_published_on": today})
        self.refresh_from_db()

    publish_list.alters_data = True

    def participant_list(self):
        """(number, public name, category) of the selected participants: names only with consent."""
        rows = self.selected().select_related("category").order_by("participant_number")
        return [(r.participant_number, r.public_name, r.category) for r in rows]

    # --- Materials ------------------------------------------------------------

    @in_language_of_record
    def send_materials(self, *, by, today=None, reason=""):
        """Send the materials to the participants: 15 days before a price hearing, 7 before others, or a reason."""
        today = today or clock.today()
        reason = (reason or "").strip()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if not hearing.materials and not hearing.materials_summary.strip():
                raise InvalidTransition(_("Attach the materials (or their summary) before sending them."))
            late = today > hearing.materials_due
            if late and not reason:
                raise InvalidTransition(
                    lazy_format(
                        _(
                            "Materials must reach participants at least %(days)d days before the hearing "
                            "(by %(date)s); record the reason they are sent later."
                        ),
                        {"days": hearing.materials_days, "date": hearing.materials_due.isoformat()},
                    )
                )
            note = _("Materials sent.") if not late else _("Materials sent late: %(reason)s") % {"reason": reason}
            hearing.move(
                "send_materials",
                by=by,
                note=note,
                fields={"materials_sent_on": today, "materials_late_reason": reason if late else ""},
            )
            for registration in hearing.selected().select_related("user"):
                registration.send_materials()
        self.refresh_from_db()

    send_materials.alters_data = True

    # --- After the hearing -----------------------------------------------------

    @in_language_of_record
    def conclude(self, *, by, record, report, decision, adoption="", record_signed=False, signed_by=(), today=None):
        """The signed record, the hearing report and the decision with how the main opinions were adopted.

        A price hearing is concluded once opened with its quorum; its report is signed by hearers (`signed_by`)
        and its decision comes with the table of the main opinions (`opinion_rows`) rather than free text."""
        today = today or clock.today()
        report, decision, adoption = (report or "").strip(), (decision or "").strip(), (adoption or "").strip()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if hearing.is_licensing and hearing.status != self.Status.ANNOUNCED:
                raise InvalidTransition(_("Only a scheduled licensing hearing can be concluded."))
            signers = []
            if hearing.is_price:
                signers = hearing._check_price_conclusion(signed_by)
            elif not hearing.is_licensing and hearing.status != self.Status.MATERIALS_SENT:
                raise InvalidTransition(_("A hearing is concluded after its materials were sent."))
            if hearing.starts_at and today < hearing.hearing_date:
                raise InvalidTransition(_("The hearing has not been held yet."))
            if not record or not record_signed:
                raise InvalidTransition(
                    _("Upload the record, confirmed and signed by the participants (Article 17; Article 48).")
                )
            if not report or not decision:
                raise InvalidTransition(_("Give the hearing report and the decision."))
            if not hearing.is_licensing and not hearing.is_price and not adoption:
                raise InvalidTransition(_("Say how the participants' main opinions were adopted, with reasons."))
            hearing.record = record
            hearing.save(update_fields=["record"])
            if signers:
                hearing.hearers.filter(pk__in=signers).update(signed_report=True)
            hearing.move(
                "conclude",
                by=by,
                note=_("Record, report and decision published."),
                fields={"report": report, "decision": decision, "adoption": adoption, "concluded_on": today},
            )
            # The reserve list has served its purpose.
            for reserve in hearing.registrations.filter(status=HearingRegistration.Status.RESERVE):
                reserve.release(by=by)
            if hearing.is_licensing:
                # Art. 45: the review runs again; Art. 48: the decision rests on the record.
                hearing_link.hearing_concluded(hearing, by=by, today=today)
        self.refresh_from_db()

    conclude.alters_data = True


def sweep_unrequested_licensing_hearings(today) -> int:
    """Art. 47: a right to a hearing not used within its 5 days lapses; the review goes on."""
    notified = Hearing.objects.filter(kind=Hearing.Kind.LICENSING, status=Hearing.Status.NOTIFIED)
    lapsed = [hearing for hearing in notified if hearing.request_deadline < today]
    return take_each(lapsed, lambda hearing: hearing.waive(by=None, today=today))
