"""Petitions, the petitioner's side: the landing page, filing, "my petitions", the petition page,
requests for review and re-review, the printable opinions and the private attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiccenter import sections, submissions
from civiccenter.cases import InvalidTransition
from civiccenter.models import Department
from civiccenter.throttle import throttled
from opinions.forms.petitions import PetitionForm, ReasonForm
from opinions.models.petitions import Petition, PetitionFile, PetitionOpinion


def trail(*extra):
    return [
        (reverse("opinions:index"), sections.get("opinions").title),
        (reverse("opinions:petitions"), _("Petitions")),
        *extra,
    ]


def index(request):
    """How petitions work here: what to write, the time limits, and where to start."""
    return render(
        request,
        "opinions/petitions/index.html",
        {"trail": trail()[:1]},
    )


@login_required
@throttled("submit")
@submissions.once
def file_petition(request):
    initial = {"name": request.user.full_name, "phone": request.user.phone}
    office = Department.objects.filter(code="ZXBGS").first()
    if office:
        initial["department"] = office.pk
    form = PetitionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition = Petition.file(
                by=request.user,
                petitioner=request.user,
                department=data["department"],
                unit_concerned=data.get("unit_concerned"),
                name=data["name"],
                address=data["address"],
                request=data["request"],
                facts=data["facts"],
                reasons=data["reasons"],
                represented_count=data["represented_count"],
                represented_names=data["represented_names"],
                representatives=data["representatives"],
                attachment=data.get("attachment"),
                phone=data["phone"],
                email=request.user.email,
            )
        except InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your petition was registered. Tracking number: %(number)s, query code: %(code)s.")
                % {"number": petition.case.number, "code": petition.case.query_code},
            )
            return submissions.receipt(request, petition)
    return render(request, "opinions/petitions/petition_form.html", {"form": form, "trail": trail()})


def _own(request, pk):
    return get_object_or_404(
        Petition.objects.filter(petitioner=request.user).select_related("case__department", "unit_concerned"), pk=pk
    )


@login_required
def my_petitions(request):
    petitions = Petition.objects.filter(petitioner=request.user).for_list().order_by("-created_at", "-pk")[:200]
    return render(request, "opinions/petitions/my_petitions.html", {"petitions": petitions, "trail": trail()})


@login_required
def petition_detail(request, pk):
    petition = _own(request, pk)
    case = petition.case
    moves = petition.available_moves(request.user)
    review_form = rereview_form = None
    if "request_review" in moves:
        review_form = ReasonForm(submit_label=_("Request a review"))
        review_form.helper.form_action = reverse("opinions:petition-review", args=[petition.pk])
    if "request_rereview" in moves:
        rereview_form = ReasonForm(submit_label=_("Request a re-review"))
        rereview_form.helper.form_action = reverse("opinions:petition-rereview", args=[petition.pk])
    return render(
        request,
        "opinions/petitions/petition_detail.html",
        {
            "petition": petition,
            "case": case,
            "events": list(case.public_events),
            "opinions": list(petition.opinions.all()),
            "representatives": list(petition.representatives.all()),
            "files": list(petition.files.all()),
            "review_form": review_form,
            "rereview_form": rereview_form,
            "rated": case.ratings.filter(channel="web").exists(),
            "trail": trail((reverse("opinions:my-petitions"), _("My petitions"))),
        },
    )


def _request(request, pk, method, done):
    petition = _own(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you disagree with the opinion."))
    else:
        try:
            getattr(petition, method)(by=request.user, reason=form.cleaned_data["reason"])
        except InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
    return redirect(petition)


@require_POST
@login_required
def request_review(request, pk):
    return _request(
        request, pk, "request_review", _("Your request for a review was sent; it is answered within 30 days.")
    )


@require_POST
@login_required
def request_rereview(request, pk):
    return _request(
        request, pk, "request_rereview", _("Your request for a re-review was sent; it is answered within 30 days.")
    )


def _visible(request):
    if not request.user.is_authenticated:
        raise Http404
    return Petition.objects.visible_to(request.user)


def opinion_document(request, pk, stage):
    """The written opinion to print: the petitioner's own, or the handling department's staff."""
    opinion = get_object_or_404(
        PetitionOpinion.objects.filter(petition__in=_visible(request)).select_related("petition__case__department"),
        petition_id=pk,
        stage=stage,
    )
    petition = opinion.petition
    back = reverse("admin:opinions_petition_move", args=[pk]) if request.user.is_staff else petition.get_absolute_url()
    return render(
        request,
        "opinions/petitions/opinion_document.html",
        {"opinion": opinion, "petition": petition, "case": petition.case, "back_url": back},
    )


def attachment(request, pk, file_pk):
    """A private attachment: to its petitioner and the handling department's staff only; 404 to anyone else."""
    stored = get_object_or_404(PetitionFile.objects.filter(petition__in=_visible(request)), petition_id=pk, pk=file_pk)
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    return response
