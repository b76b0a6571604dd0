from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NgoConfig(AppConfig):
    name = "ngo"
    verbose_name = _("NGO services and development")
