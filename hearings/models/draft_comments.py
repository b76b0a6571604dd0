"""What the public says on a draft: its numbered articles, the comments (moderated, then given a disposition)
and the adoption report generated from the dispositions (Order 713 Art. 15-18, 29, 32-33).

`Draft` (drafts.py) imports this module; the methods here that need `Draft` import it when they run.
Comments are published only after moderation, with personal details scrubbed (PIPL Art. 25).
"""

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock, scrub
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import User
from civiccenter.stateful import StatefulModel
from civiccenter.workflow import STAFF, Move, Workflow

COMMENT_MAX_LENGTH = 3000


def article_label(number):
    return lazy_format(_("Article %(number)d"), {"number": number}) if number else _("The whole draft")


class Article(models.Model):
    """One numbered article of the draft, so that a comment can address it."""

    draft = models.ForeignKey("hearings.Draft", on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveSmallIntegerField(_("number"))
    heading = models.CharField(_("heading"), max_length=100, blank=True, validators=[validate_plain_text])
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["draft", "number"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="article_number_unique_per_draft"),
            models.CheckConstraint(condition=Q(number__gte=1), name="article_number_positive"),
        ]

    def __str__(self):
        return str(self.label_text)

    @property
    def label_text(self):
        return article_label(self.number)

    @property
    def anchor(self):
        return f"article-{self.number}"


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Comment.State.PUBLISHED)

    def pending(self):
        return self.filter(state=Comment.State.PENDING)

    def visible_to(self, user):
        """Staff: comments on their department's drafts (moderators: all). Others: their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.is_staff:
            return self.filter(author=user)
        from civiccenter import roles

        if user.sees_all_departments or roles.MODERATOR in user.role_names:
            return self
        if user.department_id:
            return self.filter(draft__department=user.department_id)
        return self.none()


class Comment(StatefulModel):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        WITHHELD = "withheld", _("Withheld")

    WORKFLOW = Workflow(
        "hearings.comment",
        State,
        [
            Move(
                "publish",
                (State.PENDING, State.WITHHELD),
                State.PUBLISHED,
                _("Publish the comment"),
                by=STAFF,
                permission="hearings.moderate_comment",
                requires=_(
                    "Personal details scrubbed from the published wording, which cannot be empty (PIPL Art. 25)."
                ),
            ),
            Move(
                "withhold",
                (State.PENDING, State.PUBLISHED),
                State.WITHHELD,
                _("Withhold the comment"),
                by=STAFF,
                permission="hearings.moderate_comment",
                requires=_("The reason for withholding, shown to the commenter."),
            ),
            Move(
                "dispose",
                (State.PENDING, State.PUBLISHED, State.WITHHELD),
                None,
                _("Give the comment its disposition"),
                by=STAFF,
                permission="hearings.dispose_comment",
                requires=_(
                    "The comment period closed and the adoption report not yet published; the disposition and its "
                    "reason (Order 713 Art. 18)."
                ),
            ),
        ],
    )

    class Disposition(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTLY = "partly", _("Partly adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        OUT_OF_SCOPE = "out_of_scope", _("Outside the draft's scope")

    draft = models.ForeignKey(
        "hearings.Draft", verbose_name=_("draft"), on_delete=models.CASCADE, related_name="comments"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    display_name = models.CharField(_("name shown"), max_length=40)
    text = models.TextField(_("comment as written"), help_text=_("Private: never shown to the public."))
    public_text = models.TextField(_("comment as published"), blank=True)
    state = models.CharField(_("moderation"), max_length=10, choices=State, default=State.PENDING, editable=False)
    withheld_reason = models.TextField(_("reason for withholding"), blank=True, editable=False)
    moderated_by = models.ForeignKey(
        User, verbose_name=_("moderated by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True, editable=False)
    disposition = models.CharField(_("disposition"), max_length=12, choices=Disposition, blank=True, editable=False)
    disposition_reason = models.TextField(_("reason for the disposition"), blank=True, editable=False)
    disposed_by = models.ForeignKey(
        User, verbose_name=_("disposition by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip
    disposed_at = models.DateTimeField(_("disposition at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=clock.now, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")
        permissions = [("moderate_comment", _("Can publish or withhold comments on drafts"))]
        indexes = [models.Index(fields=["draft", "state", "created_at"], name="comment_draft_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "published", "withheld"]), name="comment_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="withheld") | ~Q(withheld_reason=""), name="comment_withheld_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(moderated_at__isnull=False), name="comment_moderated_has_date"
            ),
            models.CheckConstraint(
                condition=Q(disposition__in=["", "adopted", "partly", "not_adopted", "out_of_scope"]),
                name="comment_disposition_valid",
            ),
            models.CheckConstraint(
                condition=Q(disposition="") | (~Q(disposition_reason="") & Q(disposed_at__isnull=False)),
                name="comment_disposition_has_reason",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="comment_text_not_empty"),
            models.CheckConstraint(condition=~Q(display_name=""), name="comment_display_name_not_empty"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.public_text[:40]}"

    @property
    def target_label(self):
        return self.article.label_text if self.article_id else _("The whole draft")

    def scrub_preview(self):
        """What the moderator reviews: the scrubbed text and what was masked in the original."""
        return scrub.scrub(self.text, names=[self.author.full_name])

    # The moderation field keeps its name (the CSV exports read `state`); the workflow base reads it by name.
    STATUS_FIELD = "state"

    @property
    def status(self):
        return self.state

    def _sync(self, locked):
        self.state, self.public_text, self.withheld_reason = locked.state, locked.public_text, locked.withheld_reason
        self.moderated_by, self.moderated_at = locked.moderated_by, locked.moderated_at

    @in_language_of_record
    def publish(self, *, by, public_text=None):
        """Publish with the personal details scrubbed; staff may edit the published wording."""
        with transaction.atomic():
            locked = type(self).objects.select_for_update().select_related("author").get(pk=self.pk)
            self.WORKFLOW.check("publish", locked.state)
            # Scrubbed again whatever the moderator typed: a number re-typed in review cannot slip through.
            wording = (public_text if public_text is not None else locked.public_text) or locked.text
            wording = scrub.scrub_text(wording.strip(), names=[locked.author.full_name])
            if not wording:
                raise InvalidTransition(_("The published wording cannot be empty."))
            locked.move(
                "publish",
                by=by,
                fields={
                    "public_text": wording,
                    "withheld_reason": "",
                    "moderated_by": by,
                    "moderated_at": clock.now(),
                },
                lock=False,
            )
        self._sync(locked)

    publish.alters_data = True

    @in_language_of_record
    def withhold(self, *, by, reason):
        """Withhold the comment from the public, with the reason the commenter sees."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason for withholding the comment."))
        locked = self.move(
            "withhold",
            by=by,
            note=reason,
            fields={"withheld_reason": reason, "moderated_by": by, "moderated_at": clock.now()},
        )
        self._sync(locked)

    withhold.alters_data = True

    def moderate(self, *, by, publish, reason="", public_text=None):
        """Publish or withhold: the moderators' one form, two moves of the table."""
        if publish:
            return self.publish(by=by, public_text=public_text)
        return self.withhold(by=by, reason=reason)

    moderate.alters_data = True

    def dispose(self, *, by, disposition, reason, today=None):
        """The department's disposition of the opinion (Art. 18), after the period closes and until the report is out."""
        from hearings.models.drafts import Draft  # the module that imports this one

        reason = (reason or "").strip()
        if disposition not in self.Disposition.values:
            raise InvalidTransition(_("Choose a disposition."))
        if not reason:
            raise InvalidTransition(_("Give the reason for the disposition."))
        with transaction.atomic():
            draft = Draft.objects.select_for_update().get(pk=self.draft_id)
            if not draft.is_closed(today):
                raise InvalidTransition(_("Comments are given their disposition after the comment period closes."))
            if AdoptionReport.objects.filter(draft=draft, published_at__isnull=False).exists():
                raise InvalidTransition(_("The adoption report is published: dispositions can no longer change."))
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            locked.move(
                "dispose",
                by=by,
                note=reason,
                fields={
                    "disposition": disposition,
                    "disposition_reason": reason,
                    "disposed_by": by,
                    "disposed_at": clock.now(),
                },
                lock=False,
            )
        self.disposition, self.disposition_reason = locked.disposition, locked.disposition_reason
        self.disposed_by, self.disposed_at = locked.disposed_by, locked.disposed_at

    dispose.alters_data = True


