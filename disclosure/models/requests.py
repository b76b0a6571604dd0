"""Disclosure requests (Art. 27-45): a case on the shared machinery plus what is specific to a request.

The state graph is one table, `DisclosureRequest.WORKFLOW`, beside the status choices; the
transition methods on `DisclosureRequest` (inherited from `RequestMoves`, request_moves.py) check it
and carry the law's other rules (dates, counts, required reasons); views and admin actions only call them.
The reply types and files provided are in replies.py, the consultations in consultations.py.

    submitted ──confirm──▶ received ──reply──▶ replied (closed)
    (clock: confirm within DISCLOSURE_CONFIRMATION_WORKING_DAYS; then Art. 33's 20 working days)
        │                    ├─send_fee_notice─▶ awaiting_fee (clock paused) ──record_payment──▶ received
        │                    │                          └─(payment deadline passes)──▶ fee_not_paid (closed)
        │                    │  ▲  ├─request_correction─▶ correction_requested ──correct──▶ received (clock restarts)
        │                    │  │  │                          └─(deadline passes)──▶ abandoned (closed)
        │                    │  └──┴─consult / end_consultation ◀─▶ consulting (clock paused)
        └──withdraw──────────┴──────────▶ withdrawn (closed)

`extend` adds at most 20 working days once, with the office head's approval (Art. 33).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, CaseRecord, InvalidTransition, register_kind
from civiccenter.lib import clock
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.masking import mask_id_number
from civiccenter.lib.validators import validate_plain_text
from civiccenter.workflow import ANYONE, STAFF, SYSTEM, Move, Workflow, take_each
from disclosure import fees
from disclosure.models.consultations import Consultation
from disclosure.models.replies import NEEDS_REASONS, REPORT_ROWS, ReplyFile, ReplyType
from disclosure.models.request_moves import RequestMoves

# Imported from here by the views, forms, admin and tests, as before the split.
__all__ = [
    "NEEDS_REASONS",
    "REPORT_ROWS",
    "Consultation",
    "DisclosureRequest",
    "DisclosureRequestQuerySet",
    "ReplyFile",
    "ReplyType",
    "sweep_abandoned_requests",
    "sweep_unclocked_requests",
    "sweep_unpaid_fees",
]


class DisclosureRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: their department's requests (or all, for center-wide roles). Anyone else: their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.filter(case__in=Case.objects.visible_to(user))
        return self.filter(applicant=user)

    def open(self):
        return self.filter(case__closed_at__isnull=True)

    def for_list(self):
        return self.select_related("case", "case__department")

    def abandonment_due(self, today):
        """Asked to correct and the deadline is over (Art. 30): closed as abandoned by the sweep."""
        return self.filter(status=DisclosureRequest.Status.CORRECTION_REQUESTED, correction_deadline__lt=today)

    def fee_lapsed(self, today):
        """A fee notice's deadline is over without payment (Art. 42): closed by the sweep (report row 3.6.2)."""
        return self.filter(status=DisclosureRequest.Status.AWAITING_FEE, fee_due__lt=today)


