"""The center's venues and their bookings by verified organizations.

A venue belongs to the department that manages it and carries its own rules:
opening hours per weekday, closures (maintenance), length, how far ahead, a
monthly allowance per organization, whether staff approve, and a cancellation
deadline. Public holidays of the work calendar close every venue; an adjusted
working weekend (调休上班日) does NOT open a venue: a Saturday or Sunday is open
only if the venue's own hours for that weekday say so, because the center's
venues keep their weekly timetable whatever the offices do.

A booking is a case (kind "booking", tracking prefix CD). Two pending or
approved bookings never hold one venue at overlapping times: an exclusion
constraint says so with core types only (the venue id as a one-element
int4range compared with &&, no btree_gist), whatever the concurrency.
"""

import secrets
from datetime import datetime, time, timedelta

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Func, Q, Sum, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case, CaseRecord, InvalidTransition, register_kind
from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record, lazy_format, localized
from civiccenter.lib.uploads import ResizedImageField
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import CalendarDay, Department, DepartmentScopedQuerySet
from civiccenter.workflow import APPLICANT, STAFF, SYSTEM, Move, Workflow

__all__ = [
    "Venue",
    "VenuePhoto",
    "OpeningHours",
    "Closure",
    "Booking",
    "BookingFeed",
    "sweep_bookings",
]

SLOT_MINUTES = 30
# Paths under /ngo/venues/ that a venue's slug must not take.
RESERVED_SLUGS = {"bookings", "calendar"}


class VenueRange(Func):
    """The venue id (bigint) as the one-element range [id, id]: equality expressed as && (no btree_gist)."""

    function = "int8range"
    output_field = BigIntegerRangeField()


class TimeRange(Func):
    function = "tstzrange"
    output_field = DateTimeRangeField()


def validate_venue_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved; choose another."), code="reserved")


def local_dt(day, moment):
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_current_timezone())


def hm(value):
    return timezone.localtime(value).strftime("%H:%M")


