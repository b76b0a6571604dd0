"""Staff side of surveys: building the questionnaire, publishing it, closing it early, reading the results,
the written answers and the responses CSV. Scoped to the staff member's department.

Once a survey has responses, what would change the meaning of its answers (the questions, their choices, the
title and introduction, the audience and the opening) is read-only; the closing time, the anonymous limit and
the publication of results stay editable.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import DepartmentScopedAdmin
from civiccenter.admin_workflow import default_filter
from civiccenter.lib import clock
from civiccenter.lib.csvexport import csv_response
from opinions.forms.surveys import QuestionAdminForm
from opinions.models.surveys import Answer, Question, Response, Survey

FROZEN_SURVEY_FIELDS = ("title", "introduction", "department", "audience", "opens_at")
WRITTEN_PER_PAGE = 50


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionAdminForm
    extra = 1
    model_fields = [
        "order",
        "text",
        "help_text",
        "kind",
        "required",
        "scale_max",
        "scale_min_label",
        "scale_max_label",
    ]

    def _frozen(self, obj):
        return obj is not None and obj.has_responses()

    def get_fields(self, request, obj=None):
        return [*self.model_fields, "choices_list" if self._frozen(obj) else "choices_text"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.model_fields, "choices_list"] if self._frozen(obj) else []

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if self._frozen(obj) else self.extra

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("choices"))
    def choices_list(self, obj):
        return format_html_join("", "<li>{}</li>", ((c.text,) for c in obj.choices.all())) or "—"


# Surveys not yet closed by default; the time read at each request.
PhaseFilter = default_filter(
    _("phase"),
    "phase",
    [
        (None, _("Not closed"), lambda qs: qs.exclude(published_at__isnull=False, closes_at__lte=clock.now())),
        ("preparing", _("Being prepared"), Q(published_at__isnull=True)),
        ("open", _("Open for answers"), lambda qs: qs.open(clock.now())),
        ("upcoming", _("Opening later"), lambda qs: qs.upcoming(clock.now())),
        ("closed", _("Answering closed"), lambda qs: qs.closed(clock.now())),
    ],
)


@admin.register(Survey)
class SurveyAdmin(DepartmentScopedAdmin):
    list_display = ("title", "department", "opens_at", "closes_at", "phase", "audience", "responses")
    list_filter = (PhaseFilter, "audience", "department")
    list_select_related = ("department",)
    search_fields = ("title",)
    date_hierarchy = "opens_at"
    inlines = [QuestionInline]
    actions = ["publish_selected", "close_selected"]
    fieldsets = (
        (None, {"fields": ("editing_note", "title", "introduction", "department")}),
        (_("Period and audience"), {"fields": ("opens_at", "closes_at", "audience", "anonymous_limit")}),
        (_("Publication"), {"fields": ("publish_results", "published_at", "published_by")}),
        (_("Responses received"), {"fields": ("staff_results", "staff_links")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_responses=Count("responses"))

    def get_readonly_fields(self, request, obj=None):
        always = ("editing_note", "published_at", "published_by", "staff_results", "staff_links")
        if obj is not None and obj.has_responses():
            return (*always, *FROZEN_SURVEY_FIELDS)
        return always

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets[:2] + ((_("Publication"), {"fields": ("publish_results",)}),)
        return self.fieldsets

    # Columns and read-only fields ------------------------------------------------------------------

    @admin.display(description=_("phase"))
    def phase(self, obj):
        now = clock.now()
        if not obj.is_published:
            return _("Being prepared")
        if obj.is_upcoming(now):
            return _("Opening later")
        if obj.is_open(now):
            return _("Open for answers")
        return _("Answering closed")

    @admin.display(description=_("responses"), ordering="n_responses")
    def responses(self, obj):
        return obj.n_responses

    @admin.display(description=_("editing"))
    def editing_note(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        if obj.has_responses():
            return _(
                "This survey has responses: its questions, choices, title, introduction, audience and opening "
                "time can no longer be changed, so that every answer keeps its meaning. You may still change the "
                "closing time, the anonymous limit and the publication of results."
            )
        return _("No responses yet: everything can still be changed.")

    @admin.display(description=_("results so far"))
    def staff_results(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        results = obj.results()
        blocks = []
        for question in results.questions:
            if question.kind == Question.Kind.TEXT:
                rows = format_html("<li>{}</li>", _("%(n)d written answer(s)") % {"n": question.answered})
            else:
                rows = format_html_join(
                    "", "<li>{}: {} ({}%)</li>", ((r["label"], r["count"], r["percent"]) for r in question.rows)
                )
            blocks.append(format_html("<p><strong>{}. {}</strong></p><ul>{}</ul>", question.order, question.text, rows))
        total = format_html("<p>{}</p>", _("%(n)d response(s)") % {"n": results.total})
        return format_html("{}{}", total, format_html_join("", "{}", ((b,) for b in blocks)))

    @admin.display(description=_("read"))
    def staff_links(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        links = [
            (reverse("admin:opinions_survey_written", args=[obj.pk]), _("Written answers")),
            (reverse("admin:opinions_survey_responses_csv", args=[obj.pk]), _("All responses (CSV)")),
        ]
        if obj.results_public():
            links.append((obj.results_url(), _("Public results page")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    # Saving -----------------------------------------------------------------------------------------

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Question:
            for question_form in formset.forms:
                if question_form.instance.pk and question_form not in formset.deleted_forms:
                    if "choices_text" in question_form.fields:
                        question_form.save_choices()

    # Actions ----------------------------------------------------------------------------------------

    @admin.action(description=_("Publish the selected surveys"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._each(request, queryset, lambda survey: survey.publish(by=request.user), _("%(n)d survey(s) published."))

    def has_publish_permission(self, request):
        return request.user.has_perm("opinions.publish_survey")

    @admin.action(description=_("Close the selected surveys now"), permissions=["change"])
    def close_selected(self, request, queryset):
        self._each(request, queryset, lambda survey: survey.close_now(by=request.user), _("%(n)d survey(s) closed."))

    def _each(self, request, queryset, move, done):
        n = 0
        for survey in queryset:
            try:
                move(survey)
            except ValidationError as error:
                self.message_user(request, f"{survey}: {' '.join(error.messages)}", level=messages.WARNING)
            else:
                n += 1
        if n:
            self.message_user(request, done % {"n": n}, level=messages.SUCCESS)

    # Staff-only pages: written answers and the responses CSV ---------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/written/", wrap(self.written_view), name="opinions_survey_written"),
            path("<int:pk>/responses.csv", wrap(self.responses_csv_view), name="opinions_survey_responses_csv"),
            *super().get_urls(),
        ]

    def _survey_for_reading(self, request, pk):
        if not request.user.has_perm("opinions.read_responses"):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def written_view(self, request, pk):
        survey = self._survey_for_reading(request, pk)
        answers = (
            Answer.objects.filter(question__survey=survey, question__kind=Question.Kind.TEXT)
            .exclude(text="")
            .select_related("question", "response")
            .order_by("question__order", "response__created_at", "pk")
        )
        page = Paginator(answers, WRITTEN_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "survey": survey,
            "page": page,
            "title": _("Written answers: %(survey)s") % {"survey": survey.title},
        }
        return TemplateResponse(request, "admin/opinions/survey/written_answers.html", context)

    def responses_csv_view(self, request, pk):
        """One row per response, one column per question; whether the respondent was signed in, never who."""
        survey = self._survey_for_reading(request, pk)
        questions = list(survey.questions.all())
        column = {q.pk: i for i, q in enumerate(questions)}
        rows = {}
        for response in Response.objects.filter(survey=survey).values("pk", "created_at", "respondent_id"):
            rows[response["pk"]] = [
                response["pk"],
                timezone.localtime(response["created_at"]).strftime("%Y-%m-%d %H:%M"),
                _("yes") if response["respondent_id"] else _("no"),
                *([] for _q in questions),
            ]
        answers = (
            Answer.objects.filter(response__survey=survey)
            .order_by("response_id", "choice__order", "pk")
            .values_list("response_id", "question_id", "choice__text", "value", "text")
        )
        for response_id, question_id, choice_text, value, text in answers.iterator(chunk_size=2000):
            answer = choice_text if choice_text is not None else value if value is not None else text
            rows[response_id][3 + column[question_id]].append(str(answer))
        header = [_("Response no."), _("Submitted at"), _("Signed in"), *(f"{q.order}. {q.text}" for q in questions)]
        data = ([*row[:3], *("; ".join(cell) for cell in row[3:])] for row in rows.values())
        return csv_response(f"survey-{survey.pk}-responses.csv", header, data)
