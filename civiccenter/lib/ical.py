"""iCalendar (RFC 5545) files, written by the ``icalendar`` library: the one writer of every .ics the portal serves.

Times are written in UTC (``…Z``), as every feed did before; the library folds long lines at 75 octets without
splitting a character (§3.1) and escapes commas, semicolons, backslashes and newlines in text (§3.3.11).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.http import HttpResponse
from icalendar import Calendar, Event

from civiccenter.lib import clock

PRODID = "-//Civic Center Portal//{product}//ZH"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def calendar(events, *, product: str, name: str = "", stamp: datetime | None = None) -> str:
    """A calendar of ``events`` (``CalendarEvent`` or dicts with the same keys), as text.

    ``product`` names the feed in PRODID; ``name`` (when given) is the calendar's display name (X-WR-CALNAME).
    """
    cal = Calendar()
    cal.add("prodid", PRODID.format(product=product))
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", str(name))
    stamp = (stamp or clock.now()).astimezone(UTC)
    for item in events:
        if isinstance(item, dict):
            item = CalendarEvent(**item)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start.astimezone(UTC))
        event.add("dtend", item.end.astimezone(UTC))
        event.add("summary", str(item.summary))
        if item.description:
            event.add("description", str(item.description))
        if item.location:
            event.add("location", str(item.location))
        if item.url:
            event.add("url", str(item.url))
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def calendar_response(body: str, filename: str) -> HttpResponse:
    """The download of a calendar file."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
