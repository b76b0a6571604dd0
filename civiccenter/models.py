from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from civiccenter import roles
from civiccenter.lib import workdays
from civiccenter.lib.crypto import EncryptedCharField
from civiccenter.lib.i18n import english_active, localized
from civiccenter.lib.validators import validate_person_name, validate_phone, validate_plain_text


class DepartmentScopedQuerySet(models.QuerySet):
    """Rows that belong to a department, scoped for staff in one place.

    Subclasses name the path from their model to `Department` in
    `department_lookup`. The admin base class and every staff-facing view use
    `visible_to(user)`; none repeats the rule.
    """

    department_lookup = "department"

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_departments:
            return self
        if user.is_staff and user.department_id:
            return self.filter(**{self.department_lookup: user.department_id})
        return self.none()


class DepartmentQuerySet(DepartmentScopedQuerySet):
    department_lookup = "pk"


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=150, blank=True, validators=[validate_plain_text])
    code = models.SlugField(
        _("short code"),
        max_length=16,
        unique=True,
        help_text=_("A few letters used in tracking numbers and reports, e.g. SCJG."),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, validators=[validate_phone])
    window_location = models.CharField(
        _("window location"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    window_location_en = models.CharField(
        _("window location in English"), max_length=150, blank=True, validators=[validate_plain_text]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = DepartmentQuerySet.as_manager()

    display_name = localized("name")
    display_description = localized("description")
    display_window_location = localized("window_location")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.display_name


class UserQuerySet(DepartmentScopedQuerySet):
    pass


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Sign-in by e-mail ignores case: Zhang@Example.cn is zhang@example.cn.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class AccountType(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        ORGANIZATION = "organization", _("Organization representative")

    email = models.EmailField(
        _("e-mail address"),
        max_length=254,
        unique=True,
        error_messages={"unique": _("An account with this e-mail address already exists.")},
    )
    full_name = models.CharField(_("full name"), max_length=50, validators=[validate_person_name])
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    account_type = models.CharField(_("account type"), max_length=20, choices=AccountType, default=AccountType.CITIZEN)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
        help_text=_("The language of the e-mails and notices the portal sends you."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Staff only: the department whose work this person sees and handles."),
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    is_staff = models.BooleanField(_("staff"), default=False, help_text=_("Can sign in to the staff administration."))
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Unselect this instead of deleting the account.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this e-mail address already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(account_type__in=["citizen", "organization"]),
                name="user_account_type_valid",
            ),
            models.CheckConstraint(condition=models.Q(language__in=["zh-hans", "en"]), name="user_language_valid"),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email).lower()

    def get_absolute_url(self):
        return reverse("accounts:profile")

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @cached_property
    def role_names(self) -> frozenset:
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def sees_all_departments(self) -> bool:
        """Center-wide roles read (and, with the permission, change) every department's rows."""
        if self.is_superuser:
            return True
        return self.is_staff and bool(self.role_names & roles.ALL_DEPARTMENT_ROLES)

    def confirm_email(self):
        if self.email_confirmed_at is None:
            self.email_confirmed_at = timezone.now()
            self.save(update_fields=["email_confirmed_at"])


class CalendarYearQuerySet(models.QuerySet):
    def missing_for(self, today, horizon_days=90) -> list[int]:
        """Years a deadline starting in the next `horizon_days` may run into, with no schedule yet.

        Staff are warned so that next year's schedule is entered before deadlines
        reach it; until then such deadlines count weekends only and are provisional.
        """
        wanted = set(range(today.year, (today + timedelta(days=horizon_days)).year + 1))
        return sorted(wanted - set(self.filter(complete=True, year__in=wanted).values_list("year", flat=True)))


class CalendarYear(models.Model):
    """A year whose official holiday schedule has been entered (the State Council's annual notice)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    notice = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_("The State Council General Office notice the schedule comes from."),
    )
    complete = models.BooleanField(
        _("schedule complete"),
        default=True,
        help_text=_("Deadlines running into a year count only weekends until its schedule is complete."),
    )

    objects = CalendarYearQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="calendaryear_year_range")
        ]

    def __str__(self):
        return str(self.year)


class CalendarDayQuerySet(models.QuerySet):
    def work_calendar(self) -> workdays.WorkCalendar:
        """The calendar as the clock engine sees it (two small queries)."""
        holidays, adjusted, names = set(), set(), {}
        english = english_active()
        for day in self.all():
            (holidays if day.kind == CalendarDay.Kind.HOLIDAY else adjusted).add(day.date)
            names[day.date] = day.name_en if english and day.name_en else day.name
        years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
        return workdays.WorkCalendar(frozenset(holidays), frozenset(adjusted), frozenset(years), names)


class CalendarDay(models.Model):
    """A statutory day off, or a weekend day made a working day (调休上班日)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (day off)")
        WORKDAY = "workday", _("Adjusted working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=80, blank=True, validators=[validate_plain_text])

    objects = CalendarDayQuerySet.as_manager()
    display_name = localized("name")

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("work calendar")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["holiday", "workday"]), name="calendarday_kind_valid"),
            # An adjusted working day is by definition a Saturday or Sunday
            # (PostgreSQL's ISODOW: 6 and 7).
            models.CheckConstraint(
                condition=~models.Q(kind="workday") | models.Q(date__iso_week_day__gte=6),
                name="calendarday_workday_on_weekend",
                violation_error_message=_("An adjusted working day must be a Saturday or a Sunday."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.display_name} ({self.get_kind_display()})"


class NotificationQuerySet(models.QuerySet):
    def due_for_delivery(self, now):
        return self.filter(email_status=Notification.EmailStatus.PENDING, next_attempt_at__lte=now)

    def in_inbox_of(self, user):
        return self.filter(recipient=user, in_inbox=True)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person: an outbox row for e-mail and, for account holders, an inbox entry.

    Written in the same transaction as the change that causes it (`queue()`),
    so a rolled-back change sends nothing; delivered by `manage.py
    send_notifications`, which any number of workers may run at once.
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NONE = "none", _("No e-mail")

    MAX_ATTEMPTS = 8

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    in_inbox = models.BooleanField(_("shown in the inbox"), default=True)
    # Links that sign someone in or reset a password must not outlive delivery.
    sensitive = models.BooleanField(_("erase the text once sent"), default=False)
    email_status = models.CharField(_("e-mail"), max_length=10, choices=EmailStatus, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The worker's query: only the few pending rows are indexed.
            models.Index(
                fields=["next_attempt_at"], name="notification_pending_idx", condition=models.Q(email_status="pending")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email_status__in=["pending", "sent", "failed", "none"]),
                name="notification_email_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(email_status="pending") | ~models.Q(email=""),
                name="notification_pending_has_address",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notification_has_someone_to_reach",
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("accounts:notification", args=[self.pk])

    @classmethod
    def queue(cls, *, recipient=None, email="", template, context=None, url="", in_inbox=True, sensitive=False):
        """Render `template` (…_subject.txt and ….txt) in the recipient's language and queue it.

        Call inside the transaction of the change that causes the message.
        """
        from django.template.loader import render_to_string
        from django.utils import translation

        email = email or (recipient.email if recipient else "")
        language = recipient.language if recipient else translation.get_language()
        context = {"recipient": recipient, "url": url, "site_url": settings.SITE_URL, **(context or {})}
        with translation.override(language):
            details = settings.CENTER.get(language, settings.CENTER[settings.LANGUAGE_CODE])
            context.setdefault("center", {**details, "hotline": settings.CENTER_HOTLINE})
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            body = render_to_string(f"{template}.txt", context).strip()
        return cls.objects.create(
            recipient=recipient,
            email=email,
            subject=subject[:200],
            body=body,
            url=url,
            in_inbox=in_inbox and recipient is not None,
            sensitive=sensitive,
            email_status=cls.EmailStatus.PENDING if email else cls.EmailStatus.NONE,
        )

    def mark_read(self):
        if self.read_at is None:
            self.read_at = timezone.now()
            type(self).objects.filter(pk=self.pk, read_at__isnull=True).update(read_at=self.read_at)

    @classmethod
    def deliver_due(cls, *, limit=100, now=None) -> dict:
        """Send up to `limit` due e-mails, one row per transaction.

        Each row is locked with SKIP LOCKED, so several workers share the queue
        without sending a message twice; a failure is recorded on the row and
        retried later with back-off, and never stops the others. A worker that
        dies between sending and committing leaves the row pending: delivery is
        at least once.
        """
        from django.core.mail import EmailMessage, get_connection

        done = {"sent": 0, "retry": 0, "failed": 0}
        mail = get_connection()
        for _round in range(limit):
            with transaction.atomic():
                moment = now or timezone.now()
                row = (
                    cls.objects.due_for_delivery(moment)
                    .select_for_update(skip_locked=True)
                    .order_by("next_attempt_at", "pk")
                    .first()
                )
                if row is None:
                    break
                row.attempts += 1
                try:
                    EmailMessage(row.subject, row.body, to=[row.email], connection=mail).send()
                except Exception as exc:  # noqa: BLE001 - SMTP, DNS, timeouts: all mean "try later"
                    row.last_error = f"{type(exc).__name__}: {exc}"[:500]
                    if row.attempts >= cls.MAX_ATTEMPTS:
                        row.email_status = cls.EmailStatus.FAILED
                        done["failed"] += 1
                    else:
                        row.next_attempt_at = moment + cls.backoff(row.attempts)
                        done["retry"] += 1
                else:
                    row.email_status, row.sent_at, row.last_error = cls.EmailStatus.SENT, moment, ""
                    if row.sensitive:
                        row.body = ""
                    done["sent"] += 1
                row.save(update_fields=["attempts", "last_error", "email_status", "next_attempt_at", "sent_at", "body"])
        return done

    def retry_now(self):
        """Put a failed or waiting e-mail back at the head of the queue (admin action)."""
        if self.email_status not in (self.EmailStatus.FAILED, self.EmailStatus.PENDING) or not self.email:
            return False
        updated = (
            type(self)
            .objects.filter(pk=self.pk, email_status__in=["failed", "pending"])
            .update(email_status=self.EmailStatus.PENDING, next_attempt_at=timezone.now(), attempts=0)
        )
        return bool(updated)

    @staticmethod
    def backoff(attempts: int) -> timedelta:
        """1, 2, 4, ... minutes after each failure, at most 6 hours."""
        return timedelta(minutes=min(2 ** (attempts - 1), 360))


# The shared case machinery lives in its own module; importing it here registers its models.
from civiccenter.cases import Case, CaseEvent, CasePause, FollowUp, Rating, TrackingCounter  # noqa: E402, F401
from civiccenter.stateful import StatusEvent  # noqa: E402, F401
