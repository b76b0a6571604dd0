"""Drafts open for public comment (意见征集), their comments, dispositions and adoption reports.

Order 713 (prc-rules.md §4): a draft decision is published with its
explanation, how to comment and the deadline; the period is generally at least
30 days, and a shorter one must be explained in the notice (Art. 15). Every
opinion is studied and given a disposition (Art. 18, 29); the decision is
published with how the public's opinions were adopted, and for catalogue items
(major decisions, Art. 3) it cannot be published before the adoption report
(Art. 32-33). Comments are published only after moderation, with personal
details scrubbed (PIPL Art. 25, prc-rules.md §10).

Here: the kinds of draft and the draft with its table `Draft.WORKFLOW`; the articles,
comments and adoption report are in draft_comments.py.
"""

from collections import defaultdict
from datetime import date

from django.db import models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock, scrub, workdays
from civiccenter.lib.i18n import in_language_of_record, lazy_format, localized
from civiccenter.lib.uploads import CheckedFileField
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import CalendarDay, Department, DepartmentScopedQuerySet, Notification, User
from civiccenter.stateful import StatefulModel, log_status
from civiccenter.workflow import STAFF, Move, Workflow
from hearings.models.catalogue import CatalogueItem, catalogue_years
from hearings.models.draft_comments import COMMENT_MAX_LENGTH, AdoptionReport, Article, Comment

__all__ = [
    "AdoptionReport",
    "Article",
    "CatalogueItem",
    "Comment",
    "Draft",
    "DraftKind",
    "catalogue_years",
    "open_drafts",
    "past_drafts",
]


