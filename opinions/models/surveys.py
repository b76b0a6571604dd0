"""Surveys (问卷调查): questionnaires built by department staff, answered by the public, results after closing.

- A survey is invisible until staff publish it; it takes answers between `opens_at` and `closes_at`.
- One response per account is a UNIQUE constraint, so two submissions racing each other cannot both land.
- Surveys open to anonymous visitors limit responses per client: the client key is an HMAC of the survey,
  the IP address and the user agent (no IP is stored), and each anonymous response takes a numbered slot
  (1..`anonymous_limit`) that is UNIQUE per survey and client, so a race cannot exceed the limit either.
- Results are published automatically when the survey closes, unless staff untick `publish_results`.
  Free-text answers are never public (PIPL Art. 25: they may hold personal details); staff read them in
  the admin and in the responses CSV.
- Once a survey has responses its questions and choices are frozen (answers point at them; the database
  refuses to delete a question or choice that has answers).
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock
from civiccenter.lib.i18n import lazy_format
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, DepartmentScopedQuerySet, User

__all__ = ["Answer", "Choice", "Question", "Response", "Survey", "SurveyResults", "client_key"]

TEXT_ANSWER_MAX_LENGTH = 2000


def client_key(survey_id: int, ip: str, user_agent: str) -> str:
    """A per-survey hash of the client's address and browser: enough to count, impossible to reverse or to link
    across surveys."""
    message = f"survey:{survey_id}|{ip}|{user_agent[:500]}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class SurveyQuerySet(DepartmentScopedQuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def open(self, now=None):
        now = now or clock.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        return self.published().filter(opens_at__gt=now or clock.now())

    def closed(self, now=None):
        return self.published().filter(closes_at__lte=now or clock.now())

    def with_results(self, now=None):
        return self.closed(now).filter(publish_results=True)

    def for_list(self):
        return self.select_related("department").annotate(response_count=Count("responses"))


class Survey(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone, signed in or not")
        SIGNED_IN = "signed_in", _("Signed-in users only")

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    introduction = models.TextField(
        _("introduction"), help_text=_("What the survey is about, who runs it and how the answers will be used.")
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="surveys"
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), help_text=_("Answers are accepted until this moment."))
    audience = models.CharField(_("who may answer"), max_length=10, choices=Audience, default=Audience.EVERYONE)
    anonymous_limit = models.PositiveSmallIntegerField(
        _("responses per device without an account"),
        default=3,
        help_text=_(
            "For surveys open to everyone: how many anonymous responses one browser on one network address may "
            "send. Raise it for surveys answered on shared computers (for example in the service hall)."
        ),
    )
    publish_results = models.BooleanField(
        _("publish results when the survey closes"),
        default=True,
        help_text=_("Counts and percentages only; written answers are never published."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        permissions = [
            ("publish_survey", _("Can publish surveys")),
            ("read_responses", _("Can read survey responses, written answers included")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"),
            models.CheckConstraint(condition=Q(audience__in=["everyone", "signed_in"]), name="survey_audience_valid"),
            models.CheckConstraint(
                condition=Q(anonymous_limit__gte=1, anonymous_limit__lte=1000), name="survey_anonymous_limit_range"
            ),
        ]
        indexes = [
            models.Index(
                fields=["-closes_at", "-id"], name="survey_closed_keyset", condition=Q(published_at__isnull=False)
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("opinions:survey", args=[self.pk])

    # State -------------------------------------------------------------------------

    @property
    def is_published(self):
        return self.published_at is not None

    def is_open(self, now=None):
        now = now or clock.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    def is_upcoming(self, now=None):
        return self.is_published and (now or clock.now()) < self.opens_at

    def is_closed(self, now=None):
        return self.is_published and (now or clock.now()) >= self.closes_at

    def results_public(self, now=None):
        return self.publish_results and self.is_closed(now)

    @property
    def signed_in_only(self):
        return self.audience == self.Audience.SIGNED_IN

    def has_responses(self):
        return self.responses.exists()

    def has_answered(self, user) -> bool:
        return bool(user.is_authenticated and self.responses.filter(respondent=user).exists())

    def results_url(self):
        return reverse("opinions:survey-results", args=[self.pk])

    # Moves -------------------------------------------------------------------------

    def publish(self, *, by, now=None):
        """Make the survey public; it takes answers from `opens_at`. Refused until every question can be answered."""
        with transaction.atomic():
            survey = type(self).objects.select_for_update().get(pk=self.pk)
            if survey.published_at is not None:
                raise ValidationError(_("This survey is already published."), code="published")
            questions = list(survey.questions.annotate(n_choices=Count("choices")))
            if not questions:
                raise ValidationError(_("A survey needs at least one question."), code="no_questions")
            for question in questions:
                if question.has_choices and question.n_choices < 2:
                    raise ValidationError(
                        lazy_format(_("Question %(number)s needs at least two choices."), {"number": question.order}),
                        code="few_choices",
                    )
            survey.published_at = now or clock.now()
            survey.published_by = by
            survey.save(update_fields=["published_at", "published_by"])
        self.published_at, self.published_by = survey.published_at, survey.published_by

    publish.alters_data = True

    def close_now(self, *, by, now=None):
        """End the answering period early (the results then follow as if it had closed on time)."""
        now = now or clock.now()
        with transaction.atomic():
            survey = type(self).objects.select_for_update().get(pk=self.pk)
            if not survey.is_open(now):
                raise ValidationError(_("Only an open survey can be closed."), code="not_open")
            survey.closes_at = now
            survey.save(update_fields=["closes_at"])
        self.closes_at = survey.closes_at

    close_now.alters_data = True

    def submit_response(self, *, by, key: str, answers, now=None):
        """Record one response: `answers` is a list of (question, choice, value, text) tuples.

        Refused outside the period, to anonymous visitors of a signed-in-only survey, to an account that has
        answered already, and to a client past the anonymous limit. The last two are also held by UNIQUE
        constraints, so a concurrent second submission is refused by the database.
        """
        now = now or clock.now()
        user = by if by is not None and by.is_authenticated else None
        if not self.is_open(now):
            if self.is_upcoming(now):
                message = lazy_format(
                    _("This survey opens on %(date)s; answers are not accepted yet."),
                    {"date": timezone.localtime(self.opens_at).strftime("%Y-%m-%d %H:%M")},
                )
            else:
                message = _("This survey is closed; answers are no longer accepted.")
            raise ValidationError(message, code="not_open")
        if user is None and self.signed_in_only:
            raise ValidationError(_("Only signed-in users may answer this survey."), code="sign_in")
        for question, choice, _value, _text in answers:
            if question.survey_id != self.pk or (choice is not None and choice.question_id != question.pk):
                raise ValidationError(_("An answer does not belong to this survey."), code="foreign_answer")
        already = ValidationError(_("You have already answered this survey. Thank you."), code="already")
        limit = ValidationError(
            _("Too many responses have come from this device and network. Sign in to answer."), code="client_limit"
        )
        with transaction.atomic():
            if user is not None:
                if self.responses.filter(respondent=user).exists():
                    raise already
                response = Response(survey=self, respondent=user, created_at=now)
                refusal = already
            else:
                used = self.responses.filter(respondent__isnull=True, client_key=key).count()
                if used >= self.anonymous_limit:
                    raise limit
                response = Response(survey=self, client_key=key, client_slot=used + 1, created_at=now)
                refusal = limit
            try:
                with transaction.atomic():
                    response.save()
            except IntegrityError:
                # Another submission from the same account (or the same slot of the same client) got there first.
                raise refusal from None
            Answer.objects.bulk_create(
                Answer(response=response, question=question, choice=choice, value=value, text=text or "")
                for question, choice, value, text in answers
            )
        return response

    submit_response.alters_data = True

    def results(self):
        return SurveyResults(self)


class QuestionQuerySet(DepartmentScopedQuerySet):
    department_lookup = "survey__department"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("question number"), default=1)
    text = models.CharField(_("question text"), max_length=300, validators=[validate_plain_text])
    help_text = models.CharField(_("question explanation"), max_length=300, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind, default=Kind.SINGLE)
    required = models.BooleanField(_("answer required"), default=True)
    scale_max = models.PositiveSmallIntegerField(
        _("scale from 1 to"), null=True, blank=True, help_text=_("For scales: the highest point, 2 to 10.")
    )
    scale_min_label = models.CharField(_("label of the lowest point"), max_length=40, blank=True)
    scale_max_label = models.CharField(_("label of the highest point"), max_length=40, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple", "scale", "text"]), name="survey_question_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="scale") | Q(scale_max__gte=2, scale_max__lte=10), name="survey_question_scale_range"
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.text}"

    @property
    def has_choices(self):
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    def scale_points(self):
        """(value, label) for each point of a scale, the end labels on the ends."""
        top = self.scale_max or 5
        labels = {1: self.scale_min_label, top: self.scale_max_label}
        return [(n, f"{n} {labels[n]}".strip() if labels.get(n) else str(n)) for n in range(1, top + 1)]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("survey question"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("choice"), max_length=200, validators=[validate_plain_text])

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class Response(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(
        User, verbose_name=_("respondent"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_key = models.CharField(_("client key"), max_length=64, blank=True, editable=False)
    client_slot = models.PositiveSmallIntegerField(_("client slot"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["survey", "created_at", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="survey_one_response_per_account",
            ),
            models.UniqueConstraint(
                fields=["survey", "client_key", "client_slot"],
                condition=Q(respondent__isnull=True),
                name="survey_anonymous_slot_unique",
            ),
            # An anonymous response carries its client key and slot; an account's carries neither.
            models.CheckConstraint(
                condition=(Q(respondent__isnull=False) & Q(client_key="") & Q(client_slot__isnull=True))
                | (
                    Q(respondent__isnull=True)
                    & ~Q(client_key="")
                    & Q(client_slot__isnull=False)
                    & Q(client_slot__gte=1)
                ),
                name="survey_response_account_or_client",
            ),
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("survey response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("survey question"), on_delete=models.PROTECT, related_name="answers"
    )
    choice = models.ForeignKey(
        Choice, verbose_name=_("choice"), on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(_("scale value"), null=True, blank=True)
    text = models.TextField(_("written answer"), max_length=TEXT_ANSWER_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["response", "question", "pk"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            # Exactly one of: a choice, a scale value, a written answer.
            models.CheckConstraint(
                condition=(Q(choice__isnull=False) & Q(value__isnull=True) & Q(text=""))
                | (Q(choice__isnull=True) & Q(value__isnull=False) & Q(value__gte=1) & Q(text=""))
                | (Q(choice__isnull=True) & Q(value__isnull=True) & ~Q(text="")),
                name="survey_answer_one_kind",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "choice"],
                condition=Q(choice__isnull=False),
                name="survey_answer_choice_once",
            ),
            models.UniqueConstraint(
                fields=["response", "question"], condition=Q(choice__isnull=True), name="survey_answer_value_once"
            ),
        ]

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"


class SurveyResults:
    """Counts and percentages per question, aggregated in the database: the same few queries for 10 or 10,000
    responses (questions, choices, one GROUP BY for the counts, one for respondents per question)."""

    def __init__(self, survey):
        self.survey = survey
        self.total = survey.responses.count()
        questions = list(survey.questions.prefetch_related("choices"))
        answers = Answer.objects.filter(question__survey=survey)
        counts = {
            (row["question_id"], row["choice_id"], row["value"]): row["n"]
            for row in answers.filter(text="").values("question_id", "choice_id", "value").annotate(n=Count("id"))
        }
        answered = {
            row["question_id"]: row["n"]
            for row in answers.values("question_id").annotate(n=Count("response_id", distinct=True))
        }
        self.questions = []
        for question in questions:
            n = answered.get(question.pk, 0)
            if question.has_choices:
                rows = [
                    (choice.text, counts.get((question.pk, choice.pk, None), 0)) for choice in question.choices.all()
                ]
            elif question.kind == Question.Kind.SCALE:
                rows = [(label, counts.get((question.pk, None, value), 0)) for value, label in question.scale_points()]
            else:
                rows = []
            question.answered = n
            question.rows = [
                {"label": label, "count": count, "percent": round(100 * count / n, 1) if n else 0.0}
                for label, count in rows
            ]
            if question.kind == Question.Kind.SCALE and n:
                total = sum(
                    value * counts.get((question.pk, None, value), 0) for value, _label in question.scale_points()
                )
                question.mean = round(total / n, 2)
            else:
                question.mean = None
            self.questions.append(question)
