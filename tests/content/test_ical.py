"""Events as iCalendar: `<event url>event.ics` and `/events/calendar.ics`."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import EventPage

from .factories_feeds import destination, destination_index, event, event_index, make_private

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def events():
    return event_index()


def get_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, icalendar.Calendar.from_ical(response.content)


def only_event(calendar):
    (vevent,) = calendar.events
    return vevent


def test_event_ics_is_a_calendar_with_the_event_in_its_time_zone(client, events):
    start = datetime(2031, 7, 14, 21, 30, tzinfo=PARIS)
    page = event(
        events,
        "Fest-noz",
        slug="fest-noz",
        start=start,
        end=start + timedelta(hours=3),
        time_zone="Europe/Paris",
        intro="Gavottes et an-dro.",
        venue_name="Halles",
        venue_address="Place des Halles\n56990 Port-Morvellec",
        tags=["musique"],
    )

    response, calendar = get_calendar(client, "/events/fest-noz/event.ics")

    assert 'filename="fest-noz.ics"' in response["Content-Disposition"]
    assert calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    vevent = only_event(calendar)
    assert vevent["SUMMARY"] == "Fest-noz"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("DTSTART") == start
    assert vevent.decoded("DTEND") == start + timedelta(hours=3)
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["URL"] == page.get_full_url()
    assert vevent["LOCATION"] == "Halles, Place des Halles, 56990 Port-Morvellec"
    assert vevent["DESCRIPTION"].startswith("Gavottes et an-dro.")
    assert vevent["CATEGORIES"].cats == ["musique"]
    assert "RRULE" not in vevent
    assert b"DTSTART;TZID=Europe/Paris:20310714T213000" in response.content


def test_event_uid_is_stable_across_edits_and_renames(client, events):
    page = event(events, "Marché", slug="marche")
    first = only_event(get_calendar(client, "/events/marche/event.ics")[1])["UID"]

    page.title, page.slug = "Grand marché", "grand-marche"
    page.save_revision().publish()
    second = only_event(get_calendar(client, "/events/grand-marche/event.ics")[1])["UID"]

    assert first == second
    assert str(page.translation_key) in first


def test_event_venue_page_gives_location_and_coordinates(client, events):
    places = destination_index()
    venue = destination(
        places,
        "Phare du Men Du",
        address="Pointe du Men Du",
        latitude=Decimal("47.6"),
        longitude=Decimal("-3.2"),
    )
    event(events, slug="visite", venue_page=venue)

    vevent = only_event(get_calendar(client, "/events/visite/event.ics")[1])

    assert vevent["LOCATION"] == "Phare du Men Du, Pointe du Men Du"
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (47.6, -3.2)


def expand(vevent, count):
    rule = rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=vevent.decoded("DTSTART"))
    return list(rule)[:count]


@pytest.mark.parametrize(
    ("recurrence", "start", "until"),
    [
        # Across the spring daylight-saving change: the wall-clock time stays 10:00.
        (EventPage.Recurrence.WEEKLY, datetime(2031, 3, 1, 10, tzinfo=PARIS), "2031-04-30"),
        # The 31st: months without one get their last day, as EventPage.occurrences() does.
        (EventPage.Recurrence.MONTHLY, datetime(2031, 1, 31, 18, tzinfo=PARIS), "2031-12-31"),
        (EventPage.Recurrence.MONTHLY, datetime(2031, 1, 15, 18, tzinfo=PARIS), None),
    ],
)
def test_repeating_event_rrule_gives_the_same_dates_as_the_site(
    client, events, recurrence, start, until
):
    page = event(
        events,
        slug="repeat",
        start=start,
        end=start + timedelta(hours=2),
        recurrence=recurrence,
        recurrence_until=until,
    )

    vevent = only_event(get_calendar(client, "/events/repeat/event.ics")[1])

    rule = vevent["RRULE"]
    assert rule["FREQ"] == [recurrence.upper()]
    if until:
        (until_value,) = rule["UNTIL"]
        assert until_value.tzinfo is not None and until_value.utcoffset() == timedelta(0)
    else:
        assert "UNTIL" not in rule
    expected = [o.start for o in page.occurrences(end=start + timedelta(days=400))]
    assert expand(vevent, len(expected) + 5)[: len(expected)] == expected
    if until:
        assert len(expand(vevent, 1000)) == len(expected)


def test_cancelled_event_has_cancelled_status_and_says_so(client, events):
    event(events, "Régates", slug="regates", status=EventPage.Status.CANCELLED)

    vevent = only_event(get_calendar(client, "/en/events/regates/event.ics")[1])

    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SUMMARY"] == "Cancelled: Régates"


def test_postponed_event_is_tentative(client, events):
    event(events, slug="later", status=EventPage.Status.POSTPONED)

    assert only_event(get_calendar(client, "/events/later/event.ics")[1])["STATUS"] == "TENTATIVE"


def test_odd_title_and_text_are_escaped_stripped_and_folded(client, events):
    event(
        events,
        '<b>Fest-noz</b>; "chez" Jo, Lu\nsuite\x0b',
        slug="odd",
        intro="<script>alert(1)</script>Danse; chants, crêpes. " + "Très long texte " * 40,
    )

    response, calendar = get_calendar(client, "/events/odd/event.ics")

    vevent = only_event(calendar)
    assert vevent["SUMMARY"] == 'Fest-noz; "chez" Jo, Lu\nsuite'
    assert b'SUMMARY:Fest-noz\\; "chez" Jo\\, Lu\\nsuite' in response.content
    assert "<" not in vevent["DESCRIPTION"]
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


@pytest.mark.parametrize("end", [None, "before start"])
def test_event_without_a_usable_end_lasts_an_hour(client, events, end):
    start = datetime(2031, 5, 1, 9, tzinfo=PARIS)
    page = event(events, slug="open", start=start)
    if end:
        # Bypasses the form's check, as an import or an old row might.
        EventPage.objects.filter(pk=page.pk).update(end=start - timedelta(hours=2))

    vevent = only_event(get_calendar(client, "/events/open/event.ics")[1])

    assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == timedelta(hours=1)


def test_unknown_time_zone_falls_back_to_the_site_zone(client, events):
    page = event(events, slug="tz")
    EventPage.objects.filter(pk=page.pk).update(time_zone="Mars/Olympus")

    vevent = only_event(get_calendar(client, "/events/tz/event.ics")[1])

    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"


def test_event_ics_of_a_draft_or_private_event_is_not_served(client, events):
    event(events, slug="draft", live=False)
    make_private(event(events, slug="private"))

    assert client.get("/events/draft/event.ics").status_code == 404
    response = client.get("/events/private/event.ics")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_ics_address_of_a_page_that_is_not_an_event_is_not_found(client, events):
    destination(destination_index(), slug="plage")

    assert client.get("/destinations/plage/event.ics").status_code == 404
    assert client.get("/destinations/calendar.ics").status_code == 404


def test_calendar_lists_upcoming_published_public_events_only(client, events):
    now = timezone.now()
    event(events, "Soon", start=now + timedelta(days=2))
    event(events, "Running", start=now - timedelta(hours=1), end=now + timedelta(hours=2))
    event(
        events,
        "Weekly",
        start=now - timedelta(days=60),
        end=now - timedelta(days=60) + timedelta(hours=1),
        recurrence=EventPage.Recurrence.WEEKLY,
    )
    event(events, "Over", start=now - timedelta(days=3), end=now - timedelta(days=3, hours=-1))
    event(
        events,
        "Series over",
        start=now - timedelta(days=90),
        recurrence=EventPage.Recurrence.WEEKLY,
        recurrence_until=(now - timedelta(days=10)).date(),
    )
    event(events, "Draft", start=now + timedelta(days=2), live=False)
    make_private(event(events, "Private", start=now + timedelta(days=2)))

    response, calendar = get_calendar(client, "/events/calendar.ics")

    assert response["Content-Disposition"].startswith("inline")
    assert sorted(str(v["SUMMARY"]) for v in calendar.events) == ["Running", "Soon", "Weekly"]
    assert len({str(v["UID"]) for v in calendar.events}) == 3
    assert "Events" in calendar["X-WR-CALNAME"]


def test_calendar_of_an_empty_agenda_is_a_valid_empty_calendar(client, events):
    _response, calendar = get_calendar(client, "/events/calendar.ics")

    assert calendar.events == []
    assert calendar["PRODID"]


@pytest.mark.parametrize("count", [2, 12])
def test_calendar_query_count_does_not_grow_with_events(client, events, count):
    places = destination_index()
    venue = destination(places, address="Quai", latitude=Decimal("47.6"), longitude=Decimal("-3.2"))
    for n in range(count):
        event(events, f"Event {n}", venue_page=venue, tags=["musique", f"tag{n}"])

    with CaptureQueriesContext(connection) as queries:
        _response, calendar = get_calendar(client, "/events/calendar.ics")

    assert len(calendar.events) == count
    # Expect 12 queries: the site, routing to the index (3 pages and their aliases), Wagtail's
    # view-restriction checks (2), the events with their venues, their tags, and the site
    # root paths for the events' addresses with the site root's translations (2: one per
    # language tree's root).
    assert len(queries) == 12, [q["sql"] for q in queries]


def test_calendar_dtstamp_and_modified_dates_are_utc(client, events):
    event(events, slug="utc")

    vevent = only_event(get_calendar(client, "/events/utc/event.ics")[1])

    assert vevent.decoded("DTSTAMP").tzinfo == UTC or vevent["DTSTAMP"].to_ical().endswith(b"Z")
