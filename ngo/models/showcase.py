"""The citizen showcase (市民才艺展示): works citizens submit, moderated, shown in a gallery and in exhibitions.

A work is published only with the author's separate, unticked consent (PIPL
Art. 25, prc-rules.md §10) and after a moderator approves it; the author may
withdraw it at any time. Images go through the shared upload checks
(`civiccenter.lib.uploads`): checked by content, decompression bombs refused,
re-encoded upright without metadata (no GPS position survives), and two
thumbnails (320 and 800 px) made when the image is saved, so the gallery
serves small files with `srcset`. A performance is a video link (https only)
instead of images.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record
from civiccenter.lib.scrub import mask_name
from civiccenter.lib.uploads import ResizedImageField, thumbnail
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Notification, User
from civiccenter.stateful import StatefulModel, log_status
from civiccenter.workflow import APPLICANT, STAFF, Move, Workflow

__all__ = ["Exhibition", "ExhibitionEntry", "Work", "WorkImage"]

THUMB_SIZES = (320, 800)
MAX_IMAGES = 6


class WorkQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Work.Status.APPROVED)

    def of(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(author=user)

    def for_gallery(self):
        """Approved works with their first image, in two queries whatever the number of works."""
        first = WorkImage.objects.order_by("order", "pk")
        return (
            self.approved()
            .select_related("author")
            .prefetch_related(models.Prefetch("images", queryset=first, to_attr="gallery_images"))
        )


class Work(StatefulModel):
    class Category(models.TextChoices):
        PAINTING = "painting", _("Painting")
        CALLIGRAPHY = "calligraphy", _("Calligraphy")
        PHOTOGRAPHY = "photography", _("Photography")
        HANDICRAFT = "handicraft", _("Handicraft")
        WRITING = "writing", _("Writing")
        PERFORMANCE = "performance", _("Performance (video link)")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Published")
        RETURNED = "returned", _("Returned to the author")
        WITHDRAWN = "withdrawn", _("Withdrawn by the author")

    # `submit` (a new work) logs the first status, pending.
    WORKFLOW = Workflow(
        "ngo.work",
        Status,
        [
            Move(
                "approve",
                (Status.PENDING,),
                Status.APPROVED,
                label=_("Approve and publish"),
                by=STAFF,
                permission="ngo.moderate_work",
                requires=_("The author's consent to publish; at least one image, or a performance's video link"),
            ),
            Move(
                "return_to_author",
                (Status.PENDING, Status.APPROVED),
                Status.RETURNED,
                label=_("Return to the author"),
                by=STAFF,
                permission="ngo.moderate_work",
                requires=_("The reason, so the author can correct the work"),
            ),
            Move(
                "resubmit",
                (Status.RETURNED,),
                Status.PENDING,
                label=_("Resubmit for moderation"),
                by=APPLICANT,
                requires=_("The author, after correcting the work"),
            ),
            Move(
                "withdraw",
                (Status.PENDING, Status.RETURNED, Status.APPROVED),
                Status.WITHDRAWN,
                label=_("Withdraw the work"),
                by=APPLICANT,
                requires=_("The author, at any time (the consent is withdrawn with it)"),
            ),
        ],
    )

    author = models.ForeignKey(User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="showcase_works")
    category = models.CharField(_("category"), max_length=12, choices=Category)
    title = models.CharField(_("title"), max_length=100, validators=[validate_plain_text])
    description = models.TextField(_("description"), max_length=2000)
    video_url = models.URLField(
        _("video link"),
        blank=True,
        validators=[URLValidator(schemes=["https"], message=_("Give an https address (beginning with https://)."))],
        help_text=_("For a performance: the https address of the video."),
    )
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, editable=False, db_index=True
    )
    return_reason = models.TextField(_("reason for returning"), blank=True, editable=False)
    moderated_by = models.ForeignKey(
        User, verbose_name=_("moderated by"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=clock.now, editable=False)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("showcase work")
        verbose_name_plural = _("showcase works")
        permissions = [("moderate_work", _("Can approve or return showcase works"))]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="showcase_work_gallery", condition=Q(status="approved")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "returned", "withdrawn"]),
                name="showcase_work_status_valid",
            ),
            # Published only with the author's separate consent (PIPL Art. 25).
            models.CheckConstraint(
                condition=~Q(status="approved") | (Q(consent_to_publish=True) & Q(published_at__isnull=False)),
                name="showcase_work_published_with_consent",
            ),
            models.CheckConstraint(
                condition=~Q(category="performance") | ~Q(video_url=""), name="showcase_work_performance_has_video"
            ),
            models.CheckConstraint(
                condition=Q(video_url="") | Q(video_url__startswith="https://"), name="showcase_work_video_https"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="showcase_work_returned_has_reason"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ngo:showcase-work", args=[self.pk])

    def clean(self):
        super().clean()
        if self.category == self.Category.PERFORMANCE and not self.video_url:
            raise ValidationError({"video_url": _("A performance is shown by its video link: give it.")})

    @property
    def author_name(self):
        return mask_name(self.author.full_name)

    @property
    def cover(self):
        images = getattr(self, "gallery_images", None)
        if images is None:
            images = list(self.images.all())
        return images[0] if images else None

    @property
    def can_edit(self):
        return self.status in (self.Status.PENDING, self.Status.RETURNED)

    @property
    def can_withdraw(self):
        return self.WORKFLOW.can("withdraw", self.status)

    # Transitions -------------------------------------------------------------------

    def _take(self, name, *, by, note="", notify=None, fields=None):
        """Take the move `name` under the row lock (the table checks it), then tell the author if `notify`."""
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            self.WORKFLOW.check(name, locked.status)
            if name == "approve":
                # Published only with the author's separate consent (PIPL Art. 25).
                if not locked.consent_to_publish:
                    raise InvalidTransition(_("The author has not agreed to publication."))
                if locked.category != self.Category.PERFORMANCE and not locked.images.exists():
                    raise InvalidTransition(_("A work other than a performance needs at least one image."))
            locked.move(name, by=by, note=note, fields=fields, lock=False)
            if notify:
                Notification.queue(
                    recipient=locked.author, template=notify, context={"work": locked}, url=locked.get_absolute_url()
                )
        for field in locked._meta.concrete_fields:
            setattr(self, field.attname, getattr(locked, field.attname))

    def submit(self, *, by):
        """Store a new work of `by`, waiting for moderation (its images are added by the caller)."""
        with transaction.atomic():
            self.author = by  # a new work starts pending (the field's default)
            self.save()
            log_status(self, move="submit", by=by)

    submit.alters_data = True

    @in_language_of_record
    def approve(self, *, by):
        now = clock.now()
        self._take(
            "approve",
            by=by,
            notify="ngo/email/showcase_approved",
            fields={"return_reason": "", "moderated_by": by, "moderated_at": now, "published_at": now},
        )

    approve.alters_data = True

    @in_language_of_record
    def return_to_author(self, *, by, reason):
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason, so the author can correct the work."))
        self._take(
            "return_to_author",
            by=by,
            note=reason,
            notify="ngo/email/showcase_returned",
            fields={"return_reason": reason, "moderated_by": by, "moderated_at": clock.now(), "published_at": None},
        )

    return_to_author.alters_data = True

    @in_language_of_record
    def resubmit(self, *, by):
        if by.pk != self.author_id:
            raise InvalidTransition(_("Only the author can do this."))
        self._take("resubmit", by=by)

    resubmit.alters_data = True

    @in_language_of_record
    def withdraw(self, *, by):
        """The author withdraws the work (and so the consent): it leaves the gallery and the exhibitions at once."""
        if by.pk != self.author_id:
            raise InvalidTransition(_("Only the author can do this."))
        self._take("withdraw", by=by, fields={"published_at": None})

    withdraw.alters_data = True


class WorkImage(models.Model):
    work = models.ForeignKey(Work, verbose_name=_("work"), on_delete=models.CASCADE, related_name="images")
    image = ResizedImageField(_("image"), folder="ngo/showcase", max_width=1600, max_bytes=10 * 1024 * 1024)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    small = models.FileField(_("small thumbnail"), upload_to="ngo/showcase/thumbs", blank=True, editable=False)
    small_width = models.PositiveIntegerField(_("small thumbnail width"), default=0, editable=False)
    small_height = models.PositiveIntegerField(_("small thumbnail height"), default=0, editable=False)
    medium = models.FileField(_("medium thumbnail"), upload_to="ngo/showcase/thumbs", blank=True, editable=False)
    medium_width = models.PositiveIntegerField(_("medium thumbnail width"), default=0, editable=False)
    medium_height = models.PositiveIntegerField(_("medium thumbnail height"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("image of a work")
        verbose_name_plural = _("images of works")

    def __str__(self):
        return self.image.name

    def save(self, *args, **kwargs):
        """Store the checked image, then make its thumbnails from the stored (already clean) copy."""
        fresh = bool(self.image) and not self.image._committed
        super().save(*args, **kwargs)
        if fresh or not self.small:
            self.make_thumbnails()

    def make_thumbnails(self):
        from PIL import Image

        with self.image.open("rb") as stored, Image.open(stored) as opened:
            self.width, self.height = opened.size
        extension = self.image.name.rsplit(".", 1)[-1]
        for field, side in (("small", THUMB_SIZES[0]), ("medium", THUMB_SIZES[1])):
            content = thumbnail(self.image, side)
            with Image.open(content) as made:
                setattr(self, f"{field}_width", made.width)
                setattr(self, f"{field}_height", made.height)
            content.seek(0)
            getattr(self, field).save(f"{self.image.name.rsplit('/', 1)[-1].rsplit('.', 1)[0]}-{side}.{extension}",
                                      content, save=False)  # fmt: skip
        type(self).objects.filter(pk=self.pk).update(
            width=self.width,
            height=self.height,
            small=self.small.name,
            small_width=self.small_width,
            small_height=self.small_height,
            medium=self.medium.name,
            medium_width=self.medium_width,
            medium_height=self.medium_height,
        )

    @property
    def srcset(self):
        return f"{self.small.url} {self.small_width}w, {self.medium.url} {self.medium_width}w"


class ExhibitionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def current(self, today=None):
        today = today or clock.today()
        return self.published().filter(starts_on__lte=today, ends_on__gte=today)

    def past(self, today=None):
        today = today or clock.today()
        return self.published().filter(ends_on__lt=today)


class Exhibition(models.Model):
    """A themed set of approved works with its dates and an introduction, curated by staff."""

    title = models.CharField(_("title"), max_length=100, validators=[validate_plain_text])
    introduction = models.TextField(_("introduction"), max_length=3000)
    starts_on = models.DateField(_("opens on"))
    ends_on = models.DateField(_("closes on"))
    published = models.BooleanField(_("published"), default=False)
    works = models.ManyToManyField(
        Work, verbose_name=_("works"), through="ExhibitionEntry", related_name="exhibitions", blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="exhibition_dates_in_order",
                violation_error_message=_("An exhibition cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ngo:showcase-exhibition", args=[self.pk])

    def is_current(self, today=None):
        today = today or clock.today()
        return self.starts_on <= today <= self.ends_on


class ExhibitionEntry(models.Model):
    exhibition = models.ForeignKey(
        Exhibition, verbose_name=_("exhibition"), on_delete=models.CASCADE, related_name="entries"
    )
    work = models.ForeignKey(Work, verbose_name=_("work"), on_delete=models.CASCADE, related_name="entries")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("work in the exhibition")
        verbose_name_plural = _("works in the exhibition")
        constraints = [models.UniqueConstraint(fields=["exhibition", "work"], name="exhibitionentry_once")]

    def __str__(self):
        return str(self.work)

    def clean(self):
        if self.work_id and self.work.status != Work.Status.APPROVED:
            raise ValidationError({"work": _("Only published works can be exhibited.")})
