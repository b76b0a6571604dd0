"""Surveys, public side: the list, the survey page with its form, the thank-you page, the results and their CSV.

The results page and CSV cost the same few queries whatever the number of responses (SurveyResults
aggregates with GROUP BY). Written answers never appear here: staff read them in the admin.
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civiccenter import sections
from civiccenter.lib import clock
from civiccenter.lib.csvexport import csv_response
from civiccenter.throttle import throttled
from opinions.forms.surveys import SurveyForm
from opinions.models.surveys import Question, Survey, client_key

CLOSED_PER_PAGE = 20


def section_trail():
    return [(reverse("opinions:index"), sections.get("opinions").title)]


def surveys_trail():
    return [*section_trail(), (reverse("opinions:surveys"), _("Surveys"))]


def _published(pk):
    return get_object_or_404(Survey.objects.published().select_related("department"), pk=pk)


def _cursor(value):
    """`<closes_at ISO>_<pk>` of the last survey shown, or None when absent or malformed."""
    try:
        stamp, pk = value.rsplit("_", 1)
        stamp = datetime.fromisoformat(stamp)
        return (stamp, int(pk)) if stamp.tzinfo is not None else None
    except (AttributeError, ValueError):
        return None


def survey_list(request):
    """Open and upcoming surveys, then closed ones newest first, 20 a page by keyset ("older")."""
    now = clock.now()
    open_surveys = list(Survey.objects.open(now).for_list().order_by("closes_at", "pk"))
    upcoming = list(Survey.objects.upcoming(now).for_list().order_by("opens_at", "pk"))
    closed = Survey.objects.closed(now).for_list().order_by("-closes_at", "-pk")
    cursor = _cursor(request.GET.get("before"))
    if request.GET.get("before") and cursor is None:
        raise Http404
    if cursor:
        stamp, pk = cursor
        closed = closed.filter(Q(closes_at__lt=stamp) | Q(closes_at=stamp, pk__lt=pk))
    closed = list(closed[: CLOSED_PER_PAGE + 1])
    older = None
    if len(closed) > CLOSED_PER_PAGE:
        closed = closed[:CLOSED_PER_PAGE]
        last = closed[-1]
        older = f"{last.closes_at.isoformat()}_{last.pk}"
    return render(
        request,
        "opinions/surveys/survey_list.html",
        {
            "open_surveys": open_surveys,
            "upcoming": upcoming,
            "closed": closed,
            "older": older,
            "first_page": cursor is None,
            "trail": section_trail(),
        },
    )


def _client_key(request, survey):
    return client_key(survey.pk, request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_USER_AGENT", ""))


@throttled("submit")
def survey_detail(request, pk):
    """The survey with its form while open; a POST outside the period or audience is refused with a message."""
    survey = _published(pk)
    now = clock.now()
    user = request.user if request.user.is_authenticated else None
    answered = survey.has_answered(request.user)
    form = None
    if request.method == "POST":
        if user is None and survey.signed_in_only:
            return redirect_to_login(request.get_full_path())
        if not survey.is_open(now) or answered:
            messages.warning(
                request,
                _("You have already answered this survey. Thank you.")
                if answered
                else _("This survey is not open for answers."),
            )
            return redirect(survey)
        form = SurveyForm(request.POST, survey=survey)
        if form.is_valid():
            try:
                survey.submit_response(by=user, key=_client_key(request, survey), answers=form.answers(), now=now)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("opinions:survey-thanks", pk=survey.pk)
    elif survey.is_open(now) and not answered and (user or not survey.signed_in_only):
        form = SurveyForm(survey=survey)
    return render(
        request,
        "opinions/surveys/survey_detail.html",
        {
            "survey": survey,
            "form": form,
            "answered": answered,
            "is_open": survey.is_open(now),
            "is_upcoming": survey.is_upcoming(now),
            "results_public": survey.results_public(now),
            "trail": surveys_trail(),
        },
    )


def survey_thanks(request, pk):
    survey = _published(pk)
    return render(
        request,
        "opinions/surveys/survey_thanks.html",
        {"survey": survey, "trail": [*surveys_trail(), (survey.get_absolute_url(), survey.title)]},
    )


def _results_survey(pk):
    survey = _published(pk)
    if not survey.results_public():
        raise Http404
    return survey


def survey_results(request, pk):
    survey = _results_survey(pk)
    return render(
        request,
        "opinions/surveys/survey_results.html",
        {
            "survey": survey,
            "results": survey.results(),
            "kinds": Question.Kind,
            "trail": [*surveys_trail(), (survey.get_absolute_url(), survey.title)],
        },
    )


# CSV ----------------------------------------------------------------------------------------


def survey_results_csv(request, pk):
    """Aggregated results only: one row per choice or scale point; written answers as a count."""
    survey = _results_survey(pk)
    results = survey.results()
    header = [
        _("Question no."),
        _("Survey question"),
        _("Choice or scale point"),
        _("Number of people"),
        _("Percentage"),
        _("Answered by"),
    ]
    rows = []
    for question in results.questions:
        if question.kind == Question.Kind.TEXT:
            rows.append(
                [question.order, question.text, _("Written answers (not published)"), question.answered, "", ""]
            )
            continue
        for row in question.rows:
            rows.append([question.order, question.text, row["label"], row["count"], row["percent"], question.answered])
    rows.append(["", _("Total responses"), "", results.total, "", ""])
    return csv_response(f"survey-{survey.pk}-results.csv", header, rows)
