from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    # Every staff role reads the status history of what it can see (the admin's history inline).
    for role in roles.ALL_ROLES:
        roles.grant(apps, role, "civiccenter", ["view_statusevent"])


class Migration(migrations.Migration):
    dependencies = [("civiccenter", "0018_status_history"), ("civiccenter", "0002_staff_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
