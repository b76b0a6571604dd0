from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "civiccenter", ["view_notification"])


class Migration(migrations.Migration):
    dependencies = [("civiccenter", "0006_notifications")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
