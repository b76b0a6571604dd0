"""Public checks of issued documents (civiccenter/documents.py), and their electronic copies."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civiccenter import forms, throttle
from civiccenter.documents import IssuedDocument
from civiccenter.lib import seal


def _documents():
    return IssuedDocument.objects.select_related("department", "case")


@require_http_methods(["GET", "POST"])
def verify(request):
    """/documents/verify/: by number and code, or by uploading the electronic copy."""
    lookup = forms.DocumentLookupForm(request.GET if request.GET else None)
    posted = request.method == "POST"
    upload = forms.DocumentCopyForm(request.POST, request.FILES) if posted else forms.DocumentCopyForm()
    document, copy_checked, status = None, False, 200
    if lookup.is_bound and lookup.is_valid():
        if throttle.failures_exceeded(request, "document-check", lookup):
            status = 429
        else:
            document = (
                _documents()
                .filter(number=lookup.cleaned_data["number"], verification_code=lookup.cleaned_data["code"])
                .first()
            )
            if document is None:
                throttle.missed(request, "document-check")
                lookup.add_error(None, _("No document matches this number and code. Check both and try again."))
    elif posted and upload.is_valid():
        if throttle.failures_exceeded(request, "document-check", upload):
            status = 429
        else:
            data = upload.cleaned_data["copy"]
            document = _documents().filter(pdf_sha256=hashlib.sha256(data).hexdigest()).first()
            if document is None or not document.is_copy(data):
                throttle.missed(request, "document-check")
                document = None
                upload.add_error(
                    "copy",
                    _(
                        "This file is not a document issued by the portal, or it was changed after it was issued: "
                        "do not rely on it."
                    ),
                )
            else:
                copy_checked = True
    return render(
        request,
        "civiccenter/document_verify.html",
        {
            "lookup": lookup,
            "upload": upload,
            "document": document,
            "seal_valid": document.seal_valid() if document else False,
            "copy_checked": copy_checked,
            "key_id": seal.key_id(),
        },
        status=status,
    )


@require_GET
def check(request, code):
    """/documents/<code>/: where a printed document's QR code leads."""
    document = get_object_or_404(_documents(), verification_code=code.upper())
    return render(
        request,
        "civiccenter/document_verify.html",
        {"document": document, "seal_valid": document.seal_valid(), "key_id": seal.key_id()},
    )


@login_required
@require_GET
def electronic_copy(request, pk):
    """The sealed PDF, to the person it was issued to and to the staff who may see the case."""
    document = get_object_or_404(_documents().visible_to(request.user), pk=pk)
    data = document.pdf()
    if hashlib.sha256(data).hexdigest() != document.pdf_sha256:
        raise Http404  # never hand out a copy that would not verify
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@require_GET
def seal_key(request):
    """The seal's public key, to check a document's signature without the portal."""
    return HttpResponse(seal.public_key_pem(), content_type="text/plain; charset=utf-8")
