"""NGO development: activities, achievements and the center's news of exchanges among organizations.

Administrators of verified organizations publish activities and achievements;
a moderator approves them (or returns them with a reason) before the public
sees them. Citizens register for activities whose registration is open: one
registration per person (a partial UNIQUE), and the capacity is held by a
CHECK on a counter kept under the activity's row lock, so concurrent
registrations can never overfill it. Registration closes when the activity
starts. Registrants' names and phones are shown only to the administrators of
the organization that runs the activity.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record, lazy_format
from civiccenter.lib.uploads import ResizedImageField, thumbnail
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Notification
from civiccenter.stateful import StatefulModel, log_status
from civiccenter.workflow import APPLICANT, STAFF, Move, Workflow
from ngo.models.organizations import Organization

__all__ = [
    "Activity",
    "ActivityPhoto",
    "ActivityRegistration",
    "Achievement",
    "AchievementPhoto",
    "NewsItem",
    "sweep_activity_reminders",
]

THUMBNAIL_SIDE = 480


def publishing_organizations(user):
    """The organizations `user` may publish for: verified ones they administer."""
    return Organization.objects.verified().administered_by(user).distinct()


def check_publisher(organization, user):
    """Only an administrator of a verified organization publishes for it (the verification gate)."""
    if not organization.is_verified:
        raise InvalidTransition(
            lazy_format(
                _("%(organization)s is not verified yet; only verified organizations publish."),
                {"organization": organization.name},
            )
        )
    if not Organization.objects.administered_by(user).filter(pk=organization.pk).exists():
        raise InvalidTransition(
            lazy_format(
                _("Only the administrators of %(organization)s publish for it."), {"organization": organization.name}
            )
        )


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ModerationStatus.PUBLISHED)

    def awaiting_moderation(self):
        return self.filter(status=ModerationStatus.PENDING)

    def administered_by(self, user):
        """What the organizations `user` administers have written, in every state."""
        return self.filter(organization__in=Organization.objects.administered_by(user).values("pk"))


def moderation_workflow(name, permission):
    """The table of what activities and achievements share: submitted, then published or returned.

    A returned item is edited and submitted again; a published one is not changed (the change would reach
    the public unmoderated). Creation (`submit` of a new item) logs the first status, pending.
    """
    S = ModerationStatus
    return Workflow(
        name,
        S,
        [
            Move(
                "submit",
                (S.PENDING, S.RETURNED),
                S.PENDING,
                label=_("Submit for moderation"),
                by=APPLICANT,
                requires=_("An administrator of a verified organization; a published item is no longer changed"),
            ),
            Move(
                "approve",
                (S.PENDING,),
                S.PUBLISHED,
                label=_("Approve and publish"),
                by=STAFF,
                permission=permission,
            ),
            Move(
                "return_for_changes",
                (S.PENDING,),
                S.RETURNED,
                label=_("Return for changes"),
                by=STAFF,
                permission=permission,
                requires=_("What the organization should change"),
            ),
        ],
    )


class Moderated(StatefulModel):
    """What activities and achievements share: the organization, moderation and who did what.

    Each subclass declares its `WORKFLOW` (`moderation_workflow`); only `submit`, `approve` and
    `return_for_changes` move it.
    """

    Status = ModerationStatus
    NOTICE = "ngo/email/activity"  # the e-mail templates' prefix; each subclass names its own

    title = models.CharField(_("title"), max_length=120, validators=[validate_plain_text])
    status = models.CharField(
        _("status"), max_length=10, choices=ModerationStatus, default=ModerationStatus.PENDING, editable=False
    )
    return_reason = models.TextField(_("what to change"), blank=True, editable=False)
    submitted_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now, editable=False)
    moderated_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def editable_by_organization(self):
        """Published items are not edited: a change would reach the public unmoderated."""
        return self.status in (self.Status.PENDING, self.Status.RETURNED)

    @in_language_of_record
    def submit(self, *, by, photos=()):
        """Save a new or changed item with its new photos, for the moderators.

        The publisher must pass the gate (an administrator of a verified
        organization). A returned item goes back to the queue; a published one
        is not changed here, since the change would reach the public unmoderated.
        """
        check_publisher(self.organization, by)
        now = clock.now()
        with transaction.atomic():
            created = self.pk is None
            if created:  # a new item starts pending (the field's default)
                self.submitted_by, self.submitted_at = by, now
            else:
                self.move("submit", by=by, fields={"submitted_by": by, "submitted_at": now})
            self.save()
            if created:
                log_status(self, move="submit", by=by)
            for photo in photos:
                self.photos.create(image=photo)

    submit.alters_data = True

    @in_language_of_record
    def approve(self, *, by):
        with transaction.atomic():
            self.move("approve", by=by, fields={"moderated_by": by, "published_at": clock.now(), "return_reason": ""})
            self._notify("approved")

    approve.alters_data = True

    @in_language_of_record
    def return_for_changes(self, *, by, reason):
        if not (reason or "").strip():
            raise InvalidTransition(_("Say what the organization should change."))
        reason = reason.strip()
        with transaction.atomic():
            self.move("return_for_changes", by=by, note=reason, fields={"moderated_by": by, "return_reason": reason})
            self._notify("returned")

    return_for_changes.alters_data = True

    def _notify(self, what):
        if self.submitted_by_id is None:
            return
        Notification.queue(
            recipient=self.submitted_by,
            template=f"{self.NOTICE}_{what}",
            context={"item": self, "organization": self.organization},
            url=self.get_absolute_url() if self.is_published else reverse("ngo:development-mine"),
        )


class ActivityQuerySet(ModeratedQuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or clock.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or clock.now())

    def for_list(self):
        """Each card: the organization and the first photo's thumbnail, in a fixed number of queries."""
        return self.select_related("organization").prefetch_related(
            Prefetch("photos", queryset=ActivityPhoto.objects.order_by("pk"))
        )


