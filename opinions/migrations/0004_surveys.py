import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import civiccenter.lib.validators
from civiccenter import roles

BUILD = [
    f"{verb}_{model}" for model in ("survey", "question", "choice") for verb in ("add", "change", "delete", "view")
]
VIEW = ["view_survey", "view_question", "view_choice"]


def grant(apps, schema_editor):
    # Content editors and department staff build their department's surveys; heads and editors publish them.
    roles.grant(apps, roles.CONTENT_EDITOR, "opinions", [*BUILD, "publish_survey", "read_responses"])
    roles.grant(apps, roles.DEPARTMENT_HEAD, "opinions", [*BUILD, "publish_survey", "read_responses"])
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, "opinions", [*BUILD, "read_responses"])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "opinions", [*VIEW, "read_responses"])
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "opinions", [*BUILD, "publish_survey", "read_responses"])


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0003_petitions"),
        ("civiccenter", "0002_staff_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Survey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "title",
                    models.CharField(
                        max_length=200,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="title",
                    ),
                ),
                (
                    "introduction",
                    models.TextField(
                        help_text="What the survey is about, who runs it and how the answers will be used.",
                        verbose_name="introduction",
                    ),
                ),
                ("opens_at", models.DateTimeField(verbose_name="opens at")),
                (
                    "closes_at",
                    models.DateTimeField(help_text="Answers are accepted until this moment.", verbose_name="closes at"),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[("everyone", "Everyone, signed in or not"), ("signed_in", "Signed-in users only")],
                        default="everyone",
                        max_length=10,
                        verbose_name="who may answer",
                    ),
                ),
                (
                    "anonymous_limit",
                    models.PositiveSmallIntegerField(
                        default=3,
                        help_text="For surveys open to everyone: how many anonymous responses one browser on one network address may send. Raise it for surveys answered on shared computers (for example in the service hall).",
                        verbose_name="responses per device without an account",
                    ),
                ),
                (
                    "publish_results",
                    models.BooleanField(
                        default=True,
                        help_text="Counts and percentages only; written answers are never published.",
                        verbose_name="publish results when the survey closes",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="published at"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="surveys",
                        to="civiccenter.department",
                        verbose_name="department",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="published by",
                    ),
                ),
            ],
            options={
                "verbose_name": "survey",
                "verbose_name_plural": "surveys",
                "ordering": ["-opens_at", "-pk"],
                "permissions": [
                    ("publish_survey", "Can publish surveys"),
                    ("read_responses", "Can read survey responses, written answers included"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Question",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order", models.PositiveSmallIntegerField(default=1, verbose_name="question number")),
                (
                    "text",
                    models.CharField(
                        max_length=300,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="question text",
                    ),
                ),
                ("help_text", models.CharField(blank=True, max_length=300, verbose_name="question explanation")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("single", "Single choice"),
                            ("multiple", "Multiple choice"),
                            ("scale", "Scale"),
                            ("text", "Free text"),
                        ],
                        default="single",
                        max_length=10,
                        verbose_name="kind of answer",
                    ),
                ),
                ("required", models.BooleanField(default=True, verbose_name="answer required")),
                (
                    "scale_max",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="For scales: the highest point, 2 to 10.",
                        null=True,
                        verbose_name="scale from 1 to",
                    ),
                ),
                (
                    "scale_min_label",
                    models.CharField(blank=True, max_length=40, verbose_name="label of the lowest point"),
                ),
                (
                    "scale_max_label",
                    models.CharField(blank=True, max_length=40, verbose_name="label of the highest point"),
                ),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to="opinions.survey",
                        verbose_name="survey",
                    ),
                ),
            ],
            options={
                "verbose_name": "survey question",
                "verbose_name_plural": "survey questions",
                "ordering": ["survey", "order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Choice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order", models.PositiveSmallIntegerField(default=1, verbose_name="order")),
                (
                    "text",
                    models.CharField(
                        max_length=200,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="choice",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="choices",
                        to="opinions.question",
                        verbose_name="survey question",
                    ),
                ),
            ],
            options={
                "verbose_name": "choice",
                "verbose_name_plural": "choices",
                "ordering": ["question", "order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Response",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("client_key", models.CharField(blank=True, editable=False, max_length=64, verbose_name="client key")),
                (
                    "client_slot",
                    models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name="client slot"),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="submitted at"
                    ),
                ),
                (
                    "respondent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="respondent",
                    ),
                ),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="opinions.survey",
                        verbose_name="survey",
                    ),
                ),
            ],
            options={
                "verbose_name": "survey response",
                "verbose_name_plural": "survey responses",
                "ordering": ["survey", "created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Answer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="scale value")),
                ("text", models.TextField(blank=True, max_length=2000, verbose_name="written answer")),
                (
                    "choice",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="answers",
                        to="opinions.choice",
                        verbose_name="choice",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="answers",
                        to="opinions.question",
                        verbose_name="survey question",
                    ),
                ),
                (
                    "response",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="opinions.response",
                        verbose_name="survey response",
                    ),
                ),
            ],
            options={
                "verbose_name": "survey answer",
                "verbose_name_plural": "survey answers",
                "ordering": ["response", "question", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("choice__isnull", False), ("value__isnull", True), ("text", "")),
                            models.Q(
                                ("choice__isnull", True), ("value__isnull", False), ("value__gte", 1), ("text", "")
                            ),
                            models.Q(
                                ("choice__isnull", True), ("value__isnull", True), models.Q(("text", ""), _negated=True)
                            ),
                            _connector="OR",
                        ),
                        name="survey_answer_one_kind",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("choice__isnull", False)),
                        fields=("response", "question", "choice"),
                        name="survey_answer_choice_once",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("choice__isnull", True)),
                        fields=("response", "question"),
                        name="survey_answer_value_once",
                    ),
                ],
            },
        ),
        migrations.AddIndex(
            model_name="survey",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["-closes_at", "-id"],
                name="survey_closed_keyset",
            ),
        ),
        migrations.AddConstraint(
            model_name="survey",
            constraint=models.CheckConstraint(
                condition=models.Q(("closes_at__gt", models.F("opens_at"))), name="survey_closes_after_opening"
            ),
        ),
        migrations.AddConstraint(
            model_name="survey",
            constraint=models.CheckConstraint(
                condition=models.Q(("audience__in", ["everyone", "signed_in"])), name="survey_audience_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="survey",
            constraint=models.CheckConstraint(
                condition=models.Q(("anonymous_limit__gte", 1), ("anonymous_limit__lte", 1000)),
                name="survey_anonymous_limit_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=models.Q(("respondent__isnull", False)),
                fields=("survey", "respondent"),
                name="survey_one_response_per_account",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=models.Q(("respondent__isnull", True)),
                fields=("survey", "client_key", "client_slot"),
                name="survey_anonymous_slot_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("respondent__isnull", False), ("client_key", ""), ("client_slot__isnull", True)),
                    models.Q(
                        ("respondent__isnull", True),
                        models.Q(("client_key", ""), _negated=True),
                        ("client_slot__isnull", False),
                        ("client_slot__gte", 1),
                    ),
                    _connector="OR",
                ),
                name="survey_response_account_or_client",
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["single", "multiple", "scale", "text"])),
                name="survey_question_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "scale"), _negated=True),
                    models.Q(("scale_max__gte", 2), ("scale_max__lte", 10)),
                    _connector="OR",
                ),
                name="survey_question_scale_range",
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
