from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    # (The hearing history is the shared status history since 0006: see civiccenter 0019.)
    view = ["view_hearing", "view_hearingcategory", "view_hearingregistration"]
    edit = [
        "add_hearing",
        "change_hearing",
        "add_hearingcategory",
        "change_hearingcategory",
        "delete_hearingcategory",
    ]
    # Reviewers and heads prepare and conduct their department's hearings; supervisors read them all.
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, "hearings", [*view, *edit, "conduct_hearing"])
    roles.grant(apps, roles.DEPARTMENT_HEAD, "hearings", [*view, *edit, "conduct_hearing", "delete_hearing"])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "hearings", view)
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "hearings", [*view, *edit, "conduct_hearing", "delete_hearing"])


class Migration(migrations.Migration):
    dependencies = [("hearings", "0003_hearings_registration_draw"), ("civiccenter", "0002_staff_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
