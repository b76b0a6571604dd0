"""Fault injection (issue 16): under a steady load of submissions the database connections are cut and the
notification worker is killed and started again; every acknowledged submission is in the database and every
notice is sent exactly once.

The worker is a real process (`manage.py send_notifications --loop`) writing e-mails to files at the pace of
an SMTP server; the load is
the real opinion form through the test client; the cuts are `pg_terminate_backend` on every connection to the
test database (the worker's and the test's own); the kill is SIGKILL. Each e-mail carries its notification's
id in its Message-ID, so the files say how often each notice went out.

The one duplicate the design allows (README, `Notification.deliver_due`): a worker killed after SMTP accepted
an e-mail and before its delivery was recorded. Right after each kill the test looks for exactly those (rows
still claimed whose e-mail is already in the files) and allows them a second copy; every other notice must
have exactly one.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.core.mail.backends.filebased import EmailBackend
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse

from civiccenter.models import Notification
from opinions.models import Opinion
from tests.opinions.test_cases import make_category
from tests.opinions.test_cases_views import form_data

pytestmark = pytest.mark.fault

ROOT = Path(__file__).resolve().parents[2]
MESSAGE_ID = re.compile(rb"^Message-ID: <notification-(\d+)\.", re.M | re.I)
TRACKING_NUMBER = re.compile(r"YJ-\d{4}-\d+")
# What happens under the load, in order: each step at least so many seconds after the one before, and once the
# worker holds its database connection (a restarted worker takes a few seconds to load Django). "cut": every
# connection to the test database is terminated; "kill": the worker gets SIGKILL and is started again.
STEPS = [("cut", 1.5), ("kill", 1.5), ("cut", 1.0), ("cut", 2.0), ("kill", 1.5), ("cut", 1.0)]
AFTER_SECONDS = 2.0  # load after the last step
LEASE_SECONDS = 2
WORKER_NAME = "notification-worker"


def database_url():
    params = connection.settings_dict
    auth = quote(params["USER"]) + (":" + quote(params["PASSWORD"]) if params["PASSWORD"] else "")
    host = params["HOST"] or ""
    if host.startswith("/"):  # a Unix socket (the embedded server)
        return f"postgres://{auth}@/{quote(params['NAME'])}?host={quote(host)}"
    port = f":{params['PORT']}" if params["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(params['NAME'])}"


def admin_connection():
    params = connection.settings_dict
    admin = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"] or None,
    )
    admin.autocommit = True
    return admin


def cut_every_connection(admin):
    """Terminate every other backend of the test database; the names of the clients cut."""
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT application_name, pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return sorted(name or "test" for name, _ in cursor.fetchall())


class SlowFileBackend(EmailBackend):
    """Django's file backend at the pace of an SMTP server: a pause before the message is accepted (written)
    and one after, before the server's reply reaches the worker. A kill lands in either half."""

    def send_messages(self, email_messages):
        time.sleep(0.03)
        sent = super().send_messages(email_messages)
        time.sleep(0.03)
        return sent


def in_hand(admin, seconds=3.0):
    """The notices claimed by the worker, once it holds at least one (or after `seconds`): when to kill it."""
    deadline = time.monotonic() + seconds
    with admin.cursor() as cursor:
        while True:
            cursor.execute("SELECT id FROM civiccenter_notification WHERE email_status = 'sending'")
            claimed = {row[0] for row in cursor.fetchall()}
            if claimed or time.monotonic() > deadline:
                return claimed
            time.sleep(0.002)


def worker_connected(admin):
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [WORKER_NAME],
        )
        return cursor.fetchone() is not None


def wait_until_connected(admin, seconds=60):
    """Until the worker (just started: Django loads for a few seconds) holds its database connection."""
    deadline = time.monotonic() + seconds
    while not worker_connected(admin):
        assert time.monotonic() < deadline, "the worker never connected"
        time.sleep(0.1)


def e_mails(folder):
    """How many e-mails went out per notification id."""
    counts = Counter()
    for path in folder.glob("*"):
        counts.update(int(number) for number in MESSAGE_ID.findall(path.read_bytes()))
    return counts


