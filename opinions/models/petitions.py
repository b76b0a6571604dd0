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

The same matter in new words (要求 → 请求) has another fingerprint: at acceptance, staff are offered the earlier
petitions likely to be the same matter (`likely_same_matter`: the same account, identity number or phone number,
compared by keyed digests as both numbers are encrypted, or a request sharing most of its two-character pairs)
and link one (`link_same_matter`, recording `same_matter_as`). A linked petition is not accepted while the
earlier matter is pending (Art. 19) or once it is settled (Art. 36): staff take "Do not accept" with that reason.

A petition may name the unit it concerns (`unit_concerned`): like the unit a report of wrongdoing is about, it
never handles the petition, never receives it by a transfer and its staff never see it (Art. 30; the one rule
is in concerned_unit.py).

Here: the model and its table `Petition.WORKFLOW`; its moves are in petition_moves.py, the periods and the
fingerprint in petition_rules.py, the written opinions in petition_opinions.py.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ExpressionWrapper, F, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, CaseRecord, InvalidTransition, register_kind
from civiccenter.lib import clock, workdays
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.validators import validate_plain_text, validate_resident_id
from civiccenter.models import Department
from civiccenter.workflow import ANYONE, Move, Workflow
from opinions.models.concerned_unit import KeptFromConcernedUnit, hidden_from_concerned_unit, is_concerned_unit
from opinions.models.petition_moves import PetitionMoves
from opinions.models.petition_opinions import PetitionOpinion
from opinions.models.petition_rules import (  # the periods, imported from here by the forms
    DECIDE_DAYS,
    HANDLE_DAYS,  # noqa: F401
    MAX_EXTENSION_DAYS,  # noqa: F401
    MAX_REPRESENTATIVES,
    REREVIEW_DAYS,  # noqa: F401
    REREVIEW_REQUEST_DAYS,  # noqa: F401
    REVIEW_DAYS,  # noqa: F401
    REVIEW_REQUEST_DAYS,  # noqa: F401
    SIMILAR_REQUEST,
    identity_digest,
    matter_fingerprint,
    period_end,  # noqa: F401
    request_pairs,
)

__all__ = [
    "Petition",
    "PetitionFile",
    "PetitionOpinion",
    "PetitionRepresentative",
    "matter_fingerprint",
]


class PairSimilarity(models.Func):
    """The share of two-character pairs two requests have in common, 0 to 1 (petition_rules.py, migration 0010)."""

    function = "opinions_pair_similarity"
    output_field = models.FloatField()


class PetitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: their department's petitions (through the case), never one about their own unit, whatever the
        role (Art. 30). Everyone else: their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return hidden_from_concerned_unit(
                self.filter(case__in=Case.objects.visible_to(user)), user, "unit_concerned"
            )
        return self.filter(petitioner=user)

    def for_list(self):
        return self.select_related("case", "case__department")


