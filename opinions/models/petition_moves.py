"""The moves of a petition (Art. 22-36): `PetitionMoves`, inherited by `Petition` (petitions.py).

The state graph is the table `Petition.WORKFLOW`, beside the model, with `Petition.OPINION_MOVES` (which move
issues the opinion of each stage); each method here checks the table on the locked row and carries the rules it
cannot say (periods, one extension, required reasons, hearings during re-review).
"""

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import CaseEvent, InvalidTransition
from civiccenter.lib import clock, workdays
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from opinions.models.petition_opinions import PetitionOpinion
from opinions.models.petition_rules import (
    HANDLE_DAYS,
    MAX_EXTENSION_DAYS,
    REREVIEW_DAYS,
    REREVIEW_REQUEST_DAYS,
    REVIEW_DAYS,
    REVIEW_REQUEST_DAYS,
    period_end,
)


class PetitionMoves:
    """The transitions of `Petition`; the model declares the table, statuses and fields they use."""

    # --- Moving ------------------------------------------------------------
    # Each move: lock this row, check the table (`WORKFLOW.check`) and the rules it cannot say, then
    # `move_case()` (the case's status, clock, timeline and notice, then this row's own fields).

    def _locked(self):
        return type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)

    def _notice(self, note):
        """The arguments of a move that tells the petitioner (their account, or the contact e-mail)."""
        return {
            "notify": "opinions/email/petition_status",
            "notify_context": {"petition": self, "note": str(note)},
            "notify_url": self.get_absolute_url() if self.petitioner_id else "",
        }

    def names_concerned_unit(self, organ):
        """Whether the organ named for a transfer is the unit the petition concerns (by its name, either language)."""
        unit = self.unit_concerned
        if unit is None:
            return False
        names = {" ".join(name.split()).casefold() for name in (unit.name, unit.name_en) if name}
        return " ".join(organ.split()).casefold() in names

    @staticmethod
    def _require(text, message):
        text = (text or "").strip()
        if not text:
            raise InvalidTransition(message)
        return text

    @staticmethod
    def _check_handler(by):
        if not by.has_perm("opinions.handle_petition"):
            raise InvalidTransition(_("You may not handle petitions."))

    def _decide(self, name, new_status, *, by, note, fields, check=None, **case_kwargs):
        """One of the four decisions on a registered petition (Art. 22-23, 31); `check(locked)` may refuse it."""
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check(name, locked.status)
            if check is not None:
                check(locked)
            locked.move_case(new_status, by=by, note=note, fields=fields, **case_kwargs, **locked._notice(note))
        self.refresh_from_db()

    @in_language_of_record
    def accept(self, *, by, note="", today=None):
        """Accepted: the 60-day handling clock starts (Art. 34)."""
        self._check_handler(by)
        today = today or clock.today()
        rule = str(_("Letters and Visits Regulations Art. 34: handle within 60 days of acceptance"))
        text = _("Accepted; it will be handled within %(days)d days.") % {"days": HANDLE_DAYS}
        if note:
            text = f"{text}\n{note.strip()}"
        self._decide(
            "accept",
            self.Status.ACCEPTED,
            by=by,
            note=text,
            fields={"decided_on": today, "decision_note": note.strip()},
            check=lambda locked: locked._refuse_linked_repeat(today),
            clock=(rule, workdays.CALENDAR, HANDLE_DAYS, today),
        )

    def _refuse_linked_repeat(self, today):
        """Art. 19 and 36 through the link: a petition linked to an earlier one whose matter is pending or settled
        is not accepted; staff are told why and to take "Do not accept" with that reason instead."""
        refusal = self.linked_repeat_refusal(today)
        if refusal is not None:
            raise InvalidTransition(
                lazy_format(
                    _("%(refusal)s Do not accept this petition: take “%(move)s” with this reason for the petitioner."),
                    {"refusal": refusal, "move": self.WORKFLOW["refuse"].label},
                )
            )

    @in_language_of_record
    def link_same_matter(self, *, by, earlier):
        """Record that this registered petition restates `earlier`, an earlier petition of the staff member's own
        department (Art. 19, 36): an internal note on both timelines; acceptance then follows the earlier matter."""
        self._check_handler(by)
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("link_same_matter", locked.status)
            if earlier is None or earlier.pk == locked.pk:
                raise InvalidTransition(_("A petition cannot be linked to itself."))
            scope = type(self).objects.visible_to(by).filter(pk__in=[locked.pk, earlier.pk])
            if scope.count() != 2:
                raise InvalidTransition(_("You can link only petitions of your own department."))
            earlier = type(self).objects.select_related("case").get(pk=earlier.pk)
            if locked.same_matter_as_id is not None:
                raise InvalidTransition(
                    lazy_format(
                        _("This petition is already linked to petition %(number)s as the same matter."),
                        {"number": locked.same_matter_as.case.number},
                    )
                )
            if (earlier.created_at, earlier.pk) > (locked.created_at, locked.pk):
                raise InvalidTransition(
                    lazy_format(
                        _("Petition %(number)s was filed after this one: link a petition to an earlier one."),
                        {"number": earlier.case.number},
                    )
                )
            type(self).objects.filter(pk=locked.pk).update(same_matter_as=earlier)
            # Internal notes: the other petition may be someone else's (Art. 30 keeps petitioners' data apart).
            locked.case.log(
                CaseEvent.Kind.NOTE,
                by=by,
                note=_("Linked to petition %(number)s as the same matter (Art. 19, 36).")
                % {"number": earlier.case.number},
                public=False,
            )
            earlier.case.log(
                CaseEvent.Kind.NOTE,
                by=by,
                note=_("Petition %(number)s was linked to this one as the same matter (Art. 19, 36).")
                % {"number": locked.case.number},
                public=False,
            )
        self.refresh_from_db()

    @in_language_of_record
    def transfer(self, *, by, organ, reason, today=None):
        """Sent to the organ with jurisdiction (Art. 22); the petitioner is told which."""
        self._check_handler(by)
        organ = self._require(organ, _("Name the organ the petition is transferred to."))
        if self.names_concerned_unit(organ):
            raise InvalidTransition(self.CONCERNED_UNIT_REFUSAL)  # Art. 30: never to the unit it concerns
        reason = self._require(reason, _("Give the reason for the transfer; the petitioner sees it."))
        note = _("Transferred to %(organ)s: %(reason)s") % {"organ": organ, "reason": reason}
        self._decide(
            "transfer",
            self.Status.TRANSFERRED,
            by=by,
            note=note,
            fields={
                "decided_on": today or clock.today(),
                "transferred_to": organ[:200],
                "decision_note": reason,
            },
            close=True,
        )

    @in_language_of_record
    def redirect(self, *, by, route, explanation, today=None):
        """A claim for another procedure (Art. 31): the petitioner is told where to go, and why."""
        self._check_handler(by)
        if route not in self.Route.values:
            raise InvalidTransition(_("Choose where the petitioner should go instead."))
        explanation = self._require(explanation, _("Explain where to go and why; the petitioner sees it."))
        note = _("Not handled as a petition; the matter belongs to: %(route)s. %(explanation)s") % {
            "route": self.Route(route).label,
            "explanation": explanation,
        }
        self._decide(
            "redirect",
            self.Status.REDIRECTED,
            by=by,
            note=note,
            fields={"decided_on": today or clock.today(), "route": route, "decision_note": explanation},
            close=True,
        )

    @in_language_of_record
    def refuse(self, *, by, reason, today=None):
        """Not accepted, e.g. the matter is pending with another organ or level (Art. 19); the reason is told."""
        self._check_handler(by)
        reason = self._require(reason, _("Give the reason; the petitioner sees it."))
        self._decide(
            "refuse",
            self.Status.NOT_ACCEPTED,
            by=by,
            note=_("Not accepted: %(reason)s") % {"reason": reason},
            fields={"decided_on": today or clock.today(), "decision_note": reason},
            close=True,
        )

    @in_language_of_record
    def extend(self, *, by, days, reason, today=None):
        """Art. 34: once, by at most 30 days, approved by a department head, the reason told to the petitioner."""
        if not by.has_perm("opinions.approve_petition_extension"):
            raise InvalidTransition(_("Only a department head approves an extension."))
        reason = self._require(reason, _("Give the reason for the extension; the petitioner is told it."))
        if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
            raise InvalidTransition(_("An extension is of 1 to 30 days (Art. 34)."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("extend", locked.status)
            # The core writes the new due date into `%(due)s` (nothing else in the note is formatted).
            note = _("Handling period extended by %(days)d days, to %(due)s: %(reason)s") % {
                "days": days,
                "due": "%(due)s",
                "reason": reason,
            }
            notice = locked._notice(note)
            # Once only (Art. 34), and while the period runs: the case checks both.
            locked.case.extend(
                by=by,
                days=days,
                note=note,
                once_message=_("The handling period can be extended only once (Art. 34)."),
                today=today,
                notify=notice["notify"],
                notify_context=notice["notify_context"],
                notify_url=notice["notify_url"],
            )
            type(self).objects.filter(pk=locked.pk).update(
                extension_days=days, extension_reason=reason, extension_approved_by=by
            )
        self.refresh_from_db()

    @in_language_of_record
    def issue_opinion(self, *, by, outcome, facts, legal_basis, text, today=None):
        """The written opinion of whichever stage is due (Art. 32, 35, 36): the stage's own move, chosen by status."""
        move = self.OPINION_MOVES.get(self.status)
        if move is None:
            raise InvalidTransition(_("No opinion is due on this petition now."))
        getattr(self, move[0])(by=by, outcome=outcome, facts=facts, legal_basis=legal_basis, text=text, today=today)

    @in_language_of_record
    def issue_handling_opinion(self, *, by, outcome, facts, legal_basis, text, today=None):
        """Art. 32-33: the handling opinion; a review may be asked within 30 days (Art. 35)."""
        self._issue(
            "issue_handling_opinion",
            by=by,
            outcome=outcome,
            facts=facts,
            legal_basis=legal_basis,
            text=text,
            today=today,
        )

    @in_language_of_record
    def issue_review_opinion(self, *, by, outcome, facts, legal_basis, text, today=None):
        """Art. 35: the review opinion; a re-review may be asked within 30 days (Art. 36)."""
        self._issue(
            "issue_review_opinion", by=by, outcome=outcome, facts=facts, legal_basis=legal_basis, text=text, today=today
        )

    @in_language_of_record
    def issue_rereview_opinion(self, *, by, outcome, facts, legal_basis, text, today=None):
        """Art. 36: the re-review opinion; the matter is final."""
        self._issue(
            "issue_rereview_opinion",
            by=by,
            outcome=outcome,
            facts=facts,
            legal_basis=legal_basis,
            text=text,
            today=today,
        )

    def _issue(self, name, *, by, outcome, facts, legal_basis, text, today):
        """Outcome, facts and legal basis required (Art. 32); it closes the case and stores the next window."""
        self._check_handler(by)
        today = today or clock.today()
        if outcome not in PetitionOpinion.Outcome.values:
            raise InvalidTransition(_("Choose the outcome: supported, explained or not supported."))
        facts = self._require(facts, _("State the facts found."))
        legal_basis = self._require(legal_basis, _("State the legal basis."))
        text = self._require(text, _("Write the opinion."))
        move = self.WORKFLOW[name]
        stage = next(stage for (n, stage) in self.OPINION_MOVES.values() if n == name)
        fields = {}
        if stage == "handling":
            fields["review_window_ends"] = period_end(today, REVIEW_REQUEST_DAYS)
        elif stage == "review":
            fields["rereview_window_ends"] = period_end(today, REREVIEW_REQUEST_DAYS)
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check(name, locked.status)
            PetitionOpinion.objects.create(
                petition=locked,
                stage=stage,
                outcome=outcome,
                facts=facts,
                legal_basis=legal_basis,
                text=text,
                issued_on=today,
                issued_by=by,
            )
            note = _("%(stage)s issued: %(outcome)s.") % {
                "stage": PetitionOpinion.Stage(stage).label,
                "outcome": PetitionOpinion.Outcome(outcome).label,
            }
            if stage == "rereview":
                note = f"{note} " + str(_("The matter is now final (Art. 36)."))
            locked.move_case(move.target, by=by, note=note, fields=fields, close=True, **locked._notice(note))
        self.refresh_from_db()

    def _request(self, *, kind, by, reason, today):
        today = today or clock.today()
        reason = self._require(reason, _("Say why you disagree with the opinion."))
        review = kind == "review"
        name = "request_review" if review else "request_rereview"
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check(name, locked.status)
            ends = locked.review_window_ends if review else locked.rereview_window_ends
            if ends is not None and today > ends:
                message = (
                    _(
                        "The period for requesting a review ended on %(date)s (30 days after the handling "
                        "opinion, Art. 35)."
                    )
                    if review
                    else _(
                        "The period for requesting a re-review ended on %(date)s (30 days after the review "
                        "opinion, Art. 36)."
                    )
                )
                raise InvalidTransition(lazy_format(message, {"date": ends.isoformat()}))
            if review:
                rule = str(_("Letters and Visits Regulations Art. 35: review opinion within 30 days"))
                note = _("Review requested: %(reason)s") % {"reason": reason}
                fields = {"review_requested_on": today, "review_reason": reason}
                days = REVIEW_DAYS
            else:
                rule = str(
                    _("Letters and Visits Regulations Art. 36: re-review opinion within 30 days, hearings excluded")
                )
                note = _("Re-review requested: %(reason)s") % {"reason": reason}
                fields = {"rereview_requested_on": today, "rereview_reason": reason}
                days = REREVIEW_DAYS
            locked.move_case(
                self.WORKFLOW[name].target,
                by=by,
                note=note,
                fields=fields,
                reopen=True,
                clock=(rule, workdays.CALENDAR, days, today),
                **locked._notice(note),
            )
        self.refresh_from_db()

    @in_language_of_record
    def request_review(self, *, by, reason, today=None):
        """Art. 35: within 30 days of the handling opinion; answered within 30 days."""
        self._request(kind="review", by=by, reason=reason, today=today)

    @in_language_of_record
    def request_rereview(self, *, by, reason, today=None):
        """Art. 36: within 30 days of the review opinion; answered within 30 days, hearing time excluded."""
        self._request(kind="rereview", by=by, reason=reason, today=today)

    @in_language_of_record
    def start_hearing(self, *, by, on=None):
        """A hearing during re-review: its time is not counted (Art. 36), from its first day `on`."""
        self._check_handler(by)
        on = on or clock.today()
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("start_hearing", locked.status)
            case = locked.case
            if case.pauses.filter(ends_on__isnull=True).exists():
                raise InvalidTransition(_("A hearing is already in progress."))
            if on < case.clock_start:
                raise InvalidTransition(_("The hearing cannot start before the re-review was requested."))
            # The day of the request is not counted anyway: a hearing that day pauses from the next.
            case.pause(
                by=by,
                reason=str(_("Re-review hearing")),
                note=_("Hearing from %(date)s: the time limit is paused.") % {"date": on.isoformat()},
                starts_on=max(on, case.clock_start + timedelta(days=1)),
                kind=CaseEvent.Kind.HEARING,
            )
        self.refresh_from_db()

    @in_language_of_record
    def end_hearing(self, *, by, on=None):
        """The hearing is over, `on` its last day: the clock runs again the day after (Art. 36)."""
        self._check_handler(by)
        on = on or clock.today()
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("end_hearing", locked.status)
            case = locked.case
            pause = case.pauses.filter(ends_on__isnull=True).first()
            if pause is None:
                raise InvalidTransition(_("No hearing is in progress."))
            first_day = case.clock_start if pause.starts_on == case.clock_start + timedelta(days=1) else pause.starts_on
            if on < first_day:
                raise InvalidTransition(_("The hearing cannot end before the day it started."))
            # Days from the hearing's first day through its last day `on` are not counted (the core's rule).
            case.resume(
                by=by,
                note=_("Hearing ended on %(date)s; the re-review opinion is now due by %(due)s.")
                % {"date": on.isoformat(), "due": "%(due)s"},
                through=on,
            )
        self.refresh_from_db()
