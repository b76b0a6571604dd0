from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "opinions"
    verbose_name = _("Opinion collection")
    demo_order = 50
    demo_parts = ["demo.opinions.cases.seed", "demo.opinions.petitions.seed", "demo.opinions.surveys.seed"]
