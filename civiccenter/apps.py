from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class CivicCenterConfig(AppConfig):
    name = "civiccenter"
    verbose_name = _("People and departments")
    default_auto_field = "django.db.models.BigAutoField"
    sweeps = [
        ("civiccenter.reminders.sweep_deadline_reminders", "deadline reminders and overdue notices to departments"),
    ]

    def ready(self):
        from civiccenter import checks  # noqa: F401 - registers the deploy checks


class CivicAdminConfig(AdminConfig):
    default_site = "civiccenter.admin_site.CivicAdminSite"

    def ready(self):
        from civiccenter import admin_hardening

        admin_hardening.install()  # before the model admins are made: they copy the admin's form field defaults
        super().ready()
