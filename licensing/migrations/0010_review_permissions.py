from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    for role in (roles.DEPARTMENT_HEAD, roles.SYSTEM_ADMINISTRATOR):
        roles.grant(apps, role, "licensing", ["extend_application"])
    for role in (roles.WINDOW_CLERK, roles.DEPARTMENT_REVIEWER, roles.DEPARTMENT_HEAD, roles.SYSTEM_ADMINISTRATOR):
        roles.grant(apps, role, "licensing", ["view_licence"])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "licensing", ["view_licence"])


class Migration(migrations.Migration):
    dependencies = [("licensing", "0009_extend_permission")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
