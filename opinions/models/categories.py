"""Opinion categories: what a suggestion, complaint or report is about, routed to its lead department with
its time limits (and co-handling departments that read it).

Urgent complaints and requests for help have shorter limits (prc-rules §7, the 12345 hotline: emergencies are
passed on at once; the national rules fix no number of days, local rules do, typically 5-15 working days for
ordinary cases and hours for emergencies). So the limits are the category's, like the ordinary one, with
defaults an administrator can change: 5 days when urgent, 1 day for an emergency, never longer than the
ordinary limit, counted in the category's unit. The hours of an emergency are the duty contact's, told at once.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civiccenter.lib.i18n import localized
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, DepartmentScopedQuerySet


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of wrongdoing")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


# Only these kinds may be urgent (prc-rules §7): a suggestion or a report is never an emergency to dispatch.
URGENT_KINDS = (Kind.COMPLAINT, Kind.HELP)
URGENT_DAYS = 5
EMERGENCY_DAYS = 1


class CategoryQuerySet(DepartmentScopedQuerySet):
    department_lookup = "lead_department"

    def active(self):
        return self.filter(active=True)


class Category(models.Model):
    """What an opinion is about: it routes the opinion to a lead department with a time limit."""

    class Unit(models.TextChoices):
        WORKING = "working", _("working days")
        CALENDAR = "calendar", _("calendar days")

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=100, blank=True, validators=[validate_plain_text])
    description = models.CharField(_("what belongs here"), max_length=200, blank=True)
    description_en = models.CharField(_("what belongs here, in English"), max_length=300, blank=True)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("lead department"), on_delete=models.PROTECT, related_name="opinion_categories"
    )
    co_departments = models.ManyToManyField(
        Department, verbose_name=_("co-handling departments"), blank=True, related_name="opinion_categories_co"
    )
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (days)"), default=15)
    time_limit_unit = models.CharField(_("counted in"), max_length=10, choices=Unit, default=Unit.WORKING)
    urgent_time_limit_days = models.PositiveSmallIntegerField(
        _("time limit when urgent (days)"),
        default=URGENT_DAYS,
        help_text=_("For urgent complaints and requests for help; never longer than the ordinary time limit."),
    )
    emergency_time_limit_days = models.PositiveSmallIntegerField(
        _("time limit in an emergency (days)"),
        default=EMERGENCY_DAYS,
        help_text=_("The handling department's duty contact is also told at once."),
    )
    active = models.BooleanField(_("open for submissions"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = CategoryQuerySet.as_manager()
    display_name = localized("name")
    display_description = localized("description")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("opinion category")
        verbose_name_plural = _("opinion categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(time_limit_days__gte=1, time_limit_days__lte=90), name="opinion_category_days_range"
            ),
            models.CheckConstraint(
                condition=Q(time_limit_unit__in=["working", "calendar"]), name="opinion_category_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgent_time_limit_days__gte=1, urgent_time_limit_days__lte=90)
                & Q(emergency_time_limit_days__gte=1, emergency_time_limit_days__lte=90),
                name="opinion_category_urgent_days_range",
            ),
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        super().clean()
        normal, urgent, emergency = self.time_limit_days, self.urgent_time_limit_days, self.emergency_time_limit_days
        if None not in (normal, urgent) and urgent > normal:
            raise ValidationError(
                {"urgent_time_limit_days": _("An urgent case cannot have longer than the ordinary time limit.")}
            )
        if None not in (urgent, emergency) and emergency > urgent:
            raise ValidationError(
                {"emergency_time_limit_days": _("An emergency cannot have longer than an urgent case.")}
            )

    def time_limit_for(self, urgency=Urgency.NORMAL):
        """The days of the time limit at this urgency, in `time_limit_unit`; never longer than the ordinary one."""
        days = {
            Urgency.URGENT: self.urgent_time_limit_days,
            Urgency.EMERGENCY: self.emergency_time_limit_days,
        }.get(urgency, self.time_limit_days)
        return min(days, self.time_limit_days)
