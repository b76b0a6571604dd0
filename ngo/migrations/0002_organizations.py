# The organizations part: verification history, invitations, the phone-consent field, USCC prefix checks,
# and the verifiers' permissions.

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from civiccenter import roles

VIEW = ["view_organization", "view_membership", "view_organizationevent", "view_invitation"]


def _existing(apps, codenames):
    """The view permissions of models still there: the verification events' own table went in 0009, and the
    tests run this again over today's models (the one status history replaced it)."""
    names = {model._meta.model_name for model in apps.get_app_config("ngo").get_models()}
    return [codename for codename in codenames if not codename.startswith("view_") or codename[5:] in names]


def grant(apps, schema_editor):
    # Department reviewers and heads verify; only those of the civil affairs department (or center-wide
    # roles) reach the queue (OrganizationQuerySet.for_verifier). System administrators also feature them.
    view = _existing(apps, VIEW)
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, "ngo", [*view, "verify_organization"])
    roles.grant(apps, roles.DEPARTMENT_HEAD, "ngo", [*view, "verify_organization"])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "ngo", view)
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "ngo", [*view, "verify_organization", "change_organization"])


class Migration(migrations.Migration):
    dependencies = [
        ("ngo", "0001_initial"),
        ("civiccenter", "0002_staff_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="organization",
            options={
                "ordering": ["name"],
                "permissions": [("verify_organization", "Can verify or return organizations")],
                "verbose_name": "organization",
                "verbose_name_plural": "organizations",
            },
        ),
        migrations.CreateModel(
            name="Invitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254, verbose_name="e-mail address")),
                (
                    "role",
                    models.CharField(
                        choices=[("admin", "Administrator"), ("member", "Member")],
                        default="member",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="invited at")),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                ("accepted_at", models.DateTimeField(blank=True, null=True, verbose_name="accepted at")),
            ],
            options={
                "verbose_name": "invitation",
                "verbose_name_plural": "invitations",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="OrganizationEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "old_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("pending", "Awaiting verification"),
                            ("returned", "Returned for correction"),
                            ("verified", "Verified"),
                        ],
                        max_length=10,
                        verbose_name="previous status",
                    ),
                ),
                (
                    "new_status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting verification"),
                            ("returned", "Returned for correction"),
                            ("verified", "Verified"),
                        ],
                        max_length=10,
                        verbose_name="new status",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="time")),
            ],
            options={
                "verbose_name": "verification event",
                "verbose_name_plural": "verification events",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.AddField(
            model_name="organization",
            name="show_phone",
            field=models.BooleanField(default=False, verbose_name="show the contact phone in the public directory"),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("type", "social_group"), _negated=True), ("uscc__startswith", "51"), _connector="OR"
                ),
                name="organization_uscc_prefix_social_group",
                violation_error_message="The code does not begin with the digits its organization type requires.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("type", "private_non_enterprise"), _negated=True),
                    ("uscc__startswith", "52"),
                    _connector="OR",
                ),
                name="organization_uscc_prefix_private_non_enterprise",
                violation_error_message="The code does not begin with the digits its organization type requires.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("type", "foundation"), _negated=True), ("uscc__startswith", "53"), _connector="OR"
                ),
                name="organization_uscc_prefix_foundation",
                violation_error_message="The code does not begin with the digits its organization type requires.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "returned"), _negated=True),
                    models.Q(("return_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="organization_returned_has_reason",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="accepted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="accepted by",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="invited_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="invited by",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="ngo.organization",
                verbose_name="organization",
            ),
        ),
        migrations.AddField(
            model_name="organizationevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="acted by",
            ),
        ),
        migrations.AddField(
            model_name="organizationevent",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="ngo.organization",
                verbose_name="organization",
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["admin", "member"])), name="invitation_role_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("expires_at__gt", models.F("created_at"))), name="invitation_expires_later"
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                models.F("organization"),
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("accepted_at__isnull", True)),
                name="invitation_one_open_per_email",
            ),
        ),
        migrations.AlterField(
            model_name="organization",
            name="verified_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="verified by",
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
