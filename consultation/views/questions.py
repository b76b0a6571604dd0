"""Questions and answers, public side: the Q&A list and search, asking, the asker's own pages, the knowledge base.

The public list is read newest first with a keyset ("older" carries the edge
row's publication time and id), so no page counts the table or scans an
OFFSET, and every list page costs the same few queries whatever the data size.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiccenter import sections, submissions
from civiccenter.cases import Case, InvalidTransition
from civiccenter.lib.keyset import PER_PAGE, decode_cursor, keyset  # noqa: F401
from civiccenter.throttle import throttled
from consultation.forms import AskForm, FollowUpForm, QuestionSearchForm
from consultation.models import KnowledgeEntry, Question, Topic


def section_trail():
    return [(reverse("consultation:index"), sections.get("consultation").title)]


def index(request):
    """The public Q&A: answered questions whose askers agreed, filtered by topic and department, searchable."""
    form = QuestionSearchForm(request.GET or None)
    questions = Question.objects.published().for_public_list()
    searching = False
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            questions, searching = questions.search(data["q"]), True
        if data["topic"]:
            questions = questions.filter(topic=data["topic"])
        if data["department"]:
            questions = questions.filter(case__department=data["department"])
    cursor = decode_cursor(request.GET.get("older"))
    rows, older = keyset(questions, cursor)
    kept = [(k, v) for k, v in request.GET.items() if k != "older" and v]
    return render(
        request,
        "consultation/index.html",
        {
            "section": sections.get("consultation"),
            "form": form,
            "questions": rows,
            "older_query": urlencode([*kept, ("older", older)]) if older else "",
            "first_query": urlencode(kept) if cursor else None,
            "searching": searching,
            "topics": Topic.objects.active().select_related("department"),
        },
    )


def question_detail(request, pk):
    question = get_object_or_404(Question.objects.published().for_public_list(), pk=pk)
    key = _voter_key(request, create=False)
    voted = key is not None and question.votes.filter(voter=key).exists()
    return render(
        request,
        "consultation/question_detail.html",
        {
            "question": question,
            "trail": section_trail(),
            "voted": voted,
            "entries": question.entries.filter(published=True),
        },
    )


def _voter_key(request, create=True):
    """One vote per visitor: the account when signed in, else the session (created on first vote)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if request.session.session_key is None:
        if not create:
            return None
        request.session.save()
    return f"session:{request.session.session_key}"


@require_POST
@throttled("submit")
def vote(request, pk):
    question = get_object_or_404(Question.objects.published(), pk=pk)
    helpful = request.POST.get("helpful")
    if helpful not in ("yes", "no"):
        messages.error(request, _("Choose yes or no."))
    elif question.vote(voter=_voter_key(request), helpful=helpful == "yes"):
        request.session["voted"] = True  # keeps the session (and the vote's key) alive
        messages.success(request, _("Thank you for telling us."))
    else:
        messages.info(request, _("You have already told us whether this answer helped."))
    return redirect(question)


def _similar(text):
    text = (text or "")[:2000]
    return list(Question.objects.similar_to(text).select_related("topic")), list(
        KnowledgeEntry.objects.similar_to(text).select_related("topic")
    )


def similar(request):
    """An HTML fragment of answered questions and knowledge-base entries like the text typed so far."""
    text = f"{request.GET.get('title', '')} {request.GET.get('body', '')}".strip()
    questions, entries = _similar(text) if len(text) >= 2 else ([], [])
    return render(
        request,
        "consultation/includes/similar.html",
        {"similar_questions": questions, "similar_entries": entries, "checked": len(text) >= 2},
    )


