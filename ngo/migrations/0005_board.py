import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import civiccenter.lib.crypto
import civiccenter.lib.uploads
import civiccenter.lib.validators
from civiccenter import roles


def grant_board(apps, schema_editor):
    view = ["view_post", "view_response", "view_report"]
    moderate = [*view, "moderate_post"]
    roles.grant(apps, roles.MODERATOR, "ngo", moderate)
    roles.grant(apps, roles.CENTER_SUPERVISOR, "ngo", view)
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "ngo", moderate)


class Migration(migrations.Migration):
    dependencies = [
        ("ngo", "0004_development"),
        ("civiccenter", "0002_staff_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Post",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("need", "Need help"), ("offer", "Offer help")],
                        max_length=5,
                        verbose_name="need or offer",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("elderly", "Elderly care and company"),
                            ("children", "Children and homework"),
                            ("errands", "Errands and shopping"),
                            ("repairs", "Household repairs"),
                            ("transport", "Transport and accompanying"),
                            ("health", "Health and hospital visits"),
                            ("skills", "Skills and lessons"),
                            ("goods", "Lending and giving items"),
                            ("other", "Other"),
                        ],
                        max_length=12,
                        verbose_name="category",
                    ),
                ),
                (
                    "area",
                    models.CharField(
                        help_text="Street or community, e.g. 城南街道.",
                        max_length=60,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="area",
                    ),
                ),
                (
                    "when_text",
                    models.CharField(
                        blank=True,
                        help_text="E.g. “weekday mornings” or “any weekend”.",
                        max_length=100,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="when",
                    ),
                ),
                ("starts_on", models.DateField(blank=True, null=True, verbose_name="from")),
                ("ends_on", models.DateField(blank=True, null=True, verbose_name="until")),
                (
                    "title",
                    models.CharField(
                        max_length=100,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="title",
                    ),
                ),
                ("description", models.TextField(max_length=2000, verbose_name="description")),
                (
                    "contact_phone",
                    civiccenter.lib.crypto.EncryptedCharField(
                        blank=True,
                        max_length=20,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^(?:1[3-9]\\d{9}|0\\d{2,3}[- ]?\\d{3,4}[- ]?\\d{4}(?:-\\d{1,6})?)$",
                                "Enter a mobile number (11 digits) or a landline with its area code, e.g. 010-12345678.",
                                code="invalid_phone",
                            )
                        ],
                        verbose_name="contact phone",
                    ),
                ),
                ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="contact e-mail")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for moderation"),
                            ("open", "Open"),
                            ("accepted", "Response accepted"),
                            ("closed", "Closed"),
                            ("rejected", "Not published"),
                            ("hidden", "Hidden by a moderator"),
                        ],
                        db_index=True,
                        default="pending",
                        editable=False,
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("moderation_reason", models.TextField(blank=True, editable=False, verbose_name="reason")),
                (
                    "moderated_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="moderated at"),
                ),
                (
                    "published_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="published at"),
                ),
                ("closed_at", models.DateTimeField(blank=True, editable=False, null=True, verbose_name="closed at")),
                ("poster_thanks", models.CharField(blank=True, max_length=300, verbose_name="thanks from the poster")),
                (
                    "responder_thanks",
                    models.CharField(blank=True, max_length=300, verbose_name="thanks from the helper"),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="board_posts",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="posted by",
                    ),
                ),
                (
                    "moderated_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="moderated by",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="board_posts",
                        to="ngo.organization",
                        verbose_name="on behalf of",
                    ),
                ),
            ],
            options={
                "verbose_name": "board post",
                "verbose_name_plural": "board posts",
                "ordering": ["-published_at", "-pk"],
                "permissions": [("moderate_post", "Can approve, reject and hide board posts and responses")],
            },
        ),
        migrations.CreateModel(
            name="Response",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("message", models.TextField(max_length=1000, verbose_name="message")),
                (
                    "contact_phone",
                    civiccenter.lib.crypto.EncryptedCharField(
                        blank=True,
                        max_length=20,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^(?:1[3-9]\\d{9}|0\\d{2,3}[- ]?\\d{3,4}[- ]?\\d{4}(?:-\\d{1,6})?)$",
                                "Enter a mobile number (11 digits) or a landline with its area code, e.g. 010-12345678.",
                                code="invalid_phone",
                            )
                        ],
                        verbose_name="contact phone",
                    ),
                ),
                ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="contact e-mail")),
                ("accepted", models.BooleanField(default=False, editable=False, verbose_name="accepted")),
                (
                    "accepted_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="accepted at"),
                ),
                ("hidden", models.BooleanField(default=False, editable=False, verbose_name="hidden")),
                ("hidden_reason", models.TextField(blank=True, editable=False, verbose_name="reason for hiding")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="sent at"),
                ),
                (
                    "hidden_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="hidden by",
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="responses",
                        to="ngo.post",
                        verbose_name="post",
                    ),
                ),
                (
                    "responder",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="board_responses",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="responder",
                    ),
                ),
            ],
            options={
                "verbose_name": "response to a board post",
                "verbose_name_plural": "responses to board posts",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Report",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.TextField(max_length=500, verbose_name="reason")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="reported at"),
                ),
                (
                    "resolved_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="resolved at"),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[("hidden", "Hidden"), ("dismissed", "Dismissed")],
                        editable=False,
                        max_length=10,
                        verbose_name="outcome",
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="ngo.post",
                        verbose_name="post",
                    ),
                ),
                (
                    "reporter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reported by",
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="resolved by",
                    ),
                ),
                (
                    "response",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="ngo.response",
                        verbose_name="response",
                    ),
                ),
            ],
            options={
                "verbose_name": "report of abuse on the board",
                "verbose_name_plural": "reports of abuse on the board",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                condition=models.Q(("status", "open")), fields=["-published_at", "-id"], name="boardpost_open_keyset"
            ),
        ),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["pending", "open", "accepted", "closed", "rejected", "hidden"])),
                name="boardpost_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["need", "offer"])), name="boardpost_kind_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("contact_phone", ""), _negated=True),
                    models.Q(("contact_email", ""), _negated=True),
                    _connector="OR",
                ),
                name="boardpost_has_contact",
            ),
        ),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("starts_on__isnull", True),
                    ("ends_on__isnull", True),
                    ("ends_on__gte", models.F("starts_on")),
                    _connector="OR",
                ),
                name="boardpost_dates_in_order",
            ),
        ),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["pending", "rejected"]), ("published_at__isnull", False), _connector="OR"
                ),
                name="boardpost_published_has_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["rejected", "hidden"]), _negated=True),
                    models.Q(("moderation_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="boardpost_refusal_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "closed"),
                    models.Q(("poster_thanks", ""), ("responder_thanks", "")),
                    ("status", "hidden"),
                    _connector="OR",
                ),
                name="boardpost_thanks_when_closed",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(fields=("post", "responder"), name="boardresponse_once_per_user"),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=models.Q(("accepted", True)), fields=("post",), name="boardresponse_one_accepted"
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("contact_phone", ""), _negated=True),
                    models.Q(("contact_email", ""), _negated=True),
                    _connector="OR",
                ),
                name="boardresponse_has_contact",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(("message", ""), _negated=True), name="boardresponse_message_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(("accepted", False), ("accepted_at__isnull", False), _connector="OR"),
                name="boardresponse_accepted_has_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(("hidden", False), models.Q(("hidden_reason", ""), _negated=True), _connector="OR"),
                name="boardresponse_hidden_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("post__isnull", False), ("response__isnull", True)),
                    models.Q(("post__isnull", True), ("response__isnull", False)),
                    _connector="OR",
                ),
                name="boardreport_one_target",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("post__isnull", False)),
                fields=("reporter", "post"),
                name="boardreport_post_once_per_user",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("response__isnull", False)),
                fields=("reporter", "response"),
                name="boardreport_response_once_per_user",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(("reason", ""), _negated=True), name="boardreport_has_reason"
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(("outcome__in", ["", "hidden", "dismissed"])), name="boardreport_outcome_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("resolved_at__isnull", True), ("outcome", "")),
                    models.Q(("resolved_at__isnull", False), models.Q(("outcome", ""), _negated=True)),
                    _connector="OR",
                ),
                name="boardreport_resolved_has_outcome",
            ),
        ),
        migrations.RunPython(grant_board, migrations.RunPython.noop),
    ]
