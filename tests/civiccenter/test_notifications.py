"""The outbox, its worker, and the in-site inbox."""

import io
import re
import signal
import threading
import time
from datetime import timedelta

import psycopg2
import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civiccenter.models import Notification
from tests.conftest import PASSWORD, make_user

INBOX = reverse("accounts:inbox")


def queue_welcome(user, **kwargs):
    return Notification.queue(recipient=user, template="accounts/email/welcome", url="https://portal/x", **kwargs)


class SlowBackend(EmailBackend):
    """locmem, but slow enough that concurrent workers really overlap."""

    def send_messages(self, messages):
        time.sleep(0.02)
        return super().send_messages(messages)


@pytest.mark.django_db
def test_queue_renders_in_the_recipients_language(applicant):
    applicant.language = "en"
    english = queue_welcome(applicant)
    applicant.language = "zh-hans"
    chinese = queue_welcome(applicant)
    assert english.subject == "Welcome to the Model District Citizen Service Center"
    assert chinese.subject == "欢迎使用示范区市民服务中心"
    assert english.email == applicant.email and english.email_status == "pending"


@pytest.mark.django_db
def test_a_rolled_back_change_queues_nothing(applicant):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_welcome(applicant)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_worker_delivers_and_erases_sensitive_text(applicant, mailoutbox):
    plain = queue_welcome(applicant)
    secret = queue_welcome(applicant, sensitive=True, in_inbox=False)
    call_command("send_notifications")
    assert len(mailoutbox) == 2
    plain.refresh_from_db()
    secret.refresh_from_db()
    assert plain.email_status == secret.email_status == "sent"
    assert plain.body and secret.body == ""
    call_command("send_notifications")
    assert len(mailoutbox) == 2  # nothing is sent twice


@pytest.mark.django_db
def test_a_failed_smtp_attempt_is_retried_later_and_then_delivered(applicant, mailoutbox):
    """A real failed SMTP connection (a port nothing listens on), then a working backend."""
    notification = queue_welcome(applicant)
    smtp_down = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": 1,
        "EMAIL_TIMEOUT": 2,
    }
    with override_settings(**smtp_down):
        done = Notification.deliver_due()
    assert done == {"sent": 0, "retry": 1, "failed": 0}
    notification.refresh_from_db()
    assert notification.email_status == "pending" and notification.attempts == 1
    assert "Error" in notification.last_error
    assert notification.next_attempt_at > timezone.now()

    assert Notification.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    later = timezone.now() + timedelta(minutes=2)
    assert Notification.deliver_due(now=later)["sent"] == 1
    notification.refresh_from_db()
    assert notification.email_status == "sent" and notification.last_error == ""
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_backoff_grows_and_gives_up_after_max_attempts(applicant):
    assert [Notification.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 10, 20)] == [1, 2, 4, 360, 360]
    notification = queue_welcome(applicant)
    Notification.objects.filter(pk=notification.pk).update(attempts=Notification.MAX_ATTEMPTS - 1)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=1, EMAIL_TIMEOUT=2):
        assert Notification.deliver_due()["failed"] == 1
    notification.refresh_from_db()
    assert notification.email_status == "failed"


@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="tests.civiccenter.test_notifications.SlowBackend")
def test_concurrent_workers_send_each_message_exactly_once():
    user = make_user()
    for _ in range(30):
        queue_welcome(user)
    mail.outbox = []
    errors = []

    def worker():
        try:
            Notification.deliver_due()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == 30
    assert Notification.objects.filter(email_status="sent").count() == 30


@pytest.mark.django_db
def test_sign_up_confirmation_and_password_change_send_notices(client, mailoutbox):
    client.post(
        reverse("accounts:signup"),
        {
            "account_type": "citizen",
            "full_name": "张明",
            "email": "zhang@example.cn",
            "phone": "13800138000",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "privacy_consent": "on",
        },
    )
    confirmation = Notification.objects.get()
    assert confirmation.sensitive and not confirmation.in_inbox
    Notification.deliver_due()
    link = mailoutbox[0].body.split("http://testserver")[1].split()[0]
    client.get(link)
    welcome = Notification.objects.in_inbox_of(confirmation.recipient).get()
    assert welcome.subject.startswith("欢迎")
    client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "new-long-passphrase-81",
            "new_password2": "new-long-passphrase-81",
        },
    )
    assert Notification.objects.in_inbox_of(confirmation.recipient).count() == 2


