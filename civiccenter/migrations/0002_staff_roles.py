"""Create the staff roles (Django groups) and give them the core permissions.

Each app's own data migration grants its models' permissions with
civiccenter.roles.grant().
"""

from django.db import migrations

from civiccenter import roles

CORE_PERMISSIONS = {
    roles.WINDOW_CLERK: {"civiccenter": ["view_department"]},
    roles.DEPARTMENT_REVIEWER: {"civiccenter": ["view_department"]},
    roles.DEPARTMENT_HEAD: {"civiccenter": ["view_department", "change_department", "view_user"]},
    roles.CONTENT_EDITOR: {"civiccenter": ["view_department"]},
    roles.MODERATOR: {"civiccenter": ["view_department"]},
    roles.CENTER_SUPERVISOR: {"civiccenter": ["view_department", "view_user"], "auth": ["view_group"]},
    roles.SYSTEM_ADMINISTRATOR: {
        "civiccenter": [
            f"{action}_{model}" for model in ("department", "user") for action in ("add", "change", "delete", "view")
        ],
        "auth": [f"{action}_group" for action in ("add", "change", "delete", "view")] + ["view_permission"],
    },
}


def create_roles(apps, schema_editor):
    for role in roles.ALL_ROLES:
        for app_label, codenames in CORE_PERMISSIONS[role].items():
            roles.grant(apps, role, app_label, codenames)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=roles.ALL_ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("civiccenter", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
