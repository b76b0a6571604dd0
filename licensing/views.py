import re
from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiccenter import sections, submissions
from civiccenter.cases import Case
from civiccenter.lib import clock
from civiccenter.throttle import throttled
from licensing import documents as issued
from licensing.filters import MatterFilter
from licensing.forms import ApplicationForm
from licensing.models import (
    Application,
    ApplicationFile,
    Appointment,
    CorrectionNotice,
    InvalidTransition,
    Licence,
    LifeEvent,
    Matter,
    WindowSlot,
)


def index(request):
    """The catalogue of licensing matters: browse, filter and search (Art. 30)."""
    matters = Matter.objects.published().for_list()
    # An invalid filter value is shown as an error and ignored; the others still apply.
    catalogue = MatterFilter(request.GET, queryset=matters)
    page_obj = Paginator(catalogue.qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "licensing/index.html",
        {
            "section": sections.get("licensing"),
            "filter": catalogue,
            "page_obj": page_obj,
            "matters": page_obj.object_list,
            "life_events": LifeEvent.objects.all(),
        },
    )


def _published(code):
    return get_object_or_404(
        Matter.objects.published()
        .select_related("department", "current_version")
        .prefetch_related("life_events", "current_version__materials"),
        code=code,
    )


def matter_detail(request, code):
    """The service guide of one matter, as it is in force today."""
    matter = _published(code)
    return render(request, "licensing/matter_detail.html", {"matter": matter, "version": matter.current_version})


def matter_print(request, code):
    matter = _published(code)
    return render(request, "licensing/matter_print.html", {"matter": matter, "version": matter.current_version})


# Applying online -------------------------------------------------------------

# The applicant edits what they are about to submit or send again (the table's `submit` and `resubmit`).
EDITABLE = (*Application.WORKFLOW["submit"].sources, *Application.WORKFLOW["resubmit"].sources)


def _own(request, pk, **filters):
    return get_object_or_404(
        Application.objects.filter(applicant=request.user, **filters).select_related(
            "case", "case__department", "version", "version__matter"
        ),
        pk=pk,
    )


@require_POST
@login_required
@throttled("submit")
@submissions.once
def start_application(request, code):
    """From a service guide: the user's open draft for the matter, or a new one."""
    matter = _published(code)
    draft = Application.objects.filter(
        applicant=request.user, version=matter.current_version, status=Application.Status.DRAFT
    ).first()
    if draft is None:
        user = request.user
        draft = Application.objects.create(
            version=matter.current_version,
            applicant=user,
            applicant_name=user.full_name,
            contact_phone=user.phone,
            applicant_type=(
                Application.ApplicantType.ORGANIZATION
                if user.account_type == user.AccountType.ORGANIZATION
                else Application.ApplicantType.INDIVIDUAL
            ),
        )
    return submissions.receipt(request, "licensing:application-edit", pk=draft.pk)


@require_POST
@login_required
@throttled("submit")
@submissions.once
def renew_licence(request, pk):
    """Art. 50: apply to renew from the licence: a draft for the matter's current rules, details copied."""
    licence = get_object_or_404(
        Licence.objects.filter(application__applicant=request.user).select_related("application__version__matter"),
        pk=pk,
    )
    old = licence.application
    current = old.version.matter.current_version
    if current is None:
        raise Http404
    draft = Application.objects.filter(applicant=request.user, renews=licence, status=Application.Status.DRAFT).first()
    if draft is None:
        draft = Application.objects.create(
            version=current,
            applicant=request.user,
            renews=licence,
            applicant_type=old.applicant_type,
            applicant_name=old.applicant_name,
            id_number=old.id_number,
            credit_code=old.credit_code,
            contact_phone=old.contact_phone,
        )
    return submissions.receipt(request, "licensing:application-edit", pk=draft.pk)


@login_required
@throttled("submit")
@submissions.once
def application_edit(request, pk):
    """Fill in, upload, save as a draft, submit; or correct and resubmit after a correction notice."""
    application = _own(request, pk, status__in=EDITABLE)
    materials = application.version.materials.all()
    existing = {
        f.material_id: timezone.localtime(f.uploaded_at).strftime("%Y-%m-%d %H:%M") for f in application.files.all()
    }
    submitting = request.POST.get("action") == "submit"
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=application,
        materials=materials,
        existing=existing,
        submitting=submitting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
                for material, upload in form.uploads():
                    application.files.filter(material=material).delete()
                    ApplicationFile.objects.create(application=application, material=material, file=upload)
                if submitting and application.status == Application.Status.DRAFT:
                    application.submit(by=request.user)
                    messages.success(request, _("Your application was submitted. Keep the receipt."))
                    return submissions.receipt(request, "licensing:application-receipt", pk=application.pk)
                if submitting:
                    application.resubmit(by=request.user)
                    messages.success(request, _("Your corrected application was sent."))
                    return redirect("licensing:application-detail", pk=application.pk)
        except InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your draft was saved. You can come back to it from “My applications”."))
            return redirect("licensing:application-edit", pk=application.pk)
    notice = getattr(application, "correction_notice", None) if application.case_id else None
    return render(
        request,
        "licensing/application_form.html",
        {"application": application, "form": form, "notice": notice, "matter": application.version.matter},
    )


