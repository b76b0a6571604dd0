from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    slots = ["add_windowslot", "change_windowslot", "delete_windowslot", "view_windowslot", "view_appointment"]
    for role in (roles.WINDOW_CLERK, roles.DEPARTMENT_HEAD, roles.SYSTEM_ADMINISTRATOR):
        roles.grant(apps, role, "licensing", slots)
    for role in (roles.DEPARTMENT_REVIEWER, roles.CENTER_SUPERVISOR):
        roles.grant(apps, role, "licensing", ["view_windowslot", "view_appointment"])


class Migration(migrations.Migration):
    dependencies = [("licensing", "0012_window_appointments")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
