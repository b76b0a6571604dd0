"""Licence applications (Administrative Licensing Law Art. 29-45) and their table of moves.

An `Application` is the record of a licensing case: its case (civiccenter.cases)
carries the number, the clock, the timeline and the notices; every move is a
method named in `Application.WORKFLOW` and goes through the case. The hearing
of Art. 46-48 reaches the application through `licensing.hearing_link`.
"""

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, CaseRecord, InvalidTransition, next_tracking_number, register_kind
from civiccenter.lib import clock, workdays
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.i18n import in_language_of_record
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.uscc import validate as validate_uscc
from civiccenter.lib.validators import validate_plain_text, validate_resident_id
from civiccenter.models import CalendarDay
from civiccenter.workflow import ANYONE, SYSTEM, Move, Workflow, take_each
from licensing import documents as issued
from licensing import hearing_link
from licensing.models.application_rules import ApplicationRules
from licensing.models.catalogue import Material, MatterVersion


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case__in=Case.objects.visible_to(user)) if user.is_staff else self.filter(applicant=user)

    def deemed_acceptance_due(self, today):
        """Submitted, no correction notice, and the 5 working days of Art. 32 are over."""
        return self.filter(
            status=Application.Status.SUBMITTED, correction_notice__isnull=True, case__due_date__lt=today
        )


STATUS_NOTICE = "licensing/email/status_changed"


def _with_basis(note, hearing):
    """A decision's note, with the hearing record it rests on where one was held (Art. 48)."""
    return f"{note}\n{hearing_link.decision_basis(hearing)}" if hearing is not None else str(note)


def _told(note):
    """A move's note, written on the timeline and sent to the applicant with the status notice."""
    return {"note": note, "notify": STATUS_NOTICE, "notify_context": {"note": note}}


