"""Opinion categories: what a suggestion, complaint or report is about, routed to its lead department with
its time limit (and co-handling departments that read it)."""

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
        ]

    def __str__(self):
        return self.display_name
