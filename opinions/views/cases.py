"""Suggestions, requests for help, complaints and reports: the landing page with the form, the submitter's pages.

Every page of a case looks it up among the signed-in person's own opinions, so
someone else's number answers 404; the private files go through `opinion_file`,
which applies `Opinion.objects.visible_to()` (the reported unit never sees a
reporter's files).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civiccenter import sections, submissions
from civiccenter.cases import InvalidTransition
from civiccenter.throttle import throttled
from opinions.forms.cases import AnswerForm, OpinionForm, ReopenForm
from opinions.models import Kind, Opinion, OpinionFile

KIND_HELP = {
    Kind.SUGGESTION: gettext_lazy("An idea to improve a public service, a policy or your neighbourhood."),
    Kind.HELP: gettext_lazy("A problem you cannot solve alone: unpaid wages, a broken facility, hardship."),
    Kind.COMPLAINT: gettext_lazy("Something that went wrong: a service, a business, noise, pollution."),
    Kind.REPORT: gettext_lazy(
        "Wrongdoing by a unit or its staff. Your identity and materials are never shown to the unit reported, "
        "and a report is never published."
    ),
}

# The other parts of the section.
OTHER_PARTS = [
    ("opinions:petitions", gettext_lazy("Petitions (letters and visits)")),
    ("opinions:surveys", gettext_lazy("Surveys")),
    ("opinions:board", gettext_lazy("Handled cases made public")),
    ("opinions:stats", gettext_lazy("Statistics")),
]


def section_trail():
    return [(reverse("opinions:index"), sections.get("opinions").title)]


def _kind(value):
    return value if value in Kind.values else Kind.SUGGESTION


def _other_parts():
    return [(reverse(name), label) for name, label in OTHER_PARTS]


@throttled("submit")
@submissions.once
def index(request):
    """The section's landing page: the kinds explained, how to track, and the submission form for signed-in users."""
    kind = _kind(request.POST.get("kind") if request.method == "POST" else request.GET.get("kind"))
    form = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(f"{reverse('opinions:index')}?kind={kind}")
        form = OpinionForm(request.POST, request.FILES, kind=kind, user=request.user)
        if form.is_valid():
            try:
                opinion = Opinion.submit(by=request.user, submitter=request.user, **form.submission())
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return submissions.receipt(request, "opinions:receipt", opinion.case.number)
    elif request.user.is_authenticated:
        form = OpinionForm(kind=kind, user=request.user)
    return render(
        request,
        "opinions/index.html",
        {
            "section": sections.get("opinions"),
            "form": form,
            "kind": kind,
            "kinds": [(value, label, KIND_HELP[value]) for value, label in Kind.choices],
            "other_parts": _other_parts(),
            "login_next": f"{reverse('opinions:index')}?kind={kind}#opinion-form",
        },
    )


def _own(request, number):
    return get_object_or_404(
        Opinion.objects.filter(submitter=request.user).select_related(
            "case__department", "category", "reported_department", "merged_into__case"
        ),
        case__number=number,
    )


@login_required
def receipt(request, number):
    opinion = _own(request, number)
    return render(
        request,
        "opinions/cases/receipt.html",
        {"opinion": opinion, "case": opinion.case, "trail": section_trail()},
    )


@login_required
def my_opinions(request):
    opinions = Opinion.objects.filter(submitter=request.user).for_list().order_by("-created_at", "-pk")
    page_obj = Paginator(opinions, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "opinions/cases/my_opinions.html",
        {"page_obj": page_obj, "opinions": page_obj.object_list, "trail": section_trail()},
    )


@login_required
def case_detail(request, number):
    opinion = _own(request, number)
    moves = opinion.available_moves(request.user)
    answer_form = reopen_form = None
    if "answer_information" in moves:
        answer_form = AnswerForm()
        answer_form.helper.form_action = reverse("opinions:answer", args=[number])
        answer_form.helper.attrs = {"enctype": "multipart/form-data"}
    if "reopen" in moves:
        reopen_form = ReopenForm()
        reopen_form.helper.form_action = reverse("opinions:reopen", args=[number])
    return _case_page(request, opinion, answer_form, reopen_form)


def _case_page(request, opinion, answer_form, reopen_form):
    case = opinion.case
    return render(
        request,
        "opinions/cases/case_detail.html",
        {
            "opinion": opinion,
            "case": case,
            "events": list(case.public_events),
            "files": list(opinion.files.all()),
            "answer_form": answer_form,
            "reopen_form": reopen_form,
            "rating": case.ratings.filter(channel="web").first(),
            "trail": [*section_trail(), (reverse("opinions:my-opinions"), _("My opinions"))],
        },
    )


@require_POST
@login_required
def answer_information(request, number):
    opinion = _own(request, number)
    form = AnswerForm(request.POST, request.FILES)
    form.helper.form_action = reverse("opinions:answer", args=[number])
    form.helper.attrs = {"enctype": "multipart/form-data"}
    if "answer_information" not in opinion.available_moves(request.user):
        messages.error(request, _("No information is requested on this case."))
        return redirect(opinion)
    if form.is_valid():
        try:
            opinion.answer_information(
                by=request.user, text=form.cleaned_data["text"], files=form.cleaned_data["files"]
            )
        except InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: your answer was sent and the time limit runs again."))
        return redirect(opinion)
    return _case_page(request, opinion, form, None)


@require_POST
@login_required
def reopen(request, number):
    opinion = _own(request, number)
    form = ReopenForm(request.POST)
    form.helper.form_action = reverse("opinions:reopen", args=[number])
    if form.is_valid():
        try:
            opinion.reopen(by=request.user, reason=form.cleaned_data["reason"])
        except InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The case is reopened and back with the department."))
        return redirect(opinion)
    return _case_page(request, opinion, None, form)


def opinion_file(request, pk):
    """A private file: to the submitter and the staff who may see the case; 404 to anyone else.

    Staff of a unit reported never pass `visible_to()`, so they never get a reporter's materials.
    """
    if not request.user.is_authenticated:
        raise Http404
    upload = get_object_or_404(OpinionFile.objects.filter(opinion__in=Opinion.objects.visible_to(request.user)), pk=pk)
    response = FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    return response
