"""Suggestions, requests for help, complaints and reports of wrongdoing (one `Opinion` per case).

An opinion is a case (kind "opinion", tracking prefix YJ) routed by its
category to a lead department, with the category's time limit. The lead
department accepts it or transfers it; a disputed transfer goes to the center
supervisor; the department may ask the submitter for more information (the
clock pauses), replies, and the submitter may rate the reply and reopen the
case once. Duplicates of an open case are merged into it.

A report of wrongdoing names the unit reported (`reported_department`): its
staff never see the reporter's identity or materials (Letters and Visits
Regulations Art. 30), and a report is never published.

The fields below are the contract the board, the statistics and the demo rely
on; the workflow methods live beside them.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case
from civiccenter.lib.i18n import localized
from civiccenter.lib.uploads import CheckedFileField, private_storage
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


class Opinion(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting acceptance")
        TRANSFER_DISPUTED = "transfer_disputed", _("Transfer disputed, awaiting the supervisor")
        ACCEPTED = "accepted", _("Being handled")
        INFO_REQUESTED = "info_requested", _("Waiting for more information from the submitter")
        REPLIED = "replied", _("Replied")
        REOPENED = "reopened", _("Reopened, being handled again")
        MERGED = "merged", _("Merged into another case")

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="opinion")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="opinions"
    )
    # Null for cases registered by staff for callers without an account (phone, window, post).
    submitter = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED, editable=False)
    title = models.CharField(_("title"), max_length=120, validators=[validate_plain_text])
    description = models.TextField(_("description"), max_length=5000)
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_plain_text])
    # Reports only: the unit the report is about. Its staff never see the reporter or the materials.
    reported_department = models.ForeignKey(
        Department,
        verbose_name=_("unit reported"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_reports_about",
    )
    consent_to_publish = models.BooleanField(_("agrees to publication of the handled case"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="duplicates",
    )
    reply = models.TextField(_("reply"), blank=True, editable=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True, editable=False)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True, editable=False)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True, editable=False)
    # The published copy on the board: scrubbed, reviewed by a moderator, the name masked.
    public_title = models.CharField(_("published title"), max_length=120, blank=True, editable=False)
    public_description = models.TextField(_("published description"), blank=True, editable=False)
    public_reply = models.TextField(_("published reply"), blank=True, editable=False)
    public_name = models.CharField(_("published name"), max_length=60, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        indexes = [
            # The public board, newest first, read with a keyset.
            models.Index(
                fields=["-published_at", "-id"], name="opinion_board_keyset", condition=Q(published_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["suggestion", "help", "complaint", "report"]), name="opinion_kind_valid"
            ),
            # No consent, no publication; and a report of wrongdoing is never published.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | (Q(consent_to_publish=True) & ~Q(kind="report")),
                name="opinion_published_needs_consent",
            ),
            # Only reports name a unit reported.
            models.CheckConstraint(
                condition=Q(reported_department__isnull=True) | Q(kind="report"),
                name="opinion_reported_unit_only_for_reports",
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="opinion_not_merged_into_itself"),
        ]

    def __str__(self):
        return f"{self.case.number} {self.title}"


class OpinionFile(models.Model):
    """A photo or document attached to an opinion (private: served only through a view that checks access)."""

    opinion = models.ForeignKey(Opinion, verbose_name=_("opinion"), on_delete=models.CASCADE, related_name="files")
    file = CheckedFileField(_("file"), folder="opinions/files", storage=private_storage, max_bytes=10 * 1024 * 1024)
    # Where it came from: the submission, the submitter's additional information, or staff.
    added_by = models.ForeignKey(
        "civiccenter.User", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.file.name
