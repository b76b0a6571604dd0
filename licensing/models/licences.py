"""Licences (Administrative Licensing Law Art. 38, 40, 44, 50): the public register and renewal reminders."""

from datetime import timedelta

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import CaseEvent, InvalidTransition, new_query_code
from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record
from civiccenter.lib.masking import mask_name
from licensing.models.applications import Application

# A renewal application still waiting for its decision.
RENEWAL_PENDING = ("submitted", "correction_requested", "accepted", "suspended")


class LicenceQuerySet(models.QuerySet):
    def with_renewal(self):
        """Each licence with `renewal_pending`: a renewal asked in time (Art. 50) is still undecided."""
        return self.annotate(
            renewal_pending=models.Exists(
                Application.objects.filter(
                    renews=models.OuterRef("pk"), renewal_in_time=True, status__in=RENEWAL_PENDING
                )
            )
        )

    def in_register(self, today=None):
        """Approvals the public may see (Art. 40), minus secrets and privacy (Art. 5), once any objection window is over."""
        return self.filter(confidentiality="", publish_from__lte=today or clock.today())


class Licence(models.Model):
    """The licence an approval issues, with a public verification page (Art. 38, 40, 44)."""

    class Confidentiality(models.TextChoices):
        NONE = "", _("Public")
        STATE_SECRET = "state_secret", _("Involves state secrets")
        BUSINESS_SECRET = "business_secret", _("Involves business secrets")
        PERSONAL_PRIVACY = "personal_privacy", _("Involves personal privacy")

    number = models.CharField(_("licence number"), max_length=24, unique=True, editable=False)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="licence")
    holder = models.CharField(_("holder"), max_length=100)
    scope = models.TextField(_("scope"))
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: no expiry."))
    verification_code = models.CharField(_("verification code"), max_length=8, unique=True, default=new_query_code)
    confidentiality = models.CharField(
        _("kept out of the public register"), max_length=20, blank=True, choices=Confidentiality, default=""
    )
    publish_from = models.DateField(_("in the public register from"), default=clock.today)
    renewal_reminded_on = models.DateField(_("renewal reminder sent on"), null=True, blank=True, editable=False)

    objects = LicenceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="licence_valid_after_issue",
            )
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("licensing:licence-verify", args=[self.verification_code])

    def is_valid_on(self, day):
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def deemed_renewed_on(self, day):
        """Art. 50: expired, but its renewal was asked in time and is not decided yet: renewed by law."""
        if self.valid_until is None or day <= self.valid_until:
            return False
        pending = getattr(self, "renewal_pending", None)
        if pending is None:
            pending = self.renewal_applications.filter(renewal_in_time=True, status__in=RENEWAL_PENDING).exists()
        return pending

    def in_force_on(self, day):
        return self.is_valid_on(day) or self.deemed_renewed_on(day)

    @property
    def public_holder(self):
        """Individuals' names are masked in the register; enterprises are named."""
        if self.application.applicant_type == Application.ApplicantType.INDIVIDUAL:
            return mask_name(self.holder)
        return self.holder

    def can_object(self, today=None):
        return not self.confidentiality and (today or clock.today()) < self.publish_from

    @in_language_of_record
    def object_to_publication(self, *, by, today=None):
        """The applicant keeps an approval involving business secrets out of the register (Art. 5)."""
        today = today or clock.today()
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if not locked.can_object(today):
                raise InvalidTransition(_("The time to object has passed, or the licence is already kept out."))
            locked.confidentiality = self.Confidentiality.BUSINESS_SECRET
            locked.save(update_fields=["confidentiality"])
            locked.application.case.log(
                CaseEvent.Kind.PUBLICATION,
                by=by,
                note=_("The applicant objected to publication: the approval stays out of the public register."),
            )
        self.confidentiality = locked.confidentiality


def sweep_renewal_reminders(today) -> int:
    """Art. 50: renewal is requested at least 30 days before expiry, so holders are told in good time.

    LICENCE_RENEWAL_REMINDER_DAYS (default 60) before expiry, once per licence.
    """
    from django.conf import settings

    horizon = today + timedelta(days=settings.LICENCE_RENEWAL_REMINDER_DAYS)
    due = Licence.objects.filter(
        renewal_reminded_on__isnull=True, valid_until__isnull=False, valid_until__gt=today, valid_until__lte=horizon
    ).select_related("application__applicant", "application__version__matter", "application__case")
    count = 0
    for licence in due:
        with transaction.atomic():
            if not Licence.objects.filter(pk=licence.pk, renewal_reminded_on__isnull=True).update(
                renewal_reminded_on=today
            ):
                continue
            application = licence.application
            application.case.notify_applicant(
                "licensing/email/renewal_reminder",
                {"licence": licence, "last_day": licence.valid_until - timedelta(days=30)},
                url=reverse("licensing:application-detail", args=[application.pk]),
            )
            count += 1
    return count


def recompute_publication_dates(calendar) -> int:
    """Art. 5: an approval claiming business secrets enters the register 5 working days after issue; while that
    window is still open, the day moves with the calendar."""
    from civiccenter.lib import workdays

    changed = 0
    today = clock.today()
    waiting = Licence.objects.filter(
        confidentiality="", publish_from__gt=today, application__claims_business_secret=True
    ).values_list("pk", "issued_on", "publish_from")
    for pk, issued_on, publish_from in waiting:
        day = workdays.compute(calendar, issued_on, 5).due
        if day != publish_from:
            Licence.objects.filter(pk=pk).update(publish_from=day)
            changed += 1
    return changed