@login_required
def application_list(request):
    applications = (
        Application.objects.filter(applicant=request.user)
        .select_related("case", "version__matter")
        .order_by("-created_at")
    )
    return render(request, "licensing/application_list.html", {"applications": applications})


@login_required
def application_detail(request, pk):
    application = _own(request, pk)
    return render(
        request,
        "licensing/application_detail.html",
        {
            "application": application,
            "case": application.case,
            # What the applicant can do next, by the application's table (the same as the staff's page).
            "moves": application.available_moves(request.user),
            "events": list(application.case.public_events) if application.case else [],
            "files": application.files.select_related("material"),
            "notice": getattr(application, "correction_notice", None) if application.case_id else None,
            "documents": issued.titled(application.case.issued_documents.all()) if application.case_id else [],
            "rated": application.case.ratings.filter(channel="web").exists() if application.case_id else False,
        },
    )


def _visible(request, pk):
    """The applicant's own application, or one of a case the staff member's department handles."""
    if not request.user.is_authenticated:
        raise Http404
    queryset = Application.objects.select_related("case", "case__department", "version__matter")
    if request.user.is_staff:
        queryset = queryset.filter(case__in=Case.objects.visible_to(request.user))
    else:
        queryset = queryset.filter(applicant=request.user)
    return get_object_or_404(queryset.exclude(case=None), pk=pk)


def application_receipt(request, pk):
    """The dated receipt (Art. 32): what was received, when, and when acceptance is due."""
    application = _visible(request, pk)
    return render(
        request,
        "licensing/application_receipt.html",
        {"application": application, "case": application.case, "files": application.files.select_related("material")},
    )


def register(request):
    """The public register of approvals (Art. 40): matter, holder, licence number, dates."""
    licences = (
        Licence.objects.in_register()
        .with_renewal()
        .select_related("application__version__matter", "application__case__department")
        .order_by("-issued_on", "-pk")
    )
    # Licence numbers are letters, digits and hyphens; anything else is dropped, never sent to the database.
    number = re.sub(r"[^0-9A-Z-]", "", (request.GET.get("number") or "").upper())[:24]
    if number:
        licences = licences.filter(number=number)
    page_obj = Paginator(licences, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "licensing/register.html",
        {"page_obj": page_obj, "licences": page_obj.object_list, "number": number, "today": clock.today()},
    )


