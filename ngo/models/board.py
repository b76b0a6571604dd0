"""The mutual assistance board (邻里互助): residents and organizations post needs and offers of help.

Moderation comes first: a post is read by a moderator before anyone else sees
it (approved, or rejected with a reason the poster reads and can fix). A
government portal publishes nothing unread, and a need for help often carries
personal circumstances worth a second look. Responses are private between the
responder and the poster, so they are not moderated beforehand; anyone may
report a post or a response, and moderators hide what is abusive.

Contact details are personal information (PIPL, prc-rules.md §10): they are
never shown publicly. The poster sees responses without the responders'
contact details; once the poster accepts a response, the two of them (and only
they) see each other's. The rule lives in `Post.poster_contact_for()` and
`Response.contact_for()`, which the views and templates use.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.lib.validators import validate_phone, validate_plain_text
from civiccenter.models import Notification, User
from civiccenter.stateful import StatefulModel, log_status
from civiccenter.workflow import APPLICANT, STAFF, Move, Workflow

__all__ = ["Post", "Report", "Response"]

THANKS_MAX_LENGTH = 300


class PostQuerySet(models.QuerySet):
    def public(self):
        """Posts anyone may read: approved and not hidden (open, accepted or closed)."""
        return self.filter(status__in=Post.PUBLIC_STATUSES)

    def open(self):
        return self.filter(status=Post.Status.OPEN)

    def of(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(author=user)

    def visible_to(self, user):
        """What a visitor may open: the public posts and, signed in, their own in any state."""
        if user.is_authenticated:
            return self.filter(Q(status__in=Post.PUBLIC_STATUSES) | Q(author=user))
        return self.public()

    def for_list(self):
        return self.select_related("organization").only(
            "pk",
            "kind",
            "category",
            "area",
            "when_text",
            "starts_on",
            "ends_on",
            "title",
            "description",
            "status",
            "published_at",
            "organization__name",
            "author_id",
        )

    def reported(self):
        return self.filter(reports__resolved_at__isnull=True).distinct()


class Post(StatefulModel):
    class Kind(models.TextChoices):
        NEED = "need", _("Need help")
        OFFER = "offer", _("Offer help")

    class Category(models.TextChoices):
        ELDERLY = "elderly", _("Elderly care and company")
        CHILDREN = "children", _("Children and homework")
        ERRANDS = "errands", _("Errands and shopping")
        REPAIRS = "repairs", _("Household repairs")
        TRANSPORT = "transport", _("Transport and accompanying")
        HEALTH = "health", _("Health and hospital visits")
        SKILLS = "skills", _("Skills and lessons")
        GOODS = "goods", _("Lending and giving items")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Response accepted")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Not published")
        HIDDEN = "hidden", _("Hidden by a moderator")

    # `submit` (a new post) logs the first status, pending. Responding (open posts only) and thanking
    # (closed posts only) keep the status and are not in the table: they are rules of those methods.
    WORKFLOW = Workflow(
        "ngo.post",
        Status,
        [
            Move(
                "approve",
                (Status.PENDING,),
                Status.OPEN,
                label=_("Approve and publish"),
                by=STAFF,
                permission="ngo.moderate_post",
            ),
            Move(
                "reject",
                (Status.PENDING,),
                Status.REJECTED,
                label=_("Reject"),
                by=STAFF,
                permission="ngo.moderate_post",
                requires=_("The reason, so the poster can correct the post"),
            ),
            Move(
                "resubmit",
                (Status.REJECTED,),
                Status.PENDING,
                label=_("Resubmit for moderation"),
                by=APPLICANT,
                requires=_("The poster, after correcting the post"),
            ),
            Move(
                "accept",
                (Status.OPEN,),
                Status.ACCEPTED,
                label=_("Accept a response"),
                by=APPLICANT,
                requires=_("The poster accepts one visible response to the post"),
            ),
            Move(
                "close",
                (Status.OPEN, Status.ACCEPTED),
                Status.CLOSED,
                label=_("Close the post"),
                by=APPLICANT,
                requires=_("The poster"),
            ),
            Move(
                "hide",
                (Status.OPEN, Status.ACCEPTED, Status.CLOSED),
                Status.HIDDEN,
                label=_("Hide"),
                by=STAFF,
                permission="ngo.moderate_post",
                requires=_("The reason for hiding it; the post's open reports are resolved"),
            ),
        ],
    )
    PUBLIC_STATUSES = (Status.OPEN, Status.ACCEPTED, Status.CLOSED)

    author = models.ForeignKey(User, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="board_posts")
    organization = models.ForeignKey(
        "ngo.Organization",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_posts",
    )
    kind = models.CharField(_("need or offer"), max_length=5, choices=Kind)
    category = models.CharField(_("category"), max_length=12, choices=Category)
    area = models.CharField(
        _("area"), max_length=60, validators=[validate_plain_text], help_text=_("Street or community, e.g. 城南街道.")
    )
    when_text = models.CharField(
        _("when"),
        max_length=100,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("E.g. “weekday mornings” or “any weekend”."),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=100, validators=[validate_plain_text])
    description = models.TextField(_("description"), max_length=2000)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True, validators=[validate_phone])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, editable=False, db_index=True
    )
    moderation_reason = models.TextField(_("reason"), blank=True, editable=False)
    moderated_by = models.ForeignKey(
        User, verbose_name=_("moderated by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    poster_thanks = models.CharField(_("thanks from the poster"), max_length=THANKS_MAX_LENGTH, blank=True)
    responder_thanks = models.CharField(_("thanks from the helper"), max_length=THANKS_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("board post")
        verbose_name_plural = _("board posts")
        permissions = [("moderate_post", _("Can approve, reject and hide board posts and responses"))]
        indexes = [
            # The public board, newest first, read with a keyset.
            models.Index(fields=["-published_at", "-id"], name="boardpost_open_keyset", condition=Q(status="open")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "open", "accepted", "closed", "rejected", "hidden"]),
                name="boardpost_status_valid",
            ),
            models.CheckConstraint(condition=Q(kind__in=["need", "offer"]), name="boardpost_kind_valid"),
            models.CheckConstraint(condition=~Q(contact_phone="") | ~Q(contact_email=""), name="boardpost_has_contact"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="boardpost_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "rejected"]) | Q(published_at__isnull=False),
                name="boardpost_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "hidden"]) | ~Q(moderation_reason=""),
                name="boardpost_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="closed") | (Q(poster_thanks="") & Q(responder_thanks="")) | Q(status="hidden"),
                name="boardpost_thanks_when_closed",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ngo:board-post", args=[self.pk])

    def clean(self):
        super().clean()
        if not self.contact_phone and not self.contact_email:
            raise ValidationError(
                {"contact_phone": _("Give a phone number or an e-mail address (or both).")}, code="no_contact"
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")}, code="dates")

    # Reading ---------------------------------------------------------------------

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    @property
    def poster_name(self):
        """The organization's name, or the resident's masked name (张**): the public never sees a full name."""
        if self.organization_id:
            return self.organization.name
        from civiccenter.lib.scrub import mask_name

        return mask_name(self.author.full_name)

    @property
    def can_edit(self):
        return self.status in (self.Status.PENDING, self.Status.REJECTED)

    def accepted_response(self):
        return self.responses.filter(accepted=True).select_related("responder").first()

    def poster_contact_for(self, user):
        """The poster's contact details if `user` may see them (the poster, or the accepted responder), else None."""
        if not user.is_authenticated:
            return None
        if user.pk == self.author_id or (
            self.status in (self.Status.ACCEPTED, self.Status.CLOSED)
            and self.responses.filter(accepted=True, responder=user).exists()
        ):
            return {"phone": self.contact_phone, "email": self.contact_email}
        return None

    # Transitions -------------------------------------------------------------------

    def _locked(self):
        return type(self).objects.select_for_update().get(pk=self.pk)

    def _sync(self, locked):
        for field in locked._meta.concrete_fields:
            setattr(self, field.attname, getattr(locked, field.attname))

    @classmethod
    def submit(cls, *, by, organization=None, **fields):
        """A new post, waiting for moderation. Posting for an organization needs it verified and administered by `by`."""
        from ngo.models.organizations import Organization

        if organization is not None:
            if not organization.is_verified:
                raise ValidationError(_("Only a verified organization can post on the board."), code="unverified")
            if not Organization.objects.administered_by(by).filter(pk=organization.pk).exists():
                raise ValidationError(_("You are not an administrator of this organization."), code="not_admin")
        post = cls(author=by, organization=organization, **fields)
        post.full_clean()
        with transaction.atomic():
            post.save()
            log_status(post, move="submit", by=by)
        return post

    @in_language_of_record
    def resubmit(self, *, by):
        """After a rejection, the poster's corrected post goes back to the moderators."""
        with transaction.atomic():
            locked = self._locked()
            if locked.author_id != by.pk:
                raise InvalidTransition(_("Only the poster can do this."))
            locked.move("resubmit", by=by, fields={"moderation_reason": ""}, lock=False)
        self.status, self.moderation_reason = locked.status, locked.moderation_reason

    resubmit.alters_data = True

    @in_language_of_record
    def approve(self, *, by):
        with transaction.atomic():
            locked = self._locked()
            now = clock.now()
            locked.move(
                "approve",
                by=by,
                fields={"moderation_reason": "", "moderated_by": by, "moderated_at": now, "published_at": now},
                lock=False,
            )
            Notification.queue(
                recipient=locked.author,
                template="ngo/email/board_post_approved",
                context={"post": locked},
                url=locked.get_absolute_url(),
            )
        self._sync(locked)

    approve.alters_data = True

    @in_language_of_record
    def reject(self, *, by, reason):
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason, so the poster can correct the post."))
        with transaction.atomic():
            locked = self._locked()
            locked.move(
                "reject",
                by=by,
                note=reason,
                fields={"moderation_reason": reason, "moderated_by": by, "moderated_at": clock.now()},
                lock=False,
            )
            Notification.queue(
                recipient=locked.author,
                template="ngo/email/board_post_rejected",
                context={"post": locked},
                url=locked.get_absolute_url(),
            )
        self._sync(locked)

    reject.alters_data = True

    @in_language_of_record
    def hide(self, *, by, reason):
        """A moderator hides a published post (usually after a report); its open reports are resolved."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason for hiding it."))
        with transaction.atomic():
            locked = self._locked()
            now = clock.now()
            locked.move(
                "hide",
                by=by,
                note=reason,
                fields={"moderation_reason": reason, "moderated_by": by, "moderated_at": now},
                lock=False,
            )
            locked.reports.filter(resolved_at__isnull=True).update(
                resolved_at=now, resolved_by=by, outcome=Report.Outcome.HIDDEN
            )
            Notification.queue(
                recipient=locked.author,
                template="ngo/email/board_post_hidden",
                context={"post": locked},
                url=locked.get_absolute_url(),
            )
        self._sync(locked)

    hide.alters_data = True

    @in_language_of_record
    def respond(self, *, by, message, contact_phone="", contact_email=""):
        """Another signed-in user answers an open post; the poster is told (without the responder's contact)."""
        if by is None or not by.is_authenticated:
            raise InvalidTransition(_("Sign in to respond."))
        with transaction.atomic():
            locked = self._locked()
            if locked.status != self.Status.OPEN:
                raise InvalidTransition(_("This post no longer takes responses."))
            if locked.author_id == by.pk:
                raise InvalidTransition(_("You cannot respond to your own post."))
            response = Response(
                post=locked,
                responder=by,
                message=(message or "").strip(),
                contact_phone=contact_phone,
                contact_email=contact_email,
            )
            response.full_clean(exclude=["post", "responder"], validate_unique=False, validate_constraints=False)
            try:
                with transaction.atomic():
                    response.save()
            except IntegrityError as error:
                raise InvalidTransition(_("You have already responded to this post.")) from error
            Notification.queue(
                recipient=locked.author,
                template="ngo/email/board_response",
                context={"post": locked},
                url=locked.get_absolute_url(),
            )
        return response

    respond.alters_data = True

    @in_language_of_record
    def accept(self, *, by, response):
        """The poster accepts one response: from now on the two see each other's contact details."""
        with transaction.atomic():
            locked = self._locked()
            if locked.author_id != by.pk:
                raise InvalidTransition(_("Only the poster can do this."))
            chosen = Response.objects.select_for_update().get(pk=response.pk)
            if chosen.post_id != locked.pk or chosen.hidden:
                raise InvalidTransition(_("This response cannot be accepted."))
            locked.move("accept", by=by, lock=False)
            chosen.accepted, chosen.accepted_at = True, clock.now()
            chosen.save(update_fields=["accepted", "accepted_at"])
            Notification.queue(
                recipient=chosen.responder,
                template="ngo/email/board_accepted",
                context={"post": locked},
                url=locked.get_absolute_url(),
            )
        self._sync(locked)
        response.accepted, response.accepted_at = chosen.accepted, chosen.accepted_at

    accept.alters_data = True

    @in_language_of_record
    def close(self, *, by):
        """The poster closes the post when the help was given (or is no longer needed)."""
        with transaction.atomic():
            locked = self._locked()
            if locked.author_id != by.pk:
                raise InvalidTransition(_("Only the poster can do this."))
            locked.move("close", by=by, fields={"closed_at": clock.now()}, lock=False)
        self._sync(locked)

    close.alters_data = True

    @in_language_of_record
    def thank(self, *, by, text):
        """After closing, the poster and the accepted helper may each thank the other publicly, once."""
        text = " ".join((text or "").split())
        if not text:
            raise InvalidTransition(_("Write a few words of thanks."))
        if len(text) > THANKS_MAX_LENGTH:
            raise InvalidTransition(
                lazy_format(_("A note of thanks has at most %(max)d characters."), {"max": THANKS_MAX_LENGTH})
            )
        validate_plain_text(text)
        from civiccenter.lib.scrub import scrub_text

        text = scrub_text(text)
        with transaction.atomic():
            locked = self._locked()
            if locked.status != self.Status.CLOSED:
                raise InvalidTransition(_("Thanks are given once the post is closed."))
            if by.pk == locked.author_id:
                field = "poster_thanks"
            elif locked.responses.filter(accepted=True, responder=by).exists():
                field = "responder_thanks"
            else:
                raise InvalidTransition(_("Only the poster and the accepted helper can thank each other here."))
            if getattr(locked, field):
                raise InvalidTransition(_("You have already written your thanks."))
            setattr(locked, field, text)
            locked.save(update_fields=[field])
        self._sync(locked)

    thank.alters_data = True

    def report(self, *, by, reason):
        return Report.file(by=by, reason=reason, post=self)


class ResponseQuerySet(models.QuerySet):
    def reported(self):
        return self.filter(reports__resolved_at__isnull=True).distinct()


class Response(models.Model):
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="responses")
    responder = models.ForeignKey(
        User, verbose_name=_("responder"), on_delete=models.PROTECT, related_name="board_responses"
    )
    message = models.TextField(_("message"), max_length=1000)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True, validators=[validate_phone])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    accepted = models.BooleanField(_("accepted"), default=False, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    hidden = models.BooleanField(_("hidden"), default=False, editable=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True, editable=False)
    hidden_by = models.ForeignKey(
        User, verbose_name=_("hidden by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("sent at"), default=clock.now, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("response to a board post")
        verbose_name_plural = _("responses to board posts")
        constraints = [
            models.UniqueConstraint(fields=["post", "responder"], name="boardresponse_once_per_user"),
            # One accepted response per post, whatever the concurrency.
            models.UniqueConstraint(fields=["post"], condition=Q(accepted=True), name="boardresponse_one_accepted"),
            models.CheckConstraint(
                condition=~Q(contact_phone="") | ~Q(contact_email=""), name="boardresponse_has_contact"
            ),
            models.CheckConstraint(condition=~Q(message=""), name="boardresponse_message_not_empty"),
            models.CheckConstraint(
                condition=Q(accepted=False) | Q(accepted_at__isnull=False), name="boardresponse_accepted_has_date"
            ),
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""), name="boardresponse_hidden_has_reason"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.message[:40]}"

    def get_absolute_url(self):
        return self.post.get_absolute_url() + f"#response-{self.pk}"

    def clean(self):
        super().clean()
        if not self.contact_phone and not self.contact_email:
            raise ValidationError(
                {"contact_phone": _("Give a phone number or an e-mail address (or both).")}, code="no_contact"
            )

    @property
    def responder_name(self):
        from civiccenter.lib.scrub import mask_name

        return mask_name(self.responder.full_name)

    def contact_for(self, user):
        """The responder's contact details if `user` may see them (the responder; the poster once accepted)."""
        if not user.is_authenticated:
            return None
        if user.pk == self.responder_id or (self.accepted and user.pk == self.post.author_id):
            return {"phone": self.contact_phone, "email": self.contact_email}
        return None

    @in_language_of_record
    def hide(self, *, by, reason):
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason for hiding it."))
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if locked.hidden:
                raise InvalidTransition(_("This response is already hidden."))
            locked.hidden, locked.hidden_reason, locked.hidden_by = True, reason, by
            locked.save(update_fields=["hidden", "hidden_reason", "hidden_by"])
            locked.reports.filter(resolved_at__isnull=True).update(
                resolved_at=clock.now(), resolved_by=by, outcome=Report.Outcome.HIDDEN
            )
        self.hidden, self.hidden_reason, self.hidden_by = locked.hidden, locked.hidden_reason, locked.hidden_by

    hide.alters_data = True

    def report(self, *, by, reason):
        return Report.file(by=by, reason=reason, response=self)


class ReportQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    """A signed-in user's report of an abusive post or response: once per user and item (the database says so)."""

    class Outcome(models.TextChoices):
        HIDDEN = "hidden", _("Hidden")
        DISMISSED = "dismissed", _("Dismissed")

    reporter = models.ForeignKey(User, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reason = models.TextField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("reported at"), default=clock.now, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        User, verbose_name=_("resolved by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report of abuse on the board")
        verbose_name_plural = _("reports of abuse on the board")
        constraints = [
            models.CheckConstraint(
                condition=(Q(post__isnull=False) & Q(response__isnull=True))
                | (Q(post__isnull=True) & Q(response__isnull=False)),
                name="boardreport_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"], condition=Q(post__isnull=False), name="boardreport_post_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["reporter", "response"],
                condition=Q(response__isnull=False),
                name="boardreport_response_once_per_user",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="boardreport_has_reason"),
            models.CheckConstraint(
                condition=Q(outcome__in=["", "hidden", "dismissed"]), name="boardreport_outcome_valid"
            ),
            models.CheckConstraint(
                condition=(Q(resolved_at__isnull=True) & Q(outcome=""))
                | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="boardreport_resolved_has_outcome",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.reason[:40]}"

    @property
    def target(self):
        return self.post if self.post_id else self.response

    @classmethod
    def file(cls, *, by, reason, post=None, response=None):
        if by is None or not by.is_authenticated:
            raise InvalidTransition(_("Sign in to report."))
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Say what is wrong with it."))
        try:
            with transaction.atomic():
                return cls.objects.create(reporter=by, reason=reason[:500], post=post, response=response)
        except IntegrityError as error:
            raise InvalidTransition(_("You have already reported this.")) from error

    def dismiss(self, *, by):
        """The moderator found nothing wrong: the report leaves the queue."""
        updated = (
            type(self)
            .objects.filter(pk=self.pk, resolved_at__isnull=True)
            .update(resolved_at=clock.now(), resolved_by=by, outcome=self.Outcome.DISMISSED)
        )
        if not updated:
            raise InvalidTransition(_("This report is already resolved."))
        self.refresh_from_db(fields=["resolved_at", "resolved_by", "outcome"])

    dismiss.alters_data = True


def open_report_counts(queryset, field="reports"):
    """Annotate each row with its number of unresolved reports (one query with the list)."""
    return queryset.annotate(open_reports=Count(field, filter=Q(**{f"{field}__resolved_at__isnull": True})))
