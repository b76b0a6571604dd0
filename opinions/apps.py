from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "opinions"
    verbose_name = _("Opinion collection")
    demo_order = 50
    demo_parts = ["opinions.demo_cases.seed", "opinions.demo_petitions.seed", "opinions.demo_surveys.seed"]
