from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Government information disclosure")
    # After licensing (its report counts licensing decisions); reports last: generated from the rest.
    demo_order = 20
    demo_parts = ["demo.disclosure.documents.seed", "demo.disclosure.requests.seed", "demo.disclosure.reports.seed"]
    sweeps = [
        (
            "disclosure.models.requests.sweep_unclocked_requests",
            "online disclosure requests filed before the confirmation limit, given it from the day filed (Open "
            "Government Information Regulations, Article 31)",
        ),
        (
            "disclosure.models.requests.sweep_abandoned_requests",
            "disclosure requests not corrected in time, closed as abandoned (Open Government Information, Article 30)",
        ),
        (
            "disclosure.models.requests.sweep_unpaid_fees",
            "disclosure requests whose fee was not paid in time, no longer processed (Open Government Information, "
            "Article 42)",
        ),
        (
            "disclosure.models.reports.sweep_report_reminders",
            "annual disclosure report reminders (Open Government Information Regulations, Article 49-50)",
        ),
    ]
    sitemaps = "disclosure.sitemaps.SITEMAPS"
    calendar_dates = [
        (
            "disclosure.models.documents.recompute_publication_deadlines",
            "unpublished documents' publication deadlines (Open Government Information Regulations, Article 26)",
        )
    ]
