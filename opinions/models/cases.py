"""Suggestions, requests for help, complaints and reports of wrongdoing (one `Opinion` per case).

An opinion is a case (kind "opinion", tracking prefix YJ) routed by its
category to a lead department, with the category's time limit. The lead
department accepts it or transfers it; a disputed transfer goes to the center
supervisor; the department may ask the submitter for more information (the
clock pauses), replies, and the submitter may rate the reply and reopen the
case once. Duplicates of an open case are merged into it.

A report of wrongdoing names the unit reported (`reported_department`): its
staff never see the reporter's identity or materials (Letters and Visits
Regulations Art. 30, the rule in concerned_unit.py, which petitions share), and a
report is never published.

A complaint or a request for help may be urgent or an emergency: a shorter time
limit, and for an emergency an immediate notice to the department's duty
contact (urgency.py, prc-rules §7).

The fields below are the contract the board, the statistics and the demo rely
on; the workflow methods live beside them.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, CaseEvent, CaseRecord, InvalidTransition, register_kind
from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department
from civiccenter.workflow import ANYONE, APPLICANT, Move, Workflow
from opinions.models.categories import Category, Kind, Urgency  # noqa: F401 (part of this module's contract)
from opinions.models.concerned_unit import KeptFromConcernedUnit, hidden_from_concerned_unit
from opinions.models.urgency import UrgencyMoves, check_urgency, notify_duty_contact


class OpinionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who may see an opinion at all, for every staff page and the file view.

        The submitter sees their own. Staff see their department's cases and,
        read only, those of categories their department co-handles; center-wide
        roles see all. Whatever the role, staff of the unit a report is about
        never see that report (Letters and Visits Regulations Art. 30: the
        reporter's identity and materials never reach the unit reported).
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.is_staff:
            return self.filter(submitter=user)
        if user.sees_all_departments:
            rows = self
        elif user.department_id:
            rows = self.filter(
                Q(case__department=user.department_id)
                | Q(category__in=Category.objects.filter(co_departments=user.department_id))
            )
        else:
            return self.none()
        return hidden_from_concerned_unit(rows, user, "reported_department")

    def open(self):
        return self.filter(case__closed_at__isnull=True)

    def for_list(self):
        return self.select_related("case", "case__department", "category")


class Opinion(UrgencyMoves, KeptFromConcernedUnit, CaseRecord):
    """A suggestion, request for help, complaint or report, carried by a case of kind "opinion".

    Rows created in bulk (demo data) must respect the constraints below:
    `merged_into` is set exactly when the status is "merged"; "replied" has a
    reply and `replied_at`; a reopening has both its reason and its date; a
    report never consents to publication and never is published; only a report
    names a unit reported, and the case's department is never that unit.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting acceptance")
        TRANSFER_DISPUTED = "transfer_disputed", _("Transfer disputed, awaiting the supervisor")
        ACCEPTED = "accepted", _("Being handled")
        INFO_REQUESTED = "info_requested", _("Waiting for more information from the submitter")
        REPLIED = "replied", _("Replied")
        REOPENED = "reopened", _("Reopened, being handled again")
        MERGED = "merged", _("Merged into another case")

    # Letters and Visits Regulations Art. 30 (concerned_unit.py): the unit a report is about.
    CONCERNED_UNIT_FIELD = "reported_department"
    CONCERNED_UNIT_REFUSAL = _("A report is never handled by the unit it is about.")

    # The whole state graph: each move, the states it leaves from, the state it reaches, who takes it.
    # A transfer keeps the case "awaiting acceptance" in its new department.
    WORKFLOW = Workflow(
        "opinions.opinion",
        Status,
        [
            Move(
                "accept",
                (Status.SUBMITTED,),
                Status.ACCEPTED,
                label=_("Accept the case"),
                permission="opinions.handle_opinion",
                requires=_("Staff of the handling department."),
            ),
            Move(
                "transfer",
                (Status.SUBMITTED, Status.ACCEPTED),
                Status.SUBMITTED,
                label=_("Transfer to another department"),
                permission="opinions.handle_opinion",
                requires=_(
                    "A reason the submitter sees; another department, never the unit a report is about (Art. 30)."
                ),
            ),
            Move(
                "dispute_transfer",
                (Status.SUBMITTED,),
                Status.TRANSFER_DISPUTED,
                label=_("Dispute the transfer"),
                permission="opinions.handle_opinion",
                requires=_("A transfer to this department not yet accepted, and the reason."),
            ),
            Move(
                "decide_transfer",
                (Status.TRANSFER_DISPUTED,),
                Status.ACCEPTED,
                label=_("Decide the disputed transfer"),
                permission="opinions.decide_transfer",
                requires=_("The center supervisor names the department that handles the case."),
            ),
            Move(
                "request_information",
                (Status.ACCEPTED, Status.REOPENED),
                Status.INFO_REQUESTED,
                label=_("Ask the submitter for more information"),
                permission="opinions.handle_opinion",
                requires=_("What should be added; the time limit stops from the next day until the answer."),
            ),
            Move(
                "answer_information",
                (Status.INFO_REQUESTED,),
                Status.ACCEPTED,
                label=_("Answer the request for information"),
                by=ANYONE,
                requires=_(
                    "The submitter's answer, or staff of the handling department recording it; the time limit "
                    "runs again. A reopened case returns to “reopened”."
                ),
                also_to=(Status.REOPENED,),
            ),
            Move(
                "reply_to",
                (Status.ACCEPTED, Status.REOPENED),
                Status.REPLIED,
                label=_("Send the reply"),
                permission="opinions.handle_opinion",
                requires=_("The reply; it closes the case and reaches the submitters of merged duplicates too."),
            ),
            Move(
                "reopen",
                (Status.REPLIED,),
                Status.REOPENED,
                label=_("Reopen the case"),
                by=APPLICANT,
                requires=_("Once, by the submitter, with a reason, unless they rated the reply satisfactory."),
            ),
            Move(
                "merge_into",
                (Status.SUBMITTED, Status.ACCEPTED, Status.INFO_REQUESTED, Status.REOPENED),
                Status.MERGED,
                label=_("Merge as a duplicate"),
                permission="opinions.handle_opinion",
                requires=_("An open case of the same department about the same matter (a report only into a report)."),
            ),
            Move(
                "set_urgency",
                (Status.SUBMITTED, Status.TRANSFER_DISPUTED, Status.ACCEPTED, Status.INFO_REQUESTED, Status.REOPENED),
                None,
                label=_("Change the urgency"),
                permission="opinions.handle_opinion",
                requires=_(
                    "A complaint or a request for help, and the reason; the time limit of the new level counts from "
                    "the same day, and an emergency is told at once to the department's duty contact."
                ),
            ),
        ],
    )
    OPEN = (Status.SUBMITTED, Status.TRANSFER_DISPUTED, Status.ACCEPTED, Status.INFO_REQUESTED, Status.REOPENED)

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="opinion")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="opinions"
    )
    # Null for cases registered by staff for callers without an account (phone, window, post).
    submitter = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED, editable=False)
    title = models.CharField(_("title"), max_length=120, validators=[validate_plain_text])
    description = models.TextField(_("description"), max_length=5000)
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_plain_text])
    # Complaints and requests for help only (prc-rules §7): a shorter time limit; an emergency's duty contact is told.
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency, default=Urgency.NORMAL, editable=False)
    # Reports only: the unit the report is about. Its staff never see the reporter or the materials.
    reported_department = models.ForeignKey(
        Department,
        verbose_name=_("unit reported"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_reports_about",
    )
    consent_to_publish = models.BooleanField(_("agrees to publication of the handled case"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="duplicates",
    )
    # The last transfer, while the receiving department may still dispute it.
    transferred_from = models.ForeignKey(
        Department,
        verbose_name=_("transferred from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    transfer_reason = models.TextField(_("reason for the transfer"), blank=True, editable=False)
    dispute_reason = models.TextField(_("reason for disputing the transfer"), blank=True, editable=False)
    info_request = models.TextField(_("information requested"), blank=True, editable=False)
    info_requested_at = models.DateTimeField(_("information requested at"), null=True, blank=True, editable=False)
    reply = models.TextField(_("reply"), blank=True, editable=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True, editable=False)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True, editable=False)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True, editable=False)
    # The published copy on the board: scrubbed, reviewed by a moderator, the name masked.
    public_title = models.CharField(_("published title"), max_length=120, blank=True, editable=False)
    public_description = models.TextField(_("published description"), blank=True, editable=False)
    public_reply = models.TextField(_("published reply"), blank=True, editable=False)
    public_name = models.CharField(_("published name"), max_length=60, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=clock.now, editable=False)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        permissions = [
            ("handle_opinion", _("Can accept, transfer, ask for information, reply to and merge opinions")),
            ("register_opinion", _("Can register opinions received by phone, at the window or by post")),
            ("decide_transfer", _("Can decide disputed transfers of opinions (center supervisor)")),
        ]
        indexes = [
            # The public board, newest first, read with a keyset.
            models.Index(
                fields=["-published_at", "-id"], name="opinion_board_keyset", condition=Q(published_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["suggestion", "help", "complaint", "report"]), name="opinion_kind_valid"
            ),
            # No consent, no publication; and a report of wrongdoing is never published.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | (Q(consent_to_publish=True) & ~Q(kind="report")),
                name="opinion_published_needs_consent",
            ),
            # Only reports name a unit reported.
            models.CheckConstraint(
                condition=Q(reported_department__isnull=True) | Q(kind="report"),
                name="opinion_reported_unit_only_for_reports",
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="opinion_not_merged_into_itself"),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "submitted",
                        "transfer_disputed",
                        "accepted",
                        "info_requested",
                        "replied",
                        "reopened",
                        "merged",
                    ]
                ),
                name="opinion_status_valid",
            ),
            # A merged duplicate points at its main case, and only a merged one does.
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False) | (~Q(status="merged") & Q(merged_into=None)),
                name="opinion_merged_iff_merged_into",
            ),
            models.CheckConstraint(
                condition=~Q(status="replied") | (Q(replied_at__isnull=False) & ~Q(reply="")),
                name="opinion_replied_has_reply",
            ),
            # One reopening at most: a single date and reason, written once.
            models.CheckConstraint(
                condition=Q(reopened_at=None, reopen_reason="") | (Q(reopened_at__isnull=False) & ~Q(reopen_reason="")),
                name="opinion_reopened_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(urgency="normal") | Q(urgency__in=["urgent", "emergency"], kind__in=["complaint", "help"]),
                name="opinion_urgency_only_complaints_and_help",
            ),
            # The consent box is never offered for a report (Art. 30).
            models.CheckConstraint(
                condition=~Q(kind="report") | Q(consent_to_publish=False), name="opinion_report_not_for_publication"
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.title}"

    def get_absolute_url(self):
        return reverse("opinions:case", args=[self.case.number])

    # --- Submitting ----------------------------------------------------------

    @staticmethod
    def clock_rule(category, urgency=Urgency.NORMAL):
        rule = {
            Urgency.URGENT: _("Urgent complaints and requests for help: %(days)d %(unit)s (category “%(category)s”)"),
            Urgency.EMERGENCY: _("Emergencies: %(days)d %(unit)s (category “%(category)s”)"),
        }.get(urgency, _("Suggestions and complaints: %(days)d %(unit)s (category “%(category)s”)"))
        return str(
            rule
            % {
                "days": category.time_limit_for(urgency),
                "unit": category.get_time_limit_unit_display(),
                "category": category.name,
            }
        )

    @classmethod
    def clock_for(cls, category, start, urgency=Urgency.NORMAL):
        return (cls.clock_rule(category, urgency), category.time_limit_unit, category.time_limit_for(urgency), start)

    check_urgency = staticmethod(check_urgency)

    @staticmethod
    def check_report(kind, category, reported_department):
        """A report names the unit reported, which never handles it (Art. 30); other kinds name none."""
        if kind == Kind.REPORT:
            if reported_department is None:
                raise ValidationError(
                    {"reported_department": _("Choose the unit your report is about.")}, code="unit_missing"
                )
            if reported_department.pk == category.lead_department_id:
                raise ValidationError(
                    {
                        "reported_department": _(
                            "The unit reported cannot handle a report about itself: choose the category "
                            "“Conduct of public servants”, or call the service hotline."
                        )
                    },
                    code="unit_handles_itself",
                )
        elif reported_department is not None:
            raise ValidationError(
                {"reported_department": _("Only a report of wrongdoing names a unit reported.")}, code="not_a_report"
            )

    @classmethod
    @in_language_of_record
    def submit(
        cls,
        *,
        by,
        kind,
        category,
        title,
        description,
        place="",
        reported_department=None,
        urgency=Urgency.NORMAL,
        consent_to_publish=False,
        files=(),
        submitter=None,
        contact_name="",
        contact_phone="",
        contact_email="",
        channel=Case.Channel.WEB,
        today=None,
    ):
        """A new opinion: the case opens in the category's lead department with its clock; the submitter gets a receipt.

        `by` is the submitter online, or the staff member registering a call, a visit or a letter. A complaint or
        a request for help may be `urgency` urgent or emergency: the shorter time limit; an emergency's duty
        contact is told at once.
        """
        today = today or clock.today()
        if kind not in Kind.values:
            raise ValidationError({"kind": _("Choose what kind of opinion this is.")}, code="bad_kind")
        if not category.active:
            raise ValidationError({"category": _("This category is not open for submissions.")}, code="closed")
        cls.check_report(kind, category, reported_department)
        check_urgency(kind, urgency)
        if kind == Kind.REPORT:
            consent_to_publish = False  # reports are never published
        unit_label = category.get_time_limit_unit_display()
        with transaction.atomic():
            case = Case.open_case(
                kind="opinion",
                prefix="YJ",
                department=category.lead_department,
                status=cls.Status.SUBMITTED,
                by=by,
                applicant=submitter,
                contact_name=contact_name,
                contact_phone=contact_phone,
                contact_email=contact_email,
                channel=channel,
                received_on=today,
                note=_("Received; the reply is due within %(days)d %(unit)s.")
                % {"days": category.time_limit_for(urgency), "unit": unit_label},
                clock=cls.clock_for(category, today, urgency),
            )
            opinion = cls.objects.create(
                case=case,
                kind=kind,
                category=category,
                submitter=submitter,
                title=title,
                description=description,
                place=place,
                reported_department=reported_department if kind == Kind.REPORT else None,
                urgency=urgency,
                consent_to_publish=consent_to_publish,
            )
            for upload in files:
                OpinionFile.objects.create(opinion=opinion, file=upload, added_by=by)
            case.notify_applicant(
                "opinions/email/opinion_received",
                {"opinion": opinion},
                url=opinion.get_absolute_url() if case.applicant else "",
            )
            if opinion.is_emergency:
                notify_duty_contact(opinion)
        return opinion

    # --- Handling ------------------------------------------------------------
    # Each move: lock this row, check the table (`WORKFLOW.check`) and the rules it cannot say, then
    # `move_case()` (the case's status, clock, timeline and notice, then this row's own fields).

    def _locked(self):
        return type(self).objects.select_for_update(of=("self",)).select_related("case", "category").get(pk=self.pk)

    def _notice(self, note):
        """The arguments of a move that tells the submitter (their account, or the contact e-mail)."""
        return {"notify": "opinions/email/opinion_update", "notify_context": {"opinion": self, "note": str(note)}}

    @staticmethod
    def _check_handler(by, case):
        """Only staff of the handling department (or a center-wide role) act on a case."""
        if by is None or not by.is_staff or not (by.sees_all_departments or by.department_id == case.department_id):
            raise InvalidTransition(_("Only the handling department acts on this case."))

    def handled_by(self, user):
        """Staff of the handling department, or a center-wide role."""
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_staff
            and (user.sees_all_departments or user.department_id == self.case.department_id)
        )

    def available_moves(self, user):
        """What `user` can do next on this case: the table's moves from its status, with the rules it cannot say.

        A dict {move name: Move} in the table's order; the submitter's case page and the handle page both read it.
        """
        if user is None or not user.is_authenticated:
            return {}
        own = self.submitter_id is not None and user.pk == self.submitter_id
        handler = self.handled_by(user) and user.has_perm("opinions.handle_opinion")
        moves = {}
        for move in self.WORKFLOW.available(self.status, user=user):
            if move.permission == "opinions.handle_opinion" and not handler:
                continue
            if move.by == APPLICANT and not own:
                continue
            if move.by == ANYONE and not (own or handler):
                continue
            if move.name == "set_urgency" and not self.may_be_urgent():
                continue  # complaints and requests for help only
            if move.name == "dispute_transfer" and self.transferred_from_id is None:
                continue  # only the department a case was transferred to disputes it
            if move.name == "reopen" and (
                self.reopened_at is not None or self.case.ratings.filter(level__gte=3).exists()
            ):
                continue  # once only, and not after a satisfied rating
            moves[move.name] = move
        return moves

    @in_language_of_record
    def accept(self, *, by):
        with transaction.atomic():
            locked = self._locked()
            self._check_handler(by, locked.case)
            self.WORKFLOW.check("accept", locked.status)
            note = str(_("Accepted by %(department)s.") % {"department": locked.case.department.name})
            locked.move_case(
                self.Status.ACCEPTED, by=by, note=note, fields={"transferred_from": None}, **locked._notice(note)
            )
        self.refresh_from_db()

    @in_language_of_record
    def transfer(self, *, by, department, reason):
        """Not this department's matter: hand it over with a reason; the clock keeps running."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason for the transfer; the submitter sees it."))
        with transaction.atomic():
            locked = self._locked()
            self._check_handler(by, locked.case)
            self.WORKFLOW.check("transfer", locked.status)
            old = locked.case.department
            if department.pk == old.pk:
                raise InvalidTransition(_("The case is already with this department."))
            locked.check_not_concerned_unit(department)
            note = str(
                _("Transferred from %(old)s to %(new)s: %(reason)s")
                % {"old": old.name, "new": department.name, "reason": reason}
            )
            fields = {"transferred_from": old, "transfer_reason": reason, "dispute_reason": ""}
            if locked.status != self.Status.SUBMITTED:
                # An accepted case waits again for acceptance, by the receiving department.
                locked.move_case(
                    self.Status.SUBMITTED,
                    by=by,
                    note=str(_("Back to awaiting acceptance, for the transfer.")),
                    public=False,
                    fields=fields,
                )
            else:
                type(self).objects.filter(pk=locked.pk).update(**fields)
            locked.case.transfer(
                by=by,
                department=department,
                note=note,
                notify="opinions/email/opinion_update",
                notify_context={"opinion": locked, "note": note},
            )
            if locked.is_emergency:
                notify_duty_contact(locked)  # the receiving department's duty contact
        self.refresh_from_db()

    @in_language_of_record
    def dispute_transfer(self, *, by, reason):
        """The receiving department says the matter is not theirs: the center supervisor decides."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason why this case is not your department's."))
        with transaction.atomic():
            locked = self._locked()
            self._check_handler(by, locked.case)
            self.WORKFLOW.check("dispute_transfer", locked.status)
            if locked.transferred_from_id is None:
                raise InvalidTransition(_("Only a transfer not yet accepted can be disputed."))
            note = str(
                _("%(department)s disputes the transfer: %(reason)s")
                % {"department": locked.case.department.name, "reason": reason}
            )
            locked.move_case(
                self.Status.TRANSFER_DISPUTED, by=by, note=note, public=False, fields={"dispute_reason": reason}
            )
        self.refresh_from_db()

    @in_language_of_record
    def decide_transfer(self, *, by, department, note=""):
        """The center supervisor names the department that handles the case; it is accepted there."""
        if by is None or not by.has_perm("opinions.decide_transfer"):
            raise InvalidTransition(_("Only the center supervisor decides disputed transfers."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("decide_transfer", locked.status)
            locked.check_not_concerned_unit(department)
            text = str(
                _("The center supervisor decided that %(department)s handles this case.")
                % {"department": department.name}
            )
            if (note or "").strip():
                text = f"{text} {note.strip()}"
            accepted = text
            if department.pk != locked.case.department_id:
                locked.case.transfer(by=by, department=department, note=text)
                accepted = str(_("Accepted by %(department)s.") % {"department": department.name})
                if locked.is_emergency:
                    notify_duty_contact(locked)
            locked.move_case(
                self.Status.ACCEPTED, by=by, note=accepted, fields={"transferred_from": None}, **locked._notice(text)
            )
        self.refresh_from_db()

    @in_language_of_record
    def request_information(self, *, by, question, today=None):
        """Ask the submitter for more: the clock stops from tomorrow until they answer."""
        question = (question or "").strip()
        if not question:
            raise InvalidTransition(_("Write what the submitter should add."))
        with transaction.atomic():
            locked = self._locked()
            self._check_handler(by, locked.case)
            self.WORKFLOW.check("request_information", locked.status)
            # The day of the request still counts; the clock stops from the next day (the core's rule).
            locked.move_case(
                self.Status.INFO_REQUESTED,
                by=by,
                note=question,
                fields={"info_request": question, "info_requested_at": clock.now()},
                pause=str(_("Waiting for more information")),
                today=today,
                **locked._notice(question),
            )
        self.refresh_from_db()

    @in_language_of_record
    def answer_information(self, *, by, text, files=(), today=None):
        """The submitter's answer (or staff recording what a caller said): the clock runs again."""
        text = (text or "").strip()
        if not text:
            raise InvalidTransition(_("Write your answer."))
        with transaction.atomic():
            locked = self._locked()
            if by is None or (by.pk != locked.submitter_id or locked.submitter_id is None):
                self._check_handler(by, locked.case)
            self.WORKFLOW.check("answer_information", locked.status)
            back = self.Status.REOPENED if locked.reopened_at else self.Status.ACCEPTED
            for upload in files:
                OpinionFile.objects.create(opinion=locked, file=upload, added_by=by)
            # The days from the pause's first day through today do not count; answered the day it was
            # asked, no day was lost (the core's rule).
            locked.move_case(back, by=by, note=text, fields={"info_request": ""}, resume=True, today=today)
        self.refresh_from_db()

    @in_language_of_record
    def reply_to(self, *, by, text):
        """The department's reply closes the case; the submitter and every merged duplicate's submitter get it."""
        text = (text or "").strip()
        if not text:
            raise InvalidTransition(_("Write the reply."))
        with transaction.atomic():
            locked = self._locked()
            self._check_handler(by, locked.case)
            self.WORKFLOW.check("reply_to", locked.status)
            locked.move_case(
                self.Status.REPLIED,
                by=by,
                note=text,
                close=True,
                notify="opinions/email/opinion_reply",
                notify_context={"opinion": locked, "reply": text},
                fields={"reply": text, "replied_at": clock.now()},
            )
            # Each merged duplicate's submitter is told on their own case.
            for duplicate in locked.duplicates.select_related("case", "case__applicant"):
                duplicate.case.notify_applicant(
                    "opinions/email/opinion_reply",
                    {"opinion": duplicate, "main": locked, "reply": text},
                    url=duplicate.get_absolute_url() if duplicate.case.applicant_id else "",
                )
        self.refresh_from_db()

    @in_language_of_record
    def reopen(self, *, by, reason, today=None):
        """The dissatisfied submitter reopens the case once: back to the department with a new time limit."""
        today = today or clock.today()
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Say why the reply does not settle your matter."))
        with transaction.atomic():
            locked = self._locked()
            if by is None or locked.submitter_id is None or by.pk != locked.submitter_id:
                raise InvalidTransition(_("Only the submitter can reopen the case."))
            self.WORKFLOW.check("reopen", locked.status)
            if locked.reopened_at is not None:
                raise InvalidTransition(_("A case can be reopened once only."))
            # 好差评 (国办发〔2019〕51号): a submitter who rated the reply satisfactory has settled it.
            if locked.case.ratings.filter(level__gte=3).exists():
                raise InvalidTransition(_("You rated the reply as satisfactory, so the case cannot be reopened."))
            note = str(_("Reopened by the submitter: %(reason)s") % {"reason": reason})
            locked.move_case(
                self.Status.REOPENED,
                by=by,
                note=note,
                reopen=True,
                clock=self.clock_for(locked.category, today, locked.urgency),
                fields={"reopen_reason": reason, "reopened_at": clock.now()},
                **locked._notice(note),
            )
        self.refresh_from_db()

    @in_language_of_record
    def merge_into(self, main, *, by):
        """This case duplicates `main`: it closes as merged and its submitter hears the main case's reply."""
        if main.pk == self.pk:
            raise InvalidTransition(_("A case cannot be merged into itself."))
        with transaction.atomic():
            # Both rows locked, always in the same order, so two opposite merges cannot deadlock.
            rows = {
                row.pk: row
                for row in type(self)
                .objects.select_for_update(of=("self",))
                .select_related("case", "category")
                .filter(pk__in=[self.pk, main.pk])
                .order_by("pk")
            }
            duplicate, target = rows[self.pk], rows[main.pk]
            self.WORKFLOW.check("merge_into", duplicate.status)
            self._check_handler(by, target.case)
            if duplicate.case.department_id != target.case.department_id:
                raise InvalidTransition(_("Both cases must be with the same department: transfer the duplicate first."))
            if (duplicate.kind == Kind.REPORT) != (target.kind == Kind.REPORT):
                raise InvalidTransition(_("A report of wrongdoing is merged only with another report."))
            if target.status not in self.OPEN or target.merged_into_id:
                raise InvalidTransition(_("A duplicate is merged only into an open case."))
            note = str(
                _("Merged into case %(number)s, which handles the same matter; you will receive its reply.")
                % {"number": target.case.number}
            )
            duplicate.move_case(
                self.Status.MERGED,
                by=by,
                note=note,
                close=True,
                fields={"merged_into": target},
                **duplicate._notice(note),
            )
            # Its own duplicates follow it into the main case.
            type(self).objects.filter(merged_into=duplicate).update(merged_into=target)
            target.case.log(
                CaseEvent.Kind.NOTE,
                by=by,
                note=str(_("Case %(number)s merged into this case.") % {"number": duplicate.case.number}),
                public=False,
            )
        self.refresh_from_db()


class OpinionFile(models.Model):
    """A photo or document attached to an opinion (private: served only through a view that checks access)."""

    opinion = models.ForeignKey(Opinion, verbose_name=_("opinion"), on_delete=models.CASCADE, related_name="files")
    file = CheckedFileField(_("file"), folder="opinions/files", storage=private_storage, max_bytes=10 * 1024 * 1024)
    # Where it came from: the submission, the submitter's additional information, or staff.
    added_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.file.name


register_kind("opinion", Opinion.Status, _("Suggestion or complaint"))
