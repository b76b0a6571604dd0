"""Notifications: one row per message to a person, shown on their page and sent by e-mail with retries."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock
from civiccenter.people import User


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
    next_attempt_at = models.DateTimeField(_("next attempt"), default=clock.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, db_index=True)

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
            self.read_at = clock.now()
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
                moment = now or clock.now()
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
            .update(email_status=self.EmailStatus.PENDING, next_attempt_at=clock.now(), attempts=0)
        )
        return bool(updated)

    @staticmethod
    def backoff(attempts: int) -> timedelta:
        """1, 2, 4, ... minutes after each failure, at most 6 hours."""
        return timedelta(minutes=min(2 ** (attempts - 1), 360))
