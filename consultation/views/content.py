"""Policy interpretations, lectures and online interviews, public side."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiccenter import submissions
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.throttle import throttled
from consultation.forms import InterviewQuestionForm
from consultation.models import Interpretation, Interview, InterviewQuestion, Lecture, Registration, Turn
from consultation.views.questions import section_trail

# Interpretations -------------------------------------------------------------------


def interpretation_list(request):
    interpretations = Interpretation.objects.published().select_related("department")[:100]
    return render(
        request,
        "consultation/interpretation_list.html",
        {"interpretations": interpretations, "trail": section_trail()},
    )


def interpretation_detail(request, pk):
    interpretation = get_object_or_404(
        Interpretation.objects.published()
        .select_related("department")
        .prefetch_related("images", "documents", "entries"),
        pk=pk,
    )
    today = clock.today()
    return render(
        request,
        "consultation/interpretation_detail.html",
        {
            "interpretation": interpretation,
            "documents": [d for d in interpretation.documents.all() if d.is_public(today)],
            "entries": [e for e in interpretation.entries.all() if e.published],
            "trail": [*section_trail(), (reverse("consultation:interpretations"), _("Policy interpretations"))],
        },
    )


# Lectures --------------------------------------------------------------------------


def lecture_list(request):
    now = clock.now()
    lectures = Lecture.objects.published().select_related("department")
    return render(
        request,
        "consultation/lecture_list.html",
        {
            "upcoming": lectures.upcoming(now).order_by("starts_at")[:50],
            "past": lectures.past(now).order_by("-starts_at")[:50],
            "trail": section_trail(),
        },
    )


def lecture_detail(request, pk):
    lecture = get_object_or_404(Lecture.objects.published().select_related("department"), pk=pk)
    registration = None
    if request.user.is_authenticated:
        registration = (
            lecture.registrations.filter(user=request.user).exclude(status=Registration.Status.CANCELLED).first()
        )
    now = clock.now()
    return render(
        request,
        "consultation/lecture_detail.html",
        {
            "lecture": lecture,
            "registration": registration,
            "is_open": lecture.is_open(now),
            "is_over": lecture.is_over(now),
            "trail": [*section_trail(), (reverse("consultation:lectures"), _("Policy lectures"))],
        },
    )


@require_POST
@login_required
@throttled("submit")
@submissions.once
def lecture_register(request, pk):
    lecture = get_object_or_404(Lecture.objects.published(), pk=pk)
    try:
        registration = Registration.register(lecture=lecture, by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("You are registered. Add the lecture to your calendar below."))
        else:
            messages.info(
                request, _("The lecture is full: you are on the waiting list and will be told if a place frees up.")
            )
        return submissions.receipt(request, lecture)
    return redirect(lecture)


@require_POST
@login_required
def lecture_cancel(request, pk):
    registration = get_object_or_404(
        Registration.objects.filter(user=request.user).exclude(status=Registration.Status.CANCELLED), lecture_id=pk
    )
    try:
        registration.cancel(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("consultation:lecture", pk=pk)


def lecture_ics(request, pk):
    lecture = get_object_or_404(Lecture.objects.published(), pk=pk)
    response = HttpResponse(lecture.ics(settings.SITE_URL), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lecture-{lecture.pk}.ics"'
    return response


# Online interviews -----------------------------------------------------------------


def interview_list(request):
    interviews = Interview.objects.published().select_related("department").prefetch_related("guests")[:50]
    return render(request, "consultation/interview_list.html", {"interviews": interviews, "trail": section_trail()})


REFRESH_SECONDS = 30


def interview_detail(request, pk):
    """Announcement, live transcript or complete record; readable without JavaScript.

    During the interview the page refreshes itself only when the reader asks for
    it (?refresh=on): a refresh imposed by default would fail WCAG 2.2.1.
    """
    interview = get_object_or_404(
        Interview.objects.published()
        .select_related("department")
        .prefetch_related(
            "guests",
            "photos",
            Prefetch("turns", queryset=Turn.objects.select_related("guest", "question")),
            Prefetch(
                "questions",
                queryset=InterviewQuestion.objects.filter(status=InterviewQuestion.Status.ACCEPTED),
                to_attr="accepted_questions",
            ),
        ),
        pk=pk,
    )
    auto_refresh = interview.is_live and request.GET.get("refresh") == "on"
    form = None
    if interview.accepts_questions:
        form = InterviewQuestionForm()
        form.helper.form_action = reverse("consultation:interview-ask", args=[interview.pk])
    return render(
        request,
        "consultation/interview_detail.html",
        {
            "interview": interview,
            "turns": interview.turns.all(),
            "auto_refresh": auto_refresh,
            "refresh_seconds": REFRESH_SECONDS,
            "form": form,
            "trail": [*section_trail(), (reverse("consultation:interviews"), _("Online interviews"))],
        },
    )


@require_POST
@login_required
@throttled("submit")
@submissions.once
def interview_ask(request, pk):
    interview = get_object_or_404(Interview.objects.published(), pk=pk)
    form = InterviewQuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your question (at most 1,000 characters)."))
    else:
        try:
            interview.submit_question(by=request.user, text=form.cleaned_data["text"])
        except InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you. Your question will appear once a moderator has accepted it."))
            return submissions.receipt(request, interview)
    return redirect(interview)
