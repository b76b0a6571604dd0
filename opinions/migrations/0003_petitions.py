# Petitions (letters and visits): models, constraints, and the staff roles' permissions.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import civiccenter.lib.uploads
import civiccenter.lib.validators
from civiccenter import roles


def grant(apps, schema_editor):
    handle = [
        "view_petition",
        "add_petition",
        "handle_petition",
        "view_petitionopinion",
        "view_petitionfile",
        "view_petitionrepresentative",
    ]
    roles.grant(apps, roles.WINDOW_CLERK, "opinions", handle)
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, "opinions", handle)
    roles.grant(apps, roles.DEPARTMENT_HEAD, "opinions", [*handle, "approve_petition_extension"])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "opinions", ["view_petition", "view_petitionopinion"])


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0002_cases"),
        ("civiccenter", "0014_longer_counter_prefix"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Petition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("registered", "Registered, acceptance to be decided"),
                            ("accepted", "Accepted and being handled"),
                            ("transferred", "Transferred to the competent organ"),
                            ("redirected", "Directed to another procedure"),
                            ("not_accepted", "Not accepted"),
                            ("opinion_issued", "Handling opinion issued"),
                            ("review_requested", "Review requested"),
                            ("reviewed", "Review opinion issued"),
                            ("rereview_requested", "Re-review requested"),
                            ("final", "Final: re-review opinion issued"),
                        ],
                        default="registered",
                        editable=False,
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        max_length=100, validators=[civiccenter.lib.validators.validate_plain_text], verbose_name="name"
                    ),
                ),
                (
                    "address",
                    models.CharField(
                        max_length=200,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="address",
                    ),
                ),
                ("request", models.TextField(max_length=2000, verbose_name="request")),
                ("facts", models.TextField(max_length=5000, verbose_name="facts")),
                ("reasons", models.TextField(max_length=5000, verbose_name="reasons")),
                (
                    "represented_count",
                    models.PositiveIntegerField(default=1, verbose_name="number of people represented"),
                ),
                (
                    "represented_names",
                    models.TextField(blank=True, max_length=5000, verbose_name="names of the people represented"),
                ),
                ("fingerprint", models.CharField(editable=False, max_length=64)),
                ("decided_on", models.DateField(blank=True, editable=False, null=True, verbose_name="decided on")),
                (
                    "decision_note",
                    models.TextField(blank=True, editable=False, verbose_name="decision and explanation"),
                ),
                (
                    "transferred_to",
                    models.CharField(blank=True, editable=False, max_length=200, verbose_name="transferred to"),
                ),
                (
                    "route",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("litigation", "Litigation (a people's court)"),
                            ("arbitration", "Arbitration"),
                            ("reconsideration", "Administrative reconsideration"),
                            ("licensing", "Administrative licensing"),
                        ],
                        editable=False,
                        max_length=20,
                        verbose_name="where to go instead",
                    ),
                ),
                (
                    "extension_days",
                    models.PositiveSmallIntegerField(default=0, editable=False, verbose_name="extension (days)"),
                ),
                (
                    "extension_reason",
                    models.TextField(blank=True, editable=False, verbose_name="reason for the extension"),
                ),
                (
                    "review_window_ends",
                    models.DateField(
                        blank=True, editable=False, null=True, verbose_name="review may be requested until"
                    ),
                ),
                (
                    "review_requested_on",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="review requested on"),
                ),
                ("review_reason", models.TextField(blank=True, editable=False, verbose_name="reasons for the review")),
                (
                    "rereview_window_ends",
                    models.DateField(
                        blank=True, editable=False, null=True, verbose_name="re-review may be requested until"
                    ),
                ),
                (
                    "rereview_requested_on",
                    models.DateField(blank=True, editable=False, null=True, verbose_name="re-review requested on"),
                ),
                (
                    "rereview_reason",
                    models.TextField(blank=True, editable=False, verbose_name="reasons for the re-review"),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="submitted at"
                    ),
                ),
            ],
            options={
                "verbose_name": "petition",
                "verbose_name_plural": "petitions",
                "ordering": ["-created_at", "-pk"],
                "permissions": [
                    ("handle_petition", "Can decide on, handle and answer petitions"),
                    ("approve_petition_extension", "Can approve the extension of a petition (department head)"),
                ],
            },
        ),
        migrations.CreateModel(
            name="PetitionFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    civiccenter.lib.uploads.CheckedFileField(
                        folder="opinions/petitions",
                        max_length=200,
                        storage=civiccenter.lib.uploads.private_storage,
                        verbose_name="file",
                    ),
                ),
                (
                    "added_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="added at"),
                ),
            ],
            options={
                "verbose_name": "petition attachment",
                "verbose_name_plural": "petition attachments",
                "ordering": ["added_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PetitionOpinion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("handling", "Handling opinion"),
                            ("review", "Review opinion"),
                            ("rereview", "Re-review opinion"),
                        ],
                        max_length=10,
                        verbose_name="stage",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("supported", "Supported"),
                            ("explained", "Explained"),
                            ("not_supported", "Not supported"),
                        ],
                        max_length=20,
                        verbose_name="outcome",
                    ),
                ),
                ("facts", models.TextField(verbose_name="facts found")),
                ("legal_basis", models.TextField(verbose_name="legal basis")),
                ("text", models.TextField(verbose_name="opinion")),
                ("issued_on", models.DateField(verbose_name="issued on")),
            ],
            options={
                "verbose_name": "petition opinion",
                "verbose_name_plural": "petition opinions",
                "ordering": ["issued_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PetitionRepresentative",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveSmallIntegerField(verbose_name="number")),
                (
                    "name",
                    models.CharField(
                        max_length=100, validators=[civiccenter.lib.validators.validate_plain_text], verbose_name="name"
                    ),
                ),
            ],
            options={
                "verbose_name": "representative",
                "verbose_name_plural": "representatives",
                "ordering": ["seq"],
            },
        ),
        migrations.AddField(
            model_name="petition",
            name="case",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="petition",
                to="civiccenter.case",
                verbose_name="case",
            ),
        ),
        migrations.AddField(
            model_name="petition",
            name="extension_approved_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="petition",
            name="petitioner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="petitions",
                to=settings.AUTH_USER_MODEL,
                verbose_name="petitioner account",
            ),
        ),
        migrations.AddField(
            model_name="petitionfile",
            name="added_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="petitionfile",
            name="petition",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="files", to="opinions.petition"
            ),
        ),
        migrations.AddField(
            model_name="petitionopinion",
            name="issued_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="petitionopinion",
            name="petition",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="opinions", to="opinions.petition"
            ),
        ),
        migrations.AddField(
            model_name="petitionrepresentative",
            name="petition",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="representatives", to="opinions.petition"
            ),
        ),
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "registered",
                            "accepted",
                            "transferred",
                            "redirected",
                            "not_accepted",
                            "opinion_issued",
                            "review_requested",
                            "reviewed",
                            "rereview_requested",
                            "final",
                        ],
                    )
                ),
                name="petition_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "not_accepted"), _negated=True),
                fields=("fingerprint",),
                name="petition_one_per_matter",
            ),
        ),
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.CheckConstraint(
                condition=models.Q(("represented_count__gte", 1)), name="petition_represents_someone"
            ),
        ),
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("extension_days", 0), ("extension_reason", "")),
                    models.Q(
                        ("extension_days__gte", 1),
                        ("extension_days__lte", 30),
                        models.Q(("extension_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="petition_extension_at_most_30_with_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "redirected"), _negated=True),
                    models.Q(("route", ""), _negated=True),
                    _connector="OR",
                ),
                name="petition_redirect_names_route",
            ),
        ),
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "transferred"), _negated=True),
                    models.Q(("transferred_to", ""), _negated=True),
                    _connector="OR",
                ),
                name="petition_transfer_names_organ",
            ),
        ),
        migrations.AddConstraint(
            model_name="petitionopinion",
            constraint=models.UniqueConstraint(fields=("petition", "stage"), name="petition_one_opinion_per_stage"),
        ),
        migrations.AddConstraint(
            model_name="petitionopinion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("facts", ""), _negated=True),
                    models.Q(("legal_basis", ""), _negated=True),
                    models.Q(("text", ""), _negated=True),
                ),
                name="petition_opinion_complete",
            ),
        ),
        migrations.AddConstraint(
            model_name="petitionrepresentative",
            constraint=models.UniqueConstraint(fields=("petition", "seq"), name="petition_representative_seq_unique"),
        ),
        migrations.AddConstraint(
            model_name="petitionrepresentative",
            constraint=models.CheckConstraint(
                condition=models.Q(("seq__gte", 1), ("seq__lte", 5)), name="petition_at_most_5_representatives"
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
