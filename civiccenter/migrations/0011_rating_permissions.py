from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    for role in (roles.DEPARTMENT_HEAD, roles.DEPARTMENT_REVIEWER, roles.SYSTEM_ADMINISTRATOR):
        roles.grant(apps, role, "civiccenter", ["view_followup", "change_followup"])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "civiccenter", ["view_followup", "view_rating"])


class Migration(migrations.Migration):
    dependencies = [("civiccenter", "0010_ratings")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
