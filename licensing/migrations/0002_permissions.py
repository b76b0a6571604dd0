from django.db import migrations

from civiccenter import roles

CATALOGUE = ["lifeevent", "matter", "matterversion", "material"]


def grant(apps, schema_editor):
    every = [f"{action}_{model}" for model in CATALOGUE for action in ("add", "change", "delete", "view")]
    view = [f"view_{model}" for model in CATALOGUE]
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "licensing", every)
    # The department keeps its own matters' guides current (Art. 30); the head approves them.
    editing = ["change_matter", "change_matterversion", "add_material", "change_material", "delete_material"]
    for role in (roles.CONTENT_EDITOR, roles.DEPARTMENT_HEAD):
        roles.grant(apps, role, "licensing", view + editing)
    for role in (roles.WINDOW_CLERK, roles.DEPARTMENT_REVIEWER, roles.CENTER_SUPERVISOR):
        roles.grant(apps, role, "licensing", view)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0001_initial"), ("civiccenter", "0007_notification_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