class Activity(Moderated):
    NOTICE = "ngo/email/activity"
    WORKFLOW = moderation_workflow("ngo.activity", "ngo.moderate_activity")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="activities"
    )
    booking = models.ForeignKey(
        "ngo.Booking",
        verbose_name=_("booked venue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("One of the organization's approved bookings; its venue and time become the activity's."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[validate_plain_text])
    description = models.TextField(_("description"), max_length=5000)
    registration_open = models.BooleanField(_("open registration for citizens"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    # Kept by register/cancel under the activity's row lock; the CHECK below holds whatever the concurrency.
    registered = models.PositiveSmallIntegerField(_("registered"), default=0, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        permissions = [("moderate_activity", _("Can approve or return activities"))]
        indexes = [
            models.Index(fields=["starts_at"], name="activity_published_idx", condition=Q(status="published")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "returned", "published"]), name="activity_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=False) | ~Q(status="published"), name="activity_published_has_date"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=~Q(place=""), name="activity_has_place"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="activity_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(registered__lte=F("capacity")), name="activity_never_overfull"
            ),
        ]

    def get_absolute_url(self):
        return reverse("ngo:activity", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The activity must end after it starts.")}, code="ends_before_start")
        if self.capacity is not None and self.capacity < self.registered:
            raise ValidationError(
                {"capacity": _("%(count)d people are already registered.") % {"count": self.registered}},
                code="below_registered",
            )

    def take_booking(self, booking):
        """The booked venue and time become the activity's place and time (in the language of record)."""
        venue = booking.venue
        self.booking = booking
        self.starts_at, self.ends_at = booking.starts_at, booking.ends_at
        self.place = f"{settings.CENTER[settings.LANGUAGE_CODE]['name']} {venue.name}（{venue.floor} {venue.room}）"

    @property
    def places_left(self):
        return None if self.capacity is None else self.capacity - self.registered

    @property
    def first_photo(self):
        photos = list(self.photos.all())
        return photos[0] if photos else None

    def accepts_registrations(self, now=None):
        return self.is_published and self.registration_open and self.starts_at > (now or clock.now())

    def is_over(self, now=None):
        return self.ends_at < (now or clock.now())

    @in_language_of_record
    def register(self, *, by, now=None):
        """A place for `by`, if one is left and the activity has not started.

        The activity's row is locked first, so registrations and cancellations of
        one activity are serialised and the counter is exact; the CHECK on it and
        the partial UNIQUE on live registrations hold even if this were bypassed.
        """
        now = now or clock.now()
        with transaction.atomic():
            locked = Activity.objects.select_for_update().get(pk=self.pk)
            if not locked.accepts_registrations(now):
                raise InvalidTransition(_("Registration for this activity is closed."))
            if locked.capacity is not None and locked.registered >= locked.capacity:
                raise InvalidTransition(_("The activity is full."))
            try:
                with transaction.atomic():
                    registration = ActivityRegistration.objects.create(activity=locked, user=by)
            except IntegrityError as error:
                raise InvalidTransition(_("You are already registered for this activity.")) from error
            log_status(registration, by=by)
            Activity.objects.filter(pk=locked.pk).update(registered=F("registered") + 1)
            Notification.queue(
                recipient=by,
                template="ngo/email/activity_registered",
                context={"activity": locked},
                url=locked.get_absolute_url(),
            )
        self.refresh_from_db(fields=["registered"])
        return registration

    register.alters_data = True

    def registrants(self):
        return self.registrations.filter(status=ActivityRegistration.Status.REGISTERED).select_related("user")


class PhotoBase(models.Model):
    """A photo re-encoded without its metadata, and a thumbnail for lists."""

    image = ResizedImageField(_("photo"), folder="ngo/development", max_width=1600)
    thumbnail = models.FileField(_("thumbnail"), upload_to="ngo/development/thumbs", blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=120, blank=True, validators=[validate_plain_text])

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.image and not self.thumbnail:
            suffix = ".jpg" if self.image.name.lower().endswith(".jpg") else ".png"
            name = self.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            self.thumbnail.save(f"{name}{suffix}", thumbnail(self.image, THUMBNAIL_SIDE), save=False)
            type(self).objects.filter(pk=self.pk).update(thumbnail=self.thumbnail.name)

    @property
    def thumbnail_url(self):
        return (self.thumbnail or self.image).url


class ActivityPhoto(PhotoBase):
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self):
        return self.caption or f"{self.activity} #{self.pk}"


class ActivityRegistration(StatefulModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CANCELLED = "cancelled", _("Cancelled")

    WORKFLOW = Workflow(
        "ngo.activityregistration",
        Status,
        [
            Move(
                "cancel",
                (Status.REGISTERED,),
                Status.CANCELLED,
                label=_("Cancel the registration"),
                by=APPLICANT,
                requires=_("By the person registered, before the activity starts; the place is given back."),
            ),
        ],
    )

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="activity_registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.REGISTERED, editable=False)
    reminded = models.BooleanField(_("reminder sent"), default=False, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=clock.now, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("activity registration")
        verbose_name_plural = _("activity registrations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["registered", "cancelled"]), name="activity_registration_status_valid"
            ),
            # One live registration per person and activity; a cancelled one may be followed by a new one.
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=Q(status="registered"),
                name="activity_registration_once_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.user}"

    @in_language_of_record
    def cancel(self, *, by, now=None):
        """The registrant gives the place back, until the activity starts."""
        if by.pk != self.user_id:
            raise InvalidTransition(_("Only the person registered can cancel this registration."))
        with transaction.atomic():
            activity = Activity.objects.select_for_update().get(pk=self.activity_id)
            current = type(self).objects.select_for_update().get(pk=self.pk)
            self.WORKFLOW.check("cancel", current.status)
            if activity.starts_at <= (now or clock.now()):
                raise InvalidTransition(_("The activity has started; the registration can no longer be cancelled."))
            self.move("cancel", by=by, fields={"cancelled_at": clock.now()}, lock=False)
            Activity.objects.filter(pk=activity.pk).update(registered=F("registered") - 1)

    cancel.alters_data = True


class AchievementQuerySet(ModeratedQuerySet):
    def featured(self):
        return self.published().filter(featured=True)

    def for_list(self):
        return self.select_related("organization", "activity").prefetch_related(
            Prefetch("photos", queryset=AchievementPhoto.objects.order_by("pk"))
        )


class Achievement(Moderated):
    NOTICE = "ngo/email/activity_achievement"
    WORKFLOW = moderation_workflow("ngo.achievement", "ngo.moderate_achievement")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="achievements"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="achievements",
        help_text=_("The activity this story comes from, if there is one."),
    )
    story = models.TextField(_("story"), max_length=10000)
    featured = models.BooleanField(_("featured on the NGO page"), default=False, editable=False)

    objects = AchievementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-submitted_at", "-pk"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        permissions = [
            ("moderate_achievement", _("Can approve or return achievements")),
            ("feature_achievement", _("Can feature achievements on the NGO page")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "returned", "published"]), name="achievement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=False) | ~Q(status="published"),
                name="achievement_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(featured=False) | Q(status="published"), name="achievement_featured_is_published"
            ),
        ]

    def get_absolute_url(self):
        return reverse("ngo:achievement", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.activity_id and self.organization_id and self.activity.organization_id != self.organization_id:
            raise ValidationError({"activity": _("Choose one of the organization's own activities.")}, code="other_org")

    @property
    def first_photo(self):
        photos = list(self.photos.all())
        return photos[0] if photos else None

    def set_featured(self, featured, *, by):
        """Staff feature outstanding achievements on the NGO page; only published ones (also a CHECK)."""
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if featured and current.status != self.Status.PUBLISHED:
                raise InvalidTransition(_("Only a published achievement can be featured."))
            self.featured = featured
            self.save(update_fields=["featured"])

    set_featured.alters_data = True


class AchievementPhoto(PhotoBase):
    achievement = models.ForeignKey(
        Achievement, verbose_name=_("achievement"), on_delete=models.CASCADE, related_name="photos"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("achievement photo")
        verbose_name_plural = _("achievement photos")

    def __str__(self):
        return self.caption or f"{self.achievement} #{self.pk}"


class NewsQuerySet(models.QuerySet):
    def published(self, today=None):
        return self.filter(published=True, date__lte=today or clock.today())


class NewsItem(models.Model):
    """News of exchange events among organizations, written by the center's content editors."""

    title = models.CharField(_("title"), max_length=150, validators=[validate_plain_text])
    date = models.DateField(_("date"), default=clock.today)
    body = models.TextField(_("text"))
    photo = ResizedImageField(_("photo"), folder="ngo/news", blank=True, max_width=1600)
    photo_caption = models.CharField(_("photo caption"), max_length=120, blank=True, validators=[validate_plain_text])
    published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(
        "civiccenter.User", verbose_name=_("written by"), on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = NewsQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("NGO news item")
        verbose_name_plural = _("NGO news")
        indexes = [models.Index(fields=["-date", "-id"], name="ngo_news_published", condition=Q(published=True))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ngo:news-item", args=[self.pk])


def sweep_activity_reminders(today) -> int:
    """The day before: a reminder to everyone registered for a published activity tomorrow, once."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min), tz)
    due = ActivityRegistration.objects.filter(
        status=ActivityRegistration.Status.REGISTERED,
        reminded=False,
        activity__status=ModerationStatus.PUBLISHED,
        activity__starts_at__gte=start,
        activity__starts_at__lt=start + timedelta(days=1),
    ).select_related("activity", "user")
    count = 0
    for registration in due:
        with transaction.atomic():
            if ActivityRegistration.objects.filter(pk=registration.pk, reminded=False).update(reminded=True):
                Notification.queue(
                    recipient=registration.user,
                    template="ngo/email/activity_reminder",
                    context={"activity": registration.activity},
                    url=registration.activity.get_absolute_url(),
                )
                count += 1
    return count
