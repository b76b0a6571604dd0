"""Policy interpretations (政策解读) and online interviews (在线访谈)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock, scrub, uploads
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, DepartmentScopedQuerySet
from civiccenter.stateful import StatefulModel, log_status
from civiccenter.workflow import STAFF, Move, Workflow

# Kept here under its old name: migrations refer to it by this path.
ResizedImageField = uploads.ResizedImageField


class InterpretationQuerySet(DepartmentScopedQuerySet):
    def published(self, today=None):
        return self.filter(published_on__isnull=False, published_on__lte=today or clock.today())


class Interpretation(models.Model):
    """A policy explained in plain words, linked to the documents it interprets and the entries it feeds."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    summary = models.TextField(_("in short"), max_length=1000)
    body = models.TextField(_("text"))
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="interpretations"
    )
    documents = models.ManyToManyField(
        "disclosure.Document", verbose_name=_("documents interpreted"), blank=True, related_name="interpretations"
    )
    entries = models.ManyToManyField(
        "consultation.KnowledgeEntry",
        verbose_name=_("knowledge base entries"),
        blank=True,
        related_name="interpretations",
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = InterpretationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("policy interpretation")
        verbose_name_plural = _("policy interpretations")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:interpretation", args=[self.pk])


class InterpretationImage(models.Model):
    """An explanatory graphic (图解), with the alt text that says what it shows."""

    interpretation = models.ForeignKey(Interpretation, on_delete=models.CASCADE, related_name="images")
    image = ResizedImageField(_("image"), folder="consultation/interpretations")
    alt_text = models.CharField(
        _("text alternative"),
        max_length=500,
        validators=[validate_plain_text],
        help_text=_("What the image shows, for people who cannot see it (required)."),
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True, validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("explanatory image")
        verbose_name_plural = _("explanatory images")
        constraints = [models.CheckConstraint(condition=~Q(alt_text=""), name="interpretationimage_has_alt")]

    def __str__(self):
        return self.alt_text


# Online interviews ---------------------------------------------------------------


class InterviewQuerySet(DepartmentScopedQuerySet):
    def published(self):
        return self.exclude(status=Interview.Status.DRAFT)


class Interview(StatefulModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ANNOUNCED = "announced", _("Announced")
        LIVE = "live", _("Live now")
        FINISHED = "finished", _("Finished")

    WORKFLOW = Workflow(
        "consultation.interview",
        Status,
        [
            Move(
                "announce",
                (Status.DRAFT,),
                Status.ANNOUNCED,
                _("Announce the interview"),
                by=STAFF,
                permission="consultation.change_interview",
                requires=_("The topic, host and time set; the public may send questions from now on."),
            ),
            Move(
                "go_live",
                (Status.ANNOUNCED,),
                Status.LIVE,
                _("Start the interview (live)"),
                by=STAFF,
                permission="consultation.change_interview",
                requires=_("The transcript is published turn by turn on the live page."),
            ),
            Move(
                "finish",
                (Status.LIVE,),
                Status.FINISHED,
                _("Finish the interview"),
                by=STAFF,
                permission="consultation.change_interview",
                requires=_("No more questions; the complete record (transcript, summary) stays published."),
            ),
        ],
    )

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    topic = models.CharField(_("policy topic"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="interviews"
    )
    host = models.CharField(_("host"), max_length=100, validators=[validate_plain_text])
    starts_at = models.DateTimeField(_("starts at"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT, editable=False)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Published with the complete record."))
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("online interview")
        verbose_name_plural = _("online interviews")
        permissions = [("moderate_interview", _("Can accept or reject questions to online interviews"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "announced", "live", "finished"]), name="interview_status_valid"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:interview", args=[self.pk])

    @property
    def accepts_questions(self):
        return self.status in (self.Status.ANNOUNCED, self.Status.LIVE)

    @property
    def is_live(self):
        return self.status == self.Status.LIVE

    def announce(self, *, by):
        self.move("announce", by=by)

    announce.alters_data = True

    def go_live(self, *, by):
        self.move("go_live", by=by)

    go_live.alters_data = True

    def finish(self, *, by):
        self.move("finish", by=by)

    finish.alters_data = True

    def submit_question(self, *, by, text):
        """The public asks before or during the interview; a moderator accepts or rejects it."""
        text = (text or "").strip()
        if not text:
            raise InvalidTransition(_("Write your question."))
        if not self.accepts_questions:
            raise InvalidTransition(_("This interview is not taking questions."))
        question = InterviewQuestion.objects.create(
            interview=self,
            asker=by,
            text=text,
            public_text=scrub.scrub_text(text, names=[by.full_name]),
            public_asker=scrub.mask_name(by.full_name),
        )
        log_status(question, by=by)
        return question

    submit_question.alters_data = True


class Guest(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=60, validators=[validate_plain_text])
    position = models.CharField(_("position"), max_length=150, validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("guest")
        verbose_name_plural = _("guests")

    def __str__(self):
        return f"{self.name} ({self.position})"


class InterviewQuestion(StatefulModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    WORKFLOW = Workflow(
        "consultation.interviewquestion",
        Status,
        [
            Move(
                "accept",
                (Status.PENDING,),
                Status.ACCEPTED,
                _("Accept the question"),
                by=STAFF,
                permission="consultation.moderate_interview",
                requires=_("The wording as published, with personal details scrubbed."),
            ),
            Move(
                "reject",
                (Status.PENDING,),
                Status.REJECTED,
                _("Reject the question"),
                by=STAFF,
                permission="consultation.moderate_interview",
                requires=_("Nothing more: a rejected question is never shown."),
            ),
        ],
    )

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey("civiccenter.User", on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("question"), max_length=1000)
    public_text = models.TextField(_("question as published"), blank=True)
    public_asker = models.CharField(_("asker as published"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING, editable=False)
    moderated_by = models.ForeignKey(
        "civiccenter.User", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(_("asked at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("question to an interview")
        verbose_name_plural = _("questions to interviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]), name="interviewquestion_status_valid"
            )
        ]

    def __str__(self):
        return self.public_text[:60]

    def save(self, *args, **kwargs):
        # The moderator may edit the published wording; it is scrubbed again whatever they typed.
        self.public_text = scrub.scrub_text(self.public_text or self.text)
        super().save(*args, **kwargs)

    def accept(self, *, by):
        self.move("accept", by=by, fields={"moderated_by": by})

    accept.alters_data = True

    def reject(self, *, by):
        self.move("reject", by=by, fields={"moderated_by": by})

    reject.alters_data = True

    def moderate(self, *, by, accept):
        """Accept or reject: the moderators' one action, two moves of the table."""
        return self.accept(by=by) if accept else self.reject(by=by)

    moderate.alters_data = True


class Turn(models.Model):
    """One speaker turn of the transcript: the host, a guest, or a citizen's accepted question."""

    class Speaker(models.TextChoices):
        HOST = "host", _("Host")
        GUEST = "guest", _("Guest")
        CITIZEN = "citizen", _("Citizen question")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="turns")
    speaker = models.CharField(_("speaker"), max_length=10, choices=Speaker)
    guest = models.ForeignKey(Guest, verbose_name=_("guest"), on_delete=models.SET_NULL, null=True, blank=True)
    question = models.ForeignKey(
        InterviewQuestion,
        verbose_name=_("citizen question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"status": "accepted"},
    )
    text = models.TextField(_("text"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("added at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("speaker turn")
        verbose_name_plural = _("transcript")
        constraints = [
            models.CheckConstraint(condition=Q(speaker__in=["host", "guest", "citizen"]), name="turn_speaker_valid"),
            models.CheckConstraint(condition=~Q(speaker="guest") | Q(guest__isnull=False), name="turn_guest_named"),
            models.CheckConstraint(
                condition=~Q(speaker="citizen") | Q(question__isnull=False), name="turn_citizen_has_question"
            ),
        ]

    def __str__(self):
        return f"{self.get_speaker_display()}: {self.display_text[:40]}"

    def clean(self):
        if self.speaker == self.Speaker.GUEST and self.guest_id is None:
            raise ValidationError({"guest": _("Choose the guest who speaks.")})
        if self.speaker == self.Speaker.CITIZEN and self.question_id is None:
            raise ValidationError({"question": _("Choose the accepted question.")})
        if self.speaker != self.Speaker.CITIZEN and not self.text.strip():
            raise ValidationError({"text": _("Write what was said.")})

    @property
    def display_text(self):
        if self.speaker == self.Speaker.CITIZEN and self.question_id:
            return self.question.public_text
        return self.text

    @property
    def speaker_name(self):
        if self.speaker == self.Speaker.GUEST and self.guest_id:
            return f"{self.guest.name}（{self.guest.position}）"
        if self.speaker == self.Speaker.CITIZEN and self.question_id:
            return self.question.public_asker
        return self.interview.host


class InterviewPhoto(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="photos")
    image = ResizedImageField(_("photo"), folder="consultation/interviews")
    alt_text = models.CharField(_("text alternative"), max_length=300, validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [models.CheckConstraint(condition=~Q(alt_text=""), name="interviewphoto_has_alt")]

    def __str__(self):
        return self.alt_text
