"""The documents an organ issues (文书): numbered, dated, sealed, and checkable by anyone.

A move that gives the applicant a written voucher or decision (a notice of
acceptance, a correction notice, a licence, a denial...) calls `issue()` inside
its transaction, once. The document gets:

- its own date, the day it is issued (never the case's latest event);
- a document number (文号) from one sequence per organ and year, e.g.
  示范市监许〔2026〕12号, unique by the database;
- the organ's electronic seal: an Ed25519 signature (civiccenter/lib/seal.py)
  over its content, which Order 716 Art. 8-11 make equal to a paper seal;
- an electronic copy, a PDF rendered only from what was signed, so it is the
  same bytes every time. The public verification page checks the signature of
  the record and, for an uploaded copy, that it is that PDF byte for byte: a
  copy changed anywhere fails.

The text is written in the language of record (Chinese) by the move; pages may
show a reading in the visitor's language beside it.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, new_query_code, next_sequence
from civiccenter.lib import clock, seal
from civiccenter.lib.simplepdf import text_pdf
from civiccenter.people import Department, DepartmentScopedQuerySet

FORMAT = 1  # how the signed content and the PDF are laid out; a new layout gets a new number, old ones stay


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class IssuedDocumentQuerySet(DepartmentScopedQuerySet):
    def visible_to(self, user):
        """Staff: their department's documents (or all, for center-wide roles). Everyone else: their own cases'."""
        if user.is_authenticated and user.is_active and not user.is_staff:
            return self.filter(case__applicant=user)
        return super().visible_to(user)


class IssuedDocument(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("issuing organ")
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="issued_documents", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    number = models.CharField(_("document number"), max_length=60, unique=True)
    issued_on = models.DateField(_("issued on"))
    lines = models.JSONField(_("text"), default=list)
    verification_code = models.CharField(_("verification code"), max_length=8, unique=True, default=new_query_code)
    verify_url = models.CharField(_("verification address"), max_length=200)
    key_id = models.CharField(_("seal key"), max_length=16)
    signature = models.CharField(_("signature"), max_length=100)
    pdf_sha256 = models.CharField(_("SHA-256 of the electronic copy"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            # One sequence of numbers per organ and year: a number is never given twice.
            models.UniqueConstraint(fields=["department", "year", "serial"], name="document_number_per_organ_year")
        ]
        indexes = [models.Index(fields=["case", "kind"], name="document_case_kind")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("document-check", args=[self.verification_code])

    # --- what is signed ------------------------------------------------------

    def signed_content(self) -> bytes:
        """The canonical bytes the seal signs: everything the document says, nothing the database adds."""
        content = {
            "format": FORMAT,
            "number": self.number,
            "organ": self.department.name,
            "kind": self.kind,
            "title": self.title,
            "issued_on": self.issued_on.isoformat(),
            "case": self.case.number if self.case_id else "",
            "lines": list(self.lines),
            "verification_code": self.verification_code,
            "verify_url": self.verify_url,
        }
        return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def pdf(self) -> bytes:
        """The electronic copy: the signed text, the organ, the date, the seal's signature and where to check it."""
        footer = [
            "",
            self.department.name,
            chinese_date(self.issued_on),
            f"电子印章：{self.department.name}（密钥 {self.key_id}）",
            f"签名：{self.signature}",
            f"核验：{self.verify_url}（核验码 {self.verification_code}）",
        ]
        return text_pdf(self.title, [f"文号：{self.number}", "", *self.lines, *footer])

    # --- checks --------------------------------------------------------------

    def seal_valid(self) -> bool:
        """The record says exactly what the organ signed."""
        return seal.verify(self.signed_content(), self.signature, self.key_id)

    def is_copy(self, data: bytes) -> bool:
        """`data` is this document's electronic copy, unchanged, and the record itself is intact."""
        return self.seal_valid() and hashlib.sha256(data).hexdigest() == self.pdf_sha256 and data == self.pdf()

    @property
    def filename(self):
        return f"{self.case.number if self.case_id else 'document'}-{self.kind.rsplit('.', 1)[-1]}-{self.pk}.pdf"


def number_for(department, year, serial) -> str:
    return f"{department.document_prefix or department.code.upper()}〔{year}〕{serial}号"


def issue(*, department, kind, title, lines, case=None, on=None) -> IssuedDocument:
    """Number, date and seal a document; call it inside the move's transaction, once per document."""
    on = on or clock.today()
    serial = next_sequence(f"DOC-{department.pk}", on.year)
    document = IssuedDocument(
        department=department,
        case=case,
        kind=kind,
        title=str(title),
        year=on.year,
        serial=serial,
        number=number_for(department, on.year, serial),
        issued_on=on,
        lines=[str(line) for line in lines],
    )
    document.verify_url = settings.SITE_URL + reverse("document-check", args=[document.verification_code])
    document.signature, document.key_id = seal.sign(document.signed_content())
    document.pdf_sha256 = hashlib.sha256(document.pdf()).hexdigest()
    document.save()
    return document