class Worker:
    def __init__(self, mail_dir, log_path):
        self.env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"{database_url()}{'&' if '?' in database_url() else '?'}application_name={WORKER_NAME}",
            "EMAIL_BACKEND": "tests.civiccenter.test_notification_faults.SlowFileBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "NOTIFICATION_LEASE_SECONDS": str(LEASE_SECONDS),
        }
        self.log = open(log_path, "ab")  # closed in stop()
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "send_notifications", "--loop", "--interval", "0.1"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        """SIGTERM, as systemd sends it: the worker finishes the e-mail in hand and exits 0."""
        try:
            self.process.send_signal(signal.SIGTERM)
            return self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.log.close()


@pytest.mark.django_db(transaction=True)
def test_cut_connections_and_a_killed_worker_lose_no_submission_and_send_each_notice_once(
    client, applicant, department, tmp_path, settings
):
    # A steady load from one account: far above the form throttle, which is not what this test is about.
    settings.THROTTLE_RATES = {group: "1000000/h" for group in settings.THROTTLE_RATES}
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    category = make_category(department)
    client.force_login(applicant)
    admin = admin_connection()
    worker = Worker(mail_dir, tmp_path / "worker.log")
    acknowledged, refused, cuts, kills = [], 0, [], []
    may_be_twice = set()
    try:
        wait_until_connected(admin)
        steps, last_step, hard_stop = list(STEPS), time.monotonic(), time.monotonic() + 60
        while steps or time.monotonic() < last_step + AFTER_SECONDS:
            assert time.monotonic() < hard_stop, f"steps left: {steps}"
            if steps and time.monotonic() >= last_step + steps[0][1] and worker_connected(admin):
                step, last_step = steps.pop(0)[0], time.monotonic()
                if step == "cut":
                    cuts.append(cut_every_connection(admin))
                    continue
                in_hand(admin)  # kill it with work in hand, if it gets some within 3 s
                worker.kill()
                # Claimed by the dead worker and already in the files: the one window of a possible duplicate.
                claimed = in_hand(admin, 0)
                handed_off = claimed & set(e_mails(mail_dir))
                may_be_twice |= handed_off
                kills.append((len(claimed), len(handed_off)))
                worker.start()
            try:
                response = client.post(reverse("opinions:index"), form_data(category))
            except (OperationalError, InterfaceError):
                # The cut reached this request: the citizen saw an error page, nothing was acknowledged.
                connection.close()
                refused += 1
                continue
            assert response.status_code == 302, response.content[:500]
            acknowledged.append(TRACKING_NUMBER.search(response["Location"]).group())  # the receipt's address
            time.sleep(0.02)

        # The load stops; the outbox drains (a dead worker's claims come back after their lease).
        deadline = time.monotonic() + 30
        while Notification.objects.filter(email_status__in=Notification.OUTBOX).exists():
            assert time.monotonic() < deadline, "the outbox did not drain"
            assert worker.process.poll() is None, "the worker died"
            time.sleep(0.2)
        time.sleep(0.5)  # nothing more goes out: the counts below are final
    finally:
        exit_code = worker.stop()
        admin.close()

    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert exit_code == 0, log[-3000:]
    # Every acknowledged submission is in the database.
    assert len(acknowledged) > 20 and len(cuts) == 4 and len(kills) == 2
    assert all(WORKER_NAME in cut for cut in cuts), cuts  # each cut reached the worker's own connection
    assert Opinion.objects.filter(case__number__in=acknowledged).count() == len(acknowledged)
    # Every notice went out, once; twice only for a kill in the window between SMTP and the record.
    notices = set(Notification.objects.exclude(email="").values_list("pk", flat=True))
    assert len(notices) >= len(acknowledged)
    assert set(Notification.objects.exclude(email="").values_list("email_status", flat=True)) == {"sent"}
    sent = e_mails(mail_dir)
    assert set(sent) == notices
    twice = {pk for pk, count in sent.items() if count > 1}
    assert {pk: sent[pk] for pk in twice - may_be_twice} == {}
    assert all(sent[pk] <= 2 for pk in twice)
    print(
        f"\nfault test: {len(acknowledged)} submissions acknowledged, {refused} refused by a cut, "
        f"{len(notices)} notices, {sum(sent.values())} e-mails; connections cut: {cuts}; "
        f"kills (claimed, of which already handed to SMTP): {kills}; notices sent twice: {len(twice)}; "
        f"worker reconnections logged: {log.count('the database is unavailable') + log.count('could not record')}"
    )
