"""Demo activities (past and coming weeks, some at booked venues, every moderation state), registrations,
achievements with photos drawn at seed time (three featured), and the center's news of exchanges.

Rows are written in bulk with their states set directly, as the moderators would have left them, so the
seed stays fast; the photos go through the model so they are re-encoded and get their thumbnails.
"""

import io
import random
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

import demo
from civiccenter.lib import clock
from civiccenter.models import User
from ngo.models.development import (
    Achievement,
    AchievementPhoto,
    Activity,
    ActivityPhoto,
    ActivityRegistration,
    NewsItem,
)
from ngo.models.organizations import Membership

MODERATOR = "moderator@demo.civiccenter.example"
EDITOR = "editor@demo.civiccenter.example"

_DATA = demo.load("ngo", "development")
_ACTIVITY = ("title", "description", "place", "day", "hour", "hours")


def _activity(row):
    return (*(row[key] for key in _ACTIVITY), row.get("capacity"))


def _achievement(row):
    return (row["title"], row["story"], row.get("activity"))


# title, description, place, days from today, start hour, hours, capacity (None: no limit, 0: no registration)
ACTIVITIES = [_activity(row) for row in _DATA["activities"]]
PENDING = {row["title"] for row in _DATA["extra"] if row.get("pending")}
RETURNED = {row["title"]: row["returned"] for row in _DATA["extra"] if "returned" in row}
EXTRA = [_activity(row) for row in _DATA["extra"]]

# title, story, index of the activity it reports on (or None)
ACHIEVEMENTS = [_achievement(row) for row in _DATA["achievements"]]
ACHIEVEMENT_PENDING = _achievement(_DATA["achievement_pending"])
ACHIEVEMENT_RETURNED = (_achievement(_DATA["achievement_returned"]), _DATA["achievement_returned"]["reason"])

# title, days from today, body, with a photo
NEWS = [(row["title"], row["day"], row["body"], row["photo"]) for row in _DATA["news"]]

# (sky, ground) colours of the drawn photos
PALETTES = [(tuple(row["sky"]), tuple(row["ground"])) for row in _DATA["palettes"]]