class DisclosureRequest(RequestMoves, CaseRecord):
    """A request for government information (Art. 27-45); its case carries the number, clock and timeline."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting confirmation of receipt")
        RECEIVED = "received", _("Received, being processed")
        CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
        CONSULTING = "consulting", _("Consulting a third party or another organ (clock paused)")
        AWAITING_FEE = "awaiting_fee", _("Fee notice sent, awaiting payment (clock paused)")
        REPLIED = "replied", _("Replied")
        ABANDONED = "abandoned", _("Closed: not corrected in time")
        FEE_NOT_PAID = "fee_not_paid", _("Closed: fee not paid in time")
        WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")

    HANDLE = "disclosure.handle_request"
    WORKFLOW = Workflow(
        "disclosure.request",
        Status,
        [
            Move(
                "confirm",
                (Status.SUBMITTED,),
                Status.RECEIVED,
                label=_("Confirm receipt"),
                by=STAFF,
                permission=HANDLE,
                requires=_("Receipt confirmed with the applicant: received that day (Article 31)."),
            ),
            Move(
                "request_correction",
                (Status.RECEIVED,),
                Status.CORRECTION_REQUESTED,
                label=_("Send the correction notice"),
                by=STAFF,
                permission=HANDLE,
                requires=_(
                    "Once only, within 7 working days of receipt, naming everything to correct and a deadline "
                    "after today (Article 30)."
                ),
            ),
            Move(
                "correct",
                (Status.CORRECTION_REQUESTED,),
                Status.RECEIVED,
                label=_("Send the correction"),
                by=ANYONE,
                requires=_("By the deadline of the correction notice (Article 30)."),
            ),
            Move(
                "abandon",
                (Status.CORRECTION_REQUESTED,),
                Status.ABANDONED,
                label=_("Close as not corrected in time"),
                by=SYSTEM,
                requires=_("The deadline of the correction notice is over (Article 30)."),
            ),
            Move(
                "consult",
                (Status.RECEIVED, Status.CONSULTING),
                Status.CONSULTING,
                label=_("Consult a third party or another organ"),
                by=STAFF,
                permission=HANDLE,
                requires=_("The party consulted; it has 15 working days to answer (Articles 32 and 34)."),
            ),
            Move(
                "record_answer",
                (Status.RECEIVED, Status.CORRECTION_REQUESTED, Status.CONSULTING),
                None,
                label=_("Record an answer"),
                by=STAFF,
                permission=HANDLE,
                requires=_("A consultation not yet answered; the answer dated between its sending and today."),
            ),
            Move(
                "end_consultation",
                (Status.CONSULTING,),
                Status.RECEIVED,
                label=_("End the consultation"),
                by=STAFF,
                permission=HANDLE,
                requires=_("Every party answered, or its 15 working days are over (Articles 32 and 34)."),
            ),
            Move(
                "extend",
                (Status.RECEIVED, Status.CONSULTING),
                None,
                label=_("Extend the time limit (once)"),
                by=STAFF,
                permission="disclosure.extend_request",
                requires=_(
                    "Approved by the office head, with the reason; once, at most 20 working days, before the time "
                    "limit is over (Article 33)."
                ),
            ),
            Move(
                "add_reply_file",
                (Status.RECEIVED, Status.CONSULTING),
                None,
                label=_("Add a file to provide with the reply"),
                by=STAFF,
                permission="disclosure.add_replyfile",
            ),
            Move(
                "send_fee_notice",
                (Status.RECEIVED,),
                Status.AWAITING_FEE,
                label=_("Send the fee notice"),
                by=STAFF,
                permission=HANDLE,
                requires=_(
                    "Once, a fee above zero by one schedule (Article 42) and the deadline to pay; the time limit "
                    "pauses until the payment is recorded."
                ),
            ),
            Move(
                "record_payment",
                (Status.AWAITING_FEE,),
                Status.RECEIVED,
                label=_("Record the payment"),
                by=STAFF,
                permission=HANDLE,
                requires=_("The fee paid by the deadline of the fee notice; the time limit runs again (Article 42)."),
            ),
            Move(
                "close_unpaid",
                (Status.AWAITING_FEE,),
                Status.FEE_NOT_PAID,
                label=_("Close as the fee was not paid in time"),
                by=SYSTEM,
                requires=_("The deadline of the fee notice is over without payment (report row 3.6.2)."),
            ),
            Move(
                "reply",
                (Status.RECEIVED,),
                Status.REPLIED,
                label=_("Send the reply"),
                by=STAFF,
                permission=HANDLE,
                requires=_(
                    "Exactly one kind of reply, with reasons for anything not provided; over a third party's "
                    "objection, the public interest (Articles 32, 36-39)."
                ),
            ),
            Move(
                "withdraw",
                (
                    Status.SUBMITTED,
                    Status.RECEIVED,
                    Status.CORRECTION_REQUESTED,
                    Status.CONSULTING,
                    Status.AWAITING_FEE,
                ),
                Status.WITHDRAWN,
                label=_("Withdraw the request"),
                by=ANYONE,
                requires=_("The applicant's own decision (report row 3.6.3)."),
            ),
        ],
    )

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
    # Art. 42: a fee notice (once) stops the clock until the fee is paid; not paid by `fee_due`: report row 3.6.2.
    fee_earlier_items = models.PositiveIntegerField(_("earlier items of the month"), default=0, editable=False)
    fee_noticed_on = models.DateField(_("fee notice sent on"), null=True, blank=True, editable=False)
    fee_due = models.DateField(_("fee to be paid by"), null=True, blank=True, editable=False)
    fee_paid_on = models.DateField(_("fee paid on"), null=True, blank=True, editable=False)
    closed_reason = models.CharField(_("why it closed"), max_length=30, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = DisclosureRequestQuerySet.as_manager()

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
                        "awaiting_fee",
                        "replied",
                        "abandoned",
                        "fee_not_paid",
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
            # A fee notice names a fee above zero and the day it is due (Art. 42).
            models.CheckConstraint(
                condition=Q(fee_noticed_on__isnull=True)
                | Q(fee_due__gt=models.F("fee_noticed_on"), fee_amount__gt=0) & ~Q(fee_schedule=""),
                name="disclosure_fee_notice_complete",
            ),
        ]

    def __str__(self):
        return f"{self.case.number} · {self.info_title or self.description[:30]}"

    def get_absolute_url(self):
        return reverse("disclosure:request-detail", args=[self.pk])

    # --- Rules and texts -----------------------------------------------------

    REPLY_RULE = _("Regulations on Open Government Information, Article 33: reply within 20 working days of receipt")
    REPLY_DAYS = 20
    CORRECTION_NOTICE_DAYS = 7  # Art. 30
    CONSULTATION_DAYS = 15  # Art. 32, 34
    MAX_EXTENSION_DAYS = 20  # Art. 33
    REMEDIES = _(
        "If you consider that this reply infringes your lawful rights and interests, you may apply for "
        "administrative reconsideration within 60 days of receiving it (Administrative Reconsideration Law, "
        "Article 20), or bring an administrative lawsuit within 6 months (Administrative Litigation Law, Article 46)."
    )
    # What a correction may change: the request itself and how to answer it, never who asks (Art. 29-30).
    CORRECTABLE = (
        "info_title",
        "info_document_number",
        "description",
        "form_wanted",
        "delivery",
        "contact_email",
        "postal_address",
        "postcode",
    )
    OPEN_STATUSES = (
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.CORRECTION_REQUESTED,
        Status.CONSULTING,
        Status.AWAITING_FEE,
    )
    # Online requests are confirmed within this many working days of submission (settings; no article fixes it),
    # and the office is reminded the working day before.
    CONFIRMATION_RULE = _(
        "Regulations on Open Government Information, Article 31: an online request is confirmed within %(days)d "
        "working days of submission; the 20 working days of Article 33 start at confirmation"
    )
    CONFIRMATION_REMINDER_DAYS = 1

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_organization(self):
        return self.applicant_kind != self.ApplicantKind.INDIVIDUAL

    @property
    def report_row(self):
        """The row of table 三 of the annual report this request ends in (empty while open)."""
        return REPORT_ROWS.get(self.closed_reason, "")

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    @property
    def correction_lines(self):
        return [line.strip() for line in self.correction_items.splitlines() if line.strip()]

    @property
    def withheld(self):
        return self.reply_type in NEEDS_REASONS

    @property
    def fee(self):
        """The stored fee with its bands, for the letter (None when free of charge by schedule)."""
        if not self.fee_schedule:
            return None
        if self.fee_noticed_on and self.fee_schedule == fees.ITEMS:
            return fees.by_items(self.fee_units, self.fee_earlier_items)  # as charged by the fee notice
        if self.fee_schedule == fees.ITEMS:
            return fees.by_items(self.fee_units, self.earlier_items(closed_before=self.case.closed_at))
        return fees.by_pages(self.fee_units)

    def available_moves(self, user=None):
        """What can happen next: the table's moves from this status, for `user` (permissions aside without one),
        less those the law already rules out for this request. Drives the applicant's page and the handle page."""
        moves = self.WORKFLOW.available(self.status, user=user)

        def ruled_out(name):
            if name == "request_correction":
                return self.correction_issued_on is not None  # Art. 30: one notice
            if name == "extend":
                return bool(self.case.clock_extension or self.extended_by_id)  # Art. 33: once
            if name == "send_fee_notice":
                return self.fee_noticed_on is not None  # Art. 42: one fee notice
            if name == "record_answer":
                return not any(c.answered_on is None for c in self.consultations.all())
            return False

        return [move for move in moves if not ruled_out(move.name)]

    # --- Fees (Art. 42) --------------------------------------------------------

    def _same_applicant(self, other):
        if self.applicant_id and other.applicant_id == self.applicant_id:
            return True
        return bool(self.id_number) and (other.id_type, other.id_number) == (self.id_type, self.id_number)

    def earlier_items(self, month_of=None, closed_before=None):
        """Items the same applicant (account or identity number) was charged per item for in the calendar month.

        The month is that of the day of receipt (国办函〔2020〕109号: "一个自然月内累计申请"). Identity
        numbers are encrypted, so the month's few per-item replies are compared in Python.
        """
        day = month_of or self.case.received_on or clock.today()
        # Replied, or charged by a fee notice not lapsed (awaiting payment or paid).
        charged = Q(status=self.Status.REPLIED) | Q(
            fee_noticed_on__isnull=False, status__in=[s for s in self.OPEN_STATUSES if s != self.Status.SUBMITTED]
        )
        replied = (
            type(self)
            .objects.filter(
                charged,
                fee_schedule=fees.ITEMS,
                case__received_on__year=day.year,
                case__received_on__month=day.month,
            )
            .exclude(pk=self.pk)
            .filter(**({"case__closed_at__lt": closed_before} if closed_before else {}))
            .only("pk", "applicant_id", "id_type", "id_number", "fee_units")
        )
        return sum(other.fee_units for other in replied if self._same_applicant(other))

    def compute_fee(self, schedule, units, month_of=None):
        """The fee for one schedule, never both (Art. 42); None when the reply is free."""
        if not schedule:
            return None
        if schedule not in (fees.ITEMS, fees.PAGES):
            raise InvalidTransition(_("Choose the fee schedule: free, per item or per page."))
        if not units or units < 1:
            raise InvalidTransition(_("Give the number of items or pages the fee is charged for."))
        if schedule == fees.ITEMS:
            return fees.by_items(units, self.earlier_items(month_of))
        return fees.by_pages(units)


register_kind("disclosure", DisclosureRequest.Status, _("Disclosure request"))


def sweep_unpaid_fees(today) -> int:
    """Requests whose fee was not paid by the deadline of the fee notice are closed (Art. 42; report row 3.6.2)."""
    lapsed = DisclosureRequest.objects.fee_lapsed(today).select_related("case")
    return take_each(lapsed, lambda request: request.close_unpaid(today=today))  # paid or withdrawn: skipped


def sweep_unclocked_requests(today) -> int:
    """Online requests filed before the confirmation limit existed get it, from the day each was filed (Art. 31)."""
    unclocked = DisclosureRequest.objects.filter(status=DisclosureRequest.Status.SUBMITTED, case__clock_unit="")
    return take_each(unclocked.select_related("case"), lambda request: request.start_confirmation_clock())


def sweep_abandoned_requests(today) -> int:
    """Requests not corrected by their deadline are closed as abandoned (Art. 30)."""
    due = DisclosureRequest.objects.abandonment_due(today).select_related("case")
    return take_each(due, lambda request: request.abandon(today=today))  # corrected or withdrawn: skipped
