"""Questions to the departments, their answers, the public Q&A and the knowledge base.

A question is a case (kind "consultation", tracking prefix ZX) with the reply
clock of its topic. The department's reviewer drafts an answer, a department
head approves it (or sends it back with a note), and approval sends it to the
asker and closes the case; the asker may rate it and ask one follow-up on the
same case, answered the same way. A question in the wrong place is transferred
to another department: the timeline says so and the clock keeps running.

Nothing is published without the asker's separate consent (PIPL Art. 25), and
what is published is a reviewed copy with personal details scrubbed
(`civiccenter.lib.scrub`) and the asker's name masked.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, CaseEvent, CaseRecord, InvalidTransition, register_kind
from civiccenter.lib import clock, scrub, textsearch
from civiccenter.lib.i18n import in_language_of_record, lazy_format, localized
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, DepartmentScopedQuerySet
from civiccenter.workflow import APPLICANT, STAFF, Move, Workflow


def default_reply_days():
    return settings.CONSULTATION_REPLY_WORKING_DAYS


class TopicQuerySet(DepartmentScopedQuerySet):
    def active(self):
        return self.filter(active=True)


class Topic(models.Model):
    """What a question is about; it routes the question to a department with a reply limit in working days."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=100, blank=True, validators=[validate_plain_text])
    department = models.ForeignKey(
        Department, verbose_name=_("answering department"), on_delete=models.PROTECT, related_name="topics"
    )
    reply_days = models.PositiveSmallIntegerField(
        _("reply within (working days)"),
        default=default_reply_days,
        help_text=_("The department answers within this many working days of receiving the question."),
    )
    active = models.BooleanField(_("open for questions"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = TopicQuerySet.as_manager()
    display_name = localized("name")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("consultation topic")
        verbose_name_plural = _("consultation topics")
        constraints = [
            models.CheckConstraint(condition=Q(reply_days__gte=1, reply_days__lte=60), name="topic_reply_days_range")
        ]

    def __str__(self):
        return self.display_name


# A few very common pairs that say nothing about the subject ("please", "how", "can I").
SIMILAR_STOP_TOKENS = frozenset(
    "请问 问一 一下 怎么 如何 可以 是否 什么 需要 我们 你们 您好 你好 谢谢 问题 现在 哪里 能否 的话 这个 那个 一个 "
    "我想 想问 办理 咨询 有关 关于 情况 要求 规定 相关".split()
)


def similar_query(text: str, limit_tokens=40) -> SearchQuery | None:
    """Any of the text's distinctive tokens (OR), for "questions like yours": ranking does the rest."""
    tokens = [t for t in dict.fromkeys(textsearch.tokens(text)) if t not in SIMILAR_STOP_TOKENS and len(t) > 1]
    if not tokens:
        return None
    return SearchQuery(" | ".join(tokens[:limit_tokens]), search_type="raw", config="simple")


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: their department's questions (through the case). Everyone else: their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.filter(case__in=Case.objects.visible_to(user))
        return self.filter(asker=user)

    def published(self):
        # Consent is checked again here, and held by a constraint: no consent, no publication.
        return self.filter(published_at__isnull=False, consent_to_publish=True)

    def for_public_list(self):
        return self.select_related("topic", "case__department")

    def search(self, text):
        query = textsearch.search_query(text)
        if query is None:
            return self.none()
        matches = self.filter(search=query)
        for word in textsearch.words(text):
            if len(textsearch.tokens(word)) >= 2:
                matches = matches.filter(
                    Q(public_title__icontains=word)
                    | Q(public_body__icontains=word)
                    | Q(public_answer__icontains=word)
                    | Q(public_follow_up__icontains=word)
                    | Q(public_follow_up_answer__icontains=word)
                )
        return matches

    def similar_to(self, text, limit=5):
        query = similar_query(text)
        if query is None:
            return self.none()
        return (
            self.published()
            .filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
            .order_by("-rank", "-published_at")[:limit]
        )


class Question(CaseRecord):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting an answer")
        DRAFTED = "drafted", _("Answer drafted, awaiting approval")
        RETURNED = "returned", _("Answer sent back for revision")
        ANSWERED = "answered", _("Answered")
        FOLLOW_UP = "follow_up", _("Follow-up question awaiting an answer")

    # Statuses in which the department works on an answer.
    OPEN = (Status.SUBMITTED, Status.DRAFTED, Status.RETURNED, Status.FOLLOW_UP)
    # Statuses a question can be in once its first answer went out (a follow-up runs the case again).
    ONCE_ANSWERED = (Status.ANSWERED, Status.FOLLOW_UP, Status.DRAFTED, Status.RETURNED)

    # The whole workflow; `ask()` opens the case (submitted). Rules the table cannot say stay in the methods.
    WORKFLOW = Workflow(
        "consultation.question",
        Status,
        [
            Move(
                "draft_answer",
                (Status.SUBMITTED, Status.RETURNED, Status.FOLLOW_UP, Status.DRAFTED),
                Status.DRAFTED,
                _("Draft the answer"),
                STAFF,
                "consultation.answer_question",
                _("The answer's text; a draft already waiting is revised and keeps waiting (internal)."),
            ),
            Move(
                "send_back",
                (Status.DRAFTED,),
                Status.RETURNED,
                _("Send back"),
                STAFF,
                "consultation.approve_answer",
                _("What should change in the answer (internal); the time limit keeps running."),
            ),
            Move(
                "approve",
                (Status.DRAFTED,),
                Status.ANSWERED,
                _("Approve and send to the asker"),
                STAFF,
                "consultation.approve_answer",
                _("A department head; the answer is sent to the asker and the case closes (it can then be rated)."),
            ),
            Move(
                "transfer",
                OPEN,
                None,
                _("Transfer to another department"),
                STAFF,
                "consultation.answer_question",
                _("Another department and the reason, which the asker sees; the time limit does not restart."),
            ),
            Move(
                "ask_follow_up",
                (Status.ANSWERED,),
                Status.FOLLOW_UP,
                _("Ask a follow-up question"),
                APPLICANT,
                "",
                _("The asker, once, within the follow-up period after the answer; a new reply time limit."),
            ),
            Move(
                "publish",
                ONCE_ANSWERED,
                None,
                _("Publish in the public Q&A"),
                STAFF,
                "consultation.publish_question",
                _("The asker's consent (PIPL Art. 25) and an answer given; the reviewed copy, scrubbed again."),
            ),
            Move(
                "unpublish",
                ONCE_ANSWERED,
                None,
                _("Remove from the public Q&A"),
                STAFF,
                "consultation.publish_question",
                _("A published question."),
            ),
            Move(
                "withdraw_consent",
                tuple(Status.values),
                None,
                _("Withdraw my consent"),
                APPLICANT,
                "",
                _("The asker's consent given; the question leaves the public Q&A at once (PIPL Art. 15)."),
            ),
        ],
    )

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="question")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="questions")
    asker = models.ForeignKey(
        "civiccenter.User", verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="consultation_questions"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED, editable=False)
    title = models.CharField(_("title"), max_length=120, validators=[validate_plain_text])
    body = models.TextField(_("question"), max_length=3000)
    attachment = CheckedFileField(
        _("attachment"), folder="consultation/questions", storage=private_storage, blank=True, max_bytes=5 * 1024 * 1024
    )
    consent_to_publish = models.BooleanField(_("agrees to publication"), default=False)
    follow_up = models.TextField(_("follow-up question"), max_length=2000, blank=True, editable=False)
    follow_up_asked_at = models.DateTimeField(_("follow-up asked at"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True, editable=False)
    # The published copy: scrubbed, reviewed by staff, masked; never the asker's own text directly.
    public_title = models.CharField(_("published title"), max_length=120, blank=True, editable=False)
    public_body = models.TextField(_("published question"), blank=True, editable=False)
    public_answer = models.TextField(_("published answer"), blank=True, editable=False)
    public_follow_up = models.TextField(_("published follow-up"), blank=True, editable=False)
    public_follow_up_answer = models.TextField(_("published follow-up answer"), blank=True, editable=False)
    public_asker = models.CharField(_("published asker"), max_length=60, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        "civiccenter.User", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    helpful_yes = models.PositiveIntegerField(_("found it helpful"), default=0, editable=False)
    helpful_no = models.PositiveIntegerField(_("did not find it helpful"), default=0, editable=False)
    search = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("asked at"), default=clock.now, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [
            ("answer_question", _("Can draft answers and transfer questions")),
            ("approve_answer", _("Can approve answers or send them back (department head)")),
            ("publish_question", _("Can publish answered questions in the public Q&A")),
        ]
        indexes = [
            GinIndex(fields=["search"], name="question_search_gin"),
            # The public Q&A, newest first, read with a keyset.
            models.Index(
                fields=["-published_at", "-id"],
                name="question_published_keyset",
                condition=Q(published_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "drafted", "returned", "answered", "follow_up"]),
                name="question_status_valid",
            ),
            # PIPL Art. 25: publication only with the asker's separate consent.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(consent_to_publish=True),
                name="question_published_only_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(answered_at__isnull=False),
                name="question_published_only_when_answered",
            ),
            models.CheckConstraint(
                condition=Q(follow_up="", follow_up_asked_at__isnull=True)
                | (~Q(follow_up="") & Q(follow_up_asked_at__isnull=False)),
                name="question_follow_up_dated",
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.title}"

    def get_absolute_url(self):
        return reverse("consultation:question", args=[self.pk])

    def get_own_url(self):
        return reverse("consultation:my-question", args=[self.pk])

    # --- Asking ------------------------------------------------------------

    @staticmethod
    def reply_rule(topic):
        return str(
            _("Online consultation: reply within %(days)d working days (topic “%(topic)s”)")
            % {"days": topic.reply_days, "topic": topic.name}
        )

    @classmethod
    @in_language_of_record
    def ask(cls, *, asker, topic, title, body, consent_to_publish=False, attachment=None, today=None, channel="web"):
        """A new question: the case is opened with the topic's reply clock, and the asker gets the receipt."""
        today = today or clock.today()
        if not topic.active:
            raise InvalidTransition(_("This topic is not open for questions."))
        with transaction.atomic():
            case = Case.open_case(
                kind="consultation",
                prefix="ZX",
                department=topic.department,
                status=cls.Status.SUBMITTED,
                by=asker,
                applicant=asker,
                channel=channel,
                received_on=today,
                note=_("Question received; the answer is due within %(days)d working days.")
                % {"days": topic.reply_days},
                clock=(cls.reply_rule(topic), "working", topic.reply_days, today),
            )
            question = cls.objects.create(
                case=case,
                topic=topic,
                asker=asker,
                title=title,
                body=body,
                consent_to_publish=consent_to_publish,
                attachment=attachment or "",
            )
            case.notify_applicant(
                "consultation/email/question", {"question": question, "note": ""}, url=question.get_own_url()
            )
        return question

    # --- Answering ---------------------------------------------------------

    @property
    def round(self):
        """1 for the first question, 2 once a follow-up has been asked."""
        return 2 if self.follow_up_asked_at else 1

    @property
    def first_answer(self):
        return next((a for a in self.answers.all() if a.round == 1), None)

    @property
    def follow_up_answer(self):
        return next((a for a in self.answers.all() if a.round == 2), None)

    @property
    def current_answer(self):
        return next((a for a in self.answers.all() if a.round == self.round), None)

    def _locked(self):
        return type(self).objects.select_for_update(of=("self",)).select_related("case", "topic").get(pk=self.pk)

    def available_moves(self, user, today=None):
        """What can happen next, for `user`: {move name: Move}, in the table's order.

        Staff get the table's staff moves their permissions allow, the asker
        their own; a move the method's rules refuse now (a follow-up after its
        period, publication without consent) is left out.
        """
        if user.is_staff:
            moves = self.WORKFLOW.available(self.status, user=user, by=STAFF)
        elif user.is_authenticated and user.pk == self.asker_id:
            moves = self.WORKFLOW.available(self.status, user=user, by=APPLICANT)
        else:
            return {}
        rules = {
            "ask_follow_up": lambda: self.can_follow_up(today),
            "publish": lambda: self.consent_to_publish and self.answered_at is not None,
            "unpublish": lambda: self.published_at is not None,
            "withdraw_consent": lambda: self.consent_to_publish,
        }
        return {move.name: move for move in moves if rules.get(move.name, lambda: True)()}

    @in_language_of_record
    def draft_answer(self, *, by, text):
        """The reviewer writes (or rewrites) the answer; it waits for the head's approval."""
        text = (text or "").strip()
        if not text:
            raise InvalidTransition(_("Write the answer."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("draft_answer", locked.status)
            Answer.objects.update_or_create(
                question=locked,
                round=locked.round,
                defaults={"text": text, "drafted_by": by, "drafted_at": clock.now(), "return_note": ""},
            )
            if locked.status == self.Status.DRAFTED:
                locked.case.log(CaseEvent.Kind.NOTE, by=by, note=_("Draft revised."), public=False)
            else:
                locked.move_case(self.Status.DRAFTED, by=by, note=_("Answer drafted for approval."), public=False)
        self.refresh_from_db()

    @in_language_of_record
    def send_back(self, *, by, note):
        """The head returns the draft with what to change; the clock keeps running."""
        note = (note or "").strip()
        if not note:
            raise InvalidTransition(_("Say what should change in the answer."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("send_back", locked.status)
            locked.move_case(self.Status.RETURNED, by=by, note=note, public=False)
            Answer.objects.filter(question=locked, round=locked.round).update(return_note=note)
        self.refresh_from_db()

    @in_language_of_record
    def approve(self, *, by):
        """The head approves the draft: it is sent to the asker, and the case closes (and can be rated)."""
        if not by.has_perm("consultation.approve_answer"):
            raise InvalidTransition(_("Only a department head approves answers."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("approve", locked.status)
            answer = Answer.objects.filter(question=locked, round=locked.round).first()
            if answer is None:
                raise InvalidTransition(_("There is no draft answer waiting for approval."))
            now = clock.now()
            locked.move_case(
                self.Status.ANSWERED,
                by=by,
                fields={"answered_at": locked.answered_at or now},
                note=answer.text,
                close=True,
                notify="consultation/email/question",
                notify_context={"question": locked, "note": answer.text},
            )
            answer.approved_by, answer.approved_at = by, now
            answer.save(update_fields=["approved_by", "approved_at"])
        self.refresh_from_db()

    @in_language_of_record
    def transfer(self, *, by, department, reason):
        """Wrong department: hand the question over with a reason. The clock does not restart."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason for the transfer; the asker sees it."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("transfer", locked.status)
            note = _("Transferred from %(old)s to %(new)s: %(reason)s") % {
                "old": locked.case.department.name,
                "new": department.name,
                "reason": reason,
            }
            locked.case.transfer(
                by=by,
                department=department,
                note=note,
                notify="consultation/email/question",
                notify_context={"question": locked, "note": note},
                notify_url=locked.get_own_url(),
            )
        self.refresh_from_db()

    def can_follow_up(self, today=None):
        if (
            not self.WORKFLOW.can("ask_follow_up", self.status)
            or self.follow_up_asked_at is not None
            or self.case.closed_at is None
        ):
            return False
        today = today or clock.today()
        return today <= timezone.localdate(self.case.closed_at) + timedelta(days=settings.CONSULTATION_FOLLOW_UP_DAYS)

    @in_language_of_record
    def ask_follow_up(self, *, by, text, today=None):
        """One follow-up on the same case, answered the same way, with a new reply clock from today."""
        today = today or clock.today()
        text = (text or "").strip()
        if not text:
            raise InvalidTransition(_("Write your follow-up question."))
        if by.pk != self.asker_id:
            raise InvalidTransition(_("Only the person who asked can ask a follow-up."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("ask_follow_up", locked.status)
            if locked.follow_up_asked_at is not None:
                raise InvalidTransition(_("A question can have one follow-up only."))
            if not locked.can_follow_up(today):
                raise InvalidTransition(
                    lazy_format(
                        _("A follow-up can be asked within %(days)d days of the answer."),
                        {"days": settings.CONSULTATION_FOLLOW_UP_DAYS},
                    )
                )
            locked.move_case(
                self.Status.FOLLOW_UP,
                by=by,
                fields={"follow_up": text, "follow_up_asked_at": clock.now()},
                note=text,
                clock=(self.reply_rule(locked.topic), "working", locked.topic.reply_days, today),
                reopen=True,  # the same case runs again until the follow-up is answered
            )
        self.refresh_from_db()
        self.case.refresh_from_db()

    # --- Publication -------------------------------------------------------

    def _names(self):
        return [self.case.contact_name, self.asker.full_name]

    def publication_draft(self):
        """The scrubbed copy staff review before publishing, with what was masked."""
        first, second = self.first_answer, self.follow_up_answer
        fields = {
            "title": self.public_title or self.title,
            "body": self.public_body or self.body,
            "answer": self.public_answer or (first.text if first and first.approved_at else ""),
            "follow_up": self.public_follow_up or self.follow_up,
            "follow_up_answer": self.public_follow_up_answer or (second.text if second and second.approved_at else ""),
        }
        names = self._names()
        results = {key: scrub.scrub(value, names=names) for key, value in fields.items()}
        return {key: result.text for key, result in results.items()}, [
            finding for result in results.values() for finding in result.findings
        ]

    @in_language_of_record
    def publish(self, *, by, title, body, answer, follow_up="", follow_up_answer=""):
        """Publish the reviewed copy; it is scrubbed once more, so nothing personal survives a re-typed edit."""
        names = self._names()
        title, body, answer = (scrub.scrub_text(v.strip(), names=names) for v in (title, body, answer))
        follow_up, follow_up_answer = (
            scrub.scrub_text((v or "").strip(), names=names) for v in (follow_up, follow_up_answer)
        )
        if not (title and body and answer):
            raise InvalidTransition(_("The published copy needs a title, the question and the answer."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("publish", locked.status)
            if not locked.consent_to_publish:
                raise InvalidTransition(_("The asker did not agree to publication: this question stays private."))
            if locked.answered_at is None:
                raise InvalidTransition(_("Only an answered question can be published."))
            locked.public_title, locked.public_body, locked.public_answer = title[:120], body, answer
            locked.public_follow_up, locked.public_follow_up_answer = follow_up, follow_up_answer
            locked.public_asker = scrub.mask_name(locked.case.contact_name or locked.asker.full_name)
            locked.published_at = locked.published_at or clock.now()
            locked.published_by = by
            locked.search = locked.search_vector()
            locked.save(
                update_fields=[
                    "public_title",
                    "public_body",
                    "public_answer",
                    "public_follow_up",
                    "public_follow_up_answer",
                    "public_asker",
                    "published_at",
                    "published_by",
                    "search",
                ]
            )
            locked.case.log(CaseEvent.Kind.PUBLICATION, by=by, note=_("Published in the public Q&A."), public=False)
        self.refresh_from_db()

    @in_language_of_record
    def unpublish(self, *, by, note=""):
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("unpublish", locked.status)
            if locked.published_at is None:
                raise InvalidTransition(_("This question is not published."))
            type(self).objects.filter(pk=self.pk).update(published_at=None, search=None)
            locked.case.log(
                CaseEvent.Kind.PUBLICATION, by=by, note=note or _("Removed from the public Q&A."), public=False
            )
        self.refresh_from_db()

    @in_language_of_record
    def withdraw_consent(self, *, by):
        """PIPL Art. 15: consent is withdrawn as easily as it was given; the question leaves the public Q&A."""
        if by.pk != self.asker_id:
            raise InvalidTransition(_("Only the person who asked can withdraw consent."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("withdraw_consent", locked.status)
            if not locked.consent_to_publish:
                raise InvalidTransition(_("You have not agreed to publication."))
            type(self).objects.filter(pk=self.pk).update(consent_to_publish=False, published_at=None, search=None)
            locked.case.log(CaseEvent.Kind.PUBLICATION, by=by, note=_("The asker withdrew consent to publication."))
        self.refresh_from_db()

    def search_vector(self):
        return textsearch.search_vector(
            (self.public_title, "A"),
            (f"{self.public_body} {self.public_follow_up}", "B"),
            (f"{self.public_answer} {self.public_follow_up_answer}", "C"),
        )

    def vote(self, *, voter, helpful):
        """ "Was this helpful?": once per visitor (an account or a session); False if they had voted."""
        try:
            with transaction.atomic():
                HelpfulVote.objects.create(question=self, voter=voter[:64], helpful=bool(helpful))
                field = "helpful_yes" if helpful else "helpful_no"
                type(self).objects.filter(pk=self.pk).update(**{field: F(field) + 1})
        except IntegrityError:
            return False
        return True


class Answer(models.Model):
    """The department's answer to the question (round 1) or to its follow-up (round 2)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    text = models.TextField(_("answer"))
    drafted_by = models.ForeignKey(
        "civiccenter.User", verbose_name=_("drafted by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    drafted_at = models.DateTimeField(_("drafted at"), default=clock.now)
    return_note = models.TextField(_("sent back with"), blank=True)
    approved_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["round"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["question", "round"], name="answer_one_per_round"),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="answer_round_1_or_2"),
        ]

    def __str__(self):
        return f"{self.question_id} #{self.round}"


class HelpfulVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "voter"], name="helpfulvote_once_per_visitor")]

    def __str__(self):
        return f"{self.question_id} {'+' if self.helpful else '-'}"


class KnowledgeEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(topic__department__in=Department.objects.visible_to(user))

    def published(self):
        return self.filter(published=True)

    def stale(self, today=None):
        """Not reviewed for a year: staff check the answer still holds."""
        return self.filter(last_reviewed_on__lt=(today or clock.today()) - timedelta(days=365))

    def search(self, text):
        query = textsearch.search_query(text)
        if query is None:
            return self.none()
        matches = self.filter(search=query)
        for word in textsearch.words(text):
            if len(textsearch.tokens(word)) >= 2:
                matches = matches.filter(Q(question__icontains=word) | Q(answer__icontains=word))
        return matches

    def similar_to(self, text, limit=3):
        query = similar_query(text)
        if query is None:
            return self.none()
        return (
            self.published()
            .filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
            .order_by("-rank", "-last_reviewed_on")[:limit]
        )


class KnowledgeEntry(models.Model):
    """A standing answer, promoted from a good answer and kept current by staff."""

    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="entries")
    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(_("answer"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), default=clock.today)
    source = models.ForeignKey(
        Question,
        verbose_name=_("promoted from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
    )
    published = models.BooleanField(_("published"), default=False)
    search = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = KnowledgeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "question"]
        verbose_name = _("knowledge base entry")
        verbose_name_plural = _("knowledge base")
        indexes = [GinIndex(fields=["search"], name="knowledgeentry_search_gin")]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        # Entries are written by staff, but may quote a citizen's question: scrub once more.
        self.question = scrub.scrub_text(self.question)[:200]
        self.answer = scrub.scrub_text(self.answer)
        self.search = textsearch.search_vector((self.question, "A"), (self.answer, "B"), (self.legal_basis, "C"))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search", "question", "answer"}
        super().save(*args, **kwargs)
        self.refresh_from_db(fields=["search"])

    def get_absolute_url(self):
        return reverse("consultation:knowledge-entry", args=[self.pk])

    def is_stale(self, today=None):
        return self.last_reviewed_on < (today or clock.today()) - timedelta(days=365)

    @classmethod
    def promote(cls, question, *, by):
        """A good published answer becomes a draft entry for staff to edit, add the legal basis and publish."""
        if question.published_at is None:
            raise InvalidTransition(_("Only a published question can be promoted to the knowledge base."))
        answer = question.public_answer
        if question.public_follow_up_answer:
            answer += "\n\n" + question.public_follow_up_answer
        return cls.objects.create(
            topic=question.topic, question=question.public_title, answer=answer, source=question, published=False
        )

    def mark_reviewed(self, *, by, today=None):
        self.last_reviewed_on = today or clock.today()
        type(self).objects.filter(pk=self.pk).update(last_reviewed_on=self.last_reviewed_on)


register_kind("consultation", Question.Status, _("Consultation question"))