class Petition(PetitionMoves, KeptFromConcernedUnit, CaseRecord):
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

    # Letters and Visits Regulations Art. 30 (concerned_unit.py): the unit the petition is about.
    CONCERNED_UNIT_FIELD = "unit_concerned"
    CONCERNED_UNIT_REFUSAL = _(
        "A petition is never handled by the unit it concerns (Letters and Visits Regulations, Art. 30): "
        "address it to another department."
    )

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
                "link_same_matter",
                (Status.REGISTERED,),
                None,
                label=_("Link to an earlier petition on the same matter"),
                permission="opinions.handle_petition",
                requires=_(
                    "An earlier petition of your department; while its matter is pending (Art. 19) or once it is "
                    "settled (Art. 36) this one is not accepted."
                ),
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

    # The written opinion of each stage: the status it is due in, the move that issues it, its stage.
    OPINION_MOVES = {
        Status.ACCEPTED: ("issue_handling_opinion", "handling"),
        Status.REVIEW_REQUESTED: ("issue_review_opinion", "review"),
        Status.REREVIEW_REQUESTED: ("issue_rereview_opinion", "rereview"),
    }

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
    # Art. 30: the unit the petition is about never handles it, never receives it, and its staff never see it.
    unit_concerned = models.ForeignKey(
        Department,
        verbose_name=_("unit concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions_concerning",
    )
    represented_count = models.PositiveIntegerField(_("number of people represented"), default=1)
    represented_names = models.TextField(_("names of the people represented"), max_length=5000, blank=True)
    fingerprint = models.CharField(_("matter fingerprint"), max_length=64, editable=False)
    # Likely the same matter in new words: keyed digests of the encrypted numbers and the request's pairs, filled
    # on save (`fill_matching_keys`); the earlier petition staff linked as the same matter (`link_same_matter`).
    id_number = EncryptedCharField(
        _("resident identity number"), max_length=18, blank=True, validators=[validate_resident_id]
    )
    id_digest = models.CharField(max_length=64, blank=True, editable=False)
    phone_digest = models.CharField(max_length=64, blank=True, editable=False)
    request_pairs = ArrayField(models.TextField(), default=list, blank=True, editable=False)
    same_matter_as = models.ForeignKey(
        "self",
        verbose_name=_("same matter as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="repeated_by",
    )
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
    created_at = models.DateTimeField(_("submitted at"), default=clock.now, editable=False)

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
            models.CheckConstraint(condition=~Q(same_matter_as=F("pk")), name="petition_same_matter_not_itself"),
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
        indexes = [
            models.Index(fields=["id_digest"], name="petition_id_digest_idx", condition=~Q(id_digest="")),
            models.Index(fields=["phone_digest"], name="petition_phone_digest_idx", condition=~Q(phone_digest="")),
            GinIndex(fields=["request_pairs"], name="petition_request_pairs_idx"),
        ]

    def __str__(self):
        return f"{self.case.number} {self.name}"

    def save(self, *args, **kwargs):
        self.fill_matching_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "id_digest", "phone_digest", "request_pairs"}
        super().save(*args, **kwargs)

    def fill_matching_keys(self):
        """The digests of the identity and phone numbers (the case's contact phone) and the request's pairs."""
        self.id_digest = identity_digest("id", self.id_number)
        self.phone_digest = identity_digest("phone", self.case.contact_phone if self.case_id else "")
        self.request_pairs = request_pairs(self.request)

    def get_absolute_url(self):
        return reverse("opinions:petition", args=[self.pk])

    @property
    def is_group(self):
        return self.represented_count > 1

    # --- Filing ------------------------------------------------------------

    @classmethod
    def refusal_for(cls, fingerprint, today=None):
        """Why the same matter cannot be filed again (Art. 19 / 36), or None."""
        existing = cls.objects.filter(fingerprint=fingerprint).exclude(status=cls.Status.NOT_ACCEPTED)
        existing = existing.select_related("case").first()
        return existing.repeat_refusal(today) if existing is not None else None

    def matter_is_final(self, today=None):
        """Art. 36: the matter is settled by the re-review opinion, or by an opinion whose period for asking a
        review or re-review ended unused (Art. 35-36): no procedure is left in which it could be heard again."""
        today = today or clock.today()
        if self.status == self.Status.FINAL:
            return True
        if self.status == self.Status.OPINION_ISSUED:
            return self.review_window_ends is not None and today > self.review_window_ends
        if self.status == self.Status.REVIEWED:
            return self.rereview_window_ends is not None and today > self.rereview_window_ends
        return False

    def repeat_refusal(self, today=None):
        """Why a later petition on this petition's matter is not accepted, told to its petitioner: the matter is
        settled (Art. 36) or pending here or sent elsewhere (Art. 19). None when this one was not accepted."""
        if self.status == self.Status.NOT_ACCEPTED:
            return None
        if self.status == self.Status.FINAL:
            return lazy_format(
                _(
                    "The same matter was settled by the re-review opinion on petition %(number)s; "
                    "it is not accepted again (Letters and Visits Regulations, Art. 36)."
                ),
                {"number": self.case.number},
            )
        if self.matter_is_final(today):
            return lazy_format(
                _(
                    "The same matter was settled on petition %(number)s, whose opinion can no longer be "
                    "reviewed; it is not accepted again (Letters and Visits Regulations, Art. 36)."
                ),
                {"number": self.case.number},
            )
        return lazy_format(
            _(
                "The same matter is already being dealt with as petition %(number)s; it is not accepted "
                "again while it is pending (Letters and Visits Regulations, Art. 19). Follow it, or ask for a "
                "review of its opinion."
            ),
            {"number": self.case.number},
        )

    def same_matter(self):
        """The earlier petition whose matter this one was linked to, past links that were themselves not accepted
        as repeats (a chain ends at the first petition of the matter)."""
        earlier, hops = self.same_matter_as, 0
        while earlier is not None and earlier.status == self.Status.NOT_ACCEPTED and earlier.same_matter_as_id:
            earlier, hops = earlier.same_matter_as, hops + 1
            if hops > 20:
                break
        return earlier

    def linked_repeat_refusal(self, today=None):
        """What the petitioner is told when this linked petition is not accepted (Art. 19 / 36), or None."""
        earlier = self.same_matter() if self.same_matter_as_id else None
        return earlier.repeat_refusal(today) if earlier is not None else None

    def likely_same_matter(self, user, *, limit=10):
        """Earlier petitions `user` sees that are likely this one's matter, for staff deciding on acceptance: the
        same petitioner (account, identity number or phone number, by their keyed digests) or a request sharing at
        least `SIMILAR_REQUEST` of its pairs. The same petitioner first, then the most similar; one query.

        Each carries `by_account`, `by_identity`, `by_phone` and `similarity` (0 to 1). Nothing for a user who
        does not see this petition."""
        visible = type(self).objects.visible_to(user)
        if not visible.filter(pk=self.pk).exists():
            return []
        pairs = Cast(Value(self.request_pairs or [""]), ArrayField(models.TextField()))
        found = {
            "by_account": Q(petitioner_id=self.petitioner_id) if self.petitioner_id else None,
            "by_identity": Q(id_digest=self.id_digest) if self.id_digest else None,
            "by_phone": Q(phone_digest=self.phone_digest) if self.phone_digest else None,
        }
        same_person = Q()
        annotations = {"similarity": PairSimilarity(F("request_pairs"), pairs)}
        for name, condition in found.items():
            annotations[name] = ExpressionWrapper(condition or Q(pk=None), output_field=models.BooleanField())
            if condition is not None:
                same_person |= condition
        similar = Q(request_pairs__overlap=self.request_pairs or [""], similarity__gte=SIMILAR_REQUEST)
        earlier = Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        rows = (
            visible.filter(earlier)
            .exclude(pk=self.pk)
            .exclude(status=self.Status.NOT_ACCEPTED)
            .annotate(**annotations)
            .filter(same_person | similar if same_person else similar)
            .annotate(same_person=ExpressionWrapper(same_person or Q(pk=None), output_field=models.BooleanField()))
            .select_related("case")
            .order_by(F("same_person").desc(nulls_last=True), F("similarity").desc(), "-created_at", "-pk")
        )
        return list(rows[:limit])

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
        unit_concerned=None,
        represented_count=1,
        represented_names="",
        representatives=(),
        attachment=None,
        id_number="",
        phone="",
        email="",
        channel="web",
        today=None,
    ):
        """Register a petition with its 15-day clock; refused if the same matter is pending or final."""
        today = today or clock.today()
        fields = {"name": name, "address": address, "request": request, "facts": facts, "reasons": reasons}
        missing = [key for key, value in fields.items() if not (value or "").strip()]
        if missing:
            raise InvalidTransition(_("A petition states the name, address, request, facts and reasons (Art. 19)."))
        representatives = [r.strip() for r in representatives if r and r.strip()]
        if len(representatives) > MAX_REPRESENTATIVES:
            raise InvalidTransition(_("A group elects at most 5 representatives (Art. 20)."))
        if represented_count < 1:
            raise InvalidTransition(_("A petition represents at least one person."))
        if is_concerned_unit(department, unit_concerned and unit_concerned.pk):
            raise InvalidTransition(cls.CONCERNED_UNIT_REFUSAL)
        id_number = "".join((id_number or "").split()).upper()
        if id_number:
            try:
                validate_resident_id(id_number)
            except ValidationError as error:
                raise InvalidTransition(error.messages[0]) from error
        fingerprint = matter_fingerprint(name, address, request)
        refusal = cls.refusal_for(fingerprint, today)
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
                    unit_concerned=unit_concerned,
                    fingerprint=fingerprint,
                    id_number=id_number,
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
                raise InvalidTransition(cls.refusal_for(fingerprint, today)) from error
            raise
        return petition

    @staticmethod
    def decide_rule():
        return str(_("Letters and Visits Regulations Art. 23: decide on acceptance within 15 days"))

    # --- For pages ---------------------------------------------------------

    def available_moves(self, user, *, today=None):
        """What `user` can do next on this petition: the table's moves from its status, with the rules it cannot
        say (a request window still open, one extension, a hearing in progress or not).

        A dict {move name: Move} in the table's order; the petitioner's page and the handle page both read it.
        """
        if user is None or not user.is_authenticated:
            return {}
        today = today or clock.today()
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
    added_at = models.DateTimeField(_("added at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("petition attachment")
        verbose_name_plural = _("petition attachments")

    def __str__(self):
        return self.file.name


register_kind("petition", Petition.Status, _("Petition (letters and visits)"))
