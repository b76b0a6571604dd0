"""Disclosure requests (Art. 27-45): a case on the shared machinery plus what is specific to a request.

The state graph (ALLOWED) and the transition methods live on `DisclosureRequest`;
views and admin actions only call them.

    submitted ──confirm──▶ received ──reply──▶ replied (closed)
        │                    │  ▲  ├─request_correction─▶ correction_requested ──correct──▶ received (clock restarts)
        │                    │  │  │                          └─(deadline passes)──▶ abandoned (closed)
        │                    │  └──┴─consult / end_consultation ◀─▶ consulting (clock paused)
        └──withdraw──────────┴──────────▶ withdrawn (closed)

`extend` adds at most 20 working days once, with the office head's approval (Art. 33).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, register_kind
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.validators import validate_plain_text


class ReplyType(models.TextChoices):
    """Exactly one per reply (Art. 36-39), each mapped to one row of table 三 of the annual report."""

    # (一) 予以公开
    ALREADY_PUBLISHED = "already_published", _("Already published: where to find it (Art. 36(1))")
    DISCLOSED = "disclosed", _("Disclosed (Art. 36(2))")
    # (二) 部分公开
    PARTIAL = "partial", _("Partly disclosed, with reasons for what is withheld (Art. 37)")
    # (三) 不予公开
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("Withheld: state secret (Art. 14)")
    WITHHELD_LAW = "withheld_law", _("Withheld: a law or regulation forbids disclosure (Art. 14)")
    WITHHELD_SECURITY = "withheld_security", _("Withheld: would endanger security or stability (Art. 14)")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("Withheld: protects a third party's rights (Art. 15)")
    WITHHELD_INTERNAL = "withheld_internal", _("Withheld: internal affairs (Art. 16)")
    WITHHELD_PROCESS = "withheld_process", _("Withheld: process information (Art. 16)")
    WITHHELD_ENFORCEMENT = "withheld_enforcement", _("Withheld: administrative enforcement file (Art. 16)")
    WITHHELD_QUERY = "withheld_query", _("Withheld: an administrative query matter")
    # (四) 无法提供
    NOT_HELD = "not_held", _("Cannot be provided: not held by this organ (Art. 36(4)-(5))")
    NEW_ANALYSIS = "new_analysis", _("Cannot be provided: would need new analysis or production (Art. 38)")
    STILL_UNCLEAR = "still_unclear", _("Cannot be provided: still unclear after correction (Art. 30)")
    # (五) 不予处理
    PETITION = "petition", _("Not processed: a petition, report or complaint (Art. 39)")
    REPEAT = "repeat", _("Not processed: repeat request (Art. 36(6))")
    PUBLICATION = "publication", _("Not processed: asks for public publications (Art. 39)")
    EXCESSIVE = "excessive", _("Not processed: excessive requests without good reason (Art. 35)")
    CONFIRMATION = "confirmation", _("Not processed: asks to confirm or reissue information obtained (Art. 39)")
    # (六) 其他处理
    OTHER = "other", _("Other handling")


# Row of table 三 (国办公开办函〔2021〕30号) per reply type, and for requests closed without a reply.
REPORT_ROWS = {
    ReplyType.ALREADY_PUBLISHED: "3.1",
    ReplyType.DISCLOSED: "3.1",
    ReplyType.PARTIAL: "3.2",
    ReplyType.WITHHELD_STATE_SECRET: "3.3.1",
    ReplyType.WITHHELD_LAW: "3.3.2",
    ReplyType.WITHHELD_SECURITY: "3.3.3",
    ReplyType.WITHHELD_THIRD_PARTY: "3.3.4",
    ReplyType.WITHHELD_INTERNAL: "3.3.5",
    ReplyType.WITHHELD_PROCESS: "3.3.6",
    ReplyType.WITHHELD_ENFORCEMENT: "3.3.7",
    ReplyType.WITHHELD_QUERY: "3.3.8",
    ReplyType.NOT_HELD: "3.4.1",
    ReplyType.NEW_ANALYSIS: "3.4.2",
    ReplyType.STILL_UNCLEAR: "3.4.3",
    ReplyType.PETITION: "3.5.1",
    ReplyType.REPEAT: "3.5.2",
    ReplyType.PUBLICATION: "3.5.3",
    ReplyType.EXCESSIVE: "3.5.4",
    ReplyType.CONFIRMATION: "3.5.5",
    "abandoned_no_correction": "3.6.1",
    "abandoned_no_fee": "3.6.2",
    ReplyType.OTHER: "3.6.3",
    "withdrawn": "3.6.3",
}

# Every reply type except a full disclosure refuses something, and must say why (Art. 36-39).
NEEDS_REASONS = [t for t in ReplyType.values if t not in (ReplyType.ALREADY_PUBLISHED, ReplyType.DISCLOSED)]


class DisclosureRequest(models.Model):
    """A request for government information (Art. 27-45); its case carries the number, clock and timeline."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting confirmation of receipt")
        RECEIVED = "received", _("Received, being processed")
        CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
        CONSULTING = "consulting", _("Consulting a third party or another organ (clock paused)")
        REPLIED = "replied", _("Replied")
        ABANDONED = "abandoned", _("Closed: not corrected in time")
        WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")

    ALLOWED = {
        Status.SUBMITTED: {Status.RECEIVED, Status.WITHDRAWN},
        Status.RECEIVED: {Status.CORRECTION_REQUESTED, Status.CONSULTING, Status.REPLIED, Status.WITHDRAWN},
        Status.CORRECTION_REQUESTED: {Status.RECEIVED, Status.ABANDONED, Status.WITHDRAWN},
        Status.CONSULTING: {Status.RECEIVED, Status.WITHDRAWN},
    }

    class ApplicantKind(models.TextChoices):
        # The columns of table 三.
        INDIVIDUAL = "individual", _("Individual")
        BUSINESS = "business", _("Organization: business")
        RESEARCH = "research", _("Organization: research institution")
        PUBLIC_INTEREST = "public_interest", _("Organization: public-interest organization")
        LEGAL_SERVICES = "legal_services", _("Organization: legal services")
        OTHER_ORGANIZATION = "other_organization", _("Organization: other")

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident identity card")
        PASSPORT = "passport", _("Passport")
        HK_MACAO = "hk_macao", _("Mainland travel permit for Hong Kong and Macao residents")
        TAIWAN = "taiwan", _("Mainland travel permit for Taiwan residents")
        FOREIGN_PERMANENT = "foreign_permanent", _("Foreign permanent resident ID card")
        CREDIT_CODE = "credit_code", _("Unified social credit code (organizations)")

    class Form(models.TextChoices):
        PAPER = "paper", _("On paper")
        EMAIL = "email", _("By e-mail")
        DOWNLOAD = "download", _("Online download")

    class Delivery(models.TextChoices):
        COLLECT = "collect", _("Collect at the window")
        POST = "post", _("By post")
        EMAIL = "email", _("By e-mail")
        ONLINE = "online", _("Online, in my account")

    class ReceiptBasis(models.TextChoices):
        # Art. 31: how the day of receipt was fixed.
        IN_PERSON = "in_person", _("Submitted in person: the day of submission")
        POST_SIGNED = "post_signed", _("Signed-for post: the day it was signed for")
        POST_CONFIRMED = "post_confirmed", _("Ordinary post: the day it was confirmed with the applicant")
        ONLINE_CONFIRMED = "online_confirmed", _("Online or fax: the day both sides confirmed it")

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="disclosure_request"
    )
    applicant = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("applicant account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosure_requests",
        help_text=_("Empty for a request registered by a clerk for someone without an account."),
    )
    status = models.CharField(_("status"), max_length=24, choices=Status, default=Status.SUBMITTED, editable=False)
    # Art. 29(1): who asks, their identity proof and contact.
    applicant_kind = models.CharField(_("applicant"), max_length=20, choices=ApplicantKind)
    applicant_name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    id_type = models.CharField(_("identity document"), max_length=20, choices=IdType)
    id_number = EncryptedCharField(_("identity document number"), max_length=30)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    postal_address = EncryptedCharField(_("postal address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    # Art. 29(2): what is asked for.
    info_title = models.CharField(_("title of the information"), max_length=300, blank=True)
    info_document_number = models.CharField(_("document number"), max_length=100, blank=True)
    description = models.TextField(_("description of the information"), max_length=4000)
    # Art. 29(3): in what form and how.
    form_wanted = models.CharField(_("form wanted"), max_length=10, choices=Form)
    delivery = models.CharField(_("how to receive it"), max_length=10, choices=Delivery)
    # Art. 31
    receipt_basis = models.CharField(
        _("how the day of receipt was fixed"), max_length=20, choices=ReceiptBasis, blank=True, editable=False
    )
    # Art. 30: one correction notice, within 7 working days of receipt.
    correction_items = models.TextField(_("what to correct"), blank=True, editable=False)
    correction_issued_on = models.DateField(_("correction notice issued on"), null=True, blank=True, editable=False)
    correction_deadline = models.DateField(_("correct by"), null=True, blank=True, editable=False)
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True, editable=False)
    # Art. 33: one extension of at most 20 working days, approved by the office head.
    extension_reason = models.TextField(_("reason for the extension"), blank=True, editable=False)
    extended_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("extension approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Art. 36-37: the reply.
    reply_type = models.CharField(_("reply"), max_length=24, choices=ReplyType, blank=True, editable=False)
    reply_reasons = models.TextField(_("reasons"), blank=True, editable=False)
    reply_text = models.TextField(_("reply letter"), blank=True, editable=False)
    published_where = models.CharField(_("where it is published"), max_length=300, blank=True, editable=False)
    competent_organ = models.CharField(_("competent organ"), max_length=200, blank=True, editable=False)
    replied_on = models.DateField(_("replied on"), null=True, blank=True, editable=False)
    # Art. 42: free unless the fee schedule applies; one schedule per request.
    fee_schedule = models.CharField(
        _("fee schedule"),
        max_length=10,
        blank=True,
        editable=False,
        choices=[("", _("Free")), ("items", _("Per item")), ("pages", _("Per page"))],
    )
    fee_units = models.PositiveIntegerField(_("items or pages"), default=0, editable=False)
    fee_amount = models.DecimalField(_("fee (yuan)"), max_digits=9, decimal_places=2, default=0, editable=False)
    closed_reason = models.CharField(_("why it closed"), max_length=30, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        permissions = [
            ("handle_request", _("Can confirm, correct, consult and reply to disclosure requests")),
            ("extend_request", _("Can extend the time limit of a disclosure request (office head)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "submitted",
                        "received",
                        "correction_requested",
                        "consulting",
                        "replied",
                        "abandoned",
                        "withdrawn",
                    ]
                ),
                name="disclosure_request_status_valid",
            ),
            # A reply is exactly one of the reply types.
            models.CheckConstraint(
                condition=~Q(status="replied") | Q(reply_type__in=ReplyType.values, replied_on__isnull=False),
                name="disclosure_reply_has_type",
            ),
            # Any refusal, partial or complete, states its reasons (Art. 36-39).
            models.CheckConstraint(
                condition=~Q(reply_type__in=NEEDS_REASONS) | ~Q(reply_reasons=""),
                name="disclosure_refusal_has_reasons",
            ),
            # Once only, at most 20 working days (Art. 33): the days live on the case; here, who and why.
            models.CheckConstraint(
                condition=Q(extended_by__isnull=True) | ~Q(extension_reason=""),
                name="disclosure_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(fee_schedule__in=["", "items", "pages"]) & Q(fee_amount__gte=0),
                name="disclosure_fee_valid",
            ),
        ]

    def __str__(self):
        return f"{self.case.number} · {self.info_title or self.description[:30]}"


class Consultation(models.Model):
    """A third party (Art. 32) or another organ (Art. 34) asked for its view; the request's clock pauses."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("Third party (Art. 32)")
        ORGAN = "organ", _("Another administrative organ (Art. 34)")

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(_("consulted"), max_length=12, choices=Kind)
    party = models.CharField(_("name of the party consulted"), max_length=200, validators=[validate_plain_text])
    sent_on = models.DateField(_("sent on"))
    answer_due = models.DateField(_("answer due"), help_text=_("15 working days (Art. 32, 34)."))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    objects_to_disclosure = models.BooleanField(_("objects to disclosure"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    # Art. 32: disclosed over a third party's objection in the public interest: the third party is told in writing.
    disclosed_over_objection_notified_on = models.DateField(
        _("told in writing of disclosure over its objection on"), null=True, blank=True
    )

    class Meta:
        ordering = ["sent_on", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["third_party", "organ"]), name="consultation_kind_valid"),
            models.CheckConstraint(condition=Q(answer_due__gte=models.F("sent_on")), name="consultation_due_after"),
        ]

    def __str__(self):
        return self.party


class ReplyFile(models.Model):
    """Information provided with a reply: private, downloadable by the applicant (and the department) only."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    file = CheckedFileField(_("file"), folder="disclosure-replies", storage=private_storage)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("file provided")
        verbose_name_plural = _("files provided")

    def __str__(self):
        return self.title


register_kind("disclosure", DisclosureRequest.Status, _("Disclosure request"))
