from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    manage = [f"{action}_{model}" for model in ("calendarday", "calendaryear") for action in ("add", "change", "delete", "view")]
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "civiccenter", manage)
    for role in (roles.CENTER_SUPERVISOR, roles.DEPARTMENT_HEAD, roles.DEPARTMENT_REVIEWER, roles.WINDOW_CLERK):
        roles.grant(apps, role, "civiccenter", ["view_calendarday", "view_calendaryear"])


class Migration(migrations.Migration):
    dependencies = [("civiccenter", "0004_seed_calendar_2025_2026")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
