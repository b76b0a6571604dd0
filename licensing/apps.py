from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("Government affairs center")
    demo_order = 10
    demo_parts = ["demo.licensing.matters.seed_all"]
    sweeps = [
        ("licensing.models.sweep_deemed_acceptances", "deemed acceptances (Administrative Licensing Law, Article 32)"),
        ("licensing.models.sweep_appointment_reminders", "reminders of tomorrow's window appointments"),
        (
            "licensing.models.sweep_renewal_reminders",
            "licence renewal reminders (Administrative Licensing Law, Article 50)",
        ),
    ]
    calendar_dates = [
        ("licensing.models.applications.recompute_promised_dates", "open applications' promised decision dates"),
        (
            "licensing.models.licences.recompute_publication_dates",
            "the day approvals claiming business secrets enter the register (Administrative Licensing Law, Article 5)",
        ),
    ]
