"""Petitions (letters and visits, 信访) under the Letters and Visits Regulations (2022).

A petition is a case (kind "petition", tracking prefix XF). All periods are
calendar days (prc-rules.md §3), counted by the shared engine: holidays inside
a period count; a period whose last day is a day off ends on the next working
day (Civil Code Art. 203).

    registered ─┬─ accepted ── opinion_issued ── review_requested ── reviewed ── rereview_requested ── final
                ├─ transferred        (15 days to decide, Art. 22-23; 60 (+≤30) days to handle, Art. 34;
                ├─ redirected          review asked ≤30 days after the opinion, answered ≤30, Art. 35;
                └─ not_accepted        re-review asked ≤30 days after the review, answered ≤30 with
                                       hearing time excluded, Art. 36)

The case is closed (and can be rated) whenever a written opinion or a decision
not to handle the matter here is given; a review or re-review reopens it.

Duplicates and finality (Art. 19 and 36): each petition stores a fingerprint
of the petitioner (name and address, which Art. 19 makes mandatory) and the
request (whitespace and punctuation ignored). One petition per fingerprint may
exist unless it was not accepted (a unique partial index, safe under
concurrency): while the matter is pending here or was sent elsewhere, filing
it again is refused (Art. 19), and after the re-review opinion the same
matter is never accepted again (Art. 36).
"""

import hashlib
import re
from datetime import date, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, CaseEvent, CaseRecord, InvalidTransition, register_kind
from civiccenter.lib import workdays
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import CalendarDay
from civiccenter.workflow import ANYONE, Move, Workflow

__all__ = [
    "Petition",
    "PetitionFile",
    "PetitionOpinion",
    "PetitionRepresentative",
    "matter_fingerprint",
]

DECIDE_DAYS = 15  # Art. 22-23
HANDLE_DAYS = 60  # Art. 34
MAX_EXTENSION_DAYS = 30  # Art. 34
REVIEW_REQUEST_DAYS = REVIEW_DAYS = 30  # Art. 35
REREVIEW_REQUEST_DAYS = REREVIEW_DAYS = 30  # Art. 36
MAX_REPRESENTATIVES = 5  # Art. 20

_NOT_WORD = re.compile(r"[\W_]+")


def _normal(text: str) -> str:
    return _NOT_WORD.sub("", (text or "").casefold())


def matter_fingerprint(name: str, address: str, request: str) -> str:
    """The same petitioner (name and address) with the same request, whatever the spacing or punctuation."""
    return hashlib.sha256("\x1f".join(_normal(v) for v in (name, address, request)).encode()).hexdigest()


def period_end(start: date, days: int, calendar=None) -> date:
    """The last day of a period of calendar days after `start` (the engine's rules, no pause)."""
    calendar = calendar or CalendarDay.objects.work_calendar()
    return workdays.compute(calendar, start, days, workdays.CALENDAR).due


class PetitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: their department's petitions (through the case). Everyone else: their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.filter(case__in=Case.objects.visible_to(user))
        return self.filter(petitioner=user)

    def for_list(self):
        return self.select_related("case", "case__department")


