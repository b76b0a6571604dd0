"""Disclosure requests (Art. 27-45): a case on the shared machinery plus what is specific to a request.

The state graph is one table, `DisclosureRequest.WORKFLOW`, beside the status choices; the
transition methods on `DisclosureRequest` check it and carry the law's other rules (dates,
counts, required reasons); views and admin actions only call them.

    submitted ──confirm──▶ received ──reply──▶ replied (closed)
        │                    │  ▲  ├─request_correction─▶ correction_requested ──correct──▶ received (clock restarts)
        │                    │  │  │                          └─(deadline passes)──▶ abandoned (closed)
        │                    │  └──┴─consult / end_consultation ◀─▶ consulting (clock paused)
        └──withdraw──────────┴──────────▶ withdrawn (closed)

`extend` adds at most 20 working days once, with the office head's approval (Art. 33).
"""

from django.db import connection, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, CaseEvent, CaseRecord, InvalidTransition, register_kind
from civiccenter.lib import workdays
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.lib.masking import mask_id_number
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import CalendarDay
from civiccenter.workflow import ANYONE, STAFF, SYSTEM, Move, Workflow
from disclosure import fees


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


class DisclosureRequest(CaseRecord):
    """A request for government information (Art. 27-45); its case carries the number, clock and timeline."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting confirmation of receipt")
        RECEIVED = "received", _("Received, being processed")
        CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
        CONSULTING = "consulting", _("Consulting a third party or another organ (clock paused)")
        REPLIED = "replied", _("Replied")
        ABANDONED = "abandoned", _("Closed: not corrected in time")
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
                (Status.SUBMITTED, Status.RECEIVED, Status.CORRECTION_REQUESTED, Status.CONSULTING),
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
    closed_reason = models.CharField(_("why it closed"), max_length=30, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

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
    OPEN_STATUSES = (Status.SUBMITTED, Status.RECEIVED, Status.CORRECTION_REQUESTED, Status.CONSULTING)

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
        day = month_of or self.case.received_on or timezone.localdate()
        replied = (
            type(self)
            .objects.filter(
                status=self.Status.REPLIED,
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

    # --- Transitions -------------------------------------------------------------
    # Each move checks the table (`WORKFLOW.check`) on the locked row first; the rules of the law the table
    # cannot say follow, with their article. The case's clock, timeline and notices move only through the core.

    def _locked(self):
        return type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)

    def _reply_clock(self, start):
        return (str(self.REPLY_RULE), workdays.WORKING, self.REPLY_DAYS, start)

    # Every move and registration tells the applicant with this notice (its note, and the due date).
    NOTICE = "disclosure/email/request_status"

    @classmethod
    @in_language_of_record
    def submit_online(cls, *, by, department, today=None, **fields):
        """Filed online by a signed-in applicant: the case opens, and the clock waits for the confirmation (Art. 31)."""
        today = today or timezone.localdate()
        with transaction.atomic():
            case = Case.open_case(
                kind="disclosure",
                prefix="GK",
                department=department,
                status=cls.Status.SUBMITTED,
                by=by,
                applicant=by,
                contact_name=fields.get("applicant_name", ""),
                contact_phone=fields.get("contact_phone", ""),
                contact_email=fields.get("contact_email", ""),
                channel=Case.Channel.WEB,
                received_on=today,
                # Art. 31: an online request is not received until both sides confirm it.
                received=False,
                note=_(
                    "Request filed online. It counts as received on the day the office confirms it with you "
                    "(Article 31)."
                ),
            )
            request = cls.objects.create(case=case, applicant=by, status=cls.Status.SUBMITTED, **fields)
            case.notify_applicant(cls.NOTICE, {"note": ""}, url=request.get_absolute_url())
        return request

    @classmethod
    @in_language_of_record
    def register(cls, *, by, department, channel, receipt_basis, received_on, oral=False, applicant=None, **fields):
        """A clerk registers a request made at the window, by phone or by post (Art. 29, 31).

        Received at once on `received_on`, fixed by `receipt_basis`; an oral request is written down by the clerk.
        """
        bases = {
            Case.Channel.WINDOW: {cls.ReceiptBasis.IN_PERSON},
            Case.Channel.PHONE: {cls.ReceiptBasis.IN_PERSON},
            Case.Channel.POST: {cls.ReceiptBasis.POST_SIGNED, cls.ReceiptBasis.POST_CONFIRMED},
        }
        if channel not in bases:
            raise InvalidTransition(_("A clerk registers requests made at the window, by phone or by post."))
        if receipt_basis not in bases[channel]:
            raise InvalidTransition(
                _("This is not how the day of receipt is fixed for a request made this way (Article 31).")
            )
        if received_on is None or received_on > timezone.localdate():
            raise InvalidTransition(_("The day of receipt cannot be in the future."))
        note = (
            _("Oral request written down by the clerk and received (Article 29).")
            if oral
            else _("Request received (Article 31): %(basis)s.") % {"basis": cls.ReceiptBasis(receipt_basis).label}
        )
        with transaction.atomic():
            case = Case.open_case(
                kind="disclosure",
                prefix="GK",
                department=department,
                status=cls.Status.RECEIVED,
                by=by,
                applicant=applicant,
                contact_name=fields.get("applicant_name", ""),
                contact_phone=fields.get("contact_phone", ""),
                contact_email=fields.get("contact_email", ""),
                channel=channel,
                received_on=received_on,
                note=note,
                clock=(str(cls.REPLY_RULE), workdays.WORKING, cls.REPLY_DAYS, received_on),
            )
            request = cls.objects.create(
                case=case, applicant=applicant, status=cls.Status.RECEIVED, receipt_basis=receipt_basis, **fields
            )
            case.notify_applicant(cls.NOTICE, {"note": ""})
        return request

    @in_language_of_record
    def confirm(self, *, by, today=None):
        """Art. 31: confirmed with the applicant today, so received today; the 20 working days of Art. 33 start."""
        today = today or timezone.localdate()
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("confirm", locked.status)
            note = _("Receipt confirmed with the applicant: the request counts as received today (Article 31).")
            locked.move_case(
                self.Status.RECEIVED,
                by=by,
                note=note,
                clock=self._reply_clock(today),
                today=today,
                notify=self.NOTICE,
                notify_context={"note": note},
                fields={"receipt_basis": self.ReceiptBasis.ONLINE_CONFIRMED},
                # The day of receipt is fixed with the move (Art. 31).
                received_on=today,
            )
        self.refresh_from_db()
        self.case.refresh_from_db()

    @in_language_of_record
    def request_correction(self, *, by, items, deadline, today=None):
        """Art. 30: one notice, within 7 working days of receipt, naming everything to correct and a deadline.

        The clock stops; it starts again, from zero, when the correction arrives.
        """
        today = today or timezone.localdate()
        if isinstance(items, str):
            items = items.splitlines()
        items = [item.strip() for item in items or () if item and item.strip()]
        if not items:
            raise InvalidTransition(_("Name everything to correct: the notice is given only once (Article 30)."))
        if deadline is None or deadline <= today:
            raise InvalidTransition(_("Give the applicant a reasonable deadline after today (Article 30)."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("request_correction", locked.status)
            # Art. 30: one notice only.
            if locked.correction_issued_on is not None:
                raise InvalidTransition(_("A correction notice was already sent; it is sent only once (Article 30)."))
            # Art. 30: within 7 working days of receipt.
            received = locked.case.received_on
            if received is not None:
                last_day = workdays.compute(
                    CalendarDay.objects.work_calendar(), received, self.CORRECTION_NOTICE_DAYS
                ).due
                if today > last_day:
                    raise InvalidTransition(
                        lazy_format(
                            _(
                                "A correction notice is sent within 7 working days of receipt (Article 30); the last day "
                                "was %(date)s."
                            ),
                            {"date": last_day.isoformat()},
                        )
                    )
            note = (
                _("Please correct your request by %(date)s (Article 30):") % {"date": deadline.isoformat()}
                + "\n"
                + "\n".join(f"- {item}" for item in items)
            )
            locked.move_case(
                self.Status.CORRECTION_REQUESTED,
                by=by,
                note=note,
                stop_clock=True,
                today=today,
                notify=self.NOTICE,
                notify_context={"note": note},
                fields={
                    "correction_items": "\n".join(items),
                    "correction_issued_on": today,
                    "correction_deadline": deadline,
                },
            )
        self.refresh_from_db()
        self.case.refresh_from_db()

    @in_language_of_record
    def correct(self, *, by, today=None, **changed):
        """The correction arrives: the request counts as received today and the 20 working days start again."""
        today = today or timezone.localdate()
        unknown = set(changed) - set(self.CORRECTABLE)
        if unknown:
            raise TypeError(f"not correctable: {', '.join(sorted(unknown))}")
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("correct", locked.status)
            # Art. 30: by the deadline of the notice; after it, the request is abandoned.
            if today > locked.correction_deadline:
                raise InvalidTransition(
                    lazy_format(
                        _(
                            "The deadline for the correction was %(date)s; the request is closed as abandoned (Article 30)."
                        ),
                        {"date": locked.correction_deadline.isoformat()},
                    )
                )
            note = _("Correction received: the 20 working days start again today (Article 30).")
            locked.move_case(
                self.Status.RECEIVED,
                by=by,
                note=note,
                clock=self._reply_clock(today),
                today=today,
                notify=self.NOTICE,
                notify_context={"note": note},
                fields={"corrected_on": today, **changed},
                # The correction is received today (Art. 30), with the applicant's new address if it changed.
                received_on=today,
                contacts={f: changed[f] for f in ("contact_email",) if f in changed},
            )
        self.refresh_from_db()
        self.case.refresh_from_db()

    @in_language_of_record
    def abandon(self, *, today=None):
        """No correction by the deadline: closed as abandoned (Art. 30; report row 3.6.1)."""
        today = today or timezone.localdate()
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("abandon", locked.status)
            # Art. 30: only once the deadline of the notice is over.
            if today <= locked.correction_deadline:
                raise InvalidTransition(_("The deadline for the correction is not over yet."))
            note = _("Not corrected by %(date)s: the request is taken as abandoned (Article 30).") % {
                "date": locked.correction_deadline.isoformat()
            }
            locked.move_case(
                self.Status.ABANDONED,
                by=None,
                note=note,
                close=True,
                today=today,
                notify=self.NOTICE,
                notify_context={"note": note},
                fields={"closed_reason": "abandoned_no_correction"},
            )
        self.refresh_from_db()

    @in_language_of_record
    def consult(self, *, by, kind, party, today=None):
        """Ask a third party (Art. 32) or another organ (Art. 34): 15 working days to answer; the clock pauses.

        Asking a second party while a consultation runs adds it without moving the request again.
        """
        today = today or timezone.localdate()
        party = (party or "").strip()
        if kind not in Consultation.Kind.values:
            raise InvalidTransition(_("Choose whom the request is consulted with."))
        if not party:
            raise InvalidTransition(_("Name the party consulted."))
        due = workdays.compute(CalendarDay.objects.work_calendar(), today, self.CONSULTATION_DAYS).due
        label = Consultation.Kind(kind).label
        note = _("Consultation of %(whom)s, answer due %(date)s; this time is not counted (Article 33).") % {
            "whom": label,
            "date": due.isoformat(),
        }
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("consult", locked.status)
            consultation = Consultation.objects.create(
                request=locked, kind=kind, party=party, sent_on=today, answer_due=due
            )
            if locked.status == self.Status.CONSULTING:
                locked.case.log(CaseEvent.Kind.CONSULTED, by=by, note=note)
            else:
                # The day the consultation is sent still counts; the clock stops from the next day.
                locked.move_case(
                    self.Status.CONSULTING,
                    by=by,
                    note=note,
                    pause=str(label),
                    today=today,
                    notify=self.NOTICE,
                    notify_context={"note": note},
                )
        self.refresh_from_db()
        self.case.refresh_from_db()
        return consultation

    @in_language_of_record
    def record_answer(self, *, by, consultation, answered_on, objects_to_disclosure, answer="", today=None):
        """The consulted party's answer; a third party's objection is recorded for the reply (Art. 32)."""
        today = today or timezone.localdate()
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("record_answer", locked.status)
            consultation = Consultation.objects.select_for_update().get(pk=consultation.pk, request=locked)
            if consultation.answered_on is not None:
                raise InvalidTransition(_("This consultation's answer is already recorded."))
            if answered_on is None or answered_on < consultation.sent_on or answered_on > today:
                raise InvalidTransition(_("The answer's date must be between the day it was sent and today."))
            if objects_to_disclosure not in (True, False):
                raise InvalidTransition(_("Say whether the party objects to disclosure."))
            consultation.answered_on = answered_on
            consultation.objects_to_disclosure = objects_to_disclosure
            consultation.answer = (answer or "").strip()
            consultation.save(update_fields=["answered_on", "objects_to_disclosure", "answer"])
            note = (
                _("%(party)s answered on %(date)s and objects to disclosure.")
                if objects_to_disclosure
                else _("%(party)s answered on %(date)s and does not object.")
            ) % {"party": consultation.party, "date": answered_on.isoformat()}
            # The party's name and view are the office's working file, not the applicant's.
            locked.case.log(CaseEvent.Kind.ANSWER_RECORDED, by=by, note=note, public=False)
        return consultation

    @in_language_of_record
    def end_consultation(self, *, by, today=None):
        """The answers are in (or the 15 working days are over): the clock runs again from tomorrow."""
        today = today or timezone.localdate()
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("end_consultation", locked.status)
            # Art. 32, 34: each party has 15 working days to answer.
            waiting = locked.consultations.filter(answered_on__isnull=True, answer_due__gte=today)
            if waiting.exists():
                raise InvalidTransition(
                    lazy_format(
                        _(
                            "%(party)s has until %(date)s to answer (Articles 32 and 34): record its answer, or wait "
                            "until then."
                        ),
                        {"party": waiting[0].party, "date": waiting[0].answer_due.isoformat()},
                    )
                )
            # The days through today are not counted; the clock runs again from tomorrow.
            note = _("Consultation ended: the time limit runs again.")
            locked.move_case(
                self.Status.RECEIVED,
                by=by,
                note=note,
                resume=True,
                today=today,
                notify=self.NOTICE,
                notify_context={"note": note},
            )
        self.refresh_from_db()
        self.case.refresh_from_db()

    @in_language_of_record
    def extend(self, *, by, reason, days, today=None):
        """Art. 33: once, by at most 20 working days, approved by the office head; the applicant is told why.

        "Once" is checked on the case (`Case.extend`); who approved and why are written with it.
        """
        today = today or timezone.localdate()
        reason = (reason or "").strip()
        # Art. 33: approved by the head of the office, with the reason, at most 20 working days.
        if by is None or not by.has_perm("disclosure.extend_request"):
            raise InvalidTransition(_("Only the head of the disclosure office approves an extension (Article 33)."))
        if not reason:
            raise InvalidTransition(_("Give the reason for the extension; the applicant is told it (Article 33)."))
        if not isinstance(days, int) or not 1 <= days <= self.MAX_EXTENSION_DAYS:
            raise InvalidTransition(_("An extension is at most 20 working days (Article 33)."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("extend", locked.status)
            note = _("Time limit extended by %(days)d working days (Article 33): %(reason)s") % {
                "days": days,
                "reason": reason,
            }
            locked.case.extend(
                by=by,
                days=days,
                note=note,
                once_message=_("The time limit was already extended; it is extended only once (Article 33)."),
                today=today,
                notify=self.NOTICE,
                notify_context={"note": note},
            )
            type(self).objects.filter(pk=locked.pk).update(extended_by=by, extension_reason=reason)
        self.refresh_from_db()
        self.case.refresh_from_db()

    @in_language_of_record
    def add_reply_file(self, *, by, title, file, pages=0):
        """A file to provide with the reply, while the request is being processed (private to the applicant)."""
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("add_reply_file", locked.status)
            return ReplyFile.objects.create(request=locked, title=title, file=file, pages=pages)

    @in_language_of_record
    def reply(
        self,
        *,
        by,
        reply_type,
        reasons="",
        text="",
        published_where="",
        competent_organ="",
        fee_schedule="",
        fee_units=0,
        today=None,
    ):
        """Art. 36-37: exactly one reply type, with its reasons where anything is refused; closes the request.

        The fee (Art. 42) is computed by one schedule and stored; the letter states the remedies.
        """
        today = today or timezone.localdate()
        reasons, text = (reasons or "").strip(), (text or "").strip()
        published_where, competent_organ = (published_where or "").strip(), (competent_organ or "").strip()
        # Art. 36-39: one kind of reply, with reasons for anything not provided.
        if reply_type not in ReplyType.values:
            raise InvalidTransition(_("Choose exactly one kind of reply (Article 36)."))
        if reply_type in NEEDS_REASONS and not reasons:
            raise InvalidTransition(_("State the reasons for what is not provided (Articles 36-39)."))
        if reply_type == ReplyType.ALREADY_PUBLISHED and not published_where:
            raise InvalidTransition(_("Tell the applicant where the information is published (Article 36(1))."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("reply", locked.status)
            if fee_schedule == fees.ITEMS:
                # Replies charged per item in the same month are serialised, so that two of them
                # never both count the applicant's earlier items without each other.
                day = locked.case.received_on or today
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x474B, day.year * 100 + day.month])
            fee = locked.compute_fee(fee_schedule, fee_units)
            # Art. 32: disclosure over a third party's objection needs the public interest, and the party is told.
            objecting = locked.consultations.filter(kind=Consultation.Kind.THIRD_PARTY, objects_to_disclosure=True)
            over_objection = reply_type in (ReplyType.DISCLOSED, ReplyType.PARTIAL) and objecting.exists()
            if over_objection and not reasons:
                raise InvalidTransition(
                    _(
                        "A third party objected: state the public interest that requires disclosure; the third "
                        "party is told in writing (Article 32)."
                    )
                )
            note = ReplyType(reply_type).label
            if reasons:
                note += "\n" + reasons
            if fee is not None and not fee.is_free:
                note += "\n" + str(_("Fee: ¥%(amount)s (Article 42).") % {"amount": fee.amount})
            note += "\n" + str(self.REMEDIES)
            locked.move_case(
                self.Status.REPLIED,
                by=by,
                note=note,
                close=True,
                today=today,
                notify=self.NOTICE,
                notify_context={"note": note},
                fields={
                    "reply_type": reply_type,
                    "reply_reasons": reasons,
                    "reply_text": text,
                    "published_where": published_where,
                    "competent_organ": competent_organ,
                    "replied_on": today,
                    "fee_schedule": fee_schedule or "",
                    "fee_units": fee.units if fee else 0,
                    "fee_amount": fee.amount if fee else 0,
                    "closed_reason": reply_type,
                },
            )
            if over_objection:
                objecting.update(disclosed_over_objection_notified_on=today)
                locked.case.log(
                    CaseEvent.Kind.NOTE,
                    by=by,
                    note=_(
                        "Disclosed over a third party's objection; the third party is told in writing (Article 32)."
                    ),
                    public=False,
                )
        self.refresh_from_db()
        self.case.refresh_from_db()

    @in_language_of_record
    def withdraw(self, *, by):
        """The applicant withdraws the request (report row 3.6.3)."""
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("withdraw", locked.status)
            note = _("Request withdrawn by the applicant.")
            locked.move_case(
                self.Status.WITHDRAWN,
                by=by,
                note=note,
                close=True,
                notify=self.NOTICE,
                notify_context={"note": note},
                fields={"closed_reason": "withdrawn"},
            )
        self.refresh_from_db()
        self.case.refresh_from_db()


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


def sweep_abandoned_requests(today) -> int:
    """Requests not corrected by their deadline are closed as abandoned (Art. 30)."""
    count = 0
    for request in DisclosureRequest.objects.abandonment_due(today).select_related("case"):
        try:
            request.abandon(today=today)
        except InvalidTransition:
            continue  # corrected or withdrawn meanwhile
        count += 1
    return count
