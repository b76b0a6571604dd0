"""Who takes part in a hearing: participant categories with quotas and eligibility, and the registrations.

A registration (one per account and per ID number, the number kept encrypted and as a keyed digest) moves by its
own table, `HearingRegistration.WORKFLOW`: the draw (`Hearing.draw`, hearing_draws.py) selects it or puts it on
the reserve list, a selected participant's withdrawal promotes the first reserve of the category.
`Hearing` (hearings.py) imports this module; its methods here import `Hearing` when they run.
"""

import hashlib
import hmac
from datetime import date

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.i18n import localized
from civiccenter.lib.masking import mask_id_number
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Notification
from civiccenter.stateful import StatefulModel
from civiccenter.workflow import APPLICANT, SYSTEM, Move, Workflow


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


class HearingCategory(models.Model):
    """A category of participants (consumers, operators, experts...) with its quota and eligibility."""

    hearing = models.ForeignKey("hearings.Hearing", on_delete=models.CASCADE, related_name="categories")
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
        from hearings.models.hearings import Hearing  # the module that imports this one

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
        "hearings.Hearing", verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="registrations"
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
    created_at = models.DateTimeField(_("registered at"), default=clock.now, editable=False)

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
        from hearings.models.hearings import Hearing  # the module that imports this one

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

        today = today or clock.today()
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
        from hearings.models.hearings import Hearing  # the module that imports this one

        now = now or clock.now()
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
        from hearings.models.hearings import Hearing  # the module that imports this one

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
        type(self).objects.filter(pk=self.pk).update(materials_sent_at=clock.now())
        Notification.queue(
            recipient=self.user,
            template="hearings/hearings/email/materials",
            context={"hearing": self.hearing, "registration": self},
            url=reverse("hearings:hearing", args=[self.hearing_id]),
        )