@pytest.mark.django_db
def test_password_reset_page_works_while_smtp_is_down(client, applicant):
    """The e-mail waits in the outbox; the visitor never sees an error."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=1):
        response = client.post(reverse("accounts:password-reset"), {"email": applicant.email})
    assert response.status_code == 302
    assert Notification.objects.get().email_status == "pending"


# The inbox --------------------------------------------------------------------


@pytest.mark.django_db
def test_inbox_requires_sign_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_inbox_lists_own_messages_and_reading_marks_them(client, applicant, other_applicant):
    mine = queue_welcome(applicant)
    theirs = queue_welcome(other_applicant)
    queue_welcome(applicant, sensitive=True, in_inbox=False)  # never in the inbox
    client.force_login(applicant)
    response = client.get(INBOX)
    assert list(response.context["notifications"]) == [mine]
    assert response.context["unread_notifications"] == 1

    detail = client.get(mine.get_absolute_url())
    assert detail.status_code == 200
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(INBOX).context["unread_notifications"] == 0
    assert client.get(theirs.get_absolute_url()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_read_is_post_only_and_touches_only_own_messages(client, applicant, other_applicant):
    queue_welcome(applicant)
    theirs = queue_welcome(other_applicant)
    client.force_login(applicant)
    assert client.get(reverse("accounts:inbox-read-all")).status_code == 405
    client.post(reverse("accounts:inbox-read-all"))
    assert not Notification.objects.in_inbox_of(applicant).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_inbox_keeps_a_fixed_number_of_queries(client, applicant, django_assert_num_queries):
    queue_welcome(applicant)
    client.force_login(applicant)
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    for _ in range(40):
        queue_welcome(applicant)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(INBOX)
    assert client.get(INBOX, {"page": "abc"}).status_code == 200
    assert client.get(INBOX, {"page": "999"}).status_code == 200


@pytest.mark.django_db
def test_system_administrator_monitors_delivery_and_retries_failures(client, applicant, department):
    from civiccenter import roles
    from tests.conftest import make_staff

    failed = queue_welcome(applicant)
    Notification.objects.filter(pk=failed.pk).update(
        email_status="failed", attempts=8, last_error="SMTPServerDisconnected"
    )
    admin_user = make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    changelist = reverse("admin:civiccenter_notification_changelist")
    html = client.get(changelist).content.decode()
    assert "SMTPServerDisconnected" in html
    detail = client.get(reverse("admin:civiccenter_notification_change", args=[failed.pk])).content.decode()
    assert "账号已可以使用" in failed.body and "账号已可以使用" not in detail  # the message itself stays private

    client.post(changelist, {"action": "retry_now", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.email_status, failed.attempts) == ("pending", 0)

    clerk = make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)
    client.force_login(clerk)
    assert client.get(changelist).status_code == 403


# A worker that survives: claims, leases, lost connections ------------------------------------------------------

MESSAGE_ID = re.compile(r"<notification-(\d+)\.")


def notification_ids(messages):
    return [int(MESSAGE_ID.match(message.extra_headers["Message-ID"]).group(1)) for message in messages]


def terminate(pid):
    """Cut a backend's connection from a second connection, as a database restart or failover does."""
    params = connection.settings_dict
    killer = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"] or None,
    )
    try:
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # waits until it is gone
    finally:
        killer.close()


