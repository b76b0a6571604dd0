from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NgoConfig(AppConfig):
    name = "ngo"
    verbose_name = _("NGO services and development")
    # Organizations first: venues are booked, and activities published, by them.
    demo_order = 60
    demo_parts = [
        "demo.ngo.organizations.seed",
        "demo.ngo.venues.seed",
        "demo.ngo.development.seed",
        "demo.ngo.board.seed",
        "demo.ngo.showcase.seed",
    ]
    sweeps = [
        ("ngo.models.venues.sweep_bookings", "venue booking reminders for tomorrow, and ended bookings closed"),
        ("ngo.models.development.sweep_activity_reminders", "reminders of tomorrow's NGO activities to registrants"),
    ]