class DraftKind(models.Model):
    """A kind of document put out for comment, with its minimum comment period (editable by administrators)."""

    class Unit(models.TextChoices):
        CALENDAR = workdays.CALENDAR, _("calendar days")
        WORKING = workdays.WORKING, _("working days")

    name = models.CharField(_("name"), max_length=60, unique=True, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=100, blank=True, validators=[validate_plain_text])
    min_days = models.PositiveSmallIntegerField(_("minimum comment period"), default=30)
    unit = models.CharField(_("counted in"), max_length=10, choices=Unit, default=Unit.CALENDAR)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("For administrators: where the minimum comes from."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    display_name = localized("name")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kind of draft")
        verbose_name_plural = _("kinds of draft")
        constraints = [
            models.CheckConstraint(condition=Q(min_days__gte=1), name="draftkind_min_days_positive"),
            models.CheckConstraint(condition=Q(unit__in=["calendar", "working"]), name="draftkind_unit_valid"),
        ]

    def __str__(self):
        return self.display_name

    def earliest_close(self, opens_on: date, calendar=None) -> workdays.Deadline:
        """The first day the period may close: `min_days` after `opens_on`, moved off a day off (Civil Code Art. 203)."""
        calendar = calendar or CalendarDay.objects.work_calendar()
        return workdays.compute(calendar, opens_on, self.min_days, self.unit)


class DraftQuerySet(DepartmentScopedQuerySet):
    def published(self):
        return self.exclude(status=Draft.Status.PREPARING)

    def open(self, today=None):
        today = today or clock.today()
        return self.filter(status=Draft.Status.CONSULTING, opens_on__lte=today, closes_on__gte=today)

    def past(self, today=None):
        """Consultations whose period is over, with or without their decision."""
        today = today or clock.today()
        return self.published().filter(closes_on__lt=today)

    def for_list(self):
        return self.select_related("department", "kind", "report", "catalogue_item")


class Draft(StatefulModel):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        CONSULTING = "consulting", _("Published for comment")
        DECIDED = "decided", _("Decision published")

    # The comment period's close is a date, not a status: "open" and "closed" are read from `opens_on`/`closes_on`.
    WORKFLOW = Workflow(
        "hearings.draft",
        Status,
        [
            Move(
                "publish",
                (Status.PREPARING,),
                Status.CONSULTING,
                _("Publish for comment"),
                by=STAFF,
                permission="hearings.publish_draft",
                requires=_(
                    "The draft's articles; a period opening no earlier than the day of publication and lasting the "
                    "kind's minimum, or the reason for a shorter one published with it (Order 713 Art. 15)."
                ),
            ),
            Move(
                "generate_report",
                (Status.CONSULTING, Status.DECIDED),
                None,
                _("Generate the adoption report"),
                by=STAFF,
                permission="hearings.change_adoptionreport",
                requires=_(
                    "The comment period closed; every comment moderated and given its disposition (Art. 18); the "
                    "report not yet published."
                ),
            ),
            Move(
                "publish_report",
                (Status.CONSULTING, Status.DECIDED),
                None,
                _("Publish the adoption report"),
                by=STAFF,
                permission="hearings.publish_report",
                requires=_(
                    "The comment period closed; every comment moderated and given its disposition; the report's "
                    "text. Every commenter is told (Art. 32-33)."
                ),
            ),
            Move(
                "publish_decision",
                (Status.CONSULTING,),
                Status.DECIDED,
                _("Publish the final decision"),
                by=STAFF,
                permission="hearings.publish_decision",
                requires=_(
                    "The comment period closed; the decision's text; for a major decision, the adoption report "
                    "published first (Art. 32-33)."
                ),
            ),
        ],
    )

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="drafts"
    )
    kind = models.ForeignKey(DraftKind, verbose_name=_("kind of document"), on_delete=models.PROTECT)
    major = models.BooleanField(
        _("major administrative decision"),
        default=False,
        help_text=_(
            "An item of the published catalogue of major decisions (Order 713 Art. 3): its decision cannot be "
            "published before the adoption report."
        ),
    )
    # Order 713 Art. 3: a major decision is an item of the published yearly catalogue.
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("item of the catalogue of major decisions"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts",
        help_text=_("Required for a major administrative decision before it is published for comment."),
    )
    explanation = models.TextField(
        _("explanation of the draft"), help_text=_("起草说明: why, what, and the main points.")
    )
    how_to_comment = models.TextField(
        _("how to comment"),
        blank=True,
        help_text=_("Other ways to comment (post, e-mail, in person) besides this page."),
    )
    opens_on = models.DateField(_("comments open on"))
    closes_on = models.DateField(
        _("comments close on"), help_text=_("Comments are accepted until the end of this day.")
    )
    shortened_reason = models.TextField(
        _("reason for a shorter period"),
        blank=True,
        help_text=_("Required, and published with the draft, when the period is shorter than the kind's minimum."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PREPARING, editable=False, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip
    decision_text = models.TextField(_("final decision"), blank=True, editable=False)
    decision_file = CheckedFileField(
        _("decision document"), folder="hearings/decisions", kinds=("pdf",), blank=True, editable=False
    )
    decided_at = models.DateTimeField(_("decision published at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        User, verbose_name=_("decision published by"), on_delete=models.PROTECT, null=True, blank=True,
        editable=False, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("draft for comment")
        verbose_name_plural = _("drafts for comment")
        permissions = [
            ("publish_draft", _("Can publish drafts for comment")),
            ("dispose_comment", _("Can give comments their disposition")),
            ("publish_report", _("Can publish adoption reports")),
            ("publish_decision", _("Can publish final decisions")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["preparing", "consulting", "decided"]), name="draft_status_valid"
            ),
            models.CheckConstraint(condition=Q(closes_on__gt=F("opens_on")), name="draft_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(status="preparing") | Q(published_at__isnull=False), name="draft_published_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | (Q(decided_at__isnull=False) & ~Q(decision_text="")),
                name="draft_decided_has_decision",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("hearings:draft", args=[self.pk])

    # State ----------------------------------------------------------------------

    @property
    def is_published(self):
        return self.status != self.Status.PREPARING

    def is_open(self, today=None):
        today = today or clock.today()
        return self.status == self.Status.CONSULTING and self.opens_on <= today <= self.closes_on

    def is_closed(self, today=None):
        """The comment period is over (the day after `closes_on`)."""
        return self.is_published and (today or clock.today()) > self.closes_on

    def not_yet_open(self, today=None):
        return self.status == self.Status.CONSULTING and (today or clock.today()) < self.opens_on

    def days_left(self, today=None):
        """Whole days after today still open for comment (0: today is the last day)."""
        return (self.closes_on - (today or clock.today())).days

    def earliest_close(self, calendar=None) -> workdays.Deadline:
        return self.kind.earliest_close(self.opens_on, calendar)

    @property
    def is_shortened(self):
        return bool(self.shortened_reason.strip())

    def report_or_none(self):
        try:
            return self.report
        except AdoptionReport.DoesNotExist:
            return None

    @property
    def report_published(self):
        report = self.report_or_none()
        return bool(report and report.published_at)

    def _locked(self):
        return type(self).objects.select_for_update().get(pk=self.pk)

    def _sync(self, locked):
        for field in locked._meta.concrete_fields:
            setattr(self, field.attname, getattr(locked, field.attname))

    # Transitions ----------------------------------------------------------------

    @in_language_of_record
    def publish(self, *, by, today=None):
        """Publish the draft for comment (Order 713 Art. 15).

        The period must reach the kind's minimum (30 days for decisions and rules),
        counted from the opening day and moved off a day off like any period,
        unless the reason for a shorter one is given: it is published with the draft.
        """
        today = today or clock.today()
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("publish", locked.status)
            if locked.opens_on < today:
                raise InvalidTransition(_("The comment period cannot open before the day the draft is published."))
            if not locked.articles.exists():
                raise InvalidTransition(_("Add the draft's articles before publishing it."))
            if locked.major and (
                locked.catalogue_item is None or locked.catalogue_item.status != CatalogueItem.Status.PUBLISHED
            ):
                raise InvalidTransition(
                    _(
                        "A major administrative decision is published for comment as an item of the published "
                        "catalogue of major decision items: choose its item (Order 713 Art. 3)."
                    )
                )
            earliest = locked.earliest_close().due
            if locked.closes_on < earliest and not locked.is_shortened:
                raise InvalidTransition(
                    lazy_format(
                        _(
                            "The comment period must last at least %(days)d %(unit)s, until %(date)s, unless the "
                            "reason for a shorter period is published with the draft (Order 713 Art. 15)."
                        ),
                        {
                            "days": locked.kind.min_days,
                            "unit": locked.kind.get_unit_display(),
                            "date": earliest.isoformat(),
                        },
                    )
                )
            locked.move("publish", by=by, fields={"published_at": clock.now(), "published_by": by}, lock=False)
        self._sync(locked)

    publish.alters_data = True

    @in_language_of_record
    def publish_decision(self, *, by, text, file=None, today=None):
        """Publish the final decision beside the draft (Art. 32-33).

        Only after the comment period; for a major decision, only once the adoption
        report is published, so the decision always comes with how opinions were adopted.
        """
        text = (text or "").strip()
        if not text:
            raise InvalidTransition(_("Write the decision's text."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("publish_decision", locked.status)
            if not locked.is_closed(today):
                raise InvalidTransition(_("The decision can only be published after the comment period closes."))
            waiting = locked.hearings.exclude(status__in=("concluded", "cancelled")).first()
            if waiting is not None:
                raise InvalidTransition(
                    lazy_format(
                        _(
                            "The hearing on this draft (%(hearing)s) is not concluded: publish the decision once its "
                            "signed record and report are in (Order 713 Art. 17, 32-33)."
                        ),
                        {"hearing": waiting.display_matter},
                    )
                )
            if locked.major and not AdoptionReport.objects.filter(draft=locked, published_at__isnull=False).exists():
                raise InvalidTransition(
                    _(
                        "This is a major decision: publish the adoption report of the public's opinions before "
                        "the decision (Order 713 Art. 32-33)."
                    )
                )
            if file:
                # Saved through the field, which stores the upload (a bare UPDATE would not).
                locked.decision_file = file
                locked.save(update_fields=["decision_file"])
            locked.move(
                "publish_decision",
                by=by,
                fields={"decision_text": text, "decided_at": clock.now(), "decided_by": by},
                lock=False,
            )
        self._sync(locked)

    publish_decision.alters_data = True

    def submit_comment(self, *, by, text, display_name, article=None, today=None):
        """A signed-in citizen's or organization's comment; it waits for moderation before anyone else sees it."""
        if by is None or not by.is_authenticated:
            raise InvalidTransition(_("Sign in to comment."))
        text = (text or "").strip()
        display_name = " ".join((display_name or "").split())
        if not text:
            raise InvalidTransition(_("Write your comment."))
        if len(text) > COMMENT_MAX_LENGTH:
            raise InvalidTransition(
                lazy_format(_("A comment has at most %(max)d characters."), {"max": COMMENT_MAX_LENGTH})
            )
        if not display_name:
            raise InvalidTransition(_("Choose the name shown with your comment."))
        if article is not None and article.draft_id != self.pk:
            raise InvalidTransition(_("This article is not part of this draft."))
        with transaction.atomic():
            # Lock the draft so a comment cannot slip in while the period is being closed or decided.
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if not locked.is_open(today):
                raise InvalidTransition(_("This draft is not open for comment."))
            comment = Comment.objects.create(
                draft=locked,
                article=article,
                author=by,
                display_name=scrub.scrub_text(display_name)[:40],
                text=text,
                public_text=scrub.scrub_text(text, names=[by.full_name]),
            )
            log_status(comment, by=by)
            return comment

    submit_comment.alters_data = True

    # The adoption report ---------------------------------------------------------

    def report_data(self):
        """Counts by article × disposition and the reasons grouped, from the comments (two queries)."""
        comments = Comment.objects.filter(draft=self)
        articles = {a.pk: a for a in self.articles.all()}
        keys = [choice for choice, _label in Comment.Disposition.choices]
        rows = defaultdict(lambda: dict.fromkeys(keys, 0))
        for row in comments.values("article_id", "disposition").annotate(n=Count("pk")).order_by():
            if row["disposition"]:
                rows[row["article_id"]][row["disposition"]] += row["n"]

        def number(article_id):
            return articles[article_id].number if article_id in articles else 0

        counts = []
        for article_id in sorted(rows, key=number):
            cells = rows[article_id]
            counts.append({"article": number(article_id) or None, **cells, "total": sum(cells.values())})
        totals = {key: sum(row[key] for row in counts) for key in keys}
        totals["total"] = sum(totals.values())
        reasons = defaultdict(list)
        grouped = (
            comments.exclude(disposition="")
            .values("disposition", "article__number", "disposition_reason")
            .annotate(n=Count("pk"))
            .order_by("article__number", "disposition_reason")
        )
        for row in grouped:
            reasons[row["disposition"]].append(
                {"article": row["article__number"], "reason": row["disposition_reason"], "count": row["n"]}
            )
        return {
            "counts": counts,
            "totals": totals,
            "reasons": [{"disposition": key, "items": reasons[key]} for key in keys if reasons[key]],
        }

    def _check_ready_for_report(self, locked, today):
        if not locked.is_closed(today):
            raise InvalidTransition(_("The adoption report is made after the comment period closes."))
        comments = Comment.objects.filter(draft=locked)
        if comments.filter(state=Comment.State.PENDING).exists():
            raise InvalidTransition(_("Some comments are still waiting for moderation."))
        missing = comments.filter(disposition="").count()
        if missing:
            raise InvalidTransition(
                lazy_format(_("%(count)d comment(s) still have no disposition."), {"count": missing})
            )

    @in_language_of_record
    def generate_report(self, *, by, today=None):
        """Build (or rebuild) the adoption report from the dispositions; staff then edit its text and publish it."""
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("generate_report", locked.status)
            self._check_ready_for_report(locked, today)
            report = AdoptionReport.objects.select_for_update().filter(draft=locked).first()
            if report and report.published_at:
                raise InvalidTransition(_("The adoption report is already published."))
            data = locked.report_data()
            if report is None:
                report = AdoptionReport(draft=locked)
            if not report.text:
                report.text = str(
                    lazy_format(
                        _(
                            "The draft was open for comment from %(opens)s to %(closes)s; %(count)d comment(s) "
                            "were received. Each was studied and given a disposition, as follows."
                        ),
                        {
                            "opens": locked.opens_on.isoformat(),
                            "closes": locked.closes_on.isoformat(),
                            "count": data["totals"]["total"],
                        },
                    )
                )
            report.data, report.generated_at, report.generated_by = data, clock.now(), by
            report.save()
            locked.move("generate_report", by=by, lock=False)
        return report

    generate_report.alters_data = True

    @in_language_of_record
    def publish_report(self, *, by, today=None):
        """Publish the adoption report and tell every commenter it is out (in the same transaction: the outbox)."""
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("publish_report", locked.status)
            report = AdoptionReport.objects.select_for_update().filter(draft=locked).first()
            if report is None:
                raise InvalidTransition(_("Generate the adoption report first."))
            if report.published_at:
                raise InvalidTransition(_("The adoption report is already published."))
            if not report.text.strip():
                raise InvalidTransition(_("Write the report's text."))
            self._check_ready_for_report(locked, today)
            # The tables are rebuilt now, so what is published matches the final dispositions.
            report.data = locked.report_data()
            report.published_at, report.published_by = clock.now(), by
            report.save(update_fields=["data", "published_at", "published_by"])
            authors = User.objects.filter(pk__in=Comment.objects.filter(draft=locked).values("author")).order_by("pk")
            for author in authors:
                Notification.queue(
                    recipient=author,
                    email=author.email,
                    template="hearings/drafts/email/report_published",
                    context={"draft": locked, "report": report},
                    url=locked.get_absolute_url(),
                )
            locked.move("publish_report", by=by, lock=False)
        return report

    publish_report.alters_data = True


def open_drafts(today=None):
    """For the section's landing page: drafts open for comment, closing first first."""
    return Draft.objects.open(today).for_list().order_by("closes_on", "pk")


def past_drafts(today=None, limit=10):
    """Past consultations with their report and decision, latest first."""
    return Draft.objects.past(today).for_list().order_by("-closes_on", "-pk")[:limit]
