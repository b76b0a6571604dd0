"""Venues, public side: the list, a venue's week, booking, my organizations' bookings, calendar files.

The week view costs the same few queries whatever the number of bookings: the
venue, its hours, its closures, the week's holidays and the week's bookings,
then a grid computed in Python. Taken times show nothing about who took them.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiccenter import sections, submissions
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.ical import calendar, calendar_response
from civiccenter.throttle import throttled
from ngo.forms.venues import BookingForm
from ngo.models.organizations import Organization
from ngo.models.venues import SLOT_MINUTES, Booking, BookingFeed, Venue, VenuePhoto, local_dt

FEED_PAST_DAYS = 60
ICS_PRODUCT = "Venue bookings"


def section_trail():
    return [(reverse("ngo:index"), sections.get("ngo-services").title)]


def venues_trail():
    return [*section_trail(), (reverse("ngo:venues"), _("Venues"))]


def venue_list(request):
    venues = Venue.objects.active().prefetch_related(
        Prefetch("photos", queryset=VenuePhoto.objects.order_by("order", "pk"))
    )
    return render(request, "ngo/venues/venue_list.html", {"venues": venues, "trail": section_trail()})


def parse_week(value):
    """The Monday of an ISO week written 2026-W48; None if it is not one, or is out of any booking's reach."""
    try:
        year, week = (value or "").split("-W")
        if not 2000 <= int(year) <= 2100:  # the previous/next links must stay representable dates
            return None
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None


def iso_week(day):
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def bookable_organizations(user):
    """The verified organizations `user` may book for; and why not, when there is none."""
    if not user.is_authenticated:
        return [], "anonymous"
    administered = list(Organization.objects.administered_by(user).order_by("name"))
    verified = [org for org in administered if org.is_verified]
    if verified:
        return verified, ""
    return [], "unverified" if administered else "no_organization"


def week_grid(venue, monday, now):
    """Rows of (slot time, [cell per day]) where a cell says free, taken, closed or past."""
    days = [monday + timedelta(days=i) for i in range(7)]
    hours = {row.weekday: row for row in venue.hours.all()}
    closed = venue.closed_days(days[0], days[-1])
    start = local_dt(days[0], time.min)
    bookings = list(
        Booking.objects.holding()
        .filter(venue=venue, starts_at__lt=start + timedelta(days=8), ends_at__gt=start)
        .only("starts_at", "ends_at")
    )
    if not hours:
        return days, [], closed
    first = min(row.opens for row in hours.values())
    last = max(row.closes for row in hours.values())
    slots, moment = [], datetime.combine(monday, first)
    while moment.time() < last and moment.date() == monday:
        slots.append(moment.time())
        moment += timedelta(minutes=SLOT_MINUTES)
    rows = []
    for slot in slots:
        cells = []
        for day in days:
            row = hours.get(day.weekday())
            begins = local_dt(day, slot)
            ends = begins + timedelta(minutes=SLOT_MINUTES)
            if day in closed or row is None or slot < row.opens or ends.time() > row.closes and ends.time() != time.min:
                state = "closed"
            elif any(b.starts_at < ends and b.ends_at > begins for b in bookings):
                state = "taken"
            elif begins <= now:
                state = "past"
            else:
                state = "free"
            until = begins + timedelta(minutes=venue.min_minutes)
            cells.append({"day": day, "state": state, "start": slot, "until": until.time()})
        rows.append((slot, cells))
    return days, rows, closed


def venue_week(request, slug):
    venue = get_object_or_404(Venue.objects.active().select_related("department"), slug=slug)
    now = clock.now()
    today = clock.today()
    monday = parse_week(request.GET.get("week")) or today - timedelta(days=today.weekday())
    days, rows, closed = week_grid(venue, monday, now)
    organizations, why_not = bookable_organizations(request.user)
    return render(
        request,
        "ngo/venues/venue_week.html",
        {
            "venue": venue,
            "days": days,
            "rows": rows,
            "closed": sorted(closed.items()),
            "week": iso_week(monday),
            "previous_week": iso_week(monday - timedelta(days=7)),
            "next_week": iso_week(monday + timedelta(days=7)),
            "this_week": iso_week(today),
            "can_book": bool(organizations),
            "why_not": why_not,
            "photos": venue.photos.all(),
            "book_minutes": venue.min_minutes,
            "trail": venues_trail(),
        },
    )


