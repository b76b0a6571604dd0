import time

from django.core.management.base import BaseCommand

from civiccenter.models import Notification


class Command(BaseCommand):
    help = (
        "Deliver queued e-mail notifications, retrying failures with back-off. "
        "Safe to run as several workers at once. Without --loop, sends what is due and exits (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling for new messages")
        parser.add_argument("--interval", type=float, default=3.0, help="seconds between polls when idle (--loop)")
        parser.add_argument("--limit", type=int, default=100, help="messages per round")

    def handle(self, *args, loop=False, interval=3.0, limit=100, **options):
        while True:
            done = Notification.deliver_due(limit=limit)
            if any(done.values()) or not loop:
                self.stdout.write(
                    f"Notifications: {done['sent']} sent, {done['retry']} to retry, {done['failed']} failed."
                )
            if not loop:
                return
            if done["sent"] + done["retry"] + done["failed"] < limit:
                time.sleep(interval)
