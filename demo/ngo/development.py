"""Demo activities (past and coming weeks, some at booked venues, every moderation state), registrations,
achievements with photos drawn at seed time (three featured), and the center's news of exchanges.

Nothing is written in its final state: each activity and achievement is submitted by an administrator of
its organization and approved or returned by the moderator, and citizens register, through the real moves,
each inside `clock.at` on its own day (all before the moment the demo is loaded, each history forwards:
submitted, moderated, registrations, the start). The photos go through the model, so they are re-encoded
and get their thumbnails.
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
    NewsItem,
    sweep_activity_reminders,
)
from ngo.models.organizations import Membership

MODERATOR = "moderator@demo.civiccenter.example"
EDITOR = "editor@demo.civiccenter.example"
SWEEP_TIME = time(0, 5)  # the nightly sweep (sweep_deadlines from cron, README) that sends the eve's reminders

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
FEATURED = {0, 1, 3}  # published achievements the moderator features on the NGO page

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


def _spread(first, last, count):
    """`count` moments evenly spaced strictly between `first` and `last`."""
    step = (last - first) / (count + 1)
    return [first + step * (k + 1) for k in range(count)]


def _moderate(item, moderator, moment, reason=None):
    """The moderator approves `item` at `moment`, or returns it with `reason`."""
    with clock.at(moment):
        if reason is None:
            item.approve(by=moderator)
        else:
            item.return_for_changes(by=moderator, reason=reason)


def _activities(organizations, admins, moderator, bookings, now, today):
    """Each activity submitted twelve days before it starts (a coming one: twelve days ago), then approved or
    returned the next day; the pending ones wait."""
    activities, photos = [], 0
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
        )
        # Coming activities held at a venue the organization booked at the center.
        if offset > 0 and title not in PENDING | set(RETURNED) and bookings:
            booking = bookings.pop(0)
            activity.organization = booking.organization
            activity.take_booking(booking)
        submitted = min(now, activity.starts_at) - timedelta(days=12)
        with clock.at(submitted):
            activity.submit(by=admins[activity.organization])
            if index < 8:
                _add_photos(ActivityPhoto, "activity", activity, 1 + index % 2, index)
                photos += 1 + index % 2
        if title not in PENDING:
            _moderate(activity, moderator, submitted + timedelta(days=1), RETURNED.get(title))
        activities.append(activity)
    return activities, photos


def _registrations(activities, now):
    """Citizens and other account holders register (fewer than the capacity) between the publication and
    the start, or now for a coming activity; those of a past one were reminded by the night's sweep before it."""
    people = list(User.objects.filter(is_staff=False, is_active=True).order_by("pk")[:40])
    count, reminder_days = 0, set()
    for index, activity in enumerate(activities):
        if not activity.is_published or not activity.registration_open:
            continue
        limit = activity.capacity - 2 if activity.capacity else 12
        chosen = people[index % 5 :: 2][: max(0, min(limit, 4 + index * 2))]
        closes = now
        if activity.starts_at <= now:  # registered before the night of the eve, when the sweep reminded them
            eve = timezone.localdate(activity.starts_at) - timedelta(days=1)
            closes = timezone.make_aware(datetime.combine(eve, time.min))
            reminder_days.add(eve)
        for moment, person in zip(_spread(activity.published_at, closes, len(chosen)), chosen, strict=True):
            with clock.at(moment):
                activity.register(by=person)
        count += len(chosen)
    for eve in sorted(reminder_days):
        with clock.at(timezone.make_aware(datetime.combine(eve, SWEEP_TIME))):
            sweep_activity_reminders(clock.today())
    return count


def _achievement(organization, activity, title, story, submitted, by, index):
    achievement = Achievement(organization=organization, activity=activity, title=title, story=story)
    with clock.at(submitted):
        achievement.submit(by=by)
        _add_photos(AchievementPhoto, "achievement", achievement, 1 + (index % 3 == 0), 100 + index)
    return achievement, 1 + (1 + (index % 3 == 0))


def _achievements(organizations, admins, moderator, activities, now):
    """Written the day after their activity ended (or nineteen days ago) and published the day after; three
    featured; one awaiting moderation, one returned."""
    achievements, created = [], 0
    latest = now - timedelta(hours=1)
    for index, (title, story, activity_index) in enumerate(ACHIEVEMENTS):
        activity = activities[activity_index] if activity_index is not None else None
        organization = activity.organization if activity else organizations[(index * 3) % len(organizations)]
        submitted = min(activity.ends_at + timedelta(days=1) if activity else now - timedelta(days=19), latest)
        achievement, rows = _achievement(organization, activity, title, story, submitted, admins[organization], index)
        moderated = min(submitted + timedelta(days=1), now)
        _moderate(achievement, moderator, moderated)
        if index in FEATURED:
            with clock.at(moderated):
                achievement.set_featured(True, by=moderator)
        achievements.append(achievement)
        created += rows
    title, story, activity_index = ACHIEVEMENT_PENDING
    activity = activities[activity_index]
    submitted = min(activity.ends_at + timedelta(days=1), latest)
    achievement, rows = _achievement(
        activity.organization, activity, title, story, submitted, admins[activity.organization], len(achievements)
    )
    achievements.append(achievement)
    created += rows
    (title, story, _none), reason = ACHIEVEMENT_RETURNED
    organization = organizations[min(5, len(organizations) - 1)]
    submitted = now - timedelta(days=6)
    achievement, rows = _achievement(
        organization, None, title, story, submitted, admins[organization], len(achievements)
    )
    _moderate(achievement, moderator, submitted + timedelta(days=1), reason)
    achievements.append(achievement)
    return achievements, created + rows


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
    now = clock.now()  # read once: every step below happened before it
    today = clock.today()

    from ngo.models.venues import Booking

    bookings = list(
        Booking.objects.filter(organization__in=organizations, status=Booking.Status.APPROVED, starts_at__gt=now)
        .select_related("venue")
        .order_by("starts_at")[:3]
    )
    activities, photos = _activities(organizations, admins, moderator, bookings, now, today)
    registrations = _registrations(activities, now)
    achievements, rows = _achievements(organizations, admins, moderator, activities, now)
    created = len(activities) + photos + registrations + rows

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
