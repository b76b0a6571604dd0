"""The case machinery every app shares (ARCHITECTURE.md, "What every app shares").

A `Case` is what someone must act on within a time limit: a licence
application, a disclosure request, a petition... It carries what all of them
share: a tracking number unique across the portal, a query code for looking it
up without an account, the applicant and their contacts, the channel, the
handling department, the status, the statutory clock and the timeline. Each
app keeps its own record (the matter applied for, the information wanted) with
a one-to-one link to its case, its own `Status` choices and `ALLOWED` map, and
moves the case only through `Case.transition()`: lock, check, change, clock,
timeline and outbox in one transaction.
"""

import secrets
from datetime import timedelta

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock as portal_clock  # `clock` is also a move's argument here
from civiccenter.lib import workdays
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.i18n import lazy_format
from civiccenter.notifications import Notification
from civiccenter.people import Department, DepartmentScopedQuerySet, User
from civiccenter.workcalendar import CalendarDay
from civiccenter.workflow import InvalidTransition, Move, Workflow  # InvalidTransition: apps import it from here

# kind -> the app's Status choices, so shared pages can name any case's status.
STATUS_CHOICES = {}
KIND_LABELS = {}


def register_kind(kind, status_choices, label):
    STATUS_CHOICES[kind] = status_choices
    KIND_LABELS[kind] = label


def status_label(kind, status):
    choices = STATUS_CHOICES.get(kind)
    return dict(choices.choices).get(status, status) if choices else status


# Unambiguous characters only: a code is read out over the phone and typed from paper.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))


def next_sequence(prefix: str, year: int) -> int:
    """The next number of a counter per prefix and year, safe under any concurrency.

    INSERT ... ON CONFLICT DO UPDATE takes the row lock in the same statement,
    so two callers can never get the same number.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO civiccenter_trackingcounter (prefix, year, last) VALUES (%s, %s, 1)
            ON CONFLICT (prefix, year) DO UPDATE SET last = civiccenter_trackingcounter.last + 1
            RETURNING last
            """,
            [prefix, year],
        )
        (last,) = cursor.fetchone()
    return last


def next_tracking_number(prefix: str, year: int) -> str:
    """`XK-2026-000123`: one counter per prefix and year."""
    return f"{prefix}-{year}-{next_sequence(prefix, year):06d}"


class TrackingCounter(models.Model):
    prefix = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="trackingcounter_prefix_year")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


CLOCK_FIELDS = ["clock_rule", "clock_unit", "clock_days", "clock_start", "clock_remind_days"]


class CaseQuerySet(DepartmentScopedQuerySet):
    def visible_to(self, user):
        """Staff: their department's cases (or all, for center-wide roles). Everyone else: their own."""
        if user.is_authenticated and user.is_active and not user.is_staff:
            return self.filter(applicant=user)
        return super().visible_to(user)

    def open(self):
        return self.filter(closed_at__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or portal_clock.today())

    def for_list(self):
        return self.select_related("department")


