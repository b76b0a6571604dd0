"""Hearings (听证会): notices, categories and quotas, registration, the auditable draw, licensing hearings.

Rules (prc-rules.md §4 Art. 16-17, §5, §2 Art. 46-48):
- A price hearing is announced at least 30 days ahead, with consumers at least
  two fifths of the participant quotas (both configurable).
- Where applicants exceed a quota, participants are drawn at random so that
  anyone can check the draw afterwards: the seed, a SHA-256 hash of the
  candidate list and the log are published, and `verify_draw()` re-runs it.
- Materials reach participants at least 7 days (15 for price hearings) before
  the hearing, or the lateness has a recorded reason.
- A licensing hearing (Administrative Licensing Law Art. 46-48) is requested
  within 5 days of the notice of the right to it, held within 20 working days
  of the request (Art. 82), announced 7 days before, presided over by someone
  other than the reviewing officer; the licensing clock stops while it runs.
"""

import hashlib
import hmac
import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import workdays
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.i18n import in_language_of_record, lazy_format, localized
from civiccenter.lib.masking import mask_id_number
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import CalendarDay, Department, DepartmentScopedQuerySet, Notification
from civiccenter.stateful import StatefulModel, log_status
from civiccenter.workflow import APPLICANT, SYSTEM, Move, Workflow
from licensing import hearing_link

__all__ = [
    "Hearing",
    "HearingCategory",
    "HearingRegistration",
    "DrawCheck",
    "upcoming_hearings",
    "past_hearings",
    "birth_date_from_id",
    "sweep_unrequested_licensing_hearings",
]

# Administrative Licensing Law Art. 47: requested within 5 days of the notice; held within 20 days,
# which Art. 82 counts in working days as an organ's time limit.
REQUEST_DAYS = 5
HOLD_WORKING_DAYS = 20

ALGORITHM = "candidates per category sorted by registration id; random.Random(seed).sample(candidates, n)"


def birth_date_from_id(id_number: str) -> date:
    """GB 11643: characters 7-14 are the birth date YYYYMMDD."""
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def adult_on(birth: date, day: date, age=18) -> bool:
    """Whether someone born on `birth` has reached `age` on `day` (born 29 Feb: from 1 Mar in other years)."""
    try:
        birthday = birth.replace(year=birth.year + age)
    except ValueError:
        birthday = date(birth.year + age, 3, 1)
    return day >= birthday