def photo_jpeg(seed: int, width=960, height=640) -> bytes:
    """A simple scene (sky, ground, sun, figures) drawn by Pillow: a photo stand-in with no metadata."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    sky, ground = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.7))
    draw.rectangle([0, horizon, width, height], fill=ground)
    sun = rng.randint(80, width - 80)
    draw.ellipse([sun - 50, 50, sun + 50, 150], fill=(255, 230, 120))
    for _ in range(rng.randint(5, 10)):
        x = rng.randint(40, width - 40)
        colour = tuple(rng.randint(30, 220) for _ in range(3))
        draw.ellipse([x - 18, horizon - 95, x + 18, horizon - 59], fill=(240, 200, 170))
        draw.rounded_rectangle([x - 26, horizon - 58, x + 26, horizon + 20], radius=12, fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _at(day_offset, hour, today):
    return timezone.make_aware(datetime.combine(today + timedelta(days=day_offset), time(hour, 0)))


def _add_photos(model, parent_field, parent, count, seed):
    for i in range(count):
        photo = model(**{parent_field: parent}, caption="活动现场" if i == 0 else "")
        photo.image.save("photo.jpg", ContentFile(photo_jpeg(seed * 7 + i)), save=False)
        photo.save()


@transaction.atomic
def seed(stdout=None) -> int:
    if Activity.objects.filter(title=ACTIVITIES[0][0]).exists():
        return 0
    admins = {}
    for membership in (
        Membership.objects.filter(role=Membership.Role.ADMINISTRATOR, organization__status="verified")
        .select_related("organization", "user")
        .order_by("organization__pk", "joined_at")
    ):
        admins.setdefault(membership.organization, membership.user)
    organizations = list(admins)
    if not organizations:
        if stdout:
            stdout.write("ngo development: no verified organization yet, so no demo activities.")
        return 0
    moderator = User.objects.filter(email=MODERATOR).first()
    now = clock.now()
    today = clock.today()
    created = 0

    from ngo.models.venues import Booking

    bookings = list(
        Booking.objects.filter(organization__in=organizations, status=Booking.Status.APPROVED, starts_at__gt=now)
        .select_related("venue")
        .order_by("starts_at")[:3]
    )

    activities = []
    for index, (title, description, place, offset, hour, hours, capacity) in enumerate(ACTIVITIES + EXTRA):
        organization = organizations[index % len(organizations)]
        starts = _at(offset, hour, today)
        activity = Activity(
            organization=organization,
            title=title,
            description=description,
            place=place,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            registration_open=capacity != 0,
            capacity=capacity or None,
            submitted_by=admins[organization],
            submitted_at=min(now, starts) - timedelta(days=12),
        )
        # Coming activities held at a venue the organization booked at the center.
        if offset > 0 and title not in PENDING | set(RETURNED) and bookings:
            booking = bookings.pop(0)
            activity.organization = booking.organization
            activity.submitted_by = admins.get(booking.organization, activity.submitted_by)
            activity.take_booking(booking)
        if title in PENDING:
            activity.status = Activity.Status.PENDING
        elif title in RETURNED:
            activity.status, activity.return_reason = Activity.Status.RETURNED, RETURNED[title]
            activity.moderated_by = moderator
        else:
            activity.status, activity.moderated_by = Activity.Status.PUBLISHED, moderator
            activity.published_at = activity.submitted_at + timedelta(days=1)
        activities.append(activity)
    Activity.objects.bulk_create(activities)
    created += len(activities)

    # Registrations: citizens and other account holders, fewer than the capacity.
    people = list(User.objects.filter(is_staff=False, is_active=True).order_by("pk")[:40])
    registrations = []
    for index, activity in enumerate(activities):
        if activity.status != Activity.Status.PUBLISHED or not activity.registration_open:
            continue
        limit = activity.capacity - 2 if activity.capacity else 12
        chosen = people[index % 5 :: 2][: max(0, min(limit, 4 + index * 2))]
        for person in chosen:
            registrations.append(
                ActivityRegistration(
                    activity=activity,
                    user=person,
                    created_at=min(now, activity.starts_at) - timedelta(days=3),
                    reminded=activity.starts_at < now,
                )
            )
        activity.registered = len(chosen)
    ActivityRegistration.objects.bulk_create(registrations)
    Activity.objects.bulk_update(activities, ["registered"])
    created += len(registrations)

    for index, activity in enumerate(activities[:8]):
        _add_photos(ActivityPhoto, "activity", activity, 1 + index % 2, index)
        created += 1 + index % 2

    achievements = []
    for index, (title, story, activity_index) in enumerate(ACHIEVEMENTS):
        activity = activities[activity_index] if activity_index is not None else None
        organization = activity.organization if activity else organizations[(index * 3) % len(organizations)]
        published_at = (activity.ends_at if activity else now - timedelta(days=20)) + timedelta(days=2)
        achievements.append(
            Achievement(
                organization=organization,
                activity=activity,
                title=title,
                story=story,
                status=Achievement.Status.PUBLISHED,
                featured=index in (0, 1, 3),
                submitted_by=admins.get(organization),
                submitted_at=published_at - timedelta(days=1),
                moderated_by=moderator,
                published_at=min(published_at, now),
            )
        )
    title, story, activity_index = ACHIEVEMENT_PENDING
    achievements.append(
        Achievement(
            organization=activities[activity_index].organization,
            activity=activities[activity_index],
            title=title,
            story=story,
            submitted_by=admins.get(activities[activity_index].organization),
        )
    )
    (title, story, _none), reason = ACHIEVEMENT_RETURNED
    returned_org = organizations[min(5, len(organizations) - 1)]
    achievements.append(
        Achievement(
            organization=returned_org,
            title=title,
            story=story,
            status=Achievement.Status.RETURNED,
            return_reason=reason,
            moderated_by=moderator,
            submitted_by=admins[returned_org],
        )
    )
    Achievement.objects.bulk_create(achievements)
    created += len(achievements)
    for index, achievement in enumerate(achievements):
        _add_photos(AchievementPhoto, "achievement", achievement, 1 + (index % 3 == 0), 100 + index)
        created += 1 + (index % 3 == 0)

    editor = User.objects.filter(email=EDITOR).first()
    for index, (title, offset, body, with_photo) in enumerate(NEWS):
        item = NewsItem(title=title, date=today + timedelta(days=offset), body=body, created_by=editor)
        if with_photo:
            item.photo.save("news.jpg", ContentFile(photo_jpeg(200 + index)), save=False)
            item.photo_caption = "交流活动现场"
        item.save()
        created += 1

    if stdout:
        stdout.write(f"ngo development: {len(activities)} activities, {len(achievements)} achievements.")
    return created
