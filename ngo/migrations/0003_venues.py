# The venues part: venues with hours, closures and photos; bookings (cases) held apart by an
# exclusion constraint over core range types; the organizations' private calendar addresses.

import django.contrib.postgres.constraints
import django.contrib.postgres.fields.ranges
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import civiccenter.lib.uploads
import civiccenter.lib.validators
import ngo.models.venues
from civiccenter import roles


def grant(apps, schema_editor):
    view = ["view_venue", "view_venuephoto", "view_openinghours", "view_closure", "view_booking"]
    venues = [
        f"{verb}_{model}"
        for verb in ("add", "change", "delete")
        for model in ("venue", "venuephoto", "openinghours", "closure")
    ]
    # Clerks and reviewers decide bookings; heads also keep the venues and their rules; supervisors read.
    roles.grant(apps, roles.WINDOW_CLERK, "ngo", [*view, "decide_booking"])
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, "ngo", [*view, "decide_booking"])
    roles.grant(apps, roles.DEPARTMENT_HEAD, "ngo", [*view, "decide_booking", *venues])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "ngo", view)
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "ngo", [*view, "decide_booking", *venues])


class Migration(migrations.Migration):
    dependencies = [
        ("ngo", "0002_organizations"),
        ("civiccenter", "0014_longer_counter_prefix"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BookingFeed",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(editable=False, max_length=43, unique=True, verbose_name="token")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
                ),
                (
                    "organization",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="booking_feed",
                        to="ngo.organization",
                        verbose_name="organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "booking calendar address",
                "verbose_name_plural": "booking calendar addresses",
            },
        ),
        migrations.CreateModel(
            name="Venue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        max_length=80, validators=[civiccenter.lib.validators.validate_plain_text], verbose_name="name"
                    ),
                ),
                (
                    "name_en",
                    models.CharField(
                        blank=True,
                        max_length=120,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="name in English",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        max_length=40,
                        unique=True,
                        validators=[ngo.models.venues.validate_venue_slug],
                        verbose_name="short name",
                    ),
                ),
                (
                    "floor",
                    models.CharField(
                        max_length=20, validators=[civiccenter.lib.validators.validate_plain_text], verbose_name="floor"
                    ),
                ),
                (
                    "room",
                    models.CharField(
                        max_length=40, validators=[civiccenter.lib.validators.validate_plain_text], verbose_name="room"
                    ),
                ),
                (
                    "capacity",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)], verbose_name="capacity (people)"
                    ),
                ),
                ("equipment", models.TextField(blank=True, help_text="One item per line.", verbose_name="equipment")),
                ("accessibility", models.TextField(blank=True, verbose_name="accessibility")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                (
                    "min_minutes",
                    models.PositiveSmallIntegerField(default=60, verbose_name="shortest booking (minutes)"),
                ),
                (
                    "max_minutes",
                    models.PositiveSmallIntegerField(default=240, verbose_name="longest booking (minutes)"),
                ),
                (
                    "min_days_ahead",
                    models.PositiveSmallIntegerField(default=1, verbose_name="book at least (days ahead)"),
                ),
                (
                    "max_days_ahead",
                    models.PositiveSmallIntegerField(default=30, verbose_name="book at most (days ahead)"),
                ),
                (
                    "monthly_hours",
                    models.PositiveSmallIntegerField(
                        default=16,
                        help_text="Pending, approved, held and no-show bookings count; cancelled and rejected ones do not.",
                        verbose_name="hours per organization per month",
                    ),
                ),
                ("needs_approval", models.BooleanField(default=True, verbose_name="staff approve each booking")),
                (
                    "cancel_hours",
                    models.PositiveSmallIntegerField(
                        default=24, verbose_name="organizations cancel at least (hours before the start)"
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="open for booking")),
                ("order", models.PositiveSmallIntegerField(default=100, verbose_name="order")),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="venues",
                        to="civiccenter.department",
                        verbose_name="managing department",
                    ),
                ),
            ],
            options={
                "verbose_name": "venue",
                "verbose_name_plural": "venues",
                "ordering": ["order", "name"],
            },
        ),
        migrations.CreateModel(
            name="OpeningHours",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "Monday"),
                            (1, "Tuesday"),
                            (2, "Wednesday"),
                            (3, "Thursday"),
                            (4, "Friday"),
                            (5, "Saturday"),
                            (6, "Sunday"),
                        ],
                        verbose_name="weekday",
                    ),
                ),
                ("opens", models.TimeField(verbose_name="opens")),
                ("closes", models.TimeField(verbose_name="closes")),
                (
                    "venue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hours",
                        to="ngo.venue",
                        verbose_name="venue",
                    ),
                ),
            ],
            options={
                "verbose_name": "opening hours",
                "verbose_name_plural": "opening hours",
                "ordering": ["weekday"],
            },
        ),
        migrations.CreateModel(
            name="Closure",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_on", models.DateField(verbose_name="from")),
                ("ends_on", models.DateField(verbose_name="until (inclusive)")),
                (
                    "reason",
                    models.CharField(
                        max_length=100,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="reason",
                    ),
                ),
                (
                    "venue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="closures",
                        to="ngo.venue",
                        verbose_name="venue",
                    ),
                ),
            ],
            options={
                "verbose_name": "closure",
                "verbose_name_plural": "closures",
                "ordering": ["starts_on"],
            },
        ),
        migrations.CreateModel(
            name="Booking",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("ends_at", models.DateTimeField(verbose_name="ends at")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting approval"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("cancelled", "Cancelled"),
                            ("expired", "Not decided before the start"),
                            ("completed", "Held"),
                            ("no_show", "No-show"),
                        ],
                        default="pending",
                        editable=False,
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "purpose",
                    models.TextField(
                        help_text="The public-welfare activity you will hold, described.",
                        max_length=2000,
                        verbose_name="purpose",
                    ),
                ),
                (
                    "attendance",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5000),
                        ],
                        verbose_name="expected attendance",
                    ),
                ),
                ("equipment_needed", models.CharField(blank=True, max_length=300, verbose_name="equipment needed")),
                ("open_to_public", models.BooleanField(default=False, verbose_name="open to the public")),
                ("reason", models.TextField(blank=True, editable=False, verbose_name="reason given")),
                ("reminded", models.BooleanField(default=False, editable=False, verbose_name="reminder sent")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="booked at"),
                ),
                (
                    "booked_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="venue_bookings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="booked by",
                    ),
                ),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="booking",
                        to="civiccenter.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="ngo.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "venue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="ngo.venue",
                        verbose_name="venue",
                    ),
                ),
            ],
            options={
                "verbose_name": "venue booking",
                "verbose_name_plural": "venue bookings",
                "ordering": ["-starts_at", "-pk"],
                "permissions": [("decide_booking", "Can approve, reject, cancel bookings and record no-shows")],
            },
        ),
        migrations.CreateModel(
            name="VenuePhoto",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "image",
                    civiccenter.lib.uploads.ResizedImageField(
                        folder="ngo/venues", kinds=("png", "jpg"), max_length=200, max_width=1200, verbose_name="photo"
                    ),
                ),
                (
                    "caption",
                    models.CharField(
                        max_length=120,
                        validators=[civiccenter.lib.validators.validate_plain_text],
                        verbose_name="caption (describes the photo)",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=100, verbose_name="order")),
                (
                    "venue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="ngo.venue",
                        verbose_name="venue",
                    ),
                ),
            ],
            options={
                "verbose_name": "venue photo",
                "verbose_name_plural": "venue photos",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="venue",
            constraint=models.CheckConstraint(condition=models.Q(("capacity__gte", 1)), name="venue_capacity_positive"),
        ),
        migrations.AddConstraint(
            model_name="venue",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_minutes__gte", models.F("min_minutes")), ("min_minutes__gte", 30)),
                name="venue_length_rules_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="venue",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_days_ahead__gte", models.F("min_days_ahead"))),
                name="venue_advance_rules_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="openinghours",
            constraint=models.UniqueConstraint(fields=("venue", "weekday"), name="openinghours_once_per_weekday"),
        ),
        migrations.AddConstraint(
            model_name="openinghours",
            constraint=models.CheckConstraint(
                condition=models.Q(("closes__gt", models.F("opens"))), name="openinghours_closes_after_opening"
            ),
        ),
        migrations.AddConstraint(
            model_name="openinghours",
            constraint=models.CheckConstraint(
                condition=models.Q(("weekday__gte", 0), ("weekday__lte", 6)), name="openinghours_weekday_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="closure",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="closure_ends_after_start"
            ),
        ),
        migrations.AddIndex(
            model_name="booking",
            index=models.Index(fields=["venue", "starts_at"], name="booking_venue_start_idx"),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="booking_ends_after_start"
            ),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.CheckConstraint(
                condition=models.Q(("attendance__gte", 1)), name="booking_attendance_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["pending", "approved", "rejected", "cancelled", "expired", "completed", "no_show"])
                ),
                name="booking_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                condition=models.Q(("status__in", ["pending", "approved"])),
                expressions=[
                    (
                        ngo.models.venues.VenueRange(models.F("venue_id"), models.F("venue_id"), models.Value("[]")),
                        "&&",
                    ),
                    (ngo.models.venues.TimeRange(models.F("starts_at"), models.F("ends_at")), "&&"),
                ],
                name="booking_no_overlap",
                violation_error_message="This time is already booked.",
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
