from datetime import date

from django.core.management.base import BaseCommand, CommandError

from civiccenter import parts
from civiccenter.lib import clock


class Command(BaseCommand):
    help = "Do what passed statutory deadlines demand. Run it from cron every night (and safely more often)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to sweep as (YYYY-MM-DD); default: today in Asia/Shanghai")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else clock.today()
        except ValueError as error:
            raise CommandError(f"--today must be YYYY-MM-DD: {error}") from error
        # Each app declares its sweeps on its AppConfig (civiccenter.parts).
        for sweep, label in parts.sweeps():
            count = sweep(day)
            self.stdout.write(f"{day}: {count} {label}")
