"""Appointments at a department's window, with a reminder the day before."""

from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition, new_query_code
from civiccenter.lib import clock
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, Notification
from civiccenter.stateful import StatefulModel, log_status
from civiccenter.workflow import APPLICANT, Move, Workflow
from licensing.models.catalogue import Matter


class WindowSlotQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(department__in=Department.objects.visible_to(user))

    def upcoming(self, now=None):
        return self.filter(starts_at__gt=now or clock.now())

    def bookable(self, now=None):
        return self.upcoming(now).filter(booked__lt=models.F("capacity"))


class WindowSlot(models.Model):
    """A time at a department's window, with room for `capacity` appointments."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="slots"
    )
    window = models.CharField(_("window"), max_length=50, validators=[validate_plain_text])
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=2)
    # Kept by Appointment.book/cancel with a single UPDATE; the CHECK below makes
    # overbooking impossible whatever the concurrency.
    booked = models.PositiveSmallIntegerField(_("booked"), default=0, editable=False)

    objects = WindowSlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "window"]
        verbose_name = _("window slot")
        verbose_name_plural = _("window slots")
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=models.F("capacity")), name="windowslot_never_overbooked"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="windowslot_capacity_positive"),
            models.UniqueConstraint(fields=["department", "window", "starts_at"], name="windowslot_unique_time"),
        ]

    def __str__(self):
        return f"{self.department} {self.window} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def places_left(self):
        return self.capacity - self.booked


class Appointment(StatefulModel):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    WORKFLOW = Workflow(
        "licensing.appointment",
        Status,
        [Move("cancel", (Status.BOOKED,), Status.CANCELLED, label=_("Cancel the appointment"), by=APPLICANT)],
    )

    slot = models.ForeignKey(WindowSlot, verbose_name=_("time"), on_delete=models.PROTECT, related_name="appointments")
    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.PROTECT)
    user = models.ForeignKey(
        "civiccenter.User", verbose_name=_("booked by"), on_delete=models.CASCADE, related_name="appointments"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.BOOKED, editable=False)
    code = models.CharField(_("appointment code"), max_length=8, default=new_query_code, editable=False)
    reminded = models.BooleanField(_("reminder sent"), default=False, editable=False)
    created_at = models.DateTimeField(_("booked at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["slot__starts_at"]
        verbose_name = _("window appointment")
        verbose_name_plural = _("window appointments")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["booked", "cancelled"]), name="appointment_status_valid"),
            # One live booking per person and time.
            models.UniqueConstraint(
                fields=["slot", "user"], condition=Q(status="booked"), name="appointment_one_per_person_and_slot"
            ),
        ]

    def __str__(self):
        return f"{self.slot} · {self.user}"

    @classmethod
    def book(cls, *, slot, matter, by, now=None):
        """Take a place, if one is left: the UPDATE only succeeds while booked < capacity."""
        now = now or clock.now()
        if matter.department_id != slot.department_id:
            raise InvalidTransition(_("This window does not handle that matter."))
        if slot.starts_at <= now:
            raise InvalidTransition(_("This time has passed."))
        with transaction.atomic():
            taken = WindowSlot.objects.filter(pk=slot.pk, booked__lt=models.F("capacity")).update(
                booked=models.F("booked") + 1
            )
            if not taken:
                raise InvalidTransition(_("This time is fully booked. Please choose another."))
            try:
                with transaction.atomic():
                    appointment = cls.objects.create(slot=slot, matter=matter, user=by)
                    log_status(appointment, by=by)
            except IntegrityError as error:
                raise InvalidTransition(_("You already have an appointment at this time.")) from error
            Notification.queue(
                recipient=by,
                template="licensing/email/appointment",
                context={"appointment": appointment},
                url=reverse("licensing:appointments"),
            )
        return appointment

    def cancel(self, *, by):
        with transaction.atomic():
            self.move("cancel", by=by)  # locked and checked: a second cancellation gives no place back
            WindowSlot.objects.filter(pk=self.slot_id).update(booked=models.F("booked") - 1)


def sweep_appointment_reminders(today) -> int:
    """The day before: a reminder to everyone with an appointment tomorrow."""
    from datetime import datetime, time

    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min), tz)
    due = Appointment.objects.filter(
        status=Appointment.Status.BOOKED,
        reminded=False,
        slot__starts_at__gte=start,
        slot__starts_at__lt=start + timedelta(days=1),
    ).select_related("slot", "user", "matter")
    count = 0
    for appointment in due:
        with transaction.atomic():
            if Appointment.objects.filter(pk=appointment.pk, reminded=False).update(reminded=True):
                Notification.queue(
                    recipient=appointment.user,
                    template="licensing/email/appointment_reminder",
                    context={"appointment": appointment},
                    url=reverse("licensing:appointments"),
                )
                count += 1
    return count