class Case(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Online")
        WINDOW = "window", _("At the window")
        PHONE = "phone", _("By phone")
        POST = "post", _("By post")

    kind = models.CharField(_("kind"), max_length=20)
    number = models.CharField(_("tracking number"), max_length=24, unique=True, editable=False)
    query_code = models.CharField(_("query code"), max_length=8, default=new_query_code, editable=False)
    applicant = models.ForeignKey(
        User, verbose_name=_("applicant account"), on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.WEB)
    department = models.ForeignKey(Department, verbose_name=_("handling department"), on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=32, editable=False)
    received_on = models.DateField(_("received on"), null=True, blank=True, editable=False)
    # The running statutory clock: which rule, counted how, from when.
    clock_rule = models.CharField(_("time limit rule"), max_length=200, blank=True, editable=False)
    clock_unit = models.CharField(_("counted in"), max_length=10, blank=True, editable=False)
    clock_days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True, editable=False)
    clock_start = models.DateField(_("counted from"), null=True, blank=True, editable=False)
    clock_extension = models.PositiveSmallIntegerField(_("extension (days)"), default=0, editable=False)
    # The rule's reminder lead (working days before the due date); empty: DEADLINE_REMINDER_WORKING_DAYS.
    clock_remind_days = models.PositiveSmallIntegerField(
        _("reminded days before"), null=True, blank=True, editable=False
    )
    due_date = models.DateField(_("due"), null=True, blank=True, editable=False)
    due_provisional = models.BooleanField(_("provisional"), default=False, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # The deadline in force when the case closed, for the on-time rate.
    due_at_close = models.DateField(_("due when closed"), null=True, blank=True, editable=False)
    # The due dates the department has been reminded of / told are overdue (one notice per date).
    reminded_for = models.DateField(_("reminded for the deadline of"), null=True, blank=True, editable=False)
    overdue_notified_for = models.DateField(
        _("overdue notice for the deadline of"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=portal_clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The supervision and sweep queries look at open cases by due date only.
            models.Index(fields=["due_date"], name="case_open_due_idx", condition=models.Q(closed_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=["web", "window", "phone", "post"]), name="case_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(clock_unit__in=["", "working", "calendar"]), name="case_clock_unit_valid"
            ),
        ]

    def __str__(self):
        return self.number

    @classmethod
    def open_case(
        cls,
        *,
        kind,
        prefix,
        department,
        status,
        by,
        applicant=None,
        contact_name="",
        contact_phone="",
        contact_email="",
        channel="web",
        received_on=None,
        received=True,
        note="",
        clock=None,
    ):
        """Create a case with its tracking number, clock and first timeline event (in the caller's transaction).

        `clock` is (rule, unit, days, start), as for `transition()`. `received=False` leaves the day of
        receipt open, to be fixed by a later move (an online request counts as received when confirmed).
        """
        today = received_on or portal_clock.today()
        case = cls.objects.create(
            kind=kind,
            number=next_tracking_number(prefix, today.year),
            applicant=applicant,
            contact_name=contact_name or (applicant.full_name if applicant else ""),
            contact_phone=contact_phone or (applicant.phone if applicant else ""),
            contact_email=contact_email or (applicant.email if applicant else ""),
            channel=channel,
            department=department,
            status=status,
            received_on=today if received else None,
        )
        if clock is not None:
            case._set_clock(clock)
            case.recompute_due()
            case.save(update_fields=[*CLOCK_FIELDS, "due_date", "due_provisional"])
        case.events.create(kind=CaseEvent.Kind.OPENED, actor=by, old_status="", new_status=status, note=note)
        return case

    def transition(
        self,
        new_status,
        *,
        allowed,
        by,
        note="",
        public=True,
        clock=None,
        stop_clock=False,
        close=False,
        reopen=False,
        notify=None,
        notify_context=None,
        notify_url="",
        pause=None,
        pause_from=None,
        resume=False,
        today=None,
        event_kind=None,
        received_on=None,
        contacts=None,
    ):
        """The one way any case moves.

        `allowed` is the app's state graph ({status: {next statuses}}); `clock`
        is (rule, unit, days, start[, remind_days]) to start a new statutory clock. Locks the
        row, so concurrent moves are serialised and the second one is checked
        against the state the first one left. `pause` (a reason) stops the clock
        with the move and `resume=True` starts it again, by the one rule of
        `_pause()` and `_resume()`. `received_on` fixes the day of receipt with the
        move (a confirmation, a correction received); `contacts` updates the
        applicant's contact details ({"contact_email": ...}).
        """
        today = today or portal_clock.today()
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            current = locked.status
            if new_status not in allowed.get(current, ()):
                raise InvalidTransition(
                    lazy_format(
                        _("This case cannot go from “%(old)s” to “%(new)s”."),
                        {"old": status_label(locked.kind, current), "new": status_label(locked.kind, new_status)},
                    )
                )
            locked.status = new_status
            if received_on is not None:
                locked.received_on = received_on
            for name, value in (contacts or {}).items():
                if name not in ("contact_name", "contact_phone", "contact_email"):
                    raise ValueError(f"not a contact field: {name}")
                setattr(locked, name, value)
            if clock is not None:
                locked._set_clock(clock)
                locked.clock_extension = 0
                locked.pauses.all().delete()
                locked.recompute_due()
            elif stop_clock:
                locked._set_clock(("", "", None, None))
                locked.due_date, locked.due_provisional = None, False
            if reopen:
                # A follow-up or a reopening runs the same case again (with the new `clock`).
                locked.closed_at, locked.due_at_close = None, None
            if pause:
                locked._pause(pause, starts_on=pause_from, today=today)
            if resume:
                locked._resume(today=today)
            if close:
                locked.closed_at = portal_clock.now()
                locked.due_at_close = locked.due_date
                locked.due_date = None
            locked.save()
            locked.events.create(
                kind=event_kind or CaseEvent.Kind.STATUS,
                actor=by,
                old_status=current,
                new_status=new_status,
                note=note,
                public=public,
            )
            if notify:
                locked.notify_applicant(notify, notify_context, url=notify_url)
        self._sync_from(locked)
        return self

    # --- The clock, the timeline and the notices: every app's moves go through these -----------

    def _set_clock(self, clock):
        """(rule, unit, days, start), and optionally the rule's reminder lead in working days (None: the default)."""
        rule, unit, days, start, *remind = clock
        self.clock_rule, self.clock_unit, self.clock_days, self.clock_start = rule, unit, days, start
        self.clock_remind_days = remind[0] if remind else None

    def _sync_from(self, locked):
        """Keep the caller's instance in step with the row."""
        for field in locked._meta.concrete_fields:
            setattr(self, field.attname, getattr(locked, field.attname))
        self._prefetched_objects_cache = {}

    def _locked(self):
        return type(self).objects.select_for_update().get(pk=self.pk)

    def _pause(self, reason, *, starts_on=None, today=None):
        """Stop the clock (on a locked row, saved by the caller).

        The one rule (prc-rules §9): the day of the act that stops the clock
        (a correction notice, a consultation sent, a request for information)
        still counts; the clock stops from the next day, unless `starts_on`
        names the first day not counted (a hearing held that day).
        """
        today = today or portal_clock.today()
        if self.pauses.filter(ends_on__isnull=True).exists():
            raise InvalidTransition(_("The time limit is already paused."))
        starts_on = starts_on or today + timedelta(days=1)
        if self.clock_start is not None and starts_on <= self.clock_start:
            raise InvalidTransition(_("The time limit cannot be paused before it started."))
        self.pauses.create(reason=str(reason)[:200], starts_on=starts_on)
        self.recompute_due()

    def _resume(self, *, through=None, today=None):
        """Start the clock again (on a locked row, saved by the caller).

        The days from the pause's first day through `through` (by default
        today, the day the answer came or the reason ended) are not counted;
        the clock runs again from the next day. A pause lifted before its
        first day cost nothing and is dropped.
        """
        today = today or portal_clock.today()
        through = through or today
        pause = self.pauses.filter(ends_on__isnull=True).first()
        if pause is None:
            return False
        if through < pause.starts_on:
            pause.delete()
        else:
            pause.ends_on = through + timedelta(days=1)
            pause.save(update_fields=["ends_on"])
        self.recompute_due()
        return True

    @property
    def is_paused(self):
        return any(p.ends_on is None for p in self.pauses.all())

    def _with_due(self, note):
        """`note` with `%(due)s` replaced by the due date now in force (nothing else in it is formatted)."""
        return str(note).replace("%(due)s", self.due_date.isoformat() if self.due_date else "—")

    def log(self, kind, *, by, note="", public=True):
        """A timeline event that does not change the status (a consultation sent, an answer recorded...)."""
        if kind not in CaseEvent.Kind.values:
            raise ValueError(f"unknown case event kind {kind!r}")
        return self.events.create(
            kind=kind, actor=by, old_status=self.status, new_status=self.status, note=note, public=public
        )

    def notify_applicant(self, template, context=None, *, url=""):
        """Tell the applicant: their account's inbox and e-mail, or the contact e-mail when there is no account."""
        if not (self.applicant_id or self.contact_email):
            return None
        return Notification.queue(
            recipient=self.applicant,
            email=self.contact_email,
            template=template,
            context={"case": self, **(context or {})},
            url=url,
        )

    def pause(self, *, by, reason, note, starts_on=None, today=None, public=True, kind=None):
        """Stop the clock without a change of status (e.g. a hearing during a re-review)."""
        with transaction.atomic():
            locked = self._locked()
            locked._pause(reason, starts_on=starts_on, today=today)
            locked.save(update_fields=["due_date", "due_provisional", "updated_at"])
            locked.log(kind or CaseEvent.Kind.PAUSED, by=by, note=note, public=public)
        self._sync_from(locked)
        return self

    def resume(self, *, by, note, through=None, today=None, public=True, kind=None):
        """Start the clock again without a change of status; refused when it is not paused. `note` may use `%(due)s`."""
        with transaction.atomic():
            locked = self._locked()
            if not locked._resume(through=through, today=today):
                raise InvalidTransition(_("The time limit is not paused."))
            locked.save(update_fields=["due_date", "due_provisional", "updated_at"])
            locked.log(kind or CaseEvent.Kind.RESUMED, by=by, note=locked._with_due(note), public=public)
        self._sync_from(locked)
        return self

    def extend(self, *, by, days, note, once_message=None, today=None, notify=None, notify_context=None, notify_url=""):
        """Extend the running time limit, once (every statute the portal applies allows one extension).

        `note` may use `%(due)s` for the new due date. Refused when the case is
        closed, has no clock, was already extended, or its time is already over.
        """
        today = today or portal_clock.today()
        if not isinstance(days, int) or days < 1:
            raise InvalidTransition(_("An extension is of at least one day."))
        with transaction.atomic():
            locked = self._locked()
            if locked.closed_at is not None or not locked.clock_unit:
                raise InvalidTransition(_("Only a case whose time limit is running can be extended."))
            if locked.clock_extension:
                raise InvalidTransition(
                    once_message or _("The time limit was already extended; it can be extended only once.")
                )
            if locked.due_date is not None and today > locked.due_date:
                raise InvalidTransition(_("The time limit is already over; it can no longer be extended."))
            locked.clock_extension = days
            locked.recompute_due()
            locked.save(update_fields=["clock_extension", "due_date", "due_provisional", "updated_at"])
            locked.log(CaseEvent.Kind.EXTENDED, by=by, note=locked._with_due(note))
            if notify:
                # The notice's texts may name the new due date too.
                context = {
                    k: locked._with_due(v) if isinstance(v, str) else v for k, v in (notify_context or {}).items()
                }
                locked.notify_applicant(notify, {"due": locked.due_date, **context}, url=notify_url)
        self._sync_from(locked)
        return self

    def retime(self, *, by, rule, days, note, public=True):
        """A new length for the running time limit, counted from the same day (an opinion's urgency changed).

        The pauses and the extension stay. `note` may use `%(due)s` for the new due date.
        """
        if not isinstance(days, int) or days < 1:
            raise InvalidTransition(_("A time limit is of at least one day."))
        with transaction.atomic():
            locked = self._locked()
            if locked.closed_at is not None or not locked.clock_unit:
                raise InvalidTransition(_("Only a case whose time limit is running can be given another one."))
            locked.clock_rule, locked.clock_days = str(rule)[:200], days
            locked.recompute_due()
            locked.save(update_fields=["clock_rule", "clock_days", "due_date", "due_provisional", "updated_at"])
            locked.log(CaseEvent.Kind.NOTE, by=by, note=locked._with_due(note), public=public)
        self._sync_from(locked)
        return self

    def transfer(self, *, by, department, note, public=True, notify=None, notify_context=None, notify_url=""):
        """Hand the case to another department; its clock goes on as it was."""
        with transaction.atomic():
            locked = self._locked()
            if locked.closed_at is not None:
                raise InvalidTransition(_("A closed case cannot be transferred."))
            if department.pk == locked.department_id:
                raise InvalidTransition(_("The case is already with this department."))
            locked.department = department
            locked.save(update_fields=["department", "updated_at"])
            locked.log(CaseEvent.Kind.TRANSFERRED, by=by, note=note, public=public)
            if notify:
                locked.notify_applicant(notify, notify_context, url=notify_url)
        self._sync_from(locked)
        return self

    def clock(self, calendar=None) -> workdays.Deadline | None:
        """The running clock computed over the work calendar, with how it was reached."""
        if not self.clock_unit or self.clock_start is None:
            return None
        calendar = calendar or CalendarDay.objects.work_calendar()
        pauses = [workdays.Pause(p.starts_on, p.ends_on) for p in self.pauses.all()]
        return workdays.compute(
            calendar, self.clock_start, self.clock_days, self.clock_unit, pauses=pauses, extension=self.clock_extension
        )

    def recompute_due(self, calendar=None):
        deadline = self.clock(calendar)
        self.due_date = deadline.due if deadline else None
        self.due_provisional = bool(deadline and deadline.provisional)

    def days_left(self, today=None) -> int | None:
        if self.due_date is None:
            return None
        return (self.due_date - (today or portal_clock.today())).days

    @property
    def public_events(self):
        return self.events.filter(public=True).select_related("case")

    @property
    def status_label(self):
        return status_label(self.kind, self.status)

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def calculator_query(self):
        """The deadline calculator's query that reproduces this clock, when it has no pause or extension."""
        if not self.clock_unit or self.clock_extension:
            return ""
        from urllib.parse import urlencode

        return urlencode({"start": self.clock_start.isoformat(), "days": self.clock_days, "unit": self.clock_unit})


def recompute_calendar_dates() -> int:
    """After the work calendar changes: every open case's due date, and every date an app stored from the calendar
    (the apps' `calendar_dates`: a document's publication deadline, an application's promised date...)."""
    from civiccenter import parts

    calendar = CalendarDay.objects.work_calendar()
    changed = recompute_open_cases(calendar)
    for recompute, _label in parts.calendar_dates():
        changed += recompute(calendar)
    return changed


def recompute_open_cases(calendar=None) -> int:
    """After the work calendar changes: every open case's due date over the new calendar."""
    calendar = calendar or CalendarDay.objects.work_calendar()
    changed = 0
    for case in Case.objects.open().exclude(clock_unit="").prefetch_related("pauses"):
        before = (case.due_date, case.due_provisional)
        case.recompute_due(calendar)
        if (case.due_date, case.due_provisional) != before:
            Case.objects.filter(pk=case.pk).update(due_date=case.due_date, due_provisional=case.due_provisional)
            changed += 1
    return changed


class CaseRecord(models.Model):
    """An app's record of a case (an application, a request, a question...), one-to-one with its `Case`.

    The case owns the status: the record's `status` column is kept equal to
    it by the database (`civiccenter.workflow.mirror_case_status`), and the
    record moves only through `move_case()`, which checks the app's table.
    Subclasses declare `case` (a one-to-one field to `Case`), `status` and
    `WORKFLOW`.
    """

    WORKFLOW = None

    class Meta:
        abstract = True

    def move_case(self, new_status, *, by, fields=None, **case_kwargs):
        """Move the case by the app's table, then save this record's own `fields` (the status follows the case)."""
        if self.case_id is None:
            raise InvalidTransition(_("This has no case yet."))
        allowed = self.WORKFLOW.allowed if self.WORKFLOW is not None else self.ALLOWED
        self.case.transition(new_status, allowed=allowed, by=by, **case_kwargs)
        fields = {**(fields or {}), "status": new_status}
        type(self).objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)


class CasePause(models.Model):
    """A stopped clock (correction, consultation, hearing, expert review): the days in it do not count."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (exclusive)"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=models.F("starts_on")),
                name="casepause_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.case} {self.reason} {self.starts_on}–{self.ends_on or '…'}"


class CaseEvent(models.Model):
    """The timeline: append-only, written only by Case methods."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        STATUS = "status", _("Status changed")
        PAUSED = "paused", _("Time limit paused")
        RESUMED = "resumed", _("Time limit resumed")
        EXTENDED = "extended", _("Time limit extended")
        TRANSFERRED = "transferred", _("Transferred to another department")
        CONSULTED = "consulted", _("Third party or other organ consulted")
        ANSWER_RECORDED = "answer_recorded", _("Answer recorded")
        HEARING = "hearing", _("Hearing")
        PUBLICATION = "publication", _("Publication")
        NOTE = "note", _("Note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind, default=Kind.STATUS)
    created_at = models.DateTimeField(_("when"), default=portal_clock.now)
    actor = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_status = models.CharField(_("from"), max_length=32, blank=True)
    new_status = models.CharField(_("to"), max_length=32)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("shown to the applicant"), default=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "opened",
                        "status",
                        "paused",
                        "resumed",
                        "extended",
                        "transferred",
                        "consulted",
                        "answer_recorded",
                        "hearing",
                        "publication",
                        "note",
                    ]
                ),
                name="caseevent_kind_valid",
            ),
            # A status-less event keeps the status; only a move changes it.
            models.CheckConstraint(
                condition=models.Q(kind__in=["opened", "status"]) | models.Q(old_status=models.F("new_status")),
                name="caseevent_statusless_keeps_status",
            ),
        ]

    def __str__(self):
        return f"{self.case} {self.old_status} → {self.new_status}"

    @property
    def status_label(self):
        return status_label(self.case.kind, self.new_status)


