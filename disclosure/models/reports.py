"""The annual report on government information disclosure (Art. 49-50; format 国办公开办函〔2021〕30号)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.models import Department, DepartmentScopedQuerySet


class AnnualReportQuerySet(DepartmentScopedQuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class AnnualReport(models.Model):
    """One year's report for a department, or for the whole district when `department` is empty.

    Tables 二 and 三 are generated from the portal's data and stored as generated (so a
    published report never changes); table 四 is entered by staff. The balance check of
    table 三 (new + carried over = handled + carried forward) must hold before publication.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosure_reports",
        help_text=_("Empty: the report of the whole district government."),
    )
    table2 = models.JSONField(_("table 2: proactive disclosure"), default=dict, blank=True)
    table3 = models.JSONField(_("table 3: requests received and handled"), default=dict, blank=True)
    table4 = models.JSONField(_("table 4: reconsideration and litigation"), default=dict, blank=True)
    overview = models.TextField(_("1. overview"), blank=True)
    proactive_text = models.TextField(_("2. proactive disclosure (commentary)"), blank=True)
    requests_text = models.TextField(_("3. requests (commentary)"), blank=True)
    remedies_text = models.TextField(_("4. reconsideration and litigation (commentary)"), blank=True)
    problems = models.TextField(_("5. problems and improvements"), blank=True)
    other = models.TextField(_("6. other matters, including fees"), blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        "civiccenter.User", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "department__order", "pk"]
        verbose_name = _("annual disclosure report")
        verbose_name_plural = _("annual disclosure reports")
        permissions = [("publish_annualreport", _("Can generate and publish annual disclosure reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department"], name="annualreport_one_per_year_and_department", nulls_distinct=False
            ),
            models.CheckConstraint(condition=Q(year__gte=2008, year__lte=2100), name="annualreport_year_range"),
        ]

    def __str__(self):
        whom = self.department.display_name if self.department_id else _("District government")
        return f"{self.year} {whom}"
