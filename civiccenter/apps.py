from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class CivicCenterConfig(AppConfig):
    name = "civiccenter"
    verbose_name = _("People and departments")
    default_auto_field = "django.db.models.BigAutoField"
    sweeps = [
        ("civiccenter.reminders.sweep_deadline_reminders", "deadline reminders and overdue notices to departments"),
        ("civiccenter.submissions.sweep_old_submissions", "one-time form tokens older than a week forgotten"),
    ]

    def ready(self):
        from axes.signals import user_locked_out

        from civiccenter import (
            checks,  # noqa: F401 - registers the deploy checks
            throttle,
        )

        user_locked_out.connect(throttle.tell_account_holder, dispatch_uid="civiccenter-locked-out")

        from django.contrib.auth.signals import user_logged_in

        from civiccenter.middleware import staff_seen_at_sign_in

        user_logged_in.connect(staff_seen_at_sign_in, dispatch_uid="civiccenter-staff-seen")


class CivicAdminConfig(AdminConfig):
    default_site = "civiccenter.admin_site.CivicAdminSite"

    def ready(self):
        from civiccenter import admin_hardening

        admin_hardening.install()  # before the model admins are made: they copy the admin's form field defaults
        super().ready()
