"""Staff roles: Django groups, created by data migrations.

The group names are the stable identifiers code refers to; they carry both
languages because the admin shows them as they are stored. Each app's own data
migration grants its models' permissions to these groups with `grant()`.
"""

from django.utils.translation import gettext_lazy as _

WINDOW_CLERK = "窗口受理员 Window clerk"
DEPARTMENT_REVIEWER = "部门审核员 Department reviewer"
DEPARTMENT_HEAD = "部门负责人 Department head"
CONTENT_EDITOR = "内容编辑 Content editor"
MODERATOR = "内容审核员 Moderator"
CENTER_SUPERVISOR = "中心督查员 Center supervisor"
SYSTEM_ADMINISTRATOR = "系统管理员 System administrator"

ALL_ROLES = [
    WINDOW_CLERK,
    DEPARTMENT_REVIEWER,
    DEPARTMENT_HEAD,
    CONTENT_EDITOR,
    MODERATOR,
    CENTER_SUPERVISOR,
    SYSTEM_ADMINISTRATOR,
]

ROLE_DESCRIPTIONS = {
    WINDOW_CLERK: _("Registers and accepts submissions at the window and online."),
    DEPARTMENT_REVIEWER: _("Reviews and answers the department's cases."),
    DEPARTMENT_HEAD: _("Approves extensions and decisions; keeps the department's details current."),
    CONTENT_EDITOR: _("Publishes the department's information and pages."),
    MODERATOR: _("Reviews public comments and contributions before they are shown."),
    CENTER_SUPERVISOR: _("Reads the work of every department and supervises deadlines and ratings."),
    SYSTEM_ADMINISTRATOR: _("Manages accounts, roles, departments and settings for the whole center."),
}

# Roles whose reach is the whole center rather than one department. The
# supervisor holds view permissions only, so reaching everything means reading it.
ALL_DEPARTMENT_ROLES = {CENTER_SUPERVISOR, SYSTEM_ADMINISTRATOR}


def grant(apps, role: str, app_label: str, codenames: list[str]) -> None:
    """Give `role` the permissions `codenames` of `app_label` (for data migrations).

    Permissions are normally created after migrations run; creating them here
    lets a data migration grant them on a fresh database.
    """
    from django.contrib.auth.management import create_permissions

    # Migration app configs are stubs without a models module, which
    # create_permissions() takes for "no models": flag it for the call.
    app_config = apps.get_app_config(app_label)
    saved = getattr(app_config, "models_module", None)
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = saved
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=role)
    perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(perms.values_list("codename", flat=True))
    if missing:
        raise LookupError(f"No permissions {sorted(missing)} in {app_label}")
    group.permissions.add(*perms)
