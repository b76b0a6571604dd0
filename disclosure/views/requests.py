"""The applicant's pages of a disclosure request: file, follow, correct, withdraw, read the reply, download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiccenter import submissions
from civiccenter.cases import InvalidTransition
from civiccenter.throttle import throttled
from disclosure.forms.requests import CorrectionForm, RequestForm
from disclosure.models.requests import DisclosureRequest, ReplyFile


def _own(request, pk):
    """The signed-in applicant's own request; anyone else's is a 404."""
    return get_object_or_404(DisclosureRequest.objects.filter(applicant=request.user).for_list(), pk=pk)


def _visible(request, pk):
    """The applicant's own request, or one the staff member's department handles; 404 for anyone else."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(DisclosureRequest.objects.visible_to(request.user).for_list(), pk=pk)


@login_required
@throttled("submit")
@submissions.once
def request_new(request):
    """Art. 29: the written request, online; it counts as received once the office confirms it (Art. 31)."""
    user = request.user
    initial = {"applicant_name": user.full_name, "contact_phone": user.phone, "contact_email": user.email}
    form = RequestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        disclosure_request = DisclosureRequest.submit_online(
            by=user, department=form.cleaned_data["department"], **form.request_fields
        )
        messages.success(
            request,
            _("Your request %(number)s was sent. The office will confirm its receipt with you.")
            % {"number": disclosure_request.case.number},
        )
        return submissions.receipt(request, disclosure_request)
    return render(request, "disclosure/requests/request_form.html", {"form": form})


@login_required
def request_list(request):
    requests = DisclosureRequest.objects.filter(applicant=request.user).for_list().order_by("-created_at", "-pk")
    page_obj = Paginator(requests, 20).get_page(request.GET.get("page"))
    return render(
        request, "disclosure/requests/request_list.html", {"page_obj": page_obj, "requests": page_obj.object_list}
    )


def _detail(request, disclosure_request, correction_form=None, status=200):
    case = disclosure_request.case
    replied = disclosure_request.status == DisclosureRequest.Status.REPLIED
    # What the applicant can do next, by the workflow table: correct when asked, withdraw while open.
    next_moves = {move.name for move in disclosure_request.available_moves(request.user)}
    if correction_form is None and "correct" in next_moves:
        correction_form = CorrectionForm(instance=disclosure_request)
    return render(
        request,
        "disclosure/requests/request_detail.html",
        {
            "req": disclosure_request,
            "case": case,
            "events": list(case.public_events),
            "files": list(disclosure_request.files.all()) if replied else [],
            "correction_form": correction_form,
            "next_moves": next_moves,
            "rated": case.closed_at is not None and case.ratings.filter(channel="web").exists(),
        },
        status=status,
    )


@login_required
def request_detail(request, pk):
    return _detail(request, _own(request, pk))


@require_POST
@login_required
def request_correct(request, pk):
    """Art. 30: the applicant sends the correction asked for; the 20 working days start again."""
    disclosure_request = _own(request, pk)
    if not DisclosureRequest.WORKFLOW.can("correct", disclosure_request.status):
        messages.error(request, _("No correction is asked for on this request."))
        return redirect(disclosure_request)
    form = CorrectionForm(request.POST, instance=DisclosureRequest.objects.get(pk=disclosure_request.pk))
    if not form.is_valid():
        return _detail(request, disclosure_request, correction_form=form)
    try:
        disclosure_request.correct(by=request.user, **form.changed())
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your correction was received. The reply is due within 20 working days."))
    return redirect(disclosure_request)


@require_POST
@login_required
def request_withdraw(request, pk):
    disclosure_request = _own(request, pk)
    try:
        disclosure_request.withdraw(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect(disclosure_request)


def reply_letter(request, pk):
    """The printable reply (Art. 36-37), with the fee and the remedies."""
    disclosure_request = _visible(request, pk)
    if disclosure_request.status != DisclosureRequest.Status.REPLIED:
        raise Http404
    return render(
        request,
        "disclosure/requests/reply_letter.html",
        {
            "req": disclosure_request,
            "case": disclosure_request.case,
            "files": disclosure_request.files.all(),
            "fee": disclosure_request.fee,
        },
    )


def correction_notice(request, pk):
    """The printable one-time correction notice (Art. 30)."""
    disclosure_request = _visible(request, pk)
    if disclosure_request.correction_issued_on is None:
        raise Http404
    return render(
        request,
        "disclosure/requests/correction_notice.html",
        {"req": disclosure_request, "case": disclosure_request.case},
    )


def fee_notice(request, pk):
    """The printable fee notice (Art. 42): the fee with its bands, the deadline to pay, what follows without payment."""
    disclosure_request = _visible(request, pk)
    if disclosure_request.fee_noticed_on is None:
        raise Http404
    return render(
        request,
        "disclosure/requests/fee_notice.html",
        {"req": disclosure_request, "case": disclosure_request.case, "fee": disclosure_request.fee},
    )


def reply_file(request, pk, file_pk):
    """A file provided with the reply: to its applicant once replied, and to the handling department; 404 otherwise."""
    disclosure_request = _visible(request, pk)
    if not request.user.is_staff and disclosure_request.status != DisclosureRequest.Status.REPLIED:
        raise Http404
    stored = get_object_or_404(ReplyFile, pk=file_pk, request=disclosure_request)
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    return response
