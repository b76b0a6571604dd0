from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Decision-making hearings")
    # After licensing: a licensing hearing is held on one of its demo applications.
    demo_order = 40
    demo_parts = ["demo.hearings.drafts.seed", "demo.hearings.hearings.seed"]
    sweeps = [
        (
            "hearings.models.hearings.sweep_unrequested_licensing_hearings",
            "rights to a licensing hearing not used within 5 days (Administrative Licensing Law, Article 47)",
        ),
    ]
