"""The annual report on government information disclosure (Art. 49-50; format 国办公开办函〔2021〕30号)."""

from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.models import Department, DepartmentScopedQuerySet
from disclosure import annual


class ReportFrozen(InvalidTransition):
    """A published report is a public record: its tables and text no longer change."""


class UnbalancedReport(InvalidTransition):
    """Publication refused: the form's checks fail; `failures` says where."""

    def __init__(self, failures):
        self.failures = failures
        super().__init__(" ".join(failure.message for failure in failures))


class BalanceFailure(NamedTuple):
    table: str  # "3" or "4"
    column: str  # a column key of annual.COLUMNS, or a group of annual.TABLE4_GROUPS
    message: str


# What a published report never changes again.
FROZEN_FIELDS = (
    "year",
    "department_id",
    "table2",
    "table3",
    "table4",
    "overview",
    "proactive_text",
    "requests_text",
    "remedies_text",
    "problems",
    "other",
    "generated_at",
)


class AnnualReportQuerySet(DepartmentScopedQuerySet):
    """Department staff see their department's reports; the district's (no department) only center-wide roles."""

    def published(self):
        return self.filter(published_at__isnull=False)

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def for_scope(self, scope: str):
        """`scope` as in the public URLs: "district" or a department code in any case."""
        if scope == "district":
            return self.filter(department__isnull=True)
        return self.filter(department__code__iexact=scope)


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
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

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
        return f"{self.year} {self.scope_name}"

    def save(self, *args, **kwargs):
        # Once published, the report is the public record: refuse any change to it, whoever saves.
        # The row lock orders this save after a concurrent publish(), which locks it too.
        with transaction.atomic():
            if self.pk is not None:
                stored = (
                    type(self)
                    .objects.select_for_update()
                    .filter(pk=self.pk)
                    .order_by()  # no join to the department: FOR UPDATE refuses the nullable side of one
                    .values("published_at", *FROZEN_FIELDS)
                    .first()
                )
                if (
                    stored is not None
                    and stored["published_at"] is not None
                    and any(stored[field] != getattr(self, field) for field in FROZEN_FIELDS)
                ):
                    raise ReportFrozen(_("The report is published; its figures can no longer change."))
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("disclosure:report", args=[self.year, self.scope])

    @property
    def scope_name(self):
        return self.department.display_name if self.department_id else gettext("District government")

    @property
    def scope(self) -> str:
        return self.department.code.lower() if self.department_id else "district"

    def get_csv_url(self):
        return reverse("disclosure:report-csv", args=[self.year, self.scope])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_generated(self) -> bool:
        return self.generated_at is not None

    # --- Deadlines (Art. 49-50) ---------------------------------------------------------

    @staticmethod
    def deadline_for(year: int, department=None) -> date:
        """Departments publish by 31 January of the next year, the district government by 31 March."""
        return date(year + 1, 1, 31) if department is not None else date(year + 1, 3, 31)

    @property
    def deadline(self) -> date:
        return self.deadline_for(self.year, self.department_id)

    def is_late(self, today=None) -> bool:
        if self.published_at is not None:
            return timezone.localdate(self.published_at) > self.deadline
        return (today or clock.today()) > self.deadline

    # --- Generation -----------------------------------------------------------------------

    @classmethod
    @transaction.atomic
    def generate(cls, year: int, department=None, *, now=None) -> "AnnualReport":
        """Create, or refresh, the draft report of `year` from the portal's data.

        The generated figures of tables 二 and 三 are replaced; what staff entered (the
        penalty, coercion and fee rows of table 二, table 四, the narrative) is kept.
        A published report is refused (ReportFrozen).
        """
        report, _created = cls.objects.select_for_update().get_or_create(year=year, department=department)
        if report.is_published:
            raise ReportFrozen(_("The report is published; its figures can no longer change."))
        table2 = {**annual.empty_table2(), **annual.table2(year, department)}
        for key in annual.STAFF_TABLE2_KEYS:
            if key in report.table2:
                table2[key] = report.table2[key]
        table3, fees = annual.table3(year, department)
        report.table2 = table2
        report.table3 = {"rows": table3, "fees": fees}
        if not report.table4:
            report.table4 = annual.empty_table4()
        report.generated_at = now or clock.now()
        report.save()
        return report

    generate.alters_data = True

    def regenerate(self, *, now=None) -> "AnnualReport":
        fresh = type(self).generate(self.year, self.department, now=now)
        self.refresh_from_db()
        return fresh

    regenerate.alters_data = True

    def set_staff_figures(self, *, penalty: int, coercion: int, fees: Decimal, table4: dict):
        """What the portal cannot count: penalty and coercion decisions, fee income (万元), table 四.

        Table 四's totals are computed here from the four outcome columns.
        """
        if self.is_published:
            raise ReportFrozen(_("The report is published; its figures can no longer change."))
        self.table2 = {**annual.empty_table2(), **self.table2, "penalty": penalty, "coercion": coercion}
        self.table2["fees"] = str(Decimal(fees).quantize(Decimal("0.0001")).normalize())
        rows = annual.empty_table4()
        for group, values in rows.items():
            for column in annual.TABLE4_ENTERED:
                values[column] = int(table4.get(group, {}).get(column, 0))
            values["total"] = sum(values[column] for column in annual.TABLE4_ENTERED)
        self.table4 = rows

    # --- Reading the stored tables ----------------------------------------------------------

    @property
    def table3_rows(self) -> dict:
        return self.table3.get("rows", {}) if self.table3 else {}

    @property
    def fees_charged(self) -> Decimal:
        return Decimal((self.table3 or {}).get("fees", {}).get("amount", "0"))

    @property
    def fee_requests(self) -> int:
        return int((self.table3 or {}).get("fees", {}).get("requests", 0))

    def check_balance(self) -> list[BalanceFailure]:
        """The checks printed on the form, column by column; an empty list means balanced.

        Table 三: 一 + 二 = 三(七) + 四; 三(七) is the sum of the outcome rows; 总计 is the sum of
        the applicant columns. Table 四: each 总计 is the sum of its four outcomes.
        """
        failures = []
        rows = self.table3_rows
        if not rows:
            return [BalanceFailure("3", "total", gettext("Table 3 has not been generated."))]

        def cell(row, column):
            try:
                return int(rows.get(row, {}).get(column, 0))
            except (TypeError, ValueError):
                return 0

        labels = dict(annual.COLUMNS)
        for column in annual.COLUMN_KEYS:
            new, carried, total, forward = (cell(row, column) for row in ("1", "2", "3.7", "4"))
            if new + carried != total + forward:
                failures.append(
                    BalanceFailure(
                        "3",
                        column,
                        gettext(
                            "Table 3, %(column)s: new %(new)d + carried over %(carried)d ≠ "
                            "handled %(total)d + carried forward %(forward)d."
                        )
                        % {
                            "column": labels[column],
                            "new": new,
                            "carried": carried,
                            "total": total,
                            "forward": forward,
                        },
                    )
                )
            outcomes = sum(cell(row, column) for row in annual.OUTCOME_ROWS)
            if outcomes != total:
                failures.append(
                    BalanceFailure(
                        "3",
                        column,
                        gettext("Table 3, %(column)s: the outcomes add up to %(sum)d, not the total %(total)d.")
                        % {"column": labels[column], "sum": outcomes, "total": total},
                    )
                )
        for row in annual.ROW_KEYS:
            parts = sum(cell(row, column) for column in annual.KIND_COLUMNS)
            if parts != cell(row, "total"):
                failures.append(
                    BalanceFailure(
                        "3",
                        "total",
                        gettext("Table 3, row %(row)s: the columns add up to %(sum)d, not the total %(total)d.")
                        % {"row": annual.ROW_LABELS[row], "sum": parts, "total": cell(row, "total")},
                    )
                )
        groups = dict(annual.TABLE4_GROUPS)
        for group, values in (self.table4 or {}).items():
            entered = sum(int(values.get(column, 0)) for column in annual.TABLE4_ENTERED)
            if group in groups and entered != int(values.get("total", 0)):
                failures.append(
                    BalanceFailure(
                        "4",
                        group,
                        gettext("Table 4, %(group)s: the outcomes add up to %(sum)d, not the total %(total)d.")
                        % {"group": groups[group], "sum": entered, "total": int(values.get("total", 0))},
                    )
                )
        return failures

    # --- Publication --------------------------------------------------------------------------

    @transaction.atomic
    def publish(self, *, by, now=None):
        """Publish the report (Art. 50): generated, with its overview written, balanced, once only."""
        current = type(self).objects.select_for_update().get(pk=self.pk)
        if current.is_published:
            raise ReportFrozen(_("The report is already published."))
        if not current.is_generated:
            raise InvalidTransition(_("Generate the report's tables before publishing it."))
        if not current.overview.strip():
            raise InvalidTransition(_("Write the overview (section 1) before publishing the report."))
        failures = current.check_balance()
        if failures:
            raise UnbalancedReport(failures)
        current.published_at = now or clock.now()
        current.published_by = by
        current.save(update_fields=["published_at", "published_by"])
        self.published_at, self.published_by = current.published_at, current.published_by

    publish.alters_data = True