class ConnectionCutAfterSmtp(EmailBackend):
    """locmem, but the worker's database connection is cut right after the third e-mail left:
    the moment the measured worker died (OperationalError after the hand-off to SMTP)."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if len(mail.outbox) == 3:
            terminate(connection.connection.info.backend_pid)
        return sent


@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="tests.civiccenter.test_notifications.ConnectionCutAfterSmtp")
def test_a_connection_cut_after_smtp_accepted_neither_duplicates_nor_loses_a_notice():
    user = make_user()
    queued = [queue_welcome(user).pk for _ in range(6)]
    mail.outbox = []
    done = Notification.deliver_due()
    assert done == {"sent": 6, "retry": 0, "failed": 0}
    assert sorted(notification_ids(mail.outbox)) == sorted(queued)  # each once
    assert Notification.objects.filter(email_status="sent").count() == 6
    assert Notification.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_the_worker_loop_reconnects_after_the_database_dropped_it_while_claiming(mailoutbox, monkeypatch):
    """The connection dies between the health check and the claim: the loop backs off and goes on."""
    from civiccenter.management.commands import send_notifications

    user = make_user()
    queue_welcome(user)
    real = Notification.deliver_due
    calls = []

    def cut_first(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            Notification.objects.exists()  # the connection is checked and in use...
            terminate(connection.connection.info.backend_pid)  # ...and cut before the claim
        done = real(**kwargs)
        if done["sent"]:
            signal.raise_signal(signal.SIGTERM)  # what systemd sends: stop after this round
        return done

    monkeypatch.setattr(Notification, "deliver_due", cut_first)
    monkeypatch.setattr(send_notifications, "MAX_PAUSE", 0.1)
    saved = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("send_notifications", "--loop", "--interval", "0.05", stdout=out, stderr=err)
    finally:
        signal.signal(signal.SIGTERM, saved[0])
        signal.signal(signal.SIGINT, saved[1])
    assert len(calls) == 2
    assert "the database is unavailable" in err.getvalue()
    assert "1 sent" in out.getvalue()
    assert len(mailoutbox) == 1 and Notification.objects.get().email_status == "sent"


@pytest.mark.django_db(transaction=True)
def test_without_loop_a_lost_database_is_an_error_exit_for_cron(monkeypatch):
    from django.core.management.base import CommandError

    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Notification, "deliver_due", lost)
    with pytest.raises(CommandError, match="database is unavailable"):
        call_command("send_notifications")


class RecordingBackend(EmailBackend):
    """locmem with a pause, so that two workers really overlap."""

    def send_messages(self, messages):
        time.sleep(0.01)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="tests.civiccenter.test_notifications.RecordingBackend")
def test_two_workers_at_once_send_each_notice_exactly_once():
    user = make_user()
    queued = [queue_welcome(user).pk for _ in range(40)]
    mail.outbox = []
    results, errors = [], []
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            results.append(Notification.deliver_due())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(notification_ids(mail.outbox)) == sorted(queued)
    assert all(done["sent"] > 0 for done in results)  # both worked: the claims really competed
    assert Notification.objects.filter(email_status="sent").count() == 40


@pytest.mark.django_db
def test_a_claim_whose_worker_died_is_taken_over_after_its_lease_and_not_before(applicant, mailoutbox, settings):
    settings.NOTIFICATION_LEASE_SECONDS = 600
    orphan = queue_welcome(applicant)
    now = timezone.now()
    # A worker claimed it, then died (kill -9) before recording anything.
    Notification.objects.filter(pk=orphan.pk).update(
        email_status="sending", attempts=1, next_attempt_at=now + timedelta(seconds=600)
    )
    assert Notification.deliver_due(now=now) == {"sent": 0, "retry": 0, "failed": 0}  # its lease still runs
    assert Notification.deliver_due(now=now + timedelta(seconds=601))["sent"] == 1
    orphan.refresh_from_db()
    assert (orphan.email_status, orphan.attempts) == ("sent", 2)
    assert notification_ids(mailoutbox) == [orphan.pk]


@pytest.mark.django_db
def test_a_notice_that_kills_every_worker_is_given_up_after_max_attempts(applicant, mailoutbox):
    poison = queue_welcome(applicant)
    Notification.objects.filter(pk=poison.pk).update(
        email_status="sending", attempts=Notification.MAX_ATTEMPTS, next_attempt_at=timezone.now()
    )
    assert Notification.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    poison.refresh_from_db()
    assert poison.email_status == "failed" and "stopped while sending" in poison.last_error
    assert mailoutbox == []


@pytest.mark.django_db
def test_every_attempt_carries_the_same_message_id(applicant, mailoutbox):
    notification = queue_welcome(applicant)
    Notification.deliver_due()
    Notification.objects.filter(pk=notification.pk).update(email_status="pending", next_attempt_at=timezone.now())
    Notification.deliver_due()
    first, second = (message.extra_headers["Message-ID"] for message in mailoutbox)
    assert first == second and first.startswith(f"<notification-{notification.pk}.")


# /healthz reports the outbox ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_the_backlog_and_the_oldest_due_notice(client, applicant, settings):
    settings.HEALTHZ_MAX_NOTICE_AGE = 900
    now = timezone.now()
    waiting = queue_welcome(applicant)
    Notification.objects.filter(pk=waiting.pk).update(next_attempt_at=now - timedelta(seconds=300))
    queue_welcome(applicant)
    later = queue_welcome(applicant)  # a retry not due yet: not in the backlog
    Notification.objects.filter(pk=later.pk).update(next_attempt_at=now + timedelta(minutes=5))
    claimed = queue_welcome(applicant)  # a worker holds it: not due while the lease runs
    Notification.objects.filter(pk=claimed.pk).update(
        email_status="sending", next_attempt_at=now + timedelta(minutes=9)
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["outbox"]["status"] == "ok" and body["outbox"]["due"] == 2
    assert 300 <= body["outbox"]["oldest_due_seconds"] < 400


@pytest.mark.django_db
def test_healthz_is_503_when_a_notice_waited_past_the_limit(client, applicant, settings):
    settings.HEALTHZ_MAX_NOTICE_AGE = 600
    stuck = queue_welcome(applicant)
    Notification.objects.filter(pk=stuck.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=601))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error" and response.json()["database"] == "ok"
    assert response.json()["outbox"]["status"] == "stalled" and response.json()["outbox"]["due"] == 1
    settings.HEALTHZ_MAX_NOTICE_AGE = 0  # the check turned off
    assert client.get("/healthz").status_code == 200
    settings.HEALTHZ_MAX_NOTICE_AGE = 600
    Notification.deliver_due()  # a worker runs again
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_the_backlog_is_read_from_the_outbox_index(applicant):
    queue_welcome(applicant)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask whether the index can serve it
        query = Notification.objects.due_for_delivery(timezone.now()).order_by("next_attempt_at").values("pk")[:1]
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notification_outbox_idx" in plan
