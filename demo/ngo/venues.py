"""Demo venues and bookings: five rooms of the center with floor plans drawn at seed time and different
rules, and bookings by the verified demo organizations over the past four weeks and the coming four, in
every state. Runs after the organizations' demo; with no verified organization it books nothing.
"""

import io
from datetime import time, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

import demo
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.models import Department, User
from ngo.models.organizations import Membership, Organization
from ngo.models.venues import Booking, Closure, OpeningHours, Venue, VenuePhoto, local_dt

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
WEEKDAYS, ALL_WEEK = range(5), range(7)

_DATA = demo.load("ngo", "venues")
_DAYS = {"weekdays": WEEKDAYS, "all_week": ALL_WEEK}
_VENUE = ("slug", "name", "name_en", "floor", "room", "capacity", "equipment", "accessibility", "rules")


def _venue(row):
    hours = row["hours"]
    return (*(row[key] for key in _VENUE), (_DAYS[hours["days"]], hours["opens"], hours["closes"]), row["colour"])


# slug, name, English name, floor, room, capacity, equipment, accessibility, rules, hours, colour
VENUES = [_venue(row) for row in _DATA["venues"]]

PURPOSES = _DATA["purposes"]


def floor_plan_png(name, name_en, room, colour):
    """A simple floor plan with the room's name, drawn with Pillow."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (800, 600), "#f4f1ea")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 740, 540), outline=colour, width=10)
    draw.rectangle((60, 260, 70, 360), fill="#f4f1ea")  # the door
    for x in range(160, 700, 120):
        draw.rectangle((x, 380, x + 80, 440), outline="#777", width=3)
    try:
        big, small = ImageFont.truetype(FONT, 56), ImageFont.truetype(FONT, 30)
        title = name
    except OSError:
        big = small = ImageFont.load_default()
        title = name_en
    draw.text((110, 130), title, fill=colour, font=big)
    draw.text((110, 220), f"{room} · {name_en}", fill="#333", font=small)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _venues(department):
    created = []
    for slug, name, name_en, floor, room, capacity, equipment, access, rules, hours, colour in VENUES:
        venue = Venue.objects.create(
            slug=slug,
            name=name,
            name_en=name_en,
            department=department,
            floor=floor,
            room=room,
            capacity=capacity,
            equipment=equipment,
            accessibility=access,
            description=f"{name}位于市民服务中心{floor}，免费向经认证的社会组织开放，用于公益活动。",
            order=len(created) * 10,
            **rules,
        )
        days, opens, closes = hours
        OpeningHours.objects.bulk_create(OpeningHours(venue=venue, weekday=d, opens=opens, closes=closes) for d in days)
        VenuePhoto(
            venue=venue,
            caption=f"{name}平面示意图",
            image=ContentFile(floor_plan_png(name, name_en, room, colour), name="plan.png"),
        ).save()
        created.append(venue)
    today = clock.today()
    Closure.objects.create(
        venue=created[2],
        starts_on=today + timedelta(days=9),
        ends_on=today + timedelta(days=11),
        reason="空调系统检修",
    )
    return created


def _book(venue, org, by, day, hour, length, now):
    try:
        return Booking.book(
            venue=venue,
            organization=org,
            by=by,
            starts_at=local_dt(day, time(hour, 0)),
            ends_at=local_dt(day, time(hour, 0)) + timedelta(minutes=length),
            purpose=PURPOSES[(day.toordinal() + hour) % len(PURPOSES)],
            attendance=min(venue.capacity, 8 + (day.toordinal() * 7 + hour) % venue.capacity),
            equipment_needed="投影仪、话筒" if hour % 2 else "",
            open_to_public=bool(day.toordinal() % 2),
            now=now,
        )
    except (ValidationError, InvalidTransition):
        return None


def seed(stdout=None) -> int:
    if Venue.objects.filter(slug=VENUES[0][0]).exists():
        return 0
    department = Department.objects.filter(code="ZXBGS").first()
    if department is None:
        return 0
    staff = User.objects.filter(email="admin@demo.civiccenter.example").first()
    created = 0
    with transaction.atomic():
        venues = _venues(department)
        created += len(venues) * 3
        organizations = list(Organization.objects.verified().order_by("pk")[:12])
        admins = {
            m.organization_id: m.user
            for m in Membership.objects.filter(organization__in=organizations, role=Membership.Role.ADMINISTRATOR)
            .select_related("user")
            .order_by("joined_at")
        }
        organizations = [org for org in organizations if org.pk in admins]
        if not organizations:
            if stdout:
                stdout.write("ngo venues: no verified organization yet, so no demo bookings.")
            return created
        now = clock.now()
        today = clock.today()
        n = 0
        for offset in range(-28, 29):
            day = today + timedelta(days=offset)
            for slot, venue in enumerate(venues):
                if (offset + slot) % 4:
                    continue
                org = organizations[n % len(organizations)]
                hour = venue.hours.all()[0].opens.hour + 1 + (n % 3) if venue.hours.exists() else 10
                booked_then = min(now, local_dt(day, time(8, 0)) - timedelta(days=venue.min_days_ahead + 1))
                # Each step on its moment: booked ahead, decided the next morning, ended or cancelled later.
                with clock.at(booked_then):
                    booking = _book(venue, org, admins[org.pk], day, hour, venue.min_minutes, booked_then)
                if booking is None:
                    continue
                n += 1
                created += 1
                decided = min(now, booked_then + timedelta(hours=20))
                past = offset < 0
                if booking.status == Booking.Status.PENDING:
                    if past:
                        kind = n % 6
                        if kind == 0:
                            with clock.at(booking.starts_at):  # never decided: the sweep lets it lapse
                                booking.expire()
                            continue
                        with clock.at(decided):
                            if kind == 1:
                                booking.reject(by=staff, reason="该时段已安排中心内部活动，请改约其他时间。")
                                continue
                            booking.approve(by=staff)
                    else:
                        kind = n % 5
                        if kind == 0:
                            continue  # waits for approval
                        with clock.at(decided):
                            if kind == 1:
                                booking.reject(by=staff, reason="活动内容与场地用途不符，请改用培训教室。")
                                continue
                            if kind == 2:
                                booking.cancel(by=admins[org.pk])
                                continue
                            booking.approve(by=staff)
                if past:
                    if n % 7 == 0:
                        with clock.at(booking.ends_at + timedelta(minutes=30)):
                            booking.record_no_show(by=staff)
                    elif n % 11 == 0:
                        with clock.at(max(decided, booking.starts_at - timedelta(hours=3))):
                            booking.cancel_by_staff(by=staff, reason="场地临时漏水抢修，已电话告知。")
                    else:
                        with clock.at(booking.ends_at + timedelta(minutes=5)):
                            booking.complete()
                elif n % 9 == 0:
                    with clock.at(decided):
                        booking.cancel_by_staff(by=staff, reason="中心临时承接区级会议，深表歉意，请改约。")
    if stdout:
        stdout.write(f"ngo venues: {len(venues)} venues, {n} bookings.")
    return created
