from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Online consultation")
    # After disclosure: interpretations link to its documents.
    demo_order = 30
    demo_parts = ["demo.consultation.questions.seed"]
    sweeps = [("consultation.models.sweep_lecture_reminders", "reminders of tomorrow's policy lectures")]