def id_digest(id_number: str) -> str:
    """A keyed hash of an ID number: the database can hold one registration per person without the number in clear."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"hearing-registration:{id_number.upper()}".encode(), hashlib.sha256).hexdigest()


class HearingQuerySet(DepartmentScopedQuerySet):
    def public(self):
        """Announced hearings (a licensing hearing before it is scheduled is not public)."""
        return self.exclude(status__in=Hearing.UNPUBLISHED)

    def upcoming(self, now=None):
        return self.public().filter(starts_at__gte=now or timezone.now()).exclude(status=Hearing.Status.CONCLUDED)

    def past(self, now=None):
        return self.public().filter(Q(starts_at__lt=now or timezone.now()) | Q(status=Hearing.Status.CONCLUDED))

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


class Hearing(StatefulModel):
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
                "conclude",
                (Status.ANNOUNCED, Status.MATERIALS_SENT),
                Status.CONCLUDED,
                label=_("Conclude: record, report and decision"),
                requires=_("The signed record, the report and the decision; for a public hearing, how opinions were "
                           "adopted. A licensing hearing is concluded from its announcement."),
            ),
            Move(
                "request_hearing",
                (Status.NOTIFIED,),
                Status.REQUESTED,
                label=_("Request the hearing"),
                by=APPLICANT,
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
                by=SYSTEM,
                requires=_("The 5 days of Article 47 are over."),
            ),
        ],
    )
    UNPUBLISHED = ("draft", "notified", "requested", "waived")

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
    presiding_officer = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("presiding officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hearings_presided",
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
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

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
                condition=~Q(status="concluded") | (~Q(record="") & ~Q(decision="")),
                name="hearing_concluded_has_record_and_decision",
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
        today = today or timezone.localdate()
        return (
            self.status == self.Status.ANNOUNCED
            and not self.is_licensing
            and self.registration_opens is not None
            and self.registration_opens <= today <= self.registration_closes
        )

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

    @property
    def is_drawn(self):
        return bool(self.draw_seed)

    def available_actions(self):
        return [str(move.target) for move in self.WORKFLOW.available(self.status) if move.target]

    # --- Announcement ------------------------------------------------------

    @in_language_of_record
    def announce(self, *, by, today=None):
        """Publish the notice: time, place, categories and quotas, how participants are chosen, registration."""
        today = today or timezone.localdate()
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

    # --- Registration, draw, list -----------------------------------------

    @in_language_of_record
    def close_registration(self, *, by, today=None):
        today = today or timezone.localdate()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if hearing.is_licensing:
                raise InvalidTransition(_("A licensing hearing has no public registration."))
            if hearing.registration_closes and today <= hearing.registration_closes:
                raise InvalidTransition(_("The registration period is not over yet."))
            hearing.move("close_registration", by=by, note=_("Registration closed."))
        self.refresh_from_db()

    close_registration.alters_data = True

    def _candidates(self):
        """[(category, [registration ids sorted])] of the registrations in the draw, in category order."""
        categories = list(self.categories.order_by("order", "pk"))
        ids = {}
        for category_id, pk in (
            self.registrations.filter(status=HearingRegistration.Status.APPLIED)
            .order_by("pk")
            .values_list("category_id", "pk")
        ):
            ids.setdefault(category_id, []).append(pk)
        return [(category, ids.get(category.pk, [])) for category in categories]

    @staticmethod
    def candidate_text(candidates) -> str:
        """The published candidate list: one line per category, `category id: registration ids`."""
        return "".join(f"{category_id}:{','.join(str(pk) for pk in pks)}\n" for category_id, pks in candidates)

    @staticmethod
    def parse_candidate_text(text):
        rows = []
        for line in text.splitlines():
            category_id, _sep, pks = line.partition(":")
            rows.append((int(category_id), [int(pk) for pk in pks.split(",") if pk]))
        return rows

    @staticmethod
    def run_draw(seed: str, candidates, quotas: dict) -> list[dict]:
        """The draw itself, a pure function: the same seed and candidates give the same result anywhere.

        One `random.Random(seed)` is used for the categories in order. Where a
        category has more candidates than places, the whole list is put in a
        random order (`sample(candidates, n)`); the first `quota` are selected
        and the rest, in that order, are the reserve list.
        """
        rng = random.Random(seed)  # noqa: S311 - reproducible by design; the seed itself comes from secrets
        steps = []
        for category_id, pks in candidates:
            quota = quotas[category_id]
            if len(pks) > quota:
                order = rng.sample(pks, len(pks))
                drawn = True
            else:
                order, drawn = list(pks), False
            steps.append(
                {
                    "category": category_id,
                    "quota": quota,
                    "candidates": list(pks),
                    "drawn": drawn,
                    "selected": order[:quota],
                    "reserve": order[quota:],
                }
            )
        return steps

    @in_language_of_record
    def draw(self, *, by, seed=None):
        """Select participants; where applicants exceed a quota, by an auditable random draw.

        The seed comes from `secrets` (never guessable beforehand) and is stored
        with the candidate list, its SHA-256 and the log, so the draw can be
        re-run by anyone (`verify_draw`).
        """
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if hearing.status != self.Status.REGISTRATION_CLOSED:
                raise InvalidTransition(_("Participants are drawn once registration is closed."))
            # Registrations of this hearing are locked too: no withdrawal slips in mid-draw.
            list(hearing.registrations.select_for_update().values_list("pk", flat=True))
            seed = seed or secrets.token_hex(32)
            categories = {c.pk: c for c in hearing.categories.all()}
            candidates = [(category.pk, pks) for category, pks in hearing._candidates()]
            text = self.candidate_text(candidates)
            digest = hashlib.sha256(text.encode()).hexdigest()
            steps = self.run_draw(seed, candidates, {pk: c.quota for pk, c in categories.items()})
            number = 0
            for step in steps:
                category = categories[step["category"]]
                step["category_name"] = category.name
                registrations = HearingRegistration.objects.in_bulk([*step["selected"], *step["reserve"]])
                for rank, pk in enumerate(step["selected"], start=1):
                    number += 1
                    registrations[pk].select(by=by, position=rank, number=number)
                for rank, pk in enumerate(step["reserve"], start=1):
                    registrations[pk].put_on_reserve(by=by, position=category.quota + rank, rank=rank)
            hearing.move(
                "draw",
                by=by,
                note=_("Participants drawn; seed %(seed)s, candidate list SHA-256 %(hash)s.")
                % {"seed": seed, "hash": digest},
                fields={
                    "draw_seed": seed,
                    "candidate_list": text,
                    "candidate_hash": digest,
                    "draw_log": steps,
                    "drawn_at": timezone.now(),
                },
            )
            for registration in hearing.registrations.select_related("user").exclude(
                status=HearingRegistration.Status.WITHDRAWN
            ):
                Notification.queue(
                    recipient=registration.user,
                    template="hearings/hearings/email/drawn",
                    context={"hearing": hearing, "registration": registration},
                    url=reverse("hearings:my-registrations"),
                )
        self.refresh_from_db()

    draw.alters_data = True

    def verify_draw(self) -> "DrawCheck":
        """Re-run the draw from the published seed and candidate list and compare with what was recorded."""
        if not self.draw_seed:
            return DrawCheck(False, False, False)
        hash_ok = hashlib.sha256(self.candidate_list.encode()).hexdigest() == self.candidate_hash
        quotas = {step["category"]: step["quota"] for step in self.draw_log}
        try:
            candidates = self.parse_candidate_text(self.candidate_list)
            rerun = self.run_draw(self.draw_seed, candidates, quotas)
        except (KeyError, ValueError):
            return DrawCheck(hash_ok, False, False)
        keys = ("category", "quota", "candidates", "selected", "reserve")
        log_ok = [{k: s[k] for k in keys} for s in rerun] == [{k: s[k] for k in keys} for s in self.draw_log]
        # And the registrations still carry the positions the draw gave them.
        recorded = {}
        for category_id, pk, position in self.registrations.filter(draw_position__isnull=False).values_list(
            "category_id", "pk", "draw_position"
        ):
            recorded.setdefault(category_id, []).append((position, pk))
        expected = {s["category"]: s["selected"] + s["reserve"] for s in rerun if s["candidates"]}
        positions_ok = {c: [pk for _p, pk in sorted(rows)] for c, rows in recorded.items()} == expected
        return DrawCheck(hash_ok, log_ok, positions_ok)

    def selected(self):
        return self.registrations.filter(status=HearingRegistration.Status.SELECTED)

    @in_language_of_record
    def publish_list(self, *, by):
        """Publish the participant list; a price hearing's needs consumers at the configured share (§5)."""
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
            hearing.move("publish_list", by=by, note=_("Participant list published."))
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
        today = today or timezone.localdate()
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
    def conclude(self, *, by, record, report, decision, adoption="", record_signed=False, today=None):
        """The signed record, the hearing report and the decision with how the main opinions were adopted."""
        today = today or timezone.localdate()
        report, decision, adoption = (report or "").strip(), (decision or "").strip(), (adoption or "").strip()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            if hearing.is_licensing and hearing.status != self.Status.ANNOUNCED:
                raise InvalidTransition(_("Only a scheduled licensing hearing can be concluded."))
            if not hearing.is_licensing and hearing.status != self.Status.MATERIALS_SENT:
                raise InvalidTransition(_("A hearing is concluded after its materials were sent."))
            if hearing.starts_at and today < hearing.hearing_date:
                raise InvalidTransition(_("The hearing has not been held yet."))
            if not record or not record_signed:
                raise InvalidTransition(
                    _("Upload the record, confirmed and signed by the participants (Article 17; Article 48).")
                )
            if not report or not decision:
                raise InvalidTransition(_("Give the hearing report and the decision."))
            if not hearing.is_licensing and not adoption:
                raise InvalidTransition(_("Say how the participants' main opinions were adopted, with reasons."))
            hearing.record = record
            hearing.save(update_fields=["record"])
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

    # --- Licensing hearings (Art. 46-48) ---------------------------------------

    @classmethod
    @in_language_of_record
    def notify_right_to_hearing(cls, *, application, by, reviewing_officer, interested_parties="", today=None):
        """Art. 47: tell the applicant (and interested parties) of their right to a hearing."""
        today = today or timezone.localdate()
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
        today = today or timezone.localdate()
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
        today = today or timezone.localdate()
        with transaction.atomic():
            hearing = type(self).objects.select_for_update().get(pk=self.pk)
            hearing.move("waive", by=by, note=_("No hearing requested."))
        self.refresh_from_db()

    waive.alters_data = True


