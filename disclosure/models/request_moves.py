"""The moves of a disclosure request (Art. 29-45): `RequestMoves`, inherited by `DisclosureRequest` (requests.py).

The state graph is the table `DisclosureRequest.WORKFLOW`, beside the model; each method here checks it on the
locked row and carries the law's other rules (dates, counts, required reasons).
"""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, CaseEvent, InvalidTransition
from civiccenter.lib import clock, workdays
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.models import CalendarDay
from disclosure import fees
from disclosure.models.consultations import Consultation
from disclosure.models.replies import NEEDS_REASONS, ReplyFile, ReplyType


class RequestMoves:
    """The transitions of `DisclosureRequest`; the model declares the table, statuses, rules and texts they use."""

    # --- Transitions -------------------------------------------------------------
    # Each move checks the table (`WORKFLOW.check`) on the locked row first; the rules of the law the table
    # cannot say follow, with their article. The case's clock, timeline and notices move only through the core.

    def _locked(self):
        return type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)

    @classmethod
    def _reply_clock(cls, start):
        """Art. 33's 20 working days from `start`, reminded DISCLOSURE_REMINDER_WORKING_DAYS before."""
        return (str(cls.REPLY_RULE), workdays.WORKING, cls.REPLY_DAYS, start, settings.DISCLOSURE_REMINDER_WORKING_DAYS)

    @classmethod
    def _confirmation_clock(cls, start):
        """The office's limit to confirm an online request (no article fixes one: DISCLOSURE_CONFIRMATION_WORKING_DAYS)."""
        days = settings.DISCLOSURE_CONFIRMATION_WORKING_DAYS
        rule = str(cls.CONFIRMATION_RULE % {"days": days})
        return (rule, workdays.WORKING, days, start, cls.CONFIRMATION_REMINDER_DAYS)

    # Every move and registration tells the applicant with this notice (its note, and the due date).
    NOTICE = "disclosure/email/request_status"

    @classmethod
    @in_language_of_record
    def submit_online(cls, *, by, department, today=None, **fields):
        """Filed online by a signed-in applicant: the case opens on the office's clock to confirm it; Art. 33's
        20 working days wait for the confirmation (Art. 31)."""
        today = today or clock.today()
        return cls._open(
            by=by,
            department=department,
            applicant=by,
            status=cls.Status.SUBMITTED,
            fields=fields,
            channel=Case.Channel.WEB,
            received_on=today,
            # Art. 31: an online request is not received until both sides confirm it.
            received=False,
            note=_(
                "Request filed online. It counts as received on the day the office confirms it with you (Article 31)."
            ),
            clock=cls._confirmation_clock(today),
        )

    @classmethod
    def _open(cls, *, by, department, applicant, status, fields, **case_fields):
        """The case and its request, opened together; the applicant is told (on their page, if they have one)."""
        with transaction.atomic():
            case = Case.open_case(
                kind="disclosure",
                prefix="GK",
                department=department,
                status=status,
                by=by,
                applicant=applicant,
                contact_name=fields.get("applicant_name", ""),
                contact_phone=fields.get("contact_phone", ""),
                contact_email=fields.get("contact_email", ""),
                **case_fields,
            )
            request = cls.objects.create(case=case, applicant=applicant, status=status, **fields)
            case.notify_applicant(cls.NOTICE, {"note": ""}, url=request.get_absolute_url() if applicant else "")
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
        if received_on is None or received_on > clock.today():
            raise InvalidTransition(_("The day of receipt cannot be in the future."))
        note = (
            _("Oral request written down by the clerk and received (Article 29).")
            if oral
            else _("Request received (Article 31): %(basis)s.") % {"basis": cls.ReceiptBasis(receipt_basis).label}
        )
        return cls._open(
            by=by,
            department=department,
            applicant=applicant,
            status=cls.Status.RECEIVED,
            fields={**fields, "receipt_basis": receipt_basis},
            channel=channel,
            received_on=received_on,
            note=note,
            clock=cls._reply_clock(received_on),
        )

    @in_language_of_record
    def start_confirmation_clock(self):
        """An online request filed before the office had a limit to confirm it gets that limit, counted from the
        day it was filed, so no unconfirmed request is left without a due date (Art. 31)."""
        with transaction.atomic():
            locked = self._locked()
            if locked.status != self.Status.SUBMITTED or locked.case.clock_unit:
                return False
            filed = timezone.localdate(locked.case.created_at)
            locked.case.transition(
                self.Status.SUBMITTED,
                allowed={self.Status.SUBMITTED: {self.Status.SUBMITTED}},
                by=None,
                note=_("The office's time limit to confirm this request runs from the day it was filed (Article 31)."),
                clock=self._confirmation_clock(filed),
            )
        return True

    @in_language_of_record
    def confirm(self, *, by, today=None):
        """Art. 31: confirmed with the applicant today, so received today; the 20 working days of Art. 33 start."""
        today = today or clock.today()
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
        today = today or clock.today()
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
        today = today or clock.today()
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

    def _close_after_deadline(self, move, status, *, deadline_of, not_over, note, reason, today):
        """The nightly sweep closes a request whose deadline passed with nothing received (a correction, a fee)."""
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check(move, locked.status)
            deadline = deadline_of(locked)
            if today <= deadline:
                raise InvalidTransition(not_over)
            text = note % {"date": deadline.isoformat()}
            locked.move_case(
                status,
                by=None,
                note=text,
                close=True,
                today=today,
                notify=self.NOTICE,
                notify_context={"note": text},
                fields={"closed_reason": reason},
            )
        self.refresh_from_db()

    @in_language_of_record
    def abandon(self, *, today=None):
        """No correction by the deadline: closed as abandoned (Art. 30; report row 3.6.1)."""
        self._close_after_deadline(
            "abandon",
            self.Status.ABANDONED,
            deadline_of=lambda locked: locked.correction_deadline,
            not_over=_("The deadline for the correction is not over yet."),
            note=_("Not corrected by %(date)s: the request is taken as abandoned (Article 30)."),
            reason="abandoned_no_correction",
            today=today or clock.today(),
        )

    @in_language_of_record
    def consult(self, *, by, kind, party, today=None):
        """Ask a third party (Art. 32) or another organ (Art. 34): 15 working days to answer; the clock pauses.

        Asking a second party while a consultation runs adds it without moving the request again.
        """
        today = today or clock.today()
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
        today = today or clock.today()
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
        today = today or clock.today()
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
        today = today or clock.today()
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
    def send_fee_notice(self, *, by, fee_schedule, fee_units, today=None):
        """Art. 42: the fee by one schedule, to be paid within DISCLOSURE_FEE_PAYMENT_DAYS working days; once.

        The day of the notice still counts; the clock stops from the next day until the payment is recorded.
        """
        today = today or clock.today()
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("send_fee_notice", locked.status)
            if locked.fee_noticed_on is not None:
                raise InvalidTransition(_("A fee notice was already sent for this request; it is sent once."))
            locked._lock_month_of_items(fee_schedule, today)
            fee = locked.compute_fee(fee_schedule, fee_units)
            if fee is None or fee.is_free:
                raise InvalidTransition(
                    _("This comes to no fee under Article 42: reply free of charge, without a fee notice.")
                )
            due = workdays.compute(CalendarDay.objects.work_calendar(), today, settings.DISCLOSURE_FEE_PAYMENT_DAYS).due
            note = _(
                "Fee notice: ¥%(amount)s to be paid by %(date)s (Article 42). The time limit is paused until the "
                "payment is received; without payment by then, the request is no longer processed."
            ) % {"amount": fee.amount, "date": due.isoformat()}
            locked.move_case(
                self.Status.AWAITING_FEE,
                by=by,
                note=note,
                pause=str(_("Fee notice (Article 42)")),
                today=today,
                notify=self.NOTICE,
                notify_context={"note": note, "fee_amount": fee.amount, "fee_due": due},
                fields={
                    "fee_schedule": fee_schedule,
                    "fee_units": fee.units,
                    "fee_amount": fee.amount,
                    "fee_earlier_items": fee.earlier_items,
                    "fee_noticed_on": today,
                    "fee_due": due,
                },
            )
        self.refresh_from_db()
        self.case.refresh_from_db()

    @in_language_of_record
    def record_payment(self, *, by, paid_on=None, today=None):
        """Art. 42: the fee is paid; the time limit runs again from the day after the payment was received.

        `paid_on`: the day the payment was received (a bank transfer seen later), by default today; never before
        the fee notice, after today or after the deadline to pay.
        """
        today = today or clock.today()
        paid_on = paid_on or today
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("record_payment", locked.status)
            if paid_on > today:
                raise InvalidTransition(_("A payment is recorded once received, not in advance (Article 42)."))
            if paid_on < locked.fee_noticed_on:
                raise InvalidTransition(
                    lazy_format(
                        _("The fee notice was sent on %(date)s: no payment of it was received before (Article 42)."),
                        {"date": locked.fee_noticed_on.isoformat()},
                    )
                )
            if paid_on > locked.fee_due:
                raise InvalidTransition(
                    lazy_format(
                        _("The fee was to be paid by %(date)s; the request is no longer processed (Article 42)."),
                        {"date": locked.fee_due.isoformat()},
                    )
                )
            note = _("Fee of ¥%(amount)s received: the time limit runs again (Article 42).") % {
                "amount": locked.fee_amount
            }
            if paid_on < today:
                note += " " + str(_("Paid on %(date)s.") % {"date": paid_on.isoformat()})
            locked.move_case(
                self.Status.RECEIVED,
                by=by,
                note=note,
                resume=True,
                today=paid_on,  # the days after the payment count, whenever it is recorded
                notify=self.NOTICE,
                notify_context={"note": note},
                fields={"fee_paid_on": paid_on},
            )
        self.refresh_from_db()
        self.case.refresh_from_db()

    @in_language_of_record
    def close_unpaid(self, *, today=None):
        """Not paid by the deadline of the fee notice: no longer processed (Art. 42; report row 3.6.2)."""
        self._close_after_deadline(
            "close_unpaid",
            self.Status.FEE_NOT_PAID,
            deadline_of=lambda locked: locked.fee_due,
            not_over=_("The deadline to pay the fee is not over yet."),
            note=_("The fee was not paid by %(date)s: the request is no longer processed (Article 42)."),
            reason="abandoned_no_fee",
            today=today or clock.today(),
        )

    def _lock_month_of_items(self, fee_schedule, today):
        """Fees charged per item in the same month are serialised, so that two of them never both count the
        applicant's earlier items without each other (in the caller's transaction)."""
        if fee_schedule == fees.ITEMS:
            day = self.case.received_on or today
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x474B, day.year * 100 + day.month])

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
        today = today or clock.today()
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
            if locked.fee_noticed_on is not None:
                # Art. 42: the fee was charged by the fee notice and paid; the reply charges nothing more.
                if fee_schedule:
                    raise InvalidTransition(
                        _(
                            "The fee was charged by the fee notice and paid; the reply charges no other fee (Article 42)."
                        )
                    )
                fee_schedule, fee_units = locked.fee_schedule, locked.fee_units
                fee = locked.fee
            else:
                locked._lock_month_of_items(fee_schedule, today)
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
