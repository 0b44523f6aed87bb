"""Events as iCalendar (RFC 5545): one event at `<event url>event.ics`, the upcoming list
at `<events index url>calendar.ics`.

Dates are written in the event's own time zone (DTSTART;TZID=Europe/Paris:…) with the
matching VTIMEZONE, so a repeating event keeps its wall-clock time across daylight-saving
changes, as `EventPage.occurrences()` does. The `icalendar` library escapes text (commas,
semicolons, newlines) and folds long lines.
"""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from content.models import EventIndexPage, EventPage
from core.sanitizer import clean_text

PRODID = "-//Territory//Content hub//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# A calendar entry needs an end; an event stored without one is shown as lasting an hour.
DEFAULT_DURATION = timedelta(hours=1)
TIME_ZONE_SPAN = timedelta(days=5 * 366)
# Characters that RFC 5545 forbids in text values (every control character but tab and LF).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain(text: str) -> str:
    """Text for a calendar property: tags stripped, control characters dropped."""
    return clean_text(CONTROL_CHARACTERS.sub("", text or ""))


def event_time_zone(event: EventPage):
    try:
        return ZoneInfo(event.time_zone or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def event_uid(event: EventPage) -> str:
    """Stable across edits, moves and renames: the page's translation key never changes."""
    return f"event-{event.translation_key}@{slugify(settings.TERRITORY_NAME) or 'territory'}"


def recurrence_rule(event: EventPage, tz) -> dict | None:
    """The RRULE matching `EventPage.occurrences()`; None for a one-off event."""
    if event.recurrence == EventPage.Recurrence.WEEKLY:
        rule = {"FREQ": "WEEKLY"}
    elif event.recurrence == EventPage.Recurrence.MONTHLY:
        rule = {"FREQ": "MONTHLY"}
        day = event.start.astimezone(tz).day
        if day > 28:
            # `occurrences()` moves the 29th–31st to the month's last day when the month is
            # shorter; a bare FREQ=MONTHLY would skip those months instead.
            rule["BYMONTHDAY"] = list(range(28, day + 1))
            rule["BYSETPOS"] = -1
    else:
        return None
    if event.recurrence_until:
        # With a TZID start, UNTIL must be in UTC; the last occurrence may fall at any time
        # of the `recurrence_until` day, in the event's zone.
        last_moment = datetime.combine(event.recurrence_until, time(23, 59, 59), tzinfo=tz)
        rule["UNTIL"] = last_moment.astimezone(UTC)
    return rule


def location_of(event: EventPage) -> str:
    if event.venue_page_id and event.venue_page is not None:
        parts = [event.venue_page.title, event.venue_page.address]
    else:
        parts = [event.venue_name, event.venue_address]
    lines = []
    for part in parts:
        for line in plain(part).splitlines():
            # A venue named after its street ("Place du Marché") is not repeated.
            if line.strip() and line.strip() not in lines:
                lines.append(line.strip())
    return ", ".join(lines)


def summary_of(event: EventPage) -> str:
    title = plain(event.title)
    if event.status == EventPage.Status.CANCELLED:
        return gettext("Cancelled: %(title)s") % {"title": title}
    if event.status == EventPage.Status.POSTPONED:
        return gettext("Postponed: %(title)s") % {"title": title}
    return title


STATUS = {
    EventPage.Status.SCHEDULED: "CONFIRMED",
    EventPage.Status.POSTPONED: "TENTATIVE",
    EventPage.Status.CANCELLED: "CANCELLED",
}


def build_event(event: EventPage, request, *, stamp: datetime) -> icalendar.Event:
    tz = event_time_zone(event)
    start = event.start.astimezone(tz)
    end = event.end.astimezone(tz) if event.end and event.end > event.start else None

    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", start)
    vevent.add("dtend", end or start + DEFAULT_DURATION)
    rule = recurrence_rule(event, tz)
    if rule:
        vevent.add("rrule", rule)
    vevent.add("summary", summary_of(event))
    vevent.add("status", STATUS.get(event.status, "CONFIRMED"))
    # The address the page is published at (its Wagtail site), as its canonical link says.
    url = event.get_full_url(request)
    if url:
        vevent.add("url", url)
    description = "\n\n".join(part for part in [plain(event.intro), url or ""] if part)
    if description:
        vevent.add("description", description)
    location = location_of(event)
    if location:
        vevent.add("location", location)
    venue = event.venue_page if event.venue_page_id else None
    if venue is not None and venue.latitude is not None and venue.longitude is not None:
        vevent.add("geo", (float(venue.latitude), float(venue.longitude)))
    tags = [plain(tag.name) for tag in event.tags.all()]
    if tags:
        vevent.add("categories", tags)
    if event.first_published_at:
        vevent.add("created", event.first_published_at)
    if event.last_published_at:
        vevent.add("last-modified", event.last_published_at)
    return vevent


def build_calendar(events, request, *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An extension property: written as given, so it must be a single line.
    calendar.add("x-wr-calname", " ".join(plain(name).split()))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().replace(microsecond=0)
    first, last = stamp, stamp
    for event in events:
        calendar.add_component(build_event(event, request, stamp=stamp))
        first, last = min(first, event.start), max(last, event.end or event.start)
    # The time zone definitions cover the events and the next years of repetitions;
    # readers know the zones by name beyond that.
    calendar.add_missing_timezones(
        first_date=(first - timedelta(days=1)).date(),
        last_date=(last + TIME_ZONE_SPAN).date(),
    )
    return calendar.to_ical()


def ics_response(body: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def event_calendar_response(event: EventPage, request) -> HttpResponse:
    body = build_calendar([event], request, name=event.title)
    filename = f"{slugify(event.slug) or 'event'}.ics"
    return ics_response(body, filename=filename, attachment=True)


def upcoming_events(index: EventIndexPage):
    return (
        EventPage.objects.child_of(index)
        .live()
        .public()
        .upcoming()
        .select_related("venue_page")
        .prefetch_related("tags")
        .order_by("start", "pk")
    )


def index_calendar_response(index: EventIndexPage, request) -> HttpResponse:
    name = f"{index.title} · {settings.TERRITORY_NAME}"
    body = build_calendar(upcoming_events(index), request, name=name)
    # Calendar applications subscribe to this address: shown inline, not downloaded.
    return ics_response(body, filename="calendar.ics", attachment=False)