@login_required
@throttled("submit")
@submissions.once
def ask(request):
    """Ask a question; "Check for similar answers" shows them first without saving (no JavaScript needed)."""
    action = request.POST.get("action", "submit") if request.method == "POST" else None
    form = AskForm(request.POST or None, request.FILES or None)
    context = {"form": form, "trail": section_trail()}
    if action and form.is_valid():
        data = form.cleaned_data
        if action == "check":
            questions, entries = _similar(f"{data['title']} {data['body']}")
            context.update(similar_questions=questions, similar_entries=entries, checked=True)
            if form.files.get("attachment"):
                context["attachment_again"] = True
        else:
            try:
                question = Question.ask(
                    asker=request.user,
                    topic=data["topic"],
                    title=data["title"],
                    body=data["body"],
                    consent_to_publish=data["consent_to_publish"],
                    attachment=data.get("attachment"),
                )
            except InvalidTransition as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Your question was received. Tracking number: %(number)s, query code: %(code)s.")
                    % {"number": question.case.number, "code": question.case.query_code},
                )
                return submissions.receipt(request, question.get_own_url())
    elif action == "check" and request.POST.get("title", "") + request.POST.get("body", ""):
        questions, entries = _similar(f"{request.POST.get('title', '')} {request.POST.get('body', '')}")
        context.update(similar_questions=questions, similar_entries=entries, checked=True)
    return render(request, "consultation/ask.html", context)


def _own(request, pk):
    return get_object_or_404(
        Question.objects.filter(asker=request.user).select_related("case__department", "topic"), pk=pk
    )


@login_required
def my_questions(request):
    questions = (
        Question.objects.filter(asker=request.user).select_related("case__department", "topic").order_by("-created_at")
    )
    return render(request, "consultation/my_questions.html", {"questions": questions, "trail": section_trail()})


@login_required
def my_question(request, pk):
    question = _own(request, pk)
    case = question.case
    moves = question.available_moves(request.user)
    follow_up_form = None
    if "ask_follow_up" in moves:
        follow_up_form = FollowUpForm()
        follow_up_form.helper.form_action = reverse("consultation:follow-up", args=[question.pk])
    return render(
        request,
        "consultation/my_question.html",
        {
            "question": question,
            "case": case,
            "events": list(case.public_events),
            "answers": [a for a in question.answers.all() if a.approved_at],
            "follow_up_form": follow_up_form,
            "moves": moves,
            "rated": case.ratings.filter(channel="web").exists(),
            "trail": [*section_trail(), (reverse("consultation:my-questions"), _("My questions"))],
        },
    )


@require_POST
@login_required
@throttled("submit")
def follow_up(request, pk):
    question = _own(request, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your follow-up question."))
    else:
        try:
            question.ask_follow_up(by=request.user, text=form.cleaned_data["text"])
        except InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your follow-up question was sent to the department."))
    return redirect(question.get_own_url())


@require_POST
@login_required
def withdraw_consent(request, pk):
    question = _own(request, pk)
    try:
        question.withdraw_consent(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your consent is withdrawn; the question is not shown in the public Q&A."))
    return redirect(question.get_own_url())


def attachment(request, pk):
    """The private attachment: to its asker and the handling department's staff only; 404 to anyone else."""
    if not request.user.is_authenticated:
        raise Http404
    if request.user.is_staff:
        questions = Question.objects.filter(case__in=Case.objects.visible_to(request.user))
    else:
        questions = Question.objects.filter(asker=request.user)
    question = get_object_or_404(questions.exclude(attachment=""), pk=pk)
    response = FileResponse(
        question.attachment.open("rb"), as_attachment=True, filename=question.attachment.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Knowledge base -------------------------------------------------------------------


def knowledge_list(request):
    entries = KnowledgeEntry.objects.published().select_related("topic")
    q = (request.GET.get("q") or "").strip()[:100]
    topic = (request.GET.get("topic") or "")[:40]
    if q:
        entries = entries.search(q)
    if topic:
        entries = entries.filter(topic__slug=topic)
    entries = list(entries.order_by("topic__order", "topic__name", "question")[:200])
    return render(
        request,
        "consultation/knowledge_list.html",
        {"entries": entries, "q": q, "topic": topic, "topics": Topic.objects.all(), "trail": section_trail()},
    )


def knowledge_entry(request, pk):
    entry = get_object_or_404(KnowledgeEntry.objects.published().select_related("topic", "topic__department"), pk=pk)
    return render(
        request,
        "consultation/knowledge_entry.html",
        {
            "entry": entry,
            "interpretations": entry.interpretations.published(),
            "trail": [*section_trail(), (reverse("consultation:knowledge"), _("Knowledge base"))],
        },
    )