@require_POST
@login_required
@throttled("submit")
def object_to_publication(request, pk):
    application = _own(request, pk, status=Application.Status.APPROVED)
    try:
        application.licence.object_to_publication(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your approval will not be published in the register."))
    return redirect("licensing:application-detail", pk=application.pk)


def licence_verify(request, code):
    """Public: anyone holding a licence's verification code can check it is genuine and in force."""
    licence = get_object_or_404(
        Licence.objects.with_renewal().select_related("application__version__matter", "application__case__department"),
        verification_code=code.upper(),
    )
    today = clock.today()
    return render(
        request,
        "licensing/licence_verify.html",
        {
            "licence": licence,
            "valid_today": licence.is_valid_on(today),
            "deemed_renewed": licence.deemed_renewed_on(today),
        },
    )


# The printed page of each kind of document an application's moves issue (licensing/documents.py).
PRINT_TEMPLATES = {
    "licensing.correction": "licensing/correction_notice.html",
    "licensing.acceptance": "licensing/acceptance_notice.html",
    "licensing.non_acceptance": "licensing/acceptance_notice.html",
    "licensing.extension": "licensing/extension_notice.html",
    "licensing.licence": "licensing/licence_document.html",
    "licensing.denial": "licensing/denial_notice.html",
}


def _latest(application, kinds):
    """The last document of these kinds issued on the application, if any (older cases may have none)."""
    return application.case.issued_documents.select_related("department").filter(kind__in=kinds).last()


def _print(request, application, template, document=None):
    """A printed document: its text in the reader's language, or as sealed, with its number, date and seal."""
    context = {"application": application, "case": application.case, "document": document}
    if template == "licensing/licence_document.html":
        licence = Licence.objects.get(application=application)
        # The public address, not the host the page was reached through (a clerk may print from an internal one).
        verify_url = settings.SITE_URL + licence.get_absolute_url()
        context |= {
            "licence": licence,
            "verify_url": verify_url,
            "qr_svg": segno.make(verify_url, error="m").svg_inline(scale=3, title=licence.verification_code),
        }
    elif template == "licensing/correction_notice.html":
        context["notice"] = get_object_or_404(
            CorrectionNotice.objects.prefetch_related("items__material"), application=application
        )
    elif template == "licensing/acceptance_notice.html":
        kind = document.kind if document else f"licensing.{application.status}"
        context["not_accepted"] = kind == "licensing.non_acceptance" or kind == "licensing.not_accepted"
    return render(request, template, context)


def application_document(request, pk, document_pk):
    """Any document issued on the application, printable for as long as the application exists."""
    application = _visible(request, pk)
    document = get_object_or_404(
        application.case.issued_documents.select_related("department"), pk=document_pk, kind__in=PRINT_TEMPLATES
    )
    return _print(request, application, PRINT_TEMPLATES[document.kind], document)


def acceptance_notice(request, pk):
    """The dated written notice of acceptance or non-acceptance (Art. 32), also after the case moved on."""
    application = _visible(request, pk)
    document = _latest(application, issued.ACCEPTANCE_KINDS)
    if document is None and application.status not in (Application.Status.ACCEPTED, Application.Status.NOT_ACCEPTED):
        raise Http404
    return _print(request, application, "licensing/acceptance_notice.html", document)


def decision_document(request, pk):
    """The written decision (Art. 38), to print: the licence with its verification code (Art. 44), or the denial."""
    application = _visible(request, pk)
    document = _latest(application, issued.DECISION_KINDS)
    if application.status == Application.Status.APPROVED:
        return _print(request, application, "licensing/licence_document.html", document)
    if application.status == Application.Status.DENIED:
        return _print(request, application, "licensing/denial_notice.html", document)
    raise Http404


def correction_notice(request, pk):
    """The printable one-time correction notice (Art. 32(4))."""
    application = _visible(request, pk)
    return _print(
        request,
        application,
        "licensing/correction_notice.html",
        _latest(application, ("licensing.correction",)),
    )


def application_file(request, pk, file_pk):
    """A private material: only to its applicant and to the handling department's staff; 404 to anyone else."""
    if not request.user.is_authenticated:
        raise Http404
    if request.user.is_staff:
        applications = Application.objects.filter(case__in=Case.objects.visible_to(request.user))
    else:
        applications = Application.objects.filter(applicant=request.user)
    stored = get_object_or_404(
        ApplicationFile.objects.filter(application__in=applications), pk=file_pk, application_id=pk
    )
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    return response


# Window appointments ------------------------------------------------------------


def matter_slots(request, code):
    """The next two weeks' free times at the windows that handle a matter."""
    matter = _published(code)
    now = clock.now()
    slots = (
        WindowSlot.objects.bookable(now)
        .filter(department=matter.department, starts_at__lt=now + timedelta(days=15))
        .order_by("starts_at", "window")
    )
    return render(request, "licensing/matter_slots.html", {"matter": matter, "slots": slots})


@require_POST
@login_required
@throttled("submit")
@submissions.once
def book_slot(request, code, slot_pk):
    matter = _published(code)
    slot = get_object_or_404(WindowSlot, pk=slot_pk)
    try:
        appointment = Appointment.book(slot=slot, matter=matter, by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
        return redirect("licensing:matter-slots", code=matter.code)
    messages.success(request, _("Your appointment is booked. Appointment code: %(code)s.") % {"code": appointment.code})
    return submissions.receipt(request, "licensing:appointments")


@login_required
def my_appointments(request):
    appointments = (
        Appointment.objects.filter(user=request.user)
        .select_related("slot__department", "matter")
        .order_by("-slot__starts_at")
    )
    return render(request, "licensing/appointments.html", {"appointments": appointments, "now": clock.now()})


@require_POST
@login_required
def cancel_appointment(request, pk):
    appointment = get_object_or_404(Appointment.objects.filter(user=request.user), pk=pk)
    try:
        appointment.cancel(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your appointment is cancelled."))
    return redirect("licensing:appointments")
