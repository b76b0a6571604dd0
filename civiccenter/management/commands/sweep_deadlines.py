from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

# What passing deadlines demand, app by app: each is a function(today) -> int.
SWEEPS = [
    ("civiccenter.cases.sweep_deadline_reminders", "deadline reminders and overdue notices to departments"),
    ("licensing.models.sweep_deemed_acceptances", "deemed acceptances (Administrative Licensing Law, Article 32)"),
    ("licensing.models.sweep_appointment_reminders", "reminders of tomorrow's window appointments"),
    (
        "licensing.models.sweep_renewal_reminders",
        "licence renewal reminders (Administrative Licensing Law, Article 50)",
    ),
    (
        "disclosure.models.requests.sweep_abandoned_requests",
        "disclosure requests not corrected in time, closed as abandoned (Open Government Information, Article 30)",
    ),
    (
        "disclosure.models.reports.sweep_report_reminders",
        "annual disclosure report reminders (Open Government Information Regulations, Article 49-50)",
    ),
    ("consultation.models.sweep_lecture_reminders", "reminders of tomorrow's policy lectures"),
    (
        "hearings.models.hearings.sweep_unrequested_licensing_hearings",
        "rights to a licensing hearing not used within 5 days (Administrative Licensing Law, Article 47)",
    ),
    ("ngo.models.venues.sweep_bookings", "venue booking reminders for tomorrow, and ended bookings closed"),
    ("ngo.models.development.sweep_activity_reminders", "reminders of tomorrow's NGO activities to registrants"),
]


class Command(BaseCommand):
    help = "Do what passed statutory deadlines demand. Run it from cron every night (and safely more often)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to sweep as (YYYY-MM-DD); default: today in Asia/Shanghai")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today must be YYYY-MM-DD: {error}") from error
        for path, label in SWEEPS:
            count = import_string(path)(day)
            self.stdout.write(f"{day}: {count} {label}")
