from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    for role in (
        roles.SYSTEM_ADMINISTRATOR,
        roles.CENTER_SUPERVISOR,
        roles.DEPARTMENT_HEAD,
        roles.DEPARTMENT_REVIEWER,
        roles.WINDOW_CLERK,
    ):
        roles.grant(apps, role, "civiccenter", ["view_issueddocument"])


class Migration(migrations.Migration):
    dependencies = [("civiccenter", "0024_issued_documents")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
