from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    view = ["view_application", "view_applicationfile"]
    for role in (roles.WINDOW_CLERK, roles.DEPARTMENT_REVIEWER, roles.DEPARTMENT_HEAD, roles.SYSTEM_ADMINISTRATOR):
        roles.grant(apps, role, "licensing", [*view, "decide_application"])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "licensing", view)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0004_application_decide_permission")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
