"""Policy lectures: registration with a capacity the database holds, a waitlist, reminders, calendar files."""

from datetime import datetime, time, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.ical import CalendarEvent, calendar
from civiccenter.lib.uploads import CheckedFileField
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, DepartmentScopedQuerySet, Notification
from civiccenter.stateful import StatefulModel, log_status
from civiccenter.workflow import APPLICANT, SYSTEM, Move, Workflow


class LectureQuerySet(DepartmentScopedQuerySet):
    def published(self):
        return self.filter(published=True)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or clock.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or clock.now())


class Lecture(models.Model):
    title = models.CharField(_("title"), max_length=150, validators=[validate_plain_text])
    topic = models.CharField(_("policy topic"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(_("description"), blank=True)
    speaker = models.CharField(_("speaker"), max_length=150, validators=[validate_plain_text])
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="lectures"
    )
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_plain_text])
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=50)
    # Kept by register/cancel under the lecture's row lock; the CHECK below holds whatever the concurrency.
    registered = models.PositiveSmallIntegerField(_("registered"), default=0, editable=False)
    materials = CheckedFileField(_("materials"), folder="consultation/lectures", kinds=("pdf",), blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Published after the lecture."))
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = LectureQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("policy lecture")
        verbose_name_plural = _("policy lectures")
        constraints = [
            models.CheckConstraint(condition=Q(registered__lte=F("capacity")), name="lecture_never_overbooked"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="lecture_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="lecture_ends_after_start"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(online_url=""), name="lecture_has_place_or_link"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:lecture", args=[self.pk])

    @property
    def places_left(self):
        return self.capacity - self.registered

    def is_over(self, now=None):
        return self.ends_at < (now or clock.now())

    def is_open(self, now=None):
        return self.published and self.starts_at > (now or clock.now())

    def ics(self, site_url=""):
        """An iCalendar (RFC 5545) event, for "add to my calendar"."""
        event = CalendarEvent(
            uid=f"lecture-{self.pk}@civiccenter",
            start=self.starts_at,
            end=self.ends_at,
            summary=self.title,
            description=f"{self.topic} · {self.speaker}",
            location=self.place or self.online_url,
            url=f"{site_url}{self.get_absolute_url()}",
        )
        return calendar([event], product="Policy lectures")


class Registration(StatefulModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    WORKFLOW = Workflow(
        "consultation.registration",
        Status,
        [
            Move(
                "cancel",
                (Status.REGISTERED, Status.WAITLISTED),
                Status.CANCELLED,
                label=_("Cancel the registration"),
                by=APPLICANT,
                requires=_("Before the lecture starts; the first person waiting moves up."),
            ),
            Move(
                "promote",
                (Status.WAITLISTED,),
                Status.REGISTERED,
                label=_("Move up from the waiting list"),
                by=SYSTEM,
                requires=_("A place given back by a cancellation."),
            ),
        ],
    )

    lecture = models.ForeignKey(
        Lecture, verbose_name=_("lecture"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        "civiccenter.User", verbose_name=_("person"), on_delete=models.CASCADE, related_name="lecture_registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, editable=False)
    reminded = models.BooleanField(_("reminder sent"), default=False, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("lecture registration")
        verbose_name_plural = _("lecture registrations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["registered", "waitlisted", "cancelled"]), name="registration_status_valid"
            ),
            # One live registration (or waitlist place) per person and lecture.
            models.UniqueConstraint(
                fields=["lecture", "user"],
                condition=Q(status__in=["registered", "waitlisted"]),
                name="registration_once_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.lecture} · {self.user}"

    @classmethod
    def register(cls, *, lecture, by, now=None):
        """A place if one is left, else a place on the waiting list.

        The lecture's row is locked first, so registrations and cancellations of
        one lecture are serialised: no place is lost between a full check and a
        cancellation, and `registered <= capacity` is also a CHECK constraint.
        """
        now = now or clock.now()
        with transaction.atomic():
            locked = Lecture.objects.select_for_update().get(pk=lecture.pk)
            if not locked.is_open(now):
                raise InvalidTransition(_("Registration for this lecture is closed."))
            if cls.objects.filter(lecture=locked, user=by, status__in=["registered", "waitlisted"]).exists():
                raise InvalidTransition(_("You are already registered for this lecture."))
            full = locked.registered >= locked.capacity
            try:
                with transaction.atomic():
                    registration = cls.objects.create(
                        lecture=locked, user=by, status=cls.Status.WAITLISTED if full else cls.Status.REGISTERED
                    )
            except IntegrityError as error:
                raise InvalidTransition(_("You are already registered for this lecture.")) from error
            log_status(registration, by=by)
            if not full:
                Lecture.objects.filter(pk=locked.pk).update(registered=F("registered") + 1)
            Notification.queue(
                recipient=by,
                template="consultation/email/lecture_registered",
                context={"lecture": locked, "registration": registration},
                url=locked.get_absolute_url(),
            )
        lecture.refresh_from_db(fields=["registered"])
        return registration

    def cancel(self, *, by, now=None):
        """Give the place back; the first person waiting moves up and is told."""
        with transaction.atomic():
            lecture = Lecture.objects.select_for_update().get(pk=self.lecture_id)
            current = type(self).objects.select_for_update().get(pk=self.pk)
            self.WORKFLOW.check("cancel", current.status)
            if lecture.starts_at <= (now or clock.now()):
                raise InvalidTransition(_("The lecture has started; it can no longer be cancelled."))
            self.move("cancel", by=by)
            if current.status == self.Status.REGISTERED:
                waiting = (
                    type(self)
                    .objects.filter(lecture=lecture, status=self.Status.WAITLISTED)
                    .order_by("created_at", "pk")
                    .select_related("user")
                    .first()
                )
                if waiting is None:
                    Lecture.objects.filter(pk=lecture.pk).update(registered=F("registered") - 1)
                else:
                    waiting.promote(lecture=lecture)

    def promote(self, *, lecture, by=None):
        """A place was given back (the lecture's row is locked by the caller): the first person waiting is told."""
        self.move("promote", by=by)
        Notification.queue(
            recipient=self.user,
            template="consultation/email/lecture_promoted",
            context={"lecture": lecture},
            url=lecture.get_absolute_url(),
        )


def sweep_lecture_reminders(today) -> int:
    """The day before: a reminder to everyone registered for a lecture tomorrow, once."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min), tz)
    due = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        reminded=False,
        lecture__starts_at__gte=start,
        lecture__starts_at__lt=start + timedelta(days=1),
    ).select_related("lecture", "user")
    count = 0
    for registration in due:
        with transaction.atomic():
            if Registration.objects.filter(pk=registration.pk, reminded=False).update(reminded=True):
                Notification.queue(
                    recipient=registration.user,
                    template="consultation/email/lecture_reminder",
                    context={"lecture": registration.lecture},
                    url=registration.lecture.get_absolute_url(),
                )
                count += 1
    return count