class Rating(models.Model):
    """好差评 (国办发〔2019〕51号): one rating per case and channel, after it closes; nothing pre-selected."""

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        FAIRLY_SATISFIED = 3, _("Fairly satisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="ratings")
    channel = models.CharField(_("channel"), max_length=10, choices=Case.Channel, default=Case.Channel.WEB)
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("rated at"), default=portal_clock.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["case", "channel"], name="rating_once_per_case_and_channel"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"),
        ]

    def __str__(self):
        return f"{self.case} {self.level}"

    @classmethod
    def give(cls, *, case, level, comment="", channel="web", by):
        """Rate a closed case; a level of 1 or 2 opens a follow-up case for the department."""
        from django.db import IntegrityError

        if case.closed_at is None:
            raise InvalidTransition(_("A case can be rated once it is closed."))
        if level not in cls.Level.values:
            raise InvalidTransition(_("Choose one of the five levels."))
        try:
            with transaction.atomic():
                rating = cls.objects.create(case=case, level=level, comment=comment, channel=channel)
                if level <= 2:
                    FollowUp.open_for(rating, by=by)
        except IntegrityError as error:
            raise InvalidTransition(_("This case has already been rated.")) from error
        return rating


class FollowUp(models.Model):
    """A poor rating's follow-up: contact the person, then rectify or explain, each within its time limit."""

    class Status(models.TextChoices):
        OPENED = "opened", _("Opened: contact the person")
        CONTACTED = "contacted", _("Contacted: rectify or explain")
        CLOSED = "closed", _("Closed")

    WORKFLOW = Workflow(
        "civiccenter.followup",
        Status,
        [
            Move(
                "contact",
                (Status.OPENED,),
                Status.CONTACTED,
                label=_("Record the contact"),
                requires=_("A note of what was said; the time to rectify or explain starts."),
            ),
            Move(
                "close",
                (Status.CONTACTED,),
                Status.CLOSED,
                label=_("Rectified or explained: close"),
                requires=_("A note of what was rectified or explained."),
            ),
        ],
    )

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="followup")
    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="followup")

    class Meta:
        verbose_name = _("follow-up of a poor rating")
        verbose_name_plural = _("follow-ups of poor ratings")

    def __str__(self):
        return str(self.case)

    @property
    def status(self):
        return self.case.status

    def available_moves(self, user=None, by=None):
        return self.WORKFLOW.available(self.status, user=user, by=by)

    @classmethod
    def open_for(cls, rating, *, by):
        from django.conf import settings

        rated = rating.case
        days = settings.RATING_CONTACT_WORKING_DAYS
        case = Case.open_case(
            kind="followup",
            prefix="HCP",
            department=rated.department,
            status=cls.Status.OPENED,
            by=by,
            applicant=rated.applicant,
            contact_name=rated.contact_name,
            contact_phone=rated.contact_phone,
            contact_email=rated.contact_email,
            note=_("Rated %(level)d for %(number)s: %(comment)s")
            % {"level": rating.level, "number": rated.number, "comment": rating.comment or "—"},
            clock=(
                str(_("Poor rating: contact the person within %(days)d working day(s)") % {"days": days}),
                "working",
                days,
                portal_clock.today(),
            ),
        )
        return cls.objects.create(case=case, rating=rating)

    def contact(self, *, by, note):
        from django.conf import settings

        self.WORKFLOW.check("contact", self.case.status)
        if not (note or "").strip():
            raise InvalidTransition(_("Note what was said."))
        days = settings.RATING_RECTIFY_WORKING_DAYS
        self.case.transition(
            self.Status.CONTACTED,
            allowed=self.WORKFLOW.allowed,
            by=by,
            note=note,
            public=False,
            clock=(
                str(_("Poor rating: rectify or explain within %(days)d working days") % {"days": days}),
                "working",
                days,
                portal_clock.today(),
            ),
        )

    def close(self, *, by, note):
        self.WORKFLOW.check("close", self.case.status)
        if not (note or "").strip():
            raise InvalidTransition(_("Note what was rectified or explained."))
        self.case.transition(self.Status.CLOSED, allowed=self.WORKFLOW.allowed, by=by, note=note, close=True)


register_kind("followup", FollowUp.Status, _("Follow-up of a poor rating"))