@dataclass(frozen=True)
class DrawCheck:
    """The result of re-running a draw: the candidate list matches its hash, the log and the positions match."""

    hash_ok: bool
    log_ok: bool
    positions_ok: bool

    @property
    def ok(self):
        return self.hash_ok and self.log_ok and self.positions_ok


class HearingCategory(models.Model):
    """A category of participants (consumers, operators, experts...) with its quota and eligibility."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=80, blank=True, validators=[validate_plain_text])
    quota = models.PositiveSmallIntegerField(_("quota"))
    is_consumer = models.BooleanField(_("consumers"), default=False)
    adults_only = models.BooleanField(_("18 or older on the hearing day"), default=True)
    residents_only = models.BooleanField(_("residents of the district only"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    display_name = localized("name")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("participant category")
        verbose_name_plural = _("participant categories")
        constraints = [
            models.UniqueConstraint(fields=["hearing", "name"], name="hearingcategory_name_unique"),
            models.CheckConstraint(condition=Q(quota__gte=0), name="hearingcategory_quota_not_negative"),
        ]

    def __str__(self):
        return self.display_name

    def eligibility_errors(self, id_number, hearing_day):
        errors = []
        if self.adults_only and not adult_on(birth_date_from_id(id_number), hearing_day):
            errors.append(_("This category is for people aged 18 or older on the day of the hearing."))
        prefixes = settings.HEARING_DISTRICT_ID_PREFIXES
        if self.residents_only and not any(id_number.startswith(prefix) for prefix in prefixes):
            errors.append(_("This category is for residents of the district (by the ID number's area code)."))
        return errors


class HearingRegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.filter(hearing__in=Hearing.objects.visible_to(user))
        return self.filter(user=user)


class HearingRegistration(StatefulModel):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SELECTED = "selected", _("Selected")
        RESERVE = "reserve", _("On the reserve list")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    WORKFLOW = Workflow(
        "hearings.registration",
        Status,
        [
            Move("select", (Status.APPLIED,), Status.SELECTED, label=_("Select as participant"), by=SYSTEM),
            Move("put_on_reserve", (Status.APPLIED,), Status.RESERVE, label=_("Put on the reserve list"), by=SYSTEM),
            Move(
                "promote",
                (Status.RESERVE,),
                Status.SELECTED,
                label=_("Move up from the reserve list"),
                by=SYSTEM,
                requires=_("A selected participant of the same category withdrew."),
            ),
            Move(
                "release",
                (Status.RESERVE,),
                Status.NOT_SELECTED,
                label=_("Release the reserve list"),
                by=SYSTEM,
                requires=_("The hearing was held."),
            ),
            Move(
                "withdraw",
                (Status.APPLIED, Status.SELECTED, Status.RESERVE),
                Status.WITHDRAWN,
                label=_("Withdraw"),
                by=APPLICANT,
                requires=_("Before the hearing starts; a selected participant's place goes to the first in reserve."),
            ),
        ],
    )

    hearing = models.ForeignKey(
        Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="registrations"
    )
    category = models.ForeignKey(
        HearingCategory, verbose_name=_("participant category"), on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        "civiccenter.User", verbose_name=_("account"), on_delete=models.CASCADE, related_name="hearing_registrations"
    )
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    id_number = EncryptedCharField(_("resident identity number"), max_length=18)
    id_digest = models.CharField(max_length=64, editable=False)
    contact = EncryptedCharField(_("contact phone"), max_length=20)
    statement = models.TextField(_("short statement"), max_length=500, blank=True)
    publish_consent = models.BooleanField(_("publish my name and category in the participant list"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.APPLIED, editable=False)
    draw_position = models.PositiveSmallIntegerField(_("position in the draw"), null=True, blank=True, editable=False)
    reserve_rank = models.PositiveSmallIntegerField(_("reserve rank"), null=True, blank=True, editable=False)
    participant_number = models.PositiveSmallIntegerField(
        _("participant number"), null=True, blank=True, editable=False
    )
    materials_sent_at = models.DateTimeField(_("materials sent at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    objects = HearingRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["hearing", "pk"]
        verbose_name = _("hearing registration")
        verbose_name_plural = _("hearing registrations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["applied", "selected", "reserve", "not_selected", "withdrawn"]),
                name="hearingregistration_status_valid",
            ),
            # One registration per person per hearing: per account and per ID number.
            models.UniqueConstraint(fields=["hearing", "user"], name="hearingregistration_once_per_account"),
            models.UniqueConstraint(fields=["hearing", "id_digest"], name="hearingregistration_once_per_person"),
            models.UniqueConstraint(
                fields=["hearing", "participant_number"],
                condition=Q(status="selected"),
                name="hearingregistration_participant_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(reserve_rank__isnull=True) | Q(status="reserve"), name="hearingregistration_rank_if_reserve"
            ),
            models.CheckConstraint(
                condition=~Q(status="selected") | Q(participant_number__isnull=False),
                name="hearingregistration_selected_numbered",
            ),
        ]

    def __str__(self):
        return f"{self.hearing} · {self.name}"

    @property
    def public_name(self):
        """The name with consent (PIPL Art. 25), otherwise "participant N"."""
        if self.publish_consent:
            return self.name
        return _("Participant %(number)d") % {"number": self.participant_number}

    @property
    def masked_id(self):
        return mask_id_number(self.id_number) if len(self.id_number) == 18 else "—"

    @property
    def can_withdraw(self):
        return self.status in (self.Status.APPLIED, self.Status.SELECTED, self.Status.RESERVE) and (
            self.hearing.status not in (Hearing.Status.CONCLUDED, Hearing.Status.CANCELLED)
        )

    @classmethod
    def register(
        cls, *, hearing, category, by, name, id_number, contact, statement="", publish_consent=False, today=None
    ):
        """Register for an announced hearing within its registration period, if eligible for the category."""
        from django.core.exceptions import ValidationError

        from civiccenter.lib.validators import validate_resident_id

        today = today or timezone.localdate()
        id_number = (id_number or "").strip().replace(" ", "").upper()
        try:
            validate_resident_id(id_number)
        except ValidationError as error:
            raise InvalidTransition(error.messages[0]) from error
        if category.hearing_id != hearing.pk:
            raise InvalidTransition(_("Choose one of this hearing's categories."))
        if not hearing.registration_open(today):
            raise InvalidTransition(_("Registration for this hearing is not open."))
        errors = category.eligibility_errors(id_number, hearing.hearing_date)
        if errors:
            raise InvalidTransition(errors[0])
        try:
            with transaction.atomic():
                registration = cls.objects.create(
                    hearing=hearing,
                    category=category,
                    user=by,
                    name=name.strip(),
                    id_number=id_number,
                    id_digest=id_digest(id_number),
                    contact=contact,
                    statement=statement,
                    publish_consent=publish_consent,
                )
                Notification.queue(
                    recipient=by,
                    template="hearings/hearings/email/registered",
                    context={"hearing": hearing, "registration": registration},
                    url=reverse("hearings:my-registrations"),
                )
        except IntegrityError as error:
            raise InvalidTransition(_("This person is already registered for this hearing.")) from error
        return registration

    def withdraw(self, *, by, now=None):
        """Withdraw; a selected participant's place goes to the first on the reserve list of the same category."""
        now = now or timezone.now()
        with transaction.atomic():
            hearing = Hearing.objects.select_for_update().get(pk=self.hearing_id)
            current = type(self).objects.select_for_update().get(pk=self.pk)
            self.WORKFLOW.check("withdraw", current.status)
            if not current.can_withdraw:
                raise InvalidTransition(_("This registration can no longer be withdrawn."))
            if hearing.starts_at and hearing.starts_at <= now:
                raise InvalidTransition(_("The hearing has started."))
            self.move(
                "withdraw",
                by=by,
                note=_("Registration %(pk)d withdrawn.") % {"pk": self.pk},
                fields={"reserve_rank": None, "participant_number": None},
            )
            if current.status == self.Status.SELECTED:
                reserve = (
                    type(self)
                    .objects.select_for_update()
                    .filter(hearing=hearing, category=current.category_id, status=self.Status.RESERVE)
                    .order_by("reserve_rank")
                    .first()
                )
                if reserve is not None:
                    reserve.promote(number=current.participant_number, hearing=hearing, by=by)
        self.refresh_from_db()

    withdraw.alters_data = True

    def promote(self, *, number, hearing, by):
        rank = self.reserve_rank
        self.move(
            "promote",
            by=by,
            note=_("Registration %(pk)d moves up from the reserve list as participant %(number)d.")
            % {"pk": self.pk, "number": number},
            fields={"reserve_rank": None, "participant_number": number},
        )
        # The others on the reserve list move up one place.
        type(self).objects.filter(
            hearing=hearing, category=self.category_id, status=self.Status.RESERVE, reserve_rank__gt=rank
        ).order_by("reserve_rank").update(reserve_rank=F("reserve_rank") - 1)
        self.refresh_from_db()
        Notification.queue(
            recipient=self.user,
            template="hearings/hearings/email/promoted",
            context={"hearing": hearing, "registration": self},
            url=reverse("hearings:my-registrations"),
        )
        if hearing.status == Hearing.Status.MATERIALS_SENT:
            self.send_materials()

    def select(self, *, by, position, number):
        """The draw's outcome (the hearing and its registrations are locked by `Hearing.draw`)."""
        self.move("select", by=by, fields={"draw_position": position, "participant_number": number}, lock=False)

    def put_on_reserve(self, *, by, position, rank):
        self.move("put_on_reserve", by=by, fields={"draw_position": position, "reserve_rank": rank}, lock=False)

    def release(self, *, by):
        """The hearing was held: the reserve list has served its purpose."""
        self.move("release", by=by, fields={"reserve_rank": None})

    def send_materials(self):
        type(self).objects.filter(pk=self.pk).update(materials_sent_at=timezone.now())
        Notification.queue(
            recipient=self.user,
            template="hearings/hearings/email/materials",
            context={"hearing": self.hearing, "registration": self},
            url=reverse("hearings:hearing", args=[self.hearing_id]),
        )


def sweep_unrequested_licensing_hearings(today) -> int:
    """Art. 47: a right to a hearing not used within its 5 days lapses; the review goes on."""
    count = 0
    for hearing in Hearing.objects.filter(kind=Hearing.Kind.LICENSING, status=Hearing.Status.NOTIFIED):
        if hearing.request_deadline < today:
            try:
                hearing.waive(by=None, today=today)
            except InvalidTransition:
                continue
            count += 1
    return count
