"""Notifications: one row per message to a person, shown on their page and sent by e-mail with retries."""

import logging
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock
from civiccenter.people import User

log = logging.getLogger(__name__)

# Errors that mean "the connection to the database is gone": close it, wait, connect again.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


class NotificationQuerySet(models.QuerySet):
    def due_for_delivery(self, now):
        """E-mails to send now: waiting ones whose time has come, and claims whose worker's lease ran out.

        A claimed row's `next_attempt_at` is the end of its lease, so one indexed column serves both.
        """
        return self.filter(email_status__in=Notification.OUTBOX, next_attempt_at__lte=now)

    def backlog(self, now, *, cap=10_000) -> tuple[int, float]:
        """How many e-mails are due now (counted up to `cap`), and how many seconds the longest-waiting one
        has been due: two index scans of the outbox's partial index, whatever the size of the table."""
        due = self.due_for_delivery(now).order_by()
        count = due[:cap].count()
        oldest = due.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
        return count, (now - oldest).total_seconds() if oldest else 0.0

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
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NONE = "none", _("No e-mail")

    MAX_ATTEMPTS = 8
    # The outbox: rows a worker may still have to send.
    OUTBOX = (EmailStatus.PENDING, EmailStatus.SENDING)

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
            # The worker's claim and /healthz's backlog: only the few rows still to send are indexed.
            models.Index(
                fields=["next_attempt_at"],
                name="notification_outbox_idx",
                condition=models.Q(email_status__in=["pending", "sending"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email_status__in=["pending", "sending", "sent", "failed", "none"]),
                name="notification_email_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(email_status__in=["pending", "sending"]) | ~models.Q(email=""),
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
    def deliver_due(cls, *, limit=100, now=None, stop=None) -> dict:
        """Send up to `limit` due e-mails, one at a time: claim, hand to SMTP, record.

        Delivery is at least once, and exactly once unless a worker dies in one narrow window:
        - The claim is committed before the e-mail leaves: the row is locked with SKIP LOCKED, set to
          `sending` with a lease (`next_attempt_at` = now + NOTIFICATION_LEASE_SECONDS) and one more
          attempt, so no other worker, on this node or another, takes it while the lease runs.
        - No transaction stays open while SMTP talks; the outcome (sent, or retry later with back-off,
          or failed after MAX_ATTEMPTS) is recorded by one UPDATE right after. If the database is gone
          at that moment, the worker keeps the outcome in hand and retries the UPDATE until it lands:
          a dropped connection never sends a notice twice nor loses one.
        - The one window left: the process itself dies (kill -9, power cut) after SMTP accepted the
          message and before that UPDATE committed, a single round trip. Its lease then runs out and
          another worker sends it again: a government notice must not be lost, so we accept that rare
          duplicate rather than the alternative (at most once: a notice silently never sent). The copy
          carries the same Message-ID, so mail systems that de-duplicate drop it. A worker that dies
          before SMTP accepted (after the claim) costs only the lease's delay.
        - A lease must outlast one delivery: keep NOTIFICATION_LEASE_SECONDS well above EMAIL_TIMEOUT.

        Database errors while claiming propagate (nothing was sent): the caller closes the connection,
        backs off and calls again. `stop()` is asked between two e-mails (a worker told to stop finishes
        the one in hand).
        """
        from django.core.mail import get_connection

        done = {"sent": 0, "retry": 0, "failed": 0}
        mail = get_connection()
        for _round in range(limit):
            if stop is not None and stop():
                break
            row = cls._claim(now or clock.now())
            if row is None:
                break
            done[row._deliver(mail, now)] += 1
        return done

    @classmethod
    def _claim(cls, moment):
        """Lock the next due row (skipping rows other workers hold), mark it ours for one lease, commit."""
        while True:
            with transaction.atomic():
                row = (
                    cls.objects.due_for_delivery(moment)
                    .select_for_update(skip_locked=True)
                    .order_by("next_attempt_at", "pk")
                    .first()
                )
                if row is None:
                    return None
                if row.email_status == cls.EmailStatus.SENDING:
                    # Its worker died with it in hand: after the SMTP hand-off, or before.
                    if row.attempts >= cls.MAX_ATTEMPTS:
                        # A message that kills every worker that sends it is not tried forever.
                        row.email_status = cls.EmailStatus.FAILED
                        row.last_error = "The worker stopped while sending it, on every attempt."
                        row.save(update_fields=["email_status", "last_error"])
                        continue
                    log.warning(
                        "Notification %s: the worker sending it stopped before recording the result; sending it "
                        "again (it may have reached the recipient once already).",
                        row.pk,
                    )
                row.email_status = cls.EmailStatus.SENDING
                row.attempts += 1
                row.next_attempt_at = moment + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
                row.save(update_fields=["email_status", "attempts", "next_attempt_at"])
                return row

    def _message_id(self):
        """The same Message-ID on every attempt, from every worker: a second copy is recognisably the same."""
        domain = urlsplit(settings.SITE_URL).hostname or "civiccenter.invalid"
        return f"<notification-{self.pk}.{int(self.created_at.timestamp())}@{domain}>"

    def _deliver(self, mail, now=None) -> str:
        """Hand this claimed row's e-mail to SMTP and record what happened; 'sent', 'retry' or 'failed'."""
        from django.core.mail import EmailMessage

        try:
            EmailMessage(
                self.subject, self.body, to=[self.email], connection=mail, headers={"Message-ID": self._message_id()}
            ).send()
        except Exception as exc:  # noqa: BLE001 - SMTP, DNS, timeouts: all mean "try later"
            moment = now or clock.now()
            error = f"{type(exc).__name__}: {exc}"[:500]
            if self.attempts >= self.MAX_ATTEMPTS:
                outcome = "failed"
                changes = {"email_status": self.EmailStatus.FAILED, "last_error": error, "next_attempt_at": moment}
            else:
                outcome = "retry"
                changes = {
                    "email_status": self.EmailStatus.PENDING,
                    "last_error": error,
                    "next_attempt_at": moment + self.backoff(self.attempts),
                }
            # Only while the claim is still ours: a worker that took over after our lease decides now.
            rows = type(self).objects.filter(pk=self.pk, email_status=self.EmailStatus.SENDING, attempts=self.attempts)
        else:
            outcome, moment = "sent", now or clock.now()
            changes = {
                "email_status": self.EmailStatus.SENT,
                "sent_at": moment,
                "next_attempt_at": moment,
                "last_error": "",
            }
            if self.sensitive:
                changes["body"] = ""
            # Sent is sent, even if our lease ran out meanwhile and another worker claimed the row.
            rows = type(self).objects.filter(pk=self.pk, email_status__in=self.OUTBOX)
        self._record(rows, changes)
        for field, value in changes.items():
            setattr(self, field, value)
        return outcome

    def _record(self, rows, changes):
        """One UPDATE, retried through lost connections until it lands: giving up here is what would send
        the e-mail a second time (after the lease) or forget a failure."""
        pause = 0.5
        while True:
            try:
                rows.update(**changes)
                return
            except CONNECTION_ERRORS as error:
                if connection.in_atomic_block:
                    raise  # inside someone's transaction (a test): reconnecting is theirs to do
                log.warning(
                    "Notification %s: could not record the delivery (%s); retrying in %.1f s.",
                    self.pk,
                    " ".join(str(error).split()),
                    pause,
                )
                connection.close()
                time.sleep(pause)
                pause = min(pause * 2, 5.0)

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