@login_required
@throttled("submit")
@submissions.once
def book(request, slug):
    venue = get_object_or_404(Venue.objects.active().select_related("department"), slug=slug)
    organizations, why_not = bookable_organizations(request.user)
    trail = [*venues_trail(), (venue.get_absolute_url(), venue.display_name)]
    if not organizations:
        return render(request, "ngo/venues/cannot_book.html", {"venue": venue, "why_not": why_not, "trail": trail})
    initial = {}
    if request.method == "GET":
        initial = {key: request.GET[key] for key in ("day", "start", "end") if key in request.GET}
        if len(organizations) == 1:
            initial["organization"] = organizations[0].pk
    form = BookingForm(request.POST or None, initial=initial, venue=venue, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            booking = Booking.book(venue=venue, by=request.user, **form.booking_kwargs())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            if booking.status == Booking.Status.APPROVED:
                messages.success(request, _("Your booking is confirmed."))
            else:
                messages.success(request, _("Your booking is received. The center will approve or reject it."))
            return submissions.receipt(request, booking)
    return render(request, "ngo/venues/booking_form.html", {"venue": venue, "form": form, "trail": trail})


@login_required
def my_bookings(request):
    bookings = Booking.objects.visible_to(request.user).for_list().order_by("-starts_at", "-pk")
    if request.user.is_staff:
        bookings = bookings.none()
    page_obj = Paginator(bookings, 20).get_page(request.GET.get("page"))
    organizations = list(Organization.objects.administered_by(request.user).order_by("name"))
    feeds = {feed.organization_id: feed for feed in BookingFeed.objects.filter(organization__in=organizations)}
    calendars = [(org, feeds.get(org.pk)) for org in organizations if org.is_verified]
    return render(
        request,
        "ngo/venues/my_bookings.html",
        {
            "page_obj": page_obj,
            "bookings": page_obj.object_list,
            "calendars": calendars,
            "site_url": settings.SITE_URL,
            "trail": venues_trail(),
        },
    )


def _own_booking(request, pk):
    if request.user.is_staff:
        raise Http404
    return get_object_or_404(
        Booking.objects.visible_to(request.user).select_related("case__department", "venue", "organization"), pk=pk
    )


@login_required
def booking_detail(request, pk):
    booking = _own_booking(request, pk)
    case = booking.case
    return render(
        request,
        "ngo/venues/booking_detail.html",
        {
            "booking": booking,
            "case": case,
            "events": list(case.public_events),
            "moves": booking.available_moves(request.user),
            "can_rate": case.closed_at is not None and case.applicant_id == request.user.pk,
            "rated": case.ratings.filter(channel="web").exists(),
            "trail": [*venues_trail(), (reverse("ngo:bookings"), _("My organizations' bookings"))],
        },
    )


@require_POST
@login_required
def cancel(request, pk):
    booking = _own_booking(request, pk)
    try:
        booking.cancel(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect(booking)


def venue_ics(request, slug):
    """The venue's taken times only: no organization, no purpose."""
    venue = get_object_or_404(Venue.objects.active(), slug=slug)
    since = clock.now() - timedelta(days=FEED_PAST_DAYS)
    bookings = Booking.objects.holding().filter(venue=venue, ends_at__gte=since).order_by("starts_at")
    events = [
        {
            "uid": f"venue-booking-{booking.pk}@civiccenter",
            "start": booking.starts_at,
            "end": booking.ends_at,
            "summary": _("Already booked"),
            "location": f"{venue.display_name} {venue.floor} {venue.room}",
        }
        for booking in bookings.only("starts_at", "ends_at")
    ]
    return calendar_response(calendar(events, product=ICS_PRODUCT, name=venue.display_name), f"venue-{venue.slug}.ics")


def organization_ics(request, token):
    """An organization's own bookings with their details, for its calendar app (the token is the key)."""
    feed = get_object_or_404(BookingFeed.objects.select_related("organization"), token=token)
    since = clock.now() - timedelta(days=FEED_PAST_DAYS)
    bookings = (
        Booking.objects.filter(organization=feed.organization, ends_at__gte=since)
        .exclude(status__in=[Booking.Status.REJECTED, Booking.Status.CANCELLED, Booking.Status.EXPIRED])
        .select_related("case", "venue")
        .order_by("starts_at")
    )
    events = [
        {
            "uid": f"venue-booking-{booking.pk}@civiccenter",
            "start": booking.starts_at,
            "end": booking.ends_at,
            "summary": f"{booking.venue.display_name} · {booking.get_status_display()}",
            "description": f"{booking.case.number}\n{booking.purpose}",
            "location": f"{booking.venue.display_name} {booking.venue.floor} {booking.venue.room}",
            "url": f"{settings.SITE_URL}{booking.get_absolute_url()}",
        }
        for booking in bookings
    ]
    return calendar_response(calendar(events, product=ICS_PRODUCT, name=feed.organization.name), "bookings.ics")


@require_POST
@login_required
def reset_feed(request, pk):
    """Create the organization's calendar address, or replace it (the old one stops working)."""
    organization = get_object_or_404(Organization.objects.administered_by(request.user).verified(), pk=pk)
    feed, created = BookingFeed.objects.get_or_create(
        organization=organization, defaults={"token": BookingFeed.new_token()}
    )
    if not created:
        feed.reset()
        messages.success(request, _("A new calendar address was made; the old one no longer works."))
    else:
        messages.success(request, _("Your calendar address is ready."))
    return redirect("ngo:bookings")