class Application(ApplicationRules, CaseRecord):
    """An application for a licensing matter; its case carries the number, clock and timeline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting acceptance")
        CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
        ACCEPTED = "accepted", _("Accepted, under review")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        SUSPENDED = "suspended", _("Suspended (hearing, testing, inspection or expert review)")
        APPROVED = "approved", _("Approved, licence issued")
        DENIED = "denied", _("Denied")

    # The whole state graph (Administrative Licensing Law Art. 29-48). Each move is the method of that name
    # (`offer_hearing`: licensing.hearing_link, called by the hearings app); rules the table cannot say
    # (a date, a count, a document) stay in the method with their article.
    WORKFLOW = Workflow(
        "licensing.application",
        Status,
        [
            Move(
                "submit",
                (Status.DRAFT,),
                Status.SUBMITTED,
                label=_("Submit the application"),
                by=ANYONE,
                requires=_(
                    "The declaration that the information is true (Article 78); the case opens and the 5 working "
                    "days for deciding on acceptance start (Article 32)."
                ),
            ),
            Move(
                "request_correction",
                (Status.SUBMITTED,),
                Status.CORRECTION_REQUESTED,
                label=_("Request correction"),
                permission="licensing.decide_application",
                requires=_(
                    "One notice listing everything to correct, within the 5 working days; given once (Article 32)."
                ),
            ),
            Move(
                "resubmit",
                (Status.CORRECTION_REQUESTED,),
                Status.SUBMITTED,
                label=_("Send the corrected materials"),
                by=ANYONE,
                requires=_("The corrected materials; the 5 working days for deciding on acceptance start again."),
            ),
            Move(
                "accept",
                (Status.SUBMITTED,),
                Status.ACCEPTED,
                label=_("Accept"),
                permission="licensing.decide_application",
                requires=_(
                    "The materials are complete and in the legal form; the decision clock of Article 42 starts."
                ),
            ),
            Move(
                "deem_accepted",
                (Status.SUBMITTED,),
                Status.ACCEPTED,
                label=_("Accepted by law"),
                by=SYSTEM,
                requires=_(
                    "No decision on acceptance and no correction notice within the 5 working days: accepted as of "
                    "the day received (Article 32)."
                ),
            ),
            Move(
                "refuse",
                (Status.SUBMITTED,),
                Status.NOT_ACCEPTED,
                label=_("Do not accept"),
                permission="licensing.decide_application",
                requires=_("The reason and, where known, the competent organ, in writing (Article 32, 38)."),
            ),
            Move(
                "suspend",
                (Status.ACCEPTED,),
                Status.SUSPENDED,
                label=_("Suspend the review"),
                permission="licensing.decide_application",
                requires=_(
                    "What the review waits for (hearing, testing, inspection, expert review...) and the time it is "
                    "expected to take; that time is not counted (Article 45)."
                ),
            ),
            Move(
                "resume",
                (Status.SUSPENDED,),
                Status.ACCEPTED,
                label=_("Resume the review"),
                permission="licensing.decide_application",
                requires=_("The hearing, test or review is over; the time limit runs again from the next day."),
            ),
            Move(
                "extend",
                (Status.ACCEPTED, Status.SUSPENDED),
                None,
                label=_("Extend the time limit"),
                permission="licensing.extend_application",
                requires=_(
                    "The head's approval and a reason the applicant is told; once, before the time limit is over "
                    "(Article 42)."
                ),
            ),
            Move(
                "offer_hearing",
                (Status.ACCEPTED,),
                None,
                label=_("Offer a hearing"),
                permission="hearings.conduct_hearing",
                requires=_(
                    "The applicant and the interested parties are told of their right to a hearing; one hearing per "
                    "application (Article 46-47)."
                ),
            ),
            Move(
                "approve",
                (Status.ACCEPTED,),
                Status.APPROVED,
                label=_("Approve and issue the licence"),
                permission="licensing.decide_application",
                requires=_("What the licence permits and how long it is valid, in writing (Article 38, 44)."),
            ),
            Move(
                "deny",
                (Status.ACCEPTED,),
                Status.DENIED,
                label=_("Deny"),
                permission="licensing.decide_application",
                requires=_("The reasons and the rights to reconsideration and litigation, in writing (Article 38)."),
            ),
        ],
    )

    class SuspensionKind(models.TextChoices):
        # Art. 45: the time these take is not counted in the time limits.
        HEARING = "hearing", _("Hearing")
        TESTING = "testing", _("Testing")
        INSPECTION = "inspection", _("Inspection or quarantine")
        APPRAISAL = "appraisal", _("Appraisal")
        EXPERT_REVIEW = "expert_review", _("Expert review")
        TENDER = "tender", _("Tender or auction")

    class ApplicantType(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ORGANIZATION = "organization", _("Enterprise or organization")

    version = models.ForeignKey(MatterVersion, verbose_name=_("matter version"), on_delete=models.PROTECT)
    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    applicant = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("applicant account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text=_("Empty for an application registered at the window for someone without an account."),
    )
    status = models.CharField(_("status"), max_length=24, choices=Status, default=Status.DRAFT, editable=False)
    applicant_type = models.CharField(
        _("applying as"), max_length=12, choices=ApplicantType, default=ApplicantType.INDIVIDUAL
    )
    applicant_name = models.CharField(_("applicant name"), max_length=100, validators=[validate_plain_text])
    id_number = EncryptedCharField(
        _("resident identity number"), max_length=18, blank=True, validators=[validate_resident_id]
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20)
    declaration = models.BooleanField(_("declaration of truthfulness"), default=False)
    not_accepted_reason = models.TextField(_("reason for not accepting"), blank=True, editable=False)
    competent_organ = models.CharField(_("competent organ"), max_length=200, blank=True, editable=False)
    accepted_on = models.DateField(_("accepted as of"), null=True, blank=True, editable=False)
    deemed_accepted = models.BooleanField(_("accepted by operation of law"), default=False, editable=False)
    promised_due = models.DateField(_("promised decision date"), null=True, blank=True, editable=False)
    renews = models.ForeignKey(
        "Licence",
        verbose_name=_("renews licence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="renewal_applications",
    )
    renewal_in_time = models.BooleanField(
        _("renewal asked in time"),
        default=False,
        editable=False,
        help_text=_("Article 50: asked at least the matter's period before the licence expires."),
    )
    denial_reason = models.TextField(_("reasons for the denial"), blank=True, editable=False)
    second_officer = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("second verifying officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    false_information_on = models.DateField(
        _("refused for false information on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Article 78: the applicant concealed information or gave false materials, and was warned."),
    )
    claims_business_secret = models.BooleanField(
        _("my materials contain business secrets"),
        default=False,
        help_text=_(
            "If you tick this, an approval is published only after you have had 5 working days to object "
            "(Administrative Licensing Law, Article 5)."
        ),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("licence application")
        verbose_name_plural = _("licence applications")
        permissions = [
            ("decide_application", _("Can accept, refuse or request correction of applications")),
            ("extend_application", _("Can extend the time limit of an application (department head)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "correction_requested",
                        "accepted",
                        "not_accepted",
                        "suspended",
                        "approved",
                        "denied",
                    ]
                ),
                name="application_status_valid",
            ),
            # Anything past the draft has a case, and only drafts lack one.
            models.CheckConstraint(
                condition=Q(status="draft", case__isnull=True) | (~Q(status="draft") & Q(case__isnull=False)),
                name="application_case_after_draft",
            ),
            # Art. 38: a refusal to accept states its reason.
            models.CheckConstraint(
                condition=~Q(status="not_accepted") | ~Q(not_accepted_reason=""),
                name="application_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_on__isnull=False), name="application_accepted_has_date"
            ),
            # Art. 38: a denial states its reasons.
            models.CheckConstraint(
                condition=~Q(status="denied") | ~Q(denial_reason=""), name="application_denial_has_reason"
            ),
        ]

    def __str__(self):
        draft = _("Draft")  # outside the f-string, where makemessages finds it
        return f"{self.case or draft} · {self.version.matter}"

    # --- Art. 32 ---------------------------------------------------------

    ACCEPTANCE_RULE = _("Administrative Licensing Law, Article 32: acceptance decided within 5 working days of receipt")
    DECISION_RULE = _(
        "Administrative Licensing Law, Article 42: decision within the statutory time limit of acceptance"
    )

    @in_language_of_record
    def submit(self, *, by, today=None, channel="web"):
        """Draft → submitted: the case is opened and the 5-working-day acceptance clock starts (Art. 32)."""
        today = today or clock.today()
        with transaction.atomic():
            locked = type(self).objects.select_for_update(of=("self",)).get(pk=self.pk)
            self.WORKFLOW.check("submit", locked.status)
            if not locked.declaration:
                raise InvalidTransition(_("Confirm the declaration that the information is true (Article 78)."))
            if locked.renews_id:
                locked.renewal_in_time = locked._check_renewal_asked_in_time(today)
            locked._check_not_barred(today)
            matter = locked.version.matter
            case = Case.open_case(
                kind="licensing",
                prefix="XK",
                department=matter.department,
                status=self.Status.SUBMITTED,
                by=by,
                applicant=locked.applicant,
                contact_name=locked.applicant_name,
                contact_phone=locked.contact_phone,
                channel=channel,
                received_on=today,
                note=_("Received; the decision on acceptance is due within 5 working days."),
                clock=(str(self.ACCEPTANCE_RULE), "working", 5, today),
            )
            locked.case, locked.status = case, self.Status.SUBMITTED
            locked.save(update_fields=["case", "status", "renewal_in_time"])
            case.notify_applicant(
                STATUS_NOTICE, {"note": ""}, url=reverse("licensing:application-detail", args=[locked.pk])
            )
        self.case, self.status = case, locked.status
        return self

    def move_case(self, new_status, *, by, fields=None, **case_kwargs):
        if self.case_id is None:
            raise InvalidTransition(_("A draft has no case yet."))
        super().move_case(new_status, by=by, fields=fields, **case_kwargs)

    @property
    def hearing_basis(self):
        """The held hearing whose record the decision rests on (Art. 48), for the printed decision."""
        return hearing_link.held_hearing(self) if self.pk else None

    def available_moves(self, user):
        """What can happen next, by the table: {move name: Move} open to `user` from this status.

        The applicant's page and the staff's decision page both show these. Rules of the law the table cannot
        say leave out a move already used up: the one extension (Art. 42), the one correction notice
        (Art. 32(4)) and the one hearing (Art. 47).
        """
        moves = {move.name: move for move in self.WORKFLOW.available(self.status, user=user)}
        if self.case_id and self.case.clock_extension:
            moves.pop("extend", None)
        if "request_correction" in moves and CorrectionNotice.objects.filter(application_id=self.pk).exists():
            moves.pop("request_correction")
        if "offer_hearing" in moves and hearing_link.has_hearing(self):
            moves.pop("offer_hearing")
        return moves

    @in_language_of_record
    def request_correction(self, *, by, items, today=None):
        """Art. 32(4): one notice, within 5 working days, listing everything to correct at once."""
        today = today or clock.today()
        if not items:
            raise InvalidTransition(_("List every item to correct: the notice is given once (Article 32)."))
        with transaction.atomic():
            locked = type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)
            self.WORKFLOW.check("request_correction", locked.status)
            # Art. 32(4): once and completely.
            if CorrectionNotice.objects.filter(application=locked).exists():
                raise InvalidTransition(
                    _("A correction notice was already given; it can be given only once (Article 32).")
                )
            if locked.case and locked.case.due_date and today > locked.case.due_date:
                raise InvalidTransition(
                    _(
                        "The 5 working days are over: the application counts as accepted from the day it was received (Article 32)."
                    )
                )
            notice = CorrectionNotice.objects.create(application=locked, issued_by=by, issued_on=today)
            for material, note in items:
                notice.items.create(material=material, note=note)
            other = _("Other")  # outside the f-string, where makemessages finds it
            listing = "\n".join(f"- {material.display_name if material else other}: {note}" for material, note in items)
            locked.move_case(
                self.Status.CORRECTION_REQUESTED,
                by=by,
                stop_clock=True,
                **_told(_("Correction requested, once and completely:") + "\n" + listing),
            )
            issued.issue(locked, "correction", on=today, notice=notice)
        self.refresh_from_db(fields=["status"])
        return notice

    @in_language_of_record
    def resubmit(self, *, by, today=None):
        """The corrected application comes back; the acceptance decision is due within 5 working days of it."""
        today = today or clock.today()
        with transaction.atomic():
            locked = type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)
            self.WORKFLOW.check("resubmit", locked.status)
            locked.move_case(
                self.Status.SUBMITTED,
                by=by,
                clock=(str(self.ACCEPTANCE_RULE), "working", 5, today),
                **_told(_("Corrected materials received.")),
            )
        self.refresh_from_db(fields=["status"])
        self.case.refresh_from_db()

    @in_language_of_record
    def accept(self, *, by, today=None, deemed=False):
        """Accepted: the decision clock of Art. 42 starts from the day of acceptance.

        `deemed`: the organ was silent for the 5 working days of Art. 32(4), so
        the application counts as accepted from the day it was received.
        """
        today = today or clock.today()
        with transaction.atomic():
            locked = (
                type(self).objects.select_for_update(of=("self",)).select_related("case", "version").get(pk=self.pk)
            )
            self.WORKFLOW.check("deem_accepted" if deemed else "accept", locked.status)
            if deemed:
                # Art. 32(4): only the organ's silence accepts by law; a correction notice was an answer.
                if CorrectionNotice.objects.filter(application=locked).exists():
                    raise InvalidTransition(
                        _("Only a submitted application without a correction notice is accepted by law.")
                    )
                if locked.case.due_date is None or today <= locked.case.due_date:
                    raise InvalidTransition(_("The 5 working days are not over yet."))
                accepted_on = locked.case.received_on
                note = _(
                    "No decision on acceptance within 5 working days: accepted by law as of the day received "
                    "(Article 32)."
                )
            elif (
                locked.case.due_date is not None
                and today > locked.case.due_date
                and not CorrectionNotice.objects.filter(application=locked).exists()
            ):
                # Art. 32(4): after 5 silent working days it was accepted by law as of the day received,
                # whoever acts later and whenever the nightly sweep would have run.
                accepted_on, deemed = locked.case.received_on, True
                note = _(
                    "Accepted after the 5 working days without a correction notice: accepted by law as of the day "
                    "received (Article 32)."
                )
            else:
                accepted_on, note = today, _("Accepted.")
            calendar = CalendarDay.objects.work_calendar()
            promised = locked._promised_due(accepted_on, calendar)
            clock_rule = locked._decision_clock(accepted_on, calendar)
            locked.move_case(
                self.Status.ACCEPTED,
                by=by,
                **_told(note),
                clock=clock_rule,
                fields={"accepted_on": accepted_on, "deemed_accepted": deemed, "promised_due": promised},
            )
            issued.issue(locked, "acceptance", on=today)
        self.refresh_from_db()

    def deem_accepted(self, *, today=None):
        """Run by sweep_deadlines for every application the organ left unanswered (Art. 32(4))."""
        self.accept(by=None, today=today, deemed=True)

    @in_language_of_record
    def refuse(self, *, by, reason, competent_organ="", false_information=False, today=None):
        """Not accepted (Art. 32(1)–(2)): in writing, with the reason and, where known, the competent organ."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason for not accepting (Article 38)."))
        with transaction.atomic():
            locked = type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)
            self.WORKFLOW.check("refuse", locked.status)
            organ = _("Competent organ")  # outside the f-string, where makemessages finds it
            note = reason + (f"\n{organ}: {competent_organ}" if competent_organ else "")
            fields = {"not_accepted_reason": reason, "competent_organ": competent_organ}
            if false_information:
                note += "\n" + locked._false_information_note(today or clock.today())
                fields["false_information_on"] = locked.false_information_on
            locked.move_case(self.Status.NOT_ACCEPTED, by=by, **_told(note), close=True, fields=fields)
            issued.issue(locked, "non_acceptance", on=today or clock.today())
        self.refresh_from_db()

    # --- Review and decision (Art. 34-45) ----------------------------------

    REMEDIES = _(
        "You may apply for administrative reconsideration within 60 days of receiving this decision "
        "(Administrative Reconsideration Law, Article 20), or bring an administrative lawsuit within 6 months "
        "(Administrative Litigation Law, Article 46)."
    )

    @property
    def extension_days(self):
        """Art. 42: +10 working days, or +15 where several departments handle it jointly."""
        return 15 if self.version.joint_handling else 10

    @in_language_of_record
    def extend(self, *, by, reason, today=None):
        """Once, with the head's approval and a reason the applicant sees (Art. 42)."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason for the extension; the applicant is told it (Article 42)."))
        with transaction.atomic():
            locked = (
                type(self).objects.select_for_update(of=("self",)).select_related("case", "version").get(pk=self.pk)
            )
            self.WORKFLOW.check("extend", locked.status)
            # Art. 42: the head of the organ approves the extension, whoever presses the button.
            if by is None or not by.has_perm(self.WORKFLOW.moves["extend"].permission):
                raise InvalidTransition(_("Only the head of the organ approves an extension (Article 42)."))
            locked.case.extend(
                by=by,
                days=locked.extension_days,
                note=_("Time limit extended by %(days)d working days: %(reason)s")
                % {"days": locked.extension_days, "reason": reason},
                once_message=_("The time limit was already extended; it can be extended only once (Article 42)."),
                today=today,
                notify=STATUS_NOTICE,
                notify_context={"note": reason},
            )
            locked.case.refresh_from_db()
            issued.issue(locked, "extension", on=today or clock.today(), days=locked.extension_days, reason=reason)
        self.case.refresh_from_db()

    @in_language_of_record
    def suspend(self, *, by, kind, expected_days, today=None):
        """Stop the clock for a hearing, testing, inspection... with a written notice of the time needed (Art. 45)."""
        today = today or clock.today()
        if kind not in self.SuspensionKind.values:
            raise InvalidTransition(_("Choose what the review waits for."))
        if not expected_days or expected_days < 1:
            raise InvalidTransition(_("Tell the applicant how long it is expected to take (Article 45)."))
        with transaction.atomic():
            locked = type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)
            self.WORKFLOW.check("suspend", locked.status)
            label = self.SuspensionKind(kind).label
            # Art. 45: the day of the notice still counts; the clock stops from the next day.
            locked.move_case(
                self.Status.SUSPENDED,
                by=by,
                pause=str(label),
                today=today,
                **_told(
                    _(
                        "Suspended for %(what)s, expected to take about %(days)d days; this time is not counted in "
                        "the time limit (Article 45)."
                    )
                    % {"what": label, "days": expected_days}
                ),
            )
        self.refresh_from_db(fields=["status"])
        self.case.refresh_from_db()

    @in_language_of_record
    def resume(self, *, by, today=None):
        """The hearing or test is over: the clock runs again from the next day."""
        today = today or clock.today()
        with transaction.atomic():
            locked = type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)
            self.WORKFLOW.check("resume", locked.status)
            hearing_link.check_resume(locked)
            # The days after the notice up to and including today are not counted (Art. 45).
            locked.move_case(
                self.Status.ACCEPTED,
                by=by,
                resume=True,
                today=today,
                **_told(_("Review resumed; the time limit runs again.")),
            )
        self.refresh_from_db(fields=["status"])
        self.case.refresh_from_db()

    def offer_hearing(self, *, by, reviewing_officer, interested_parties="", today=None):
        """Art. 46-47: a hearing is offered; the applicant and interested parties are told of their right to it.

        The hearing itself is the hearings app's (`Hearing.notify_right_to_hearing`, which writes this
        application's side through `licensing.hearing_link`).
        """
        from hearings.models import Hearing

        return Hearing.notify_right_to_hearing(
            application=self,
            by=by,
            reviewing_officer=reviewing_officer,
            interested_parties=interested_parties,
            today=today,
        )

    @in_language_of_record
    def approve(self, *, by, scope, valid_until, confidentiality="", second_officer=None, today=None):
        """Approved in writing (Art. 38); the licence is issued the same day, within the 10 days of Art. 44."""
        today = today or clock.today()
        scope = (scope or "").strip()
        if not scope:
            raise InvalidTransition(_("State what the licence permits."))
        if valid_until is not None and valid_until <= today:
            raise InvalidTransition(_("A licence must be valid after the day it is issued."))
        with transaction.atomic():
            locked = (
                type(self).objects.select_for_update(of=("self",)).select_related("case", "version").get(pk=self.pk)
            )
            self.WORKFLOW.check("approve", locked.status)
            hearing = hearing_link.check_decision(locked, today)
            second_officer = locked._check_second_officer(by, second_officer)
            from licensing.models.licences import Licence  # the licence's part imports this one

            licence = Licence.objects.create(
                number=next_tracking_number("XKZ", today.year),
                application=locked,
                holder=locked.applicant_name,
                scope=scope,
                issued_on=today,
                valid_from=today,
                valid_until=valid_until,
                confidentiality=confidentiality,
                # Art. 5: an applicant claiming business secrets may object before publication.
                publish_from=(
                    workdays.compute(CalendarDay.objects.work_calendar(), today, 5).due
                    if locked.claims_business_secret
                    else today
                ),
            )
            locked.move_case(
                self.Status.APPROVED,
                by=by,
                **_told(_with_basis(_("Approved. Licence %(number)s issued.") % {"number": licence.number}, hearing)),
                close=True,
                fields={"decided_on": today, "decided_by": by, "second_officer": second_officer},
            )
            issued.issue(locked, "licence", on=today, licence=licence, hearing=hearing)
        self.refresh_from_db()
        return licence

    @in_language_of_record
    def deny(self, *, by, reasons, second_officer=None, false_information=False, today=None):
        """Denied in writing, with reasons and the rights to reconsideration and litigation (Art. 38)."""
        today = today or clock.today()
        reasons = (reasons or "").strip()
        if not reasons:
            raise InvalidTransition(_("A denial must state its reasons (Article 38)."))
        with transaction.atomic():
            locked = type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)
            self.WORKFLOW.check("deny", locked.status)
            hearing = hearing_link.check_decision(locked, today)
            if locked.renewal_deemed_granted(today):
                raise InvalidTransition(
                    _(
                        "The licence expired before its renewal, asked in time, was decided: the renewal is granted "
                        "by law (Administrative Licensing Law, Article 50)."
                    )
                )
            second_officer = locked._check_second_officer(by, second_officer)
            note = _with_basis(reasons, hearing)
            fields = {"denial_reason": reasons, "decided_on": today, "decided_by": by, "second_officer": second_officer}
            if false_information:
                note += "\n" + locked._false_information_note(today)
                fields["false_information_on"] = locked.false_information_on
            locked.move_case(self.Status.DENIED, by=by, **_told(f"{note}\n{self.REMEDIES}"), close=True, fields=fields)
            issued.issue(locked, "denial", on=today, hearing=hearing)
        self.refresh_from_db()


class CorrectionNotice(models.Model):
    """The one-time correction notice of Art. 32(4): at most one per application, enforced by the database."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="correction_notice")
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        "civiccenter.User", verbose_name=_("issued by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("correction notice")
        verbose_name_plural = _("correction notices")

    def __str__(self):
        return f"{self.application} · {self.issued_on}"


class CorrectionItem(models.Model):
    notice = models.ForeignKey(CorrectionNotice, on_delete=models.CASCADE, related_name="items")
    material = models.ForeignKey(Material, verbose_name=_("material"), on_delete=models.PROTECT, null=True, blank=True)
    note = models.CharField(_("what to correct"), max_length=300)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.note


class ApplicationFile(models.Model):
    """One uploaded material: a private file, served only to the applicant and the department's staff."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material = models.ForeignKey(Material, verbose_name=_("material"), on_delete=models.PROTECT)
    file = CheckedFileField(_("file"), folder="licensing/applications", storage=private_storage)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    class Meta:
        ordering = ["material__order", "pk"]

    def __str__(self):
        return f"{self.application} · {self.material}"


def sweep_deemed_acceptances(today) -> int:
    """Applications the organ left without a decision on acceptance for 5 working days (Art. 32(4))."""
    due = Application.objects.deemed_acceptance_due(today).select_related("case")
    return take_each(due, lambda application: application.deem_accepted(today=today))  # moved by staff: skipped


register_kind("licensing", Application.Status, _("Licence application"))


def recompute_promised_dates(calendar) -> int:
    """The promised decision date of every application under review, over the new work calendar."""
    changed = 0
    under_review = Application.objects.filter(
        status__in=(Application.Status.ACCEPTED, Application.Status.SUSPENDED), accepted_on__isnull=False
    ).select_related("version", "renews")
    for application in under_review:
        promised = application._promised_due(application.accepted_on, calendar)
        if promised != application.promised_due:
            Application.objects.filter(pk=application.pk).update(promised_due=promised)
            changed += 1
    return changed
