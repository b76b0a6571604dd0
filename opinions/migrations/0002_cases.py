# The cases part: transfer and information-request fields, workflow constraints, permissions for the roles.
import django.db.models.deletion
from django.db import migrations, models

from civiccenter import roles


def grant(apps, schema_editor):
    view = ["view_category", "view_opinion", "view_opinionfile"]
    handle = ["handle_opinion", "register_opinion"]
    categories = ["add_category", "change_category"]
    # Clerks register and handle at the window; reviewers and heads handle; heads keep the categories current;
    # the center supervisor reads everything and decides disputed transfers.
    roles.grant(apps, roles.WINDOW_CLERK, "opinions", [*view, *handle])
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, "opinions", [*view, *handle])
    roles.grant(apps, roles.DEPARTMENT_HEAD, "opinions", [*view, *handle, *categories])
    roles.grant(apps, roles.MODERATOR, "opinions", view)
    roles.grant(apps, roles.CENTER_SUPERVISOR, "opinions", [*view, "decide_transfer"])
    roles.grant(
        apps,
        roles.SYSTEM_ADMINISTRATOR,
        "opinions",
        [*view, *handle, *categories, "delete_category", "decide_transfer"],
    )


class Migration(migrations.Migration):
    dependencies = [("opinions", "0001_initial"), ("civiccenter", "0002_staff_roles")]

    operations = [
        migrations.AlterModelOptions(
            name="opinion",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [
                    ("handle_opinion", "Can accept, transfer, ask for information, reply to and merge opinions"),
                    ("register_opinion", "Can register opinions received by phone, at the window or by post"),
                    ("decide_transfer", "Can decide disputed transfers of opinions (center supervisor)"),
                ],
                "verbose_name": "opinion",
                "verbose_name_plural": "opinions",
            },
        ),
        migrations.AddField(
            model_name="opinion",
            name="dispute_reason",
            field=models.TextField(blank=True, editable=False, verbose_name="reason for disputing the transfer"),
        ),
        migrations.AddField(
            model_name="opinion",
            name="info_request",
            field=models.TextField(blank=True, editable=False, verbose_name="information requested"),
        ),
        migrations.AddField(
            model_name="opinion",
            name="info_requested_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="information requested at"),
        ),
        migrations.AddField(
            model_name="opinion",
            name="transfer_reason",
            field=models.TextField(blank=True, editable=False, verbose_name="reason for the transfer"),
        ),
        migrations.AddField(
            model_name="opinion",
            name="transferred_from",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="civiccenter.department",
                verbose_name="transferred from",
            ),
        ),
        migrations.AddConstraint(
            model_name="opinion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "submitted",
                            "transfer_disputed",
                            "accepted",
                            "info_requested",
                            "replied",
                            "reopened",
                            "merged",
                        ],
                    )
                ),
                name="opinion_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="opinion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("merged_into__isnull", False), ("status", "merged")),
                    models.Q(models.Q(("status", "merged"), _negated=True), ("merged_into", None)),
                    _connector="OR",
                ),
                name="opinion_merged_iff_merged_into",
            ),
        ),
        migrations.AddConstraint(
            model_name="opinion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "replied"), _negated=True),
                    models.Q(("replied_at__isnull", False), models.Q(("reply", ""), _negated=True)),
                    _connector="OR",
                ),
                name="opinion_replied_has_reply",
            ),
        ),
        migrations.AddConstraint(
            model_name="opinion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("reopen_reason", ""), ("reopened_at", None)),
                    models.Q(("reopened_at__isnull", False), models.Q(("reopen_reason", ""), _negated=True)),
                    _connector="OR",
                ),
                name="opinion_reopened_with_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="opinion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "report"), _negated=True), ("consent_to_publish", False), _connector="OR"
                ),
                name="opinion_report_not_for_publication",
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