class VenueQuerySet(DepartmentScopedQuerySet):
    def active(self):
        return self.filter(active=True)


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=80, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=120, blank=True, validators=[validate_plain_text])
    slug = models.SlugField(_("short name"), max_length=40, unique=True, validators=[validate_venue_slug])
    department = models.ForeignKey(
        Department, verbose_name=_("managing department"), on_delete=models.PROTECT, related_name="venues"
    )
    floor = models.CharField(_("floor"), max_length=20, validators=[validate_plain_text])
    room = models.CharField(_("room"), max_length=40, validators=[validate_plain_text])
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"), validators=[MinValueValidator(1)])
    equipment = models.TextField(_("equipment"), blank=True, help_text=_("One item per line."))
    accessibility = models.TextField(_("accessibility"), blank=True)
    description = models.TextField(_("description"), blank=True)
    min_minutes = models.PositiveSmallIntegerField(_("shortest booking (minutes)"), default=60)
    max_minutes = models.PositiveSmallIntegerField(_("longest booking (minutes)"), default=240)
    min_days_ahead = models.PositiveSmallIntegerField(_("book at least (days ahead)"), default=1)
    max_days_ahead = models.PositiveSmallIntegerField(_("book at most (days ahead)"), default=30)
    monthly_hours = models.PositiveSmallIntegerField(
        _("hours per organization per month"),
        default=16,
        help_text=_("Pending, approved, held and no-show bookings count; cancelled and rejected ones do not."),
    )
    needs_approval = models.BooleanField(_("staff approve each booking"), default=True)
    cancel_hours = models.PositiveSmallIntegerField(
        _("organizations cancel at least (hours before the start)"), default=24
    )
    active = models.BooleanField(_("open for booking"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = VenueQuerySet.as_manager()
    display_name = localized("name")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="venue_capacity_positive"),
            models.CheckConstraint(
                condition=Q(min_minutes__gte=SLOT_MINUTES, max_minutes__gte=F("min_minutes")),
                name="venue_length_rules_valid",
            ),
            models.CheckConstraint(
                condition=Q(max_days_ahead__gte=F("min_days_ahead")), name="venue_advance_rules_valid"
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("ngo:venue", args=[self.slug])

    @property
    def equipment_list(self):
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]

    def hours_by_weekday(self):
        return {row.weekday: row for row in self.hours.all()}

    def closed_days(self, first, last):
        """{date: reason} for closures and public holidays between first and last (inclusive)."""
        closed = {}
        for closure in self.closures.filter(starts_on__lte=last, ends_on__gte=first):
            day = max(first, closure.starts_on)
            while day <= min(last, closure.ends_on):
                closed[day] = closure.reason
                day += timedelta(days=1)
        for holiday in CalendarDay.objects.filter(kind=CalendarDay.Kind.HOLIDAY, date__range=(first, last)):
            closed.setdefault(holiday.date, holiday.display_name)
        return closed

    def booking_problems(self, *, organization, starts_at, ends_at, attendance, now=None, exclude=None):
        """Every booking rule this request breaks, as messages for the form (empty: it may be booked)."""
        now = now or clock.now()
        problems = []
        if not self.active:
            problems.append(_("This venue is not open for booking."))
        if organization is not None and not organization.is_verified:
            problems.append(_("Only organizations verified by the center can book venues."))
        if ends_at <= starts_at:
            return [*problems, _("The end must be after the start.")]
        start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        minutes = (ends_at - starts_at) // timedelta(minutes=1)
        if minutes < self.min_minutes or minutes > self.max_minutes:
            problems.append(
                lazy_format(
                    _("A booking of this venue lasts from %(min)d to %(max)d minutes; this one lasts %(minutes)d."),
                    {"min": self.min_minutes, "max": self.max_minutes, "minutes": minutes},
                )
            )
        ahead = (start.date() - timezone.localtime(now).date()).days
        if starts_at <= now or ahead < self.min_days_ahead or ahead > self.max_days_ahead:
            problems.append(
                lazy_format(
                    _("This venue is booked from %(min)d to %(max)d days ahead."),
                    {"min": self.min_days_ahead, "max": self.max_days_ahead},
                )
            )
        if attendance is not None and attendance > self.capacity:
            problems.append(
                lazy_format(_("This venue holds at most %(capacity)d people."), {"capacity": self.capacity})
            )
        closed = self.closed_days(start.date(), end.date())
        hours = self.hours_by_weekday().get(start.weekday())
        if start.date() in closed:
            problems.append(
                lazy_format(
                    _("The venue is closed on %(date)s (%(reason)s)."),
                    {"date": start.date().isoformat(), "reason": closed[start.date()]},
                )
            )
        elif hours is None:
            problems.append(lazy_format(_("The venue is closed on %(date)s."), {"date": start.date().isoformat()}))
        elif end.date() != start.date() or start.time() < hours.opens or end.time() > hours.closes:
            problems.append(
                lazy_format(
                    _("On that day the venue is open from %(opens)s to %(closes)s."),
                    {"opens": hours.opens.strftime("%H:%M"), "closes": hours.closes.strftime("%H:%M")},
                )
            )
        if organization is not None and organization.pk:
            used = Booking.minutes_used(organization, self, start.date(), exclude=exclude)
            if used + minutes > self.monthly_hours * 60:
                problems.append(
                    lazy_format(
                        _(
                            "Your organization may book this venue for %(limit)d hours a month; "
                            "%(used)s hours of %(month)s are already booked."
                        ),
                        {
                            "limit": self.monthly_hours,
                            "used": f"{used / 60:g}",
                            "month": start.strftime("%Y-%m"),
                        },
                    )
                )
        clash = Booking.objects.holding().filter(venue=self, starts_at__lt=ends_at, ends_at__gt=starts_at)
        if exclude is not None:
            clash = clash.exclude(pk=exclude.pk)
        clash = clash.order_by("starts_at").first()
        if clash is not None:
            problems.append(clash.taken_message())
        return problems


class VenuePhoto(models.Model):
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="photos")
    image = ResizedImageField(_("photo"), folder="ngo/venues", max_width=1200)
    caption = models.CharField(_("caption (describes the photo)"), max_length=120, validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("venue photo")
        verbose_name_plural = _("venue photos")

    def __str__(self):
        return self.caption


class OpeningHours(models.Model):
    """A weekday the venue is open, from `opens` to `closes`; a weekday without a row is closed."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["venue", "weekday"], name="openinghours_once_per_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="openinghours_closes_after_opening"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="openinghours_weekday_valid"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Days the venue is closed (maintenance, events of the center); public holidays need no row."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(_("reason"), max_length=100, validators=[validate_plain_text])

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.starts_on}–{self.ends_on} {self.reason}"


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: their department's bookings. Organization users: their organizations' bookings."""
        from ngo.models.organizations import Organization

        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.filter(case__in=Case.objects.visible_to(user))
        return self.filter(organization__in=Organization.objects.administered_by(user))

    def holding(self):
        """The bookings that hold their time (the exclusion constraint's rows)."""
        return self.filter(status__in=Booking.HOLDING)

    def held(self, now=None):
        """Bookings that took place: approved or held, and over."""
        return self.filter(
            status__in=[Booking.Status.APPROVED, Booking.Status.COMPLETED], ends_at__lt=now or clock.now()
        )

    def for_list(self):
        return self.select_related("case", "venue", "organization")


class Booking(CaseRecord):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Not decided before the start")
        COMPLETED = "completed", _("Held")
        NO_SHOW = "no_show", _("No-show")

    # The whole workflow; `book()` opens the case (pending, or approved at once where the venue needs no
    # approval). Rules the table cannot say (deadlines, the end of the booking) stay in the methods.
    WORKFLOW = Workflow(
        "ngo.booking",
        Status,
        [
            Move(
                "approve",
                (Status.PENDING,),
                Status.APPROVED,
                _("Approve the booking"),
                STAFF,
                "ngo.decide_booking",
                _("The managing department decides; the organization is told."),
            ),
            Move(
                "reject",
                (Status.PENDING,),
                Status.REJECTED,
                _("Reject the booking"),
                STAFF,
                "ngo.decide_booking",
                _("A reason, which the organization is sent; the case closes."),
            ),
            Move(
                "cancel",
                (Status.PENDING, Status.APPROVED),
                Status.CANCELLED,
                _("Cancel this booking"),
                APPLICANT,
                "",
                _("An administrator of the organization, up to the venue's cancellation deadline before the start."),
            ),
            Move(
                "cancel_by_staff",
                (Status.PENDING, Status.APPROVED),
                Status.CANCELLED,
                _("Cancel the booking (by the center)"),
                STAFF,
                "ngo.decide_booking",
                _("A reason, which the organization is sent; at any time."),
            ),
            Move(
                "record_no_show",
                (Status.APPROVED, Status.COMPLETED),
                Status.NO_SHOW,
                _("Record a no-show"),
                STAFF,
                "ngo.decide_booking",
                _("After the booking has ended; the time still counts against the monthly allowance."),
            ),
            Move(
                "complete",
                (Status.APPROVED,),
                Status.COMPLETED,
                _("Close as held"),
                SYSTEM,
                "",
                _("The nightly sweep, once the booking has ended; the case closes and can be rated."),
            ),
            Move(
                "expire",
                (Status.PENDING,),
                Status.EXPIRED,
                _("Let the booking lapse"),
                SYSTEM,
                "",
                _("The nightly sweep, once the start has passed undecided; the organization is told."),
            ),
        ],
    )
    HOLDING = (Status.PENDING, Status.APPROVED)
    # What counts against the monthly allowance: cancelled, rejected and expired bookings do not.
    COUNTING = (Status.PENDING, Status.APPROVED, Status.COMPLETED, Status.NO_SHOW)

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="booking")
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="bookings")
    organization = models.ForeignKey(
        "ngo.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="bookings"
    )
    booked_by = models.ForeignKey(
        "civiccenter.User", verbose_name=_("booked by"), on_delete=models.PROTECT, related_name="venue_bookings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING, editable=False)
    purpose = models.TextField(
        _("purpose"), max_length=2000, help_text=_("The public-welfare activity you will hold, described.")
    )
    attendance = models.PositiveSmallIntegerField(
        _("expected attendance"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    equipment_needed = models.CharField(_("equipment needed"), max_length=300, blank=True)
    open_to_public = models.BooleanField(_("open to the public"), default=False)
    reason = models.TextField(_("reason given"), blank=True, editable=False)
    reminded = models.BooleanField(_("reminder sent"), default=False, editable=False)
    created_at = models.DateTimeField(_("booked at"), default=clock.now, editable=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("venue booking")
        verbose_name_plural = _("venue bookings")
        permissions = [("decide_booking", _("Can approve, reject, cancel bookings and record no-shows"))]
        indexes = [models.Index(fields=["venue", "starts_at"], name="booking_venue_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"),
            models.CheckConstraint(condition=Q(attendance__gte=1), name="booking_attendance_positive"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "approved", "rejected", "cancelled", "expired", "completed", "no_show"]
                ),
                name="booking_status_valid",
            ),
            # The venue is never double-booked, whatever the concurrency (core types only: no btree_gist).
            ExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    (VenueRange(F("venue_id"), F("venue_id"), Value("[]")), RangeOperators.OVERLAPS),
                    (TimeRange(F("starts_at"), F("ends_at")), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=["pending", "approved"]),
                violation_error_message=_("This time is already booked."),
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.venue} {self.when}"

    def get_absolute_url(self):
        return reverse("ngo:booking", args=[self.pk])

    @property
    def when(self):
        start = timezone.localtime(self.starts_at)
        return f"{start:%Y-%m-%d} {start:%H:%M}–{hm(self.ends_at)}"

    def taken_message(self):
        return lazy_format(
            _("This venue is already booked on %(date)s from %(start)s to %(end)s. Choose another time."),
            {
                "date": timezone.localtime(self.starts_at).date().isoformat(),
                "start": hm(self.starts_at),
                "end": hm(self.ends_at),
            },
        )

    @staticmethod
    def minutes_used(organization, venue, day, exclude=None):
        """Minutes this organization holds or used at this venue in `day`'s calendar month."""
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        rows = Booking.objects.filter(
            organization=organization,
            venue=venue,
            status__in=Booking.COUNTING,
            starts_at__gte=local_dt(first, time.min),
            starts_at__lt=local_dt(following, time.min),
        )
        if exclude is not None:
            rows = rows.exclude(pk=exclude.pk)
        total = rows.aggregate(total=Sum(F("ends_at") - F("starts_at")))["total"]
        return (total or timedelta()) // timedelta(minutes=1)

    # --- Booking -----------------------------------------------------------

    @classmethod
    @in_language_of_record
    def book(
        cls,
        *,
        venue,
        organization,
        by,
        starts_at,
        ends_at,
        purpose,
        attendance,
        equipment_needed="",
        open_to_public=False,
        now=None,
    ):
        """Book for a verified organization the user administers; pending, or approved at once.

        The organization's row is locked so its monthly allowance is counted
        against every booking it is making at the same moment; the venue's time
        is held by the exclusion constraint, whose violation (in a savepoint)
        becomes the message naming the time already taken.
        """
        from ngo.models.organizations import Organization

        with transaction.atomic():
            org = Organization.objects.select_for_update().get(pk=organization.pk)
            if not Organization.objects.administered_by(by).filter(pk=org.pk).exists():
                raise InvalidTransition(_("You can book only for an organization you administer."))
            problems = venue.booking_problems(
                organization=org, starts_at=starts_at, ends_at=ends_at, attendance=attendance, now=now
            )
            if problems:
                raise ValidationError(problems)
            status = cls.Status.PENDING if venue.needs_approval else cls.Status.APPROVED
            note = (
                _("Booking received; the center will approve or reject it before it starts.")
                if venue.needs_approval
                else _("Booked and approved at once: this venue needs no staff approval.")
            )
            case = Case.open_case(
                kind="booking",
                prefix="CD",
                department=venue.department,
                status=status,
                by=by,
                applicant=by,
                contact_name=org.contact_person,
                contact_phone=org.contact_phone,
                contact_email=by.email,
                note=note,
            )
            try:
                with transaction.atomic():
                    booking = cls.objects.create(
                        case=case,
                        venue=venue,
                        organization=org,
                        booked_by=by,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        status=status,
                        purpose=purpose,
                        attendance=attendance,
                        equipment_needed=equipment_needed,
                        open_to_public=open_to_public,
                    )
            except IntegrityError as error:
                clash = (
                    cls.objects.holding()
                    .filter(venue=venue, starts_at__lt=ends_at, ends_at__gt=starts_at)
                    .order_by("starts_at")
                    .first()
                )
                raise ValidationError(
                    clash.taken_message() if clash else _("This time is already booked. Choose another time.")
                ) from error
            case.notify_applicant("ngo/email/booking_received", {"booking": booking}, url=booking.get_absolute_url())
        return booking

    # --- Moves ---------------------------------------------------------------

    def _locked(self):
        return type(self).objects.select_for_update(of=("self",)).select_related("case").get(pk=self.pk)

    def _status_notice(self, new_status, reason=""):
        """The organization's notice of a decision, as `move_case()` keywords."""
        return {
            "notify": "ngo/email/booking_status",
            "notify_context": {"booking": self, "status_label": self.Status(new_status).label, "reason": reason},
        }

    def available_moves(self, user, now=None):
        """What can happen next, for `user`: {move name: Move}, in the table's order.

        Staff get the table's staff moves their permissions allow, the
        organization's administrators theirs; a move the method's rules refuse
        now (a cancellation after the deadline, a no-show before the end) is left out.
        """
        from ngo.models.organizations import Organization

        administered = Organization.objects.administered_by(user) if user.is_authenticated else None
        if user.is_staff:
            moves = self.WORKFLOW.available(self.status, user=user, by=STAFF)
        elif administered is not None and administered.filter(pk=self.organization_id).exists():
            moves = self.WORKFLOW.available(self.status, user=user, by=APPLICANT)
        else:
            return {}
        now = now or clock.now()
        rules = {
            "cancel": lambda: now <= self.cancel_deadline,
            "record_no_show": lambda: self.ends_at <= now,
        }
        return {move.name: move for move in moves if rules.get(move.name, lambda: True)()}

    @in_language_of_record
    def approve(self, *, by):
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("approve", locked.status)
            self.move_case(
                self.Status.APPROVED, by=by, note=_("Booking approved."), **self._status_notice(self.Status.APPROVED)
            )

    @in_language_of_record
    def reject(self, *, by, reason):
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason for the rejection."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("reject", locked.status)
            self.move_case(
                self.Status.REJECTED,
                by=by,
                fields={"reason": reason},
                note=reason,
                close=True,
                **self._status_notice(self.Status.REJECTED, reason),
            )

    @in_language_of_record
    def cancel(self, *, by, now=None):
        """The organization cancels, up to the venue's deadline before the start."""
        now = now or clock.now()
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("cancel", locked.status)
            if now > locked.cancel_deadline:
                raise InvalidTransition(
                    lazy_format(
                        _("Bookings of this venue can be cancelled up to %(hours)d hours before the start."),
                        {"hours": self.venue.cancel_hours},
                    )
                )
            # The organization knows: no notice.
            self.move_case(self.Status.CANCELLED, by=by, note=_("Cancelled by the organization."), close=True)

    @in_language_of_record
    def cancel_by_staff(self, *, by, reason):
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason for the cancellation."))
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("cancel_by_staff", locked.status)
            self.move_case(
                self.Status.CANCELLED,
                by=by,
                fields={"reason": reason},
                note=reason,
                close=True,
                **self._status_notice(self.Status.CANCELLED, reason),
            )

    @in_language_of_record
    def record_no_show(self, *, by, now=None):
        """After the end only; a no-show keeps counting against the monthly allowance."""
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("record_no_show", locked.status)
            if locked.ends_at > (now or clock.now()):
                raise InvalidTransition(_("A no-show can be recorded only after the booking has ended."))
            self.move_case(
                self.Status.NO_SHOW,
                by=by,
                note=_("The organization did not come; the time counts against its monthly allowance."),
                close=locked.case.closed_at is None,  # a held booking's case is already closed
                **self._status_notice(self.Status.NO_SHOW),
            )

    @in_language_of_record
    def complete(self, *, now=None):
        """The sweep closes an approved booking once it has ended, so it can be rated."""
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("complete", locked.status)
            if locked.ends_at > (now or clock.now()):
                raise InvalidTransition(_("The booking has not ended yet."))
            self.move_case(self.Status.COMPLETED, by=None, note=_("The booking has taken place."), close=True)

    @in_language_of_record
    def expire(self, *, now=None):
        with transaction.atomic():
            locked = self._locked()
            self.WORKFLOW.check("expire", locked.status)
            if locked.starts_at > (now or clock.now()):
                raise InvalidTransition(_("The booking has not started yet."))
            self.move_case(
                self.Status.EXPIRED,
                by=None,
                note=_("The booking was not decided before its start; it lapsed."),
                close=True,
                **self._status_notice(self.Status.EXPIRED),
            )

    @property
    def cancel_deadline(self):
        return self.starts_at - timedelta(hours=self.venue.cancel_hours)

    def is_over(self, now=None):
        return self.ends_at < (now or clock.now())


class BookingFeed(models.Model):
    """An organization's private calendar address: calendar apps cannot sign in, so the token is the key."""

    organization = models.OneToOneField(
        "ngo.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="booking_feed"
    )
    token = models.CharField(_("token"), max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("booking calendar address")
        verbose_name_plural = _("booking calendar addresses")

    def __str__(self):
        return str(self.organization)

    def get_absolute_url(self):
        return reverse("ngo:organization-ics", args=[self.token])

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    def reset(self):
        """A new address; the old one stops working at once."""
        self.token = self.new_token()
        self.created_at = clock.now()
        self.save(update_fields=["token", "created_at"])


# --- The nightly sweep ---------------------------------------------------------------


def sweep_bookings(today) -> int:
    """Reminders of tomorrow's approved bookings (once each), and closing bookings whose time has passed.

    Approved bookings that have ended are held (the case closes, so it can be
    rated); pending ones whose start passed undecided lapse.
    """
    tz = timezone.get_current_timezone()
    tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min), tz)
    # Run for a later day (a test, a catch-up), it acts as at that day's first moment.
    now = max(clock.now(), tomorrow - timedelta(days=1))
    count = 0
    due = Booking.objects.filter(
        status=Booking.Status.APPROVED,
        reminded=False,
        starts_at__gte=tomorrow,
        starts_at__lt=tomorrow + timedelta(days=1),
    ).select_related("case", "venue", "organization", "booked_by")
    for booking in due:
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, reminded=False).update(reminded=True):
                booking.case.notify_applicant(
                    "ngo/email/booking_reminder", {"booking": booking}, url=booking.get_absolute_url()
                )
                count += 1
    ended = Booking.objects.filter(status=Booking.Status.APPROVED, ends_at__lte=now).select_related("case", "venue")
    for booking in ended:
        try:
            booking.complete(now=now)
            count += 1
        except InvalidTransition:
            pass
    lapsed = Booking.objects.filter(status=Booking.Status.PENDING, starts_at__lte=now).select_related("case", "venue")
    for booking in lapsed:
        try:
            booking.expire(now=now)
            count += 1
        except InvalidTransition:
            pass
    return count


register_kind("booking", Booking.Status, _("Venue booking"))
