import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from civiccenter.models import Notification
from civiccenter.notifications import CONNECTION_ERRORS

# Longest pause between two tries while the database is unreachable.
MAX_PAUSE = 60.0


class Command(BaseCommand):
    help = (
        "Deliver queued e-mail notifications, retrying failures with back-off. "
        "Safe to run as several workers at once, on several machines. Without --loop, sends what is due "
        "and exits (for cron). With --loop it outlives database outages (it reconnects and goes on) and "
        "stops cleanly on SIGTERM or SIGINT, after recording the e-mail in hand."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling for new messages")
        parser.add_argument("--interval", type=float, default=3.0, help="seconds between polls when idle (--loop)")
        parser.add_argument("--limit", type=int, default=100, help="messages per round")

    def handle(self, *args, loop=False, interval=3.0, limit=100, **options):
        self.stopping = False
        if loop:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        failures = 0
        while not self.stopping:
            try:
                if loop:
                    # As between two requests: drop a connection too old, or found dead by the health check.
                    close_old_connections()
                done = Notification.deliver_due(limit=limit, stop=lambda: self.stopping)
            except CONNECTION_ERRORS as error:
                # The connection died while claiming: nothing was sent. Connect again after a pause.
                connection.close()
                if not loop:
                    raise CommandError(f"The database is unavailable: {' '.join(str(error).split())}") from error
                failures += 1
                pause = min(interval * 2 ** (failures - 1), MAX_PAUSE)
                reason = " ".join(str(error).split())
                self.stderr.write(
                    f"Notifications: the database is unavailable ({reason}); trying again in {pause:g} s."
                )
                self._sleep(pause)
                continue
            failures = 0
            if any(done.values()) or not loop:
                self.stdout.write(
                    f"Notifications: {done['sent']} sent, {done['retry']} to retry, {done['failed']} failed."
                )
            if not loop:
                return
            if done["sent"] + done["retry"] + done["failed"] < limit:
                self._sleep(interval)

    def _stop(self, signum, frame):
        self.stopping = True

    def _sleep(self, seconds):
        """Sleep, but wake up within a fraction of a second when told to stop."""
        end = time.monotonic() + seconds
        while not self.stopping and (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))