class AdoptionReport(models.Model):
    """How the public's opinions were adopted (意见采纳情况): generated from the dispositions, edited, published."""

    draft = models.OneToOneField(
        "hearings.Draft", on_delete=models.CASCADE, related_name="report", verbose_name=_("draft")
    )
    text = models.TextField(_("report"), help_text=_("The summary published above the generated tables."))
    data = models.JSONField(_("generated counts and reasons"), default=dict, editable=False)
    generated_at = models.DateTimeField(_("generated at"), editable=False)
    generated_by = models.ForeignKey(
        User, verbose_name=_("generated by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("adoption report")
        verbose_name_plural = _("adoption reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(text=""), name="adoptionreport_published_has_text"
            )
        ]

    def __str__(self):
        return str(lazy_format(_("Adoption report: %(title)s"), {"title": self.draft.title}))

    def get_absolute_url(self):
        return reverse("hearings:draft-report", args=[self.draft_id])

    @property
    def counts(self):
        """The rows by article, labelled in the reader's language (the stored data holds numbers only)."""
        return [{**row, "label": article_label(row["article"])} for row in self.data.get("counts", [])]

    @property
    def totals(self):
        return self.data.get("totals", {})

    @property
    def reason_groups(self):
        labels = dict(Comment.Disposition.choices)
        return [
            {
                **group,
                "label": labels.get(group["disposition"], ""),
                "items": [{**item, "label": article_label(item["article"])} for item in group["items"]],
            }
            for group in self.data.get("reasons", [])
        ]

    def publish(self, *, by, today=None):
        """Publish the report: the draft's move `publish_report`."""
        from hearings.models.drafts import Draft  # the module that imports this one

        locked = Draft.objects.get(pk=self.draft_id).publish_report(by=by, today=today)
        self.data, self.published_at, self.published_by = locked.data, locked.published_at, locked.published_by

    publish.alters_data = True