class Petition(CaseRecord):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered, acceptance to be decided")
        ACCEPTED = "accepted", _("Accepted and being handled")
        TRANSFERRED = "transferred", _("Transferred to the competent organ")
        REDIRECTED = "redirected", _("Directed to another procedure")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        OPINION_ISSUED = "opinion_issued", _("Handling opinion issued")
        REVIEW_REQUESTED = "review_requested", _("Review requested")
        REVIEWED = "reviewed", _("Review opinion issued")
        REREVIEW_REQUESTED = "rereview_requested", _("Re-review requested")
        FINAL = "final", _("Final: re-review opinion issued")

    # The whole state graph: each move, the states it leaves from, the state it reaches, who takes it.
    WORKFLOW = Workflow(
        "opinions.petition",
        Status,
        [
            Move(
                "accept",
                (Status.REGISTERED,),
                Status.ACCEPTED,
                label=_("Accept (60 days to handle)"),
                permission="opinions.handle_petition",
                requires=_("Decided within 15 days (Art. 22-23); the 60-day handling period starts (Art. 34)."),
            ),
            Move(
                "transfer",
                (Status.REGISTERED,),
                Status.TRANSFERRED,
                label=_("Transfer"),
                permission="opinions.handle_petition",
                requires=_("The organ with jurisdiction and the reason, told to the petitioner (Art. 22)."),
            ),
            Move(
                "redirect",
                (Status.REGISTERED,),
                Status.REDIRECTED,
                label=_("Direct to another procedure"),
                permission="opinions.handle_petition",
                requires=_("Where to go instead (litigation, arbitration, reconsideration...) and why (Art. 31)."),
            ),
            Move(
                "refuse",
                (Status.REGISTERED,),
                Status.NOT_ACCEPTED,
                label=_("Do not accept"),
                permission="opinions.handle_petition",
                requires=_("The reason, told to the petitioner (e.g. pending with another organ, Art. 19)."),
            ),
            Move(
                "extend",
                (Status.ACCEPTED,),
                None,
                label=_("Approve the extension"),
                permission="opinions.approve_petition_extension",
                requires=_(
                    "Once, by 1 to 30 days, before the period ends, approved by a department head, "
                    "the reason told to the petitioner (Art. 34)."
                ),
            ),
            Move(
                "issue_handling_opinion",
                (Status.ACCEPTED,),
                Status.OPINION_ISSUED,
                label=_("Issue the handling opinion"),
                permission="opinions.handle_petition",
                requires=_("Outcome, facts found and legal basis (Art. 32); a review may be asked within 30 days."),
            ),
            Move(
                "request_review",
                (Status.OPINION_ISSUED,),
                Status.REVIEW_REQUESTED,
                label=_("Request a review"),
                by=ANYONE,
                requires=_("Within 30 days of the handling opinion, with reasons; answered within 30 days (Art. 35)."),
            ),
            Move(
                "issue_review_opinion",
                (Status.REVIEW_REQUESTED,),
                Status.REVIEWED,
                label=_("Issue the review opinion"),
                permission="opinions.handle_petition",
                requires=_("Outcome, facts found and legal basis; a re-review may be asked within 30 days (Art. 35)."),
            ),
            Move(
                "request_rereview",
                (Status.REVIEWED,),
                Status.REREVIEW_REQUESTED,
                label=_("Request a re-review"),
                by=ANYONE,
                requires=_(
                    "Within 30 days of the review opinion, with reasons; answered within 30 days, hearings "
                    "excluded (Art. 36)."
                ),
            ),
            Move(
                "start_hearing",
                (Status.REREVIEW_REQUESTED,),
                None,
                label=_("A hearing starts: pause the clock"),
                permission="opinions.handle_petition",
                requires=_("No hearing in progress; its days are not counted (Art. 36)."),
            ),
            Move(
                "end_hearing",
                (Status.REREVIEW_REQUESTED,),
                None,
                label=_("The hearing ended"),
                permission="opinions.handle_petition",
                requires=_("A hearing in progress; the clock runs again from the day after its last day."),
            ),
            Move(
                "issue_rereview_opinion",
                (Status.REREVIEW_REQUESTED,),
                Status.FINAL,
                label=_("Issue the re-review opinion (final)"),
                permission="opinions.handle_petition",
                requires=_("Outcome, facts found and legal basis; the matter is final (Art. 36)."),
            ),
        ],
    )

    class Route(models.TextChoices):
        """Art. 31: claims that belong to another legal procedure."""

        LITIGATION = "litigation", _("Litigation (a people's court)")
        ARBITRATION = "arbitration", _("Arbitration")
        RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
        LICENSING = "licensing", _("Administrative licensing")

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="petition")
    # Null for letters, visits and calls registered by staff for people without an account.
    petitioner = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("petitioner account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.REGISTERED, editable=False)
    # Art. 19: name, address, request, facts and reasons are all required.
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    address = models.CharField(_("address"), max_length=200, validators=[validate_plain_text])
    request = models.TextField(_("request"), max_length=2000)
    facts = models.TextField(_("facts"), max_length=5000)
    reasons = models.TextField(_("reasons"), max_length=5000)
    represented_count = models.PositiveIntegerField(_("number of people represented"), default=1)
    represented_names = models.TextField(_("names of the people represented"), max_length=5000, blank=True)
    fingerprint = models.CharField(_("matter fingerprint"), max_length=64, editable=False)
    # The decision within 15 days.
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("decision and explanation"), blank=True, editable=False)
    transferred_to = models.CharField(_("transferred to"), max_length=200, blank=True, editable=False)
    route = models.CharField(_("where to go instead"), max_length=20, choices=Route, blank=True, editable=False)
    # Art. 34: one extension of at most 30 days, approved by a head, the reason told.
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0, editable=False)
    extension_reason = models.TextField(_("reason for the extension"), blank=True, editable=False)
    extension_approved_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("extension approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The requests for review and re-review, and the last day each could be made.
    review_window_ends = models.DateField(_("review may be requested until"), null=True, blank=True, editable=False)
    review_requested_on = models.DateField(_("review requested on"), null=True, blank=True, editable=False)
    review_reason = models.TextField(_("reasons for the review"), blank=True, editable=False)
    rereview_window_ends = models.DateField(
        _("re-review may be requested until"), null=True, blank=True, editable=False
    )
    rereview_requested_on = models.DateField(_("re-review requested on"), null=True, blank=True, editable=False)
    rereview_reason = models.TextField(_("reasons for the re-review"), blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        permissions = [
            ("handle_petition", _("Can decide on, handle and answer petitions")),
            ("approve_petition_extension", _("Can approve the extension of a petition (department head)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "registered",
                        "accepted",
                        "transferred",
                        "redirected",
                        "not_accepted",
                        "opinion_issued",
                        "review_requested",
                        "reviewed",
                        "rereview_requested",
                        "final",
                    ]
                ),
                name="petition_status_valid",
            ),
            # Art. 19 and 36: one live petition per petitioner and matter, and none after a final one.
            models.UniqueConstraint(
                fields=["fingerprint"], condition=~Q(status="not_accepted"), name="petition_one_per_matter"
            ),
            models.CheckConstraint(condition=Q(represented_count__gte=1), name="petition_represents_someone"),
            # Art. 34: extended once, by at most 30 days, always with a reason.
            models.CheckConstraint(
                condition=Q(extension_days=0, extension_reason="")
                | (Q(extension_days__gte=1, extension_days__lte=30) & ~Q(extension_reason="")),
                name="petition_extension_at_most_30_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="redirected") | ~Q(route=""), name="petition_redirect_names_route"
            ),
            models.CheckConstraint(
                condition=~Q(status="transferred") | ~Q(transferred_to=""), name="petition_transfer_names_organ"
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.name}"

    def get_absolute_url(self):
        return reverse("opinions:petition", args=[self.pk])

    @property
    def is_group(self):
        return self.represented_count > 1

    # --- Filing ------------------------------------------------------------

    @classmethod
    def refusal_for(cls, fingerprint):
        """Why the same matter cannot be filed again (Art. 19 / 36), or None."""
        existing = cls.objects.filter(fingerprint=fingerprint).exclude(status=cls.Status.NOT_ACCEPTED)
        existing = existing.select_related("case").first()
        if existing is None:
            return None
        if existing.status == cls.Status.FINAL:
            return lazy_format(
                _(
                    "The same matter was settled by the re-review opinion on petition %(number)s; "
                    "it is not accepted again (Letters and Visits Regulations, Art. 36)."
                ),
                {"number": existing.case.number},
            )
        return lazy_format(
            _(
                "The same matter is already being dealt with as petition %(number)s; it is not accepted "
                "again while it is pending (Letters and Visits Regulations, Art. 19). Follow it, or ask for a "
                "review of its opinion."
            ),
            {"number": existing.case.number},
        )

    @classmethod
    @in_language_of_record
    def file(
        cls,
        *,
        by,
        department,
        name,
        address,
        request,
        facts,
        reasons,
        petitioner=None,
        represented_count=1,
        represented_names="",
        representatives=(),
        attachment=None,
        phone="",
        email="",
        channel="web",
        today=None,
    ):
        """Register a petition with its 15-day clock; refused if the same matter is pending or final."""
        today = today or timezone.localdate()
        fields = {"name": name, "address": address, "request": request, "facts": facts, "reasons": reasons}
        missing = [key for key, value in fields.items() if not (value or "").strip()]
        if missing:
            raise InvalidTransition(_("A petition states the name, address, request, facts and reasons (Art. 19)."))
        representatives = [r.strip() for r in representatives if r and r.strip()]
        if len(representatives) > MAX_REPRESENTATIVES:
            raise InvalidTransition(_("A group elects at most 5 representatives (Art. 20)."))
        if represented_count < 1:
            raise InvalidTransition(_("A petition represents at least one person."))
        fingerprint = matter_fingerprint(name, address, request)
        refusal = cls.refusal_for(fingerprint)
        if refusal:
            raise InvalidTransition(refusal)
        try:
            with transaction.atomic():
                case = Case.open_case(
                    kind="petition",
                    prefix="XF",
                    department=department,
                    status=cls.Status.REGISTERED,
                    by=by,
                    applicant=petitioner,
                    contact_name=name,
                    contact_phone=phone,
                    contact_email=email,
                    channel=channel,
                    received_on=today,
                    note=_("Petition registered; you will be told within %(days)d days whether it is accepted.")
                    % {"days": DECIDE_DAYS},
                    clock=(cls.decide_rule(), workdays.CALENDAR, DECIDE_DAYS, today),
                )
                petition = cls.objects.create(
                    case=case,
                    petitioner=petitioner,
                    fingerprint=fingerprint,
                    represented_count=represented_count,
                    represented_names=represented_names,
                    **{key: value.strip() for key, value in fields.items()},
                )
                PetitionRepresentative.objects.bulk_create(
                    PetitionRepresentative(petition=petition, seq=seq, name=rep[:100])
                    for seq, rep in enumerate(representatives, 1)
                )
                if attachment:
                    PetitionFile.objects.create(petition=petition, file=attachment, added_by=by)
                notice = petition._notice(_("Your petition was registered."))
                case.notify_applicant(notice["notify"], notice["notify_context"], url=notice["notify_url"])
        except IntegrityError as error:
            # Filed twice at the same moment: the unique index let one through.
            if "petition_one_per_matter" in str(error):
                raise InvalidTransition(cls.refusal_for(fingerprint)) from error
            raise
        return petition

    @staticmethod
    def decide_rule():
        return str(_("Letters and Visits Regulations Art. 23: decide on acceptance within 15 days"))

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

    def _decide(self, name, new_status, *, by, note, fields, **case_kwargs):
        """One of the four decisions on a registered petition (Art. 22-23, 31)."""
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check(name, locked.status)
            locked.move_case(new_status, by=by, note=note, fields=fields, **case_kwargs, **locked._notice(note))
        self.refresh_from_db()

    @in_language_of_record
    def accept(self, *, by, note="", today=None):
        """Accepted: the 60-day handling clock starts (Art. 34)."""
        self._check_handler(by)
        today = today or timezone.localdate()
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
            clock=(rule, workdays.CALENDAR, HANDLE_DAYS, today),
        )

    @in_language_of_record
    def transfer(self, *, by, organ, reason, today=None):
        """Sent to the organ with jurisdiction (Art. 22); the petitioner is told which."""
        self._check_handler(by)
        organ = self._require(organ, _("Name the organ the petition is transferred to."))
        reason = self._require(reason, _("Give the reason for the transfer; the petitioner sees it."))
        note = _("Transferred to %(organ)s: %(reason)s") % {"organ": organ, "reason": reason}
        self._decide(
            "transfer",
            self.Status.TRANSFERRED,
            by=by,
            note=note,
            fields={
                "decided_on": today or timezone.localdate(),
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
            fields={"decided_on": today or timezone.localdate(), "route": route, "decision_note": explanation},
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
            fields={"decided_on": today or timezone.localdate(), "decision_note": reason},
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

    # The written opinion of each stage: the status it is due in, the move that issues it, its stage.
    OPINION_MOVES = {
        Status.ACCEPTED: ("issue_handling_opinion", "handling"),
        Status.REVIEW_REQUESTED: ("issue_review_opinion", "review"),
        Status.REREVIEW_REQUESTED: ("issue_rereview_opinion", "rereview"),
    }

    @in_language_of_record
    def issue_opinion(self, *, by, outcome, facts, legal_basis, text, today=None):
        """The written opinion of the current stage (Art. 32, 35, 36): the handle page's one button."""
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
        today = today or timezone.localdate()
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
        today = today or timezone.localdate()
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
        on = on or timezone.localdate()
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
        on = on or timezone.localdate()
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

    # --- For pages ---------------------------------------------------------

    def available_moves(self, user, *, today=None):
        """What `user` can do next on this petition: the table's moves from its status, with the rules it cannot
        say (a request window still open, one extension, a hearing in progress or not).

        A dict {move name: Move} in the table's order; the petitioner's page and the handle page both read it.
        """
        if user is None or not user.is_authenticated:
            return {}
        today = today or timezone.localdate()
        own = self.petitioner_id is not None and user.pk == self.petitioner_id
        case = self.case
        hearing = case.is_paused
        moves = {}
        for move in self.WORKFLOW.available(self.status, user=user):
            if move.by == ANYONE and not (own or user.has_perm("opinions.handle_petition")):
                continue
            if move.name == "extend" and (
                case.clock_extension or (case.due_date is not None and today > case.due_date)
            ):
                continue  # once, while the period runs (Art. 34)
            if move.name == "request_review" and self.review_window_ends and today > self.review_window_ends:
                continue  # 30 days after the handling opinion (Art. 35)
            if move.name == "request_rereview" and self.rereview_window_ends and today > self.rereview_window_ends:
                continue  # 30 days after the review opinion (Art. 36)
            if move.name == "start_hearing" and hearing or move.name == "end_hearing" and not hearing:
                continue
            moves[move.name] = move
        return moves

    def opinions_by_stage(self):
        return {opinion.stage: opinion for opinion in self.opinions.all()}


class PetitionRepresentative(models.Model):
    """Art. 20: a group elects at most 5 representatives; the sequence 1-5 holds it in the database."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="representatives"
    )
    seq = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])

    class Meta:
        ordering = ["seq"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(fields=["petition", "seq"], name="petition_representative_seq_unique"),
            models.CheckConstraint(condition=Q(seq__gte=1, seq__lte=5), name="petition_at_most_5_representatives"),
        ]

    def __str__(self):
        return self.name


class PetitionOpinion(models.Model):
    """A written opinion (处理意见书, 复查意见书, 复核意见书): outcome, facts and legal basis (Art. 32)."""

    class Stage(models.TextChoices):
        HANDLING = "handling", _("Handling opinion")
        REVIEW = "review", _("Review opinion")
        REREVIEW = "rereview", _("Re-review opinion")

    class Outcome(models.TextChoices):
        SUPPORTED = "supported", _("Supported")
        EXPLAINED = "explained", _("Explained")
        NOT_SUPPORTED = "not_supported", _("Not supported")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="opinions"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    facts = models.TextField(_("facts found"))
    legal_basis = models.TextField(_("legal basis"))
    text = models.TextField(_("opinion"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = _("petition opinion")
        verbose_name_plural = _("petition opinions")
        constraints = [
            models.UniqueConstraint(fields=["petition", "stage"], name="petition_one_opinion_per_stage"),
            models.CheckConstraint(
                condition=~Q(facts="") & ~Q(legal_basis="") & ~Q(text=""), name="petition_opinion_complete"
            ),
        ]

    def __str__(self):
        return f"{self.petition.case.number} {self.get_stage_display()}"


class PetitionFile(models.Model):
    """An attachment (private: served only to the petitioner and the handling department's staff)."""

    petition = models.ForeignKey(Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="files")
    file = CheckedFileField(_("file"), folder="opinions/petitions", storage=private_storage, max_bytes=10 * 1024 * 1024)
    added_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("petition attachment")
        verbose_name_plural = _("petition attachments")

    def __str__(self):
        return self.file.name


register_kind("petition", Petition.Status, _("Petition (letters and visits)"))
