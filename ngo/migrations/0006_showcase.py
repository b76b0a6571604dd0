import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import civiccenter.lib.crypto
import civiccenter.lib.uploads
import civiccenter.lib.validators
from civiccenter import roles


def grant_showcase(apps, schema_editor):
    view = ["view_work", "view_workimage", "view_exhibition", "view_exhibitionentry"]
    curate = [
        "add_exhibition",
        "change_exhibition",
        "delete_exhibition",
        "add_exhibitionentry",
        "change_exhibitionentry",
        "delete_exhibitionentry",
    ]
    roles.grant(apps, roles.MODERATOR, "ngo", [*view, "moderate_work"])
    roles.grant(apps, roles.CONTENT_EDITOR, "ngo", [*view, *curate])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "ngo", view)
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "ngo", [*view, "moderate_work", *curate])


class Migration(migrations.Migration):
    dependencies = [
        ("ngo", "0005_board"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Exhibition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "title",
                    models.CharField(
                        max_length=100,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="title",
                    ),
                ),
                ("introduction", models.TextField(max_length=3000, verbose_name="introduction")),
                ("starts_on", models.DateField(verbose_name="opens on")),
                ("ends_on", models.DateField(verbose_name="closes on")),
                ("published", models.BooleanField(default=False, verbose_name="published")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
            ],
            options={
                "verbose_name": "exhibition",
                "verbose_name_plural": "exhibitions",
                "ordering": ["-starts_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Work",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("painting", "Painting"),
                            ("calligraphy", "Calligraphy"),
                            ("photography", "Photography"),
                            ("handicraft", "Handicraft"),
                            ("writing", "Writing"),
                            ("performance", "Performance (video link)"),
                            ("other", "Other"),
                        ],
                        max_length=12,
                        verbose_name="category",
                    ),
                ),
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
                    "video_url",
                    models.URLField(
                        blank=True,
                        help_text="For a performance: the https address of the video.",
                        validators=[
                            django.core.validators.URLValidator(
                                message="Give an https address (beginning with https://).", schemes=["https"]
                            )
                        ],
                        verbose_name="video link",
                    ),
                ),
                ("consent_to_publish", models.BooleanField(default=False, verbose_name="consent to publish")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for moderation"),
                            ("approved", "Published"),
                            ("returned", "Returned to the author"),
                            ("withdrawn", "Withdrawn by the author"),
                        ],
                        db_index=True,
                        default="pending",
                        editable=False,
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("return_reason", models.TextField(blank=True, editable=False, verbose_name="reason for returning")),
                (
                    "moderated_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="moderated at"),
                ),
                (
                    "published_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="published at"),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="submitted at"
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="showcase_works",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
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
            ],
            options={
                "verbose_name": "showcase work",
                "verbose_name_plural": "showcase works",
                "ordering": ["-published_at", "-pk"],
                "permissions": [("moderate_work", "Can approve or return showcase works")],
            },
        ),
        migrations.CreateModel(
            name="ExhibitionEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "exhibition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="entries", to="ngo.exhibition"
                    ),
                ),
                (
                    "work",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="ngo.work",
                        verbose_name="work",
                    ),
                ),
            ],
            options={
                "verbose_name": "work in the exhibition",
                "verbose_name_plural": "works in the exhibition",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.AddField(
            model_name="exhibition",
            name="works",
            field=models.ManyToManyField(
                blank=True, related_name="exhibitions", through="ngo.ExhibitionEntry", to="ngo.work"
            ),
        ),
        migrations.CreateModel(
            name="WorkImage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "image",
                    civiccenter.lib.uploads.ResizedImageField(
                        folder="ngo/showcase", kinds=("png", "jpg"), max_length=200, verbose_name="image"
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, editable=False, verbose_name="width")),
                ("height", models.PositiveIntegerField(default=0, editable=False, verbose_name="height")),
                (
                    "small",
                    models.FileField(
                        blank=True, editable=False, upload_to="ngo/showcase/thumbs", verbose_name="small thumbnail"
                    ),
                ),
                ("small_width", models.PositiveIntegerField(default=0, editable=False)),
                ("small_height", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "medium",
                    models.FileField(
                        blank=True, editable=False, upload_to="ngo/showcase/thumbs", verbose_name="medium thumbnail"
                    ),
                ),
                ("medium_width", models.PositiveIntegerField(default=0, editable=False)),
                ("medium_height", models.PositiveIntegerField(default=0, editable=False)),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "work",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="images",
                        to="ngo.work",
                        verbose_name="work",
                    ),
                ),
            ],
            options={
                "verbose_name": "image of a work",
                "verbose_name_plural": "images of works",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="work",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["-published_at", "-id"],
                name="showcase_work_gallery",
            ),
        ),
        migrations.AddConstraint(
            model_name="work",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["pending", "approved", "returned", "withdrawn"])),
                name="showcase_work_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="work",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "approved"), _negated=True),
                    models.Q(("consent_to_publish", True), ("published_at__isnull", False)),
                    _connector="OR",
                ),
                name="showcase_work_published_with_consent",
            ),
        ),
        migrations.AddConstraint(
            model_name="work",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("category", "performance"), _negated=True),
                    models.Q(("video_url", ""), _negated=True),
                    _connector="OR",
                ),
                name="showcase_work_performance_has_video",
            ),
        ),
        migrations.AddConstraint(
            model_name="work",
            constraint=models.CheckConstraint(
                condition=models.Q(("video_url", ""), ("video_url__startswith", "https://"), _connector="OR"),
                name="showcase_work_video_https",
            ),
        ),
        migrations.AddConstraint(
            model_name="work",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "returned"), _negated=True),
                    models.Q(("return_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="showcase_work_returned_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="exhibitionentry",
            constraint=models.UniqueConstraint(fields=("exhibition", "work"), name="exhibitionentry_once"),
        ),
        migrations.AddConstraint(
            model_name="exhibition",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))),
                name="exhibition_dates_in_order",
                violation_error_message="An exhibition cannot close before it opens.",
            ),
        ),
        migrations.RunPython(grant_showcase, migrations.RunPython.noop),
    ]