class AnnualReportReminder(models.Model):
    """A reminder sent for a year's report of a department (or the district): once per kind."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Deadline approaching")
        OVERDUE = "overdue", _("Overdue")

    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("annual report reminder")
        verbose_name_plural = _("annual report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department", "kind"], name="annualreportreminder_once", nulls_distinct=False
            ),
            models.CheckConstraint(condition=Q(kind__in=["due_soon", "overdue"]), name="annualreportreminder_kind"),
        ]

    def __str__(self):
        return f"{self.year} {self.department or '—'} {self.kind}"


def sweep_report_reminders(today) -> int:
    """Remind of last year's unpublished reports (Art. 49-50): DISCLOSURE_REPORT_REMINDER_DAYS before the
    deadline, and once more when it has passed. Department heads for a department's report, the
    center's system administrators for the district's. One notice per report and kind, however often
    the sweep runs (a unique row per report and kind is written in the same transaction).
    """
    from django.conf import settings
    from django.db import IntegrityError

    from civiccenter import roles
    from civiccenter.models import Notification, User

    year = today.year - 1
    lead = timedelta(days=settings.DISCLOSURE_REPORT_REMINDER_DAYS)
    published = set(AnnualReport.objects.filter(year=year).published().values_list("department_id", flat=True))
    sent = set(AnnualReportReminder.objects.filter(year=year).values_list("department_id", "kind"))
    scopes = [None, *Department.objects.order_by("order", "pk")]
    heads = {}
    for person in User.objects.filter(is_active=True, is_staff=True, groups__name=roles.DEPARTMENT_HEAD).distinct():
        heads.setdefault(person.department_id, []).append(person)
    administrators = list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=roles.SYSTEM_ADMINISTRATOR).distinct()
    )
    count = 0
    for department in scopes:
        department_id = department.pk if department is not None else None
        if department_id in published:
            continue
        deadline = AnnualReport.deadline_for(year, department)
        if today > deadline:
            kind = AnnualReportReminder.Kind.OVERDUE
        elif today >= deadline - lead:
            kind = AnnualReportReminder.Kind.DUE_SOON
        else:
            continue
        recipients = administrators if department is None else heads.get(department_id, [])
        if (department_id, kind) in sent or not recipients:
            continue
        try:
            with transaction.atomic():
                AnnualReportReminder.objects.create(year=year, department=department, kind=kind, sent_on=today)
                report = AnnualReport(year=year, department=department)
                for person in recipients:
                    Notification.queue(
                        recipient=person,
                        template="disclosure/reports/email/reminder",
                        context={
                            "report": report,
                            "deadline": deadline,
                            "overdue": kind == AnnualReportReminder.Kind.OVERDUE,
                        },
                        url=reverse("admin:disclosure_annualreport_changelist"),
                    )
        except IntegrityError:
            continue  # another sweep sent it meanwhile
        count += 1
    return count
