"""The content hub's public pages: index pages with filters and pagination, destination, story
and event pages, their Open Graph tags and JSON-LD, and query counts that do not grow."""

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.settings.base import csp_source_for
from content.caches import bump_content_generation
from content.models import Area, EventPage, EventRegistration
from tests.content import factories_pages as f
from tests.content.factories_translations import translate, translate_tree
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [("fr", ""), ("en", "/en")]


def path(page, prefix=""):
    """The page's public path in a language, without relying on the active language."""
    home_path = f.home().url_path
    return prefix + "/" + page.url_path.removeprefix(home_path)


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def meta(html, name):
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def count_queries(client, url):
    """The queries of a request whose listing is not in the cache."""
    # Pages published inside the test's transaction do not bump the generation (it moves on
    # commit): the first view renders the listing afresh and creates the image renditions.
    bump_content_generation()
    client.get(url)
    bump_content_generation()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def destinations():
    return f.destination_index(intro="<p>Plages et sentiers.</p>")


@pytest.fixture
def stories():
    return f.story_index()


@pytest.fixture
def events():
    return f.event_index()


@pytest.fixture
def areas():
    finistere = f.area("Finistere", kind=Area.Kind.DEPARTEMENT)
    return {
        "finistere": finistere,
        "plouz": f.area("Plouzanet", parent=finistere),
        "morlaix": f.area("Morlaix"),
    }


@pytest.fixture
def lighthouse(destinations, areas):
    return f.destination(
        destinations,
        "Phare du Men Ruz",
        slug="phare-du-men-ruz",
        intro="Un phare de granit rose au bout de la presqu'île.",
        hero_image=f.image("Phare"),
        area=areas["plouz"],
        tags=["phare", "mer"],
        gallery=2,
        address="Pointe du Men Ruz\n29000 Plouzanet",
        phone="02 98 00 00 00",
        email="phare@example.org",
        website="https://phare.example.org/",
        latitude="48.383100",
        longitude="-4.763200",
        accessibility="Accessible en fauteuil jusqu'au belvédère.",
        last_reviewed_at=date(2025, 3, 14),
        opening_hours=[("hours", {"days": "Tous les jours", "hours": "10:00–18:00"})],
    )


# Index pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "prefix"), LANGUAGES)
def test_destination_index_lists_cards_with_image_area_and_tags(
    client, lighthouse, language, prefix
):
    if language == "en":
        translate_tree()  # English pages, served under /en/
    response = client.get(f"{prefix}/destinations/")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{language}">' in html
    assert "Phare du Men Ruz" in html
    assert "Un phare de granit rose" in html
    assert "fill-480x320" in html
    assert "Plouzanet" in html
    assert f'href="{prefix}/destinations/?tag=phare"' in html
    assert 'name="area"' in html and 'name="tag"' in html


def test_area_filter_includes_pages_of_areas_inside_it(client, destinations, areas, lighthouse):
    f.destination(destinations, "Viaduc de Morlaix", area=areas["morlaix"])
    html = client.get("/destinations/?area=finistere").text
    assert "Phare du Men Ruz" in html
    assert "Viaduc de Morlaix" not in html
    html = client.get("/destinations/?area=morlaix").text
    assert "Viaduc de Morlaix" in html
    assert "Phare du Men Ruz" not in html


def test_tag_filter_keeps_pages_with_that_tag(client, destinations, lighthouse):
    f.destination(destinations, "Marché couvert", tags=["marche"])
    html = client.get("/destinations/?tag=phare").text
    assert "Phare du Men Ruz" in html
    assert "Marché couvert" not in html
    assert '<option value="phare" selected>' in html


def test_filters_that_match_nothing_say_so(client, destinations, lighthouse):
    html = client.get("/en/destinations/?tag=nothing-here").text
    assert "Nothing matches these filters." in html


def test_unknown_area_is_ignored(client, lighthouse):
    assert "Phare du Men Ruz" in client.get("/destinations/?area=atlantis").text


def test_story_index_filters_by_area_and_tag(client, stories, areas):
    f.story(stories, "Les goémoniers", area=areas["plouz"], tags=["metiers"])
    f.story(stories, "Le viaduc la nuit", area=areas["morlaix"], tags=["nuit"])
    html = client.get("/stories/?area=finistere").text
    assert "Les goémoniers" in html and "Le viaduc la nuit" not in html
    html = client.get("/stories/?tag=nuit").text
    assert "Le viaduc la nuit" in html and "Les goémoniers" not in html


def test_pagination_shows_twelve_per_page_and_links_first_and_last(client, destinations):
    for n in range(14):
        f.destination(destinations, f"Lieu {n:02d}")
    first = client.get("/en/destinations/").text
    assert first.count('class="card card--media"') == 12
    assert "Page 1 of 2" in first
    assert 'href="?page=2"' in first
    last = client.get("/en/destinations/?page=2").text
    assert last.count('class="card card--media"') == 2
    assert 'href="?page=1"' in last
    assert "Lieu 13" in last and "Lieu 13" not in first


def test_pagination_keeps_the_filters_in_its_links(client, destinations):
    for n in range(13):
        f.destination(destinations, f"Lieu {n:02d}", tags=["plage"])
    html = client.get("/en/destinations/?tag=plage").text
    assert 'href="?tag=plage&amp;page=2"' in html


@pytest.mark.parametrize("page_number", ["999", "abc", "-1"])
def test_out_of_range_page_numbers_do_not_fail(client, destinations, page_number):
    f.destination(destinations, "Seul lieu")
    response = client.get(f"/destinations/?page={page_number}")
    assert response.status_code == 200
    assert "Seul lieu" in response.text


def test_event_index_lists_upcoming_dates_first_and_archives_past_ones(client, events):
    f.event(events, "Fest-noz de printemps", starts_in=timedelta(days=20))
    f.event(events, "Marché du jeudi", starts_in=timedelta(days=3))
    f.event(events, "Régate d'hier", starts_in=timedelta(days=-30))
    upcoming = client.get("/en/events/").text
    assert upcoming.index("Marché du jeudi") < upcoming.index("Fest-noz de printemps")
    assert "Régate d&#x27;hier" not in upcoming
    archive = client.get("/en/events/?archive=1").text
    assert "Régate d&#x27;hier" in archive
    assert "Marché du jeudi" not in archive
    assert 'aria-current="page">Archive' in archive


def test_event_index_filters_by_dates(client, events):
    f.event(events, "Dans dix jours", starts_in=timedelta(days=10))
    f.event(events, "Dans quarante jours", starts_in=timedelta(days=40))
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    html = client.get(f"/events/?from={day}").text
    assert "Dans quarante jours" in html and "Dans dix jours" not in html
    assert f'value="{day}"' in html
    html = client.get(f"/events/?to={day}").text
    assert "Dans dix jours" in html and "Dans quarante jours" not in html


def test_event_card_shows_status_badge_and_places(client, events):
    full = f.event(events, "Balade contée", registrations_open=True, capacity=50)
    for _ in range(19):
        EventRegistration.objects.create(event=full, user=UserFactory())
    f.event(events, "Concert annulé", status=EventPage.Status.CANCELLED)
    f.event(events, "Régate reportée", status=EventPage.Status.POSTPONED)
    html = client.get("/en/events/").text
    assert "19/50 places" in html
    assert '<span class="badge badge--cancelled">Cancelled</span>' in html
    assert '<span class="badge badge--postponed">Postponed</span>' in html
    assert client.get("/events/").text.count("badge--cancelled") == 1


def test_event_card_shows_the_time_in_the_event_time_zone(client, events):
    new_york = ZoneInfo("America/New_York")
    day = timezone.now().astimezone(new_york).date() + timedelta(days=60)
    start = datetime(day.year, day.month, day.day, 19, 30, tzinfo=new_york)
    f.event(events, "Concert à New York", start=start, end=None, time_zone="America/New_York")
    html = client.get("/en/events/").text
    assert f"{day:%A} {day.day} {day:%B %Y}, 19:30" in html


def test_repeating_event_is_listed_once_per_date(client, events):
    f.event(
        events,
        "Marché hebdo",
        recurrence=EventPage.Recurrence.WEEKLY,
        starts_in=timedelta(days=1),
        recurrence_until=timezone.localdate() + timedelta(days=20),
    )
    html = client.get("/en/events/").text
    assert html.count(">Marché hebdo</a>") == 3


def test_event_index_paginates_dates_in_order_across_pages(client, events):
    f.event(
        events,
        "Marché hebdo",
        recurrence=EventPage.Recurrence.WEEKLY,
        starts_in=timedelta(days=1, hours=1),
        recurrence_until=timezone.localdate() + timedelta(days=60),
    )
    for n in range(6):
        f.event(events, f"Concert {n}", starts_in=timedelta(days=9 * n + 3))
    first = client.get("/en/events/")
    last = client.get("/en/events/?page=2")
    dates = list(first.context["results"]) + list(last.context["results"])
    assert first.context["results"].paginator.count == len(dates) == 15
    assert [o.start for o in dates] == sorted(o.start for o in dates)
    assert first.text.count('class="card card--media card--event') == 12
    assert last.text.count('class="card card--media card--event') == 3
    assert ">Concert 5</a>" in last.text and ">Concert 0</a>" in first.text


def test_event_index_archive_lists_past_dates_latest_first(client, events):
    f.event(events, "Il y a un mois", starts_in=timedelta(days=-30))
    f.event(events, "Il y a une semaine", starts_in=timedelta(days=-7))
    f.event(events, "Demain", starts_in=timedelta(days=1))
    html = client.get("/en/events/?archive=1").text
    assert html.index("Il y a une semaine") < html.index("Il y a un mois")
    assert "Demain" not in html


def test_event_index_filters_by_tag_and_area(client, events, areas):
    f.event(events, "Fest-noz", tags=["musique", "danse"], area=areas["plouz"])
    f.event(events, "Régate", tags=["mer"], area=areas["morlaix"])
    html = client.get("/en/events/?tag=musique").text
    assert html.count(">Fest-noz</a>") == 1 and "Régate" not in html
    html = client.get("/en/events/?area=finistere").text
    assert "Fest-noz" in html and "Régate" not in html


# Destination page ---------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "prefix"), LANGUAGES)
def test_destination_page_shows_its_content_and_practical_information(
    client, lighthouse, language, prefix
):
    if language == "en":
        translate_tree()  # English pages, served under /en/
    response = client.get(path(lighthouse, prefix))
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{language}">' in html
    assert '<h1 class="detail-hero__title">Phare du Men Ruz</h1>' in html
    assert "fill-1600x640" in html
    assert 'class="gallery__item"' in html and "fill-600x400" in html
    assert "Pointe du Men Ruz<br>29000 Plouzanet" in html
    assert 'href="tel:0298000000"' in html
    assert 'href="mailto:phare@example.org"' in html
    assert "Tous les jours" in html and "10:00–18:00" in html
    assert "Accessible en fauteuil" in html
    assert f'href="{prefix}/destinations/?tag=mer"' in html
    assert f'href="{prefix}/destinations/?area=plouzanet"' in html
    assert 'data-testid="page-actions"' in html or "page_actions" not in html


def test_destination_page_shows_the_map_and_printed_coordinates(client, lighthouse):
    html = client.get(path(lighthouse, "/en")).text
    assert 'data-lat="48.383100" data-lng="-4.763200"' in html
    assert 'href="geo:48.383100,-4.763200"' in html
    assert 'data-tile-url=""' in html
    assert 'src="/static/vendor/leaflet/leaflet.js" defer' in html
    assert 'src="/static/js/map.js" defer' in html


def test_map_uses_the_configured_tile_server(client, lighthouse, settings):
    settings.MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    html = client.get(path(lighthouse)).text
    assert 'data-tile-url="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in html


@pytest.mark.parametrize(
    ("template", "source"),
    [
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://tiles.{s}.example.org:8443/{z}/{x}/{y}.png", "https://*.example.org:8443"),
        ("", ""),
        ("/tiles/{z}/{x}/{y}.png", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_tile_server_origin_is_added_to_the_image_policy(template, source):
    assert csp_source_for(template) == source


def test_destination_without_coordinates_has_no_map(client, destinations):
    page = f.destination(destinations, "Sans carte")
    html = client.get(path(page)).text
    assert "data-map" not in html
    assert "leaflet.js" not in html


def test_destination_page_shows_when_it_was_last_checked(client, lighthouse):
    assert "Information last checked on 14 March 2025" in client.get(path(lighthouse, "/en")).text


def test_last_checked_falls_back_to_the_last_edit(client, destinations):
    page = f.destination(destinations, "Jamais revu")
    today = timezone.localdate().strftime("%-d %B %Y")
    assert f"Information last checked on {today}" in client.get(path(page, "/en")).text


def test_destination_page_lists_related_stories_and_events(client, lighthouse, stories, events):
    f.story(stories, "Une nuit au phare", related_destinations=[lighthouse])
    f.event(events, "Visite du phare", venue_page=lighthouse)
    html = client.get(path(lighthouse, "/en")).text
    assert "Stories about this place" in html and "Une nuit au phare" in html
    assert "Upcoming events here" in html and "Visite du phare" in html


# Story page -------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "prefix"), LANGUAGES)
def test_story_page_shows_author_card_tags_and_places(
    client, stories, lighthouse, areas, language, prefix
):
    author = UserFactory(username="camille", display_name="Camille Le Goff")
    page = f.story(
        stories,
        "Une nuit au phare",
        date=date(2025, 6, 21),
        intro="Le gardien raconte.",
        author=author,
        area=areas["plouz"],
        tags=["phare"],
        hero_image=f.image(),
        related_destinations=[lighthouse],
        body=[
            ("paragraph", "<p>Il était une fois.</p>"),
            ("quote", {"text": "La mer, toujours.", "attribution": "Yann"}),
        ],
    )
    if language == "en":
        translate_tree()  # English pages, served under /en/
    response = client.get(path(page, prefix))
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{language}">' in html
    assert "Une nuit au phare" in html and "Le gardien raconte." in html
    assert "Il était une fois." in html and "La mer, toujours." in html
    assert 'class="author-card"' in html and "Camille Le Goff" in html
    assert "avatar avatar--initial" in html and ">C</span>" in html
    assert 'datetime="2025-06-21"' in html
    assert f'href="{prefix}/stories/?tag=phare"' in html
    assert "Phare du Men Ruz" in html


def test_story_without_author_or_image_still_renders(client, stories):
    page = f.story(stories, "Anonyme")
    response = client.get(path(page))
    assert response.status_code == 200
    assert 'class="author-card"' not in response.text


# Event page -------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "prefix"), LANGUAGES)
def test_event_page_shows_dates_venue_places_and_calendar_link(
    client, events, lighthouse, language, prefix
):
    page = f.event(
        events,
        "Fest-noz du phare",
        start=datetime(2031, 5, 3, 20, 0, tzinfo=ZoneInfo("Europe/Paris")),
        end=datetime(2031, 5, 3, 23, 30, tzinfo=ZoneInfo("Europe/Paris")),
        venue_page=lighthouse,
        registrations_open=True,
        capacity=50,
    )
    if language == "en":
        translate_tree()  # English pages, served under /en/
    response = client.get(path(page, prefix))
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{language}">' in html
    assert "Fest-noz du phare" in html
    assert "2031-05-03T20:00:00+02:00" in html
    assert f'href="{path(lighthouse, prefix)}"' in html
    assert "0/50" in html
    assert f'href="{path(page, prefix)}event.ics"' in html


def test_event_page_describes_the_recurrence_and_lists_next_dates(client, events):
    page = f.event(
        events,
        "Marché du port",
        recurrence=EventPage.Recurrence.WEEKLY,
        recurrence_until=date(2031, 6, 30),
        starts_in=timedelta(days=1),
    )
    html = client.get(path(page, "/en")).text
    assert "Every week until 30 June 2031" in html
    assert html.count("<li><time") == 5


def test_event_page_uses_the_event_time_zone(client, events):
    page = f.event(
        events,
        "Salon à Montréal",
        start=datetime(2031, 9, 10, 9, 0, tzinfo=ZoneInfo("America/Toronto")),
        end=None,
        time_zone="America/Toronto",
    )
    html = client.get(path(page, "/en")).text
    assert "Wednesday 10 September 2031, 09:00" in html
    assert "Times are in the America/Toronto time zone." in html


def test_cancelled_event_shows_a_banner(client, events):
    page = f.event(events, "Régate", status=EventPage.Status.CANCELLED)
    html = client.get(path(page, "/en")).text
    assert "status-banner--cancelled" in html
    assert "This event has been cancelled." in html


def test_event_without_end_or_venue_renders(client, events):
    page = f.event(events, "Sans fin", end=None)
    response = client.get(path(page))
    assert response.status_code == 200
    assert "Sans fin" in response.text


# Home page ----------------------------------------------------------------------------------


def test_home_page_shows_latest_stories_and_upcoming_events(client, stories, events):
    f.story(stories, "Récit récent")
    f.event(events, "Bientôt", starts_in=timedelta(days=2))
    f.event(events, "Passé", starts_in=timedelta(days=-10))
    html = client.get("/en/").text
    assert "Latest stories" in html and "Récit récent" in html
    assert "Coming up" in html and "Bientôt" in html
    assert "Passé" not in html


def test_home_page_leaves_out_cancelled_events(client, events):
    f.event(events, "Concert annulé", status=EventPage.Status.CANCELLED)
    assert "Concert annulé" not in client.get("/en/").text


def _home_with(stories, events, *, count):
    author = UserFactory(display_name="Autrice")
    for _ in range(count):
        f.story(stories, tags=["mer", "phare"], hero_image=f.image(), author=author, area=None)
        f.event(events, tags=["fête"], hero_image=f.image(), capacity=12)
        f.event(events, recurrence="weekly", tags=["marché"], hero_image=f.image())


def test_the_home_page_costs_the_same_queries_for_one_or_three_stories_and_events(
    client, stories, events
):
    _home_with(stories, events, count=1)
    one = count_queries(client, "/")

    _home_with(stories, events, count=2)
    three = count_queries(client, "/")

    assert three == one


def test_the_home_page_lists_come_from_the_cache_after_the_first_visit(client, stories, events):
    """Expect 5 queries once the lists are cached, none for the sections, stories or events:
    Wagtail serving the page with i18n: (1) the site, (2) the active language's locale (for the
    site root's translation), (3) the home page's specific row, (4) its ancestors and their
    aliases and (5) their view restrictions. The page's hreflang alternates are cached under
    the content generation too. None of them grows with the number of items."""
    _home_with(stories, events, count=3)
    bump_content_generation()
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert "home-events-heading" in response.text
    assert response.text.count('class="card card--media"') == 3
    assert len(queries) == 5, [query["sql"] for query in queries]


def test_publishing_a_story_forgets_the_cached_home_lists(
    client, stories, django_capture_on_commit_callbacks
):
    bump_content_generation()
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        f.story(stories, "Tout frais")

    assert "Tout frais" in client.get("/").text


# SEO -------------------------------------------------------------------------------------


def test_destination_page_has_open_graph_twitter_and_canonical_tags(client, lighthouse):
    translate(lighthouse)  # the English alternate is the page's published translation
    html = client.get(path(lighthouse)).text
    url = "http://localhost/destinations/phare-du-men-ruz/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:title") == "Phare du Men Ruz"
    assert meta(html, "og:description").startswith("Un phare de granit rose")
    assert meta(html, "description").startswith("Un phare de granit rose")
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:url") == url
    assert meta(html, "og:locale") == "fr_FR"
    assert meta(html, "og:image").startswith("http://localhost/media/images/")
    assert "fill-1200x630" in meta(html, "og:image")
    assert meta(html, "og:image:width") == "640"  # the test image is smaller: no upscaling
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:title") == "Phare du Men Ruz"
    assert (
        '<link rel="alternate" hreflang="en" href="http://localhost/en/destinations/phare-du-men-ruz/">'
        in html
    )


def test_english_page_has_english_locale_and_canonical(client, lighthouse):
    translate_tree()
    html = client.get(path(lighthouse, "/en")).text
    assert meta(html, "og:locale") == "en_GB"
    assert (
        '<link rel="canonical" href="http://localhost/en/destinations/phare-du-men-ruz/">' in html
    )


def test_search_description_wins_over_the_intro(client, destinations):
    page = f.destination(destinations, "Plage", intro="Intro", search_description="Pour le moteur")
    assert meta(client.get(path(page)).text, "description") == "Pour le moteur"


def test_index_and_home_pages_have_open_graph_tags(client, destinations):
    html = client.get("/destinations/").text
    assert meta(html, "og:title") == "Destinations"
    assert meta(html, "og:description") == "Plages et sentiers."
    home = client.get("/").text
    assert meta(home, "og:url") == "http://localhost/"
    assert json_ld(home)[0]["@type"] == "WebSite"


def test_destination_json_ld_is_a_tourist_attraction(client, lighthouse):
    [data] = json_ld(client.get(path(lighthouse)).text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "TouristAttraction"
    assert data["name"] == "Phare du Men Ruz"
    assert data["url"] == "http://localhost/destinations/phare-du-men-ruz/"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 48.3831, "longitude": -4.7632}
    assert data["address"] == "Pointe du Men Ruz 29000 Plouzanet"
    assert data["image"].startswith("http://localhost/media/images/")


@pytest.mark.parametrize(
    ("status", "schema_status"),
    [
        (EventPage.Status.SCHEDULED, "https://schema.org/EventScheduled"),
        (EventPage.Status.CANCELLED, "https://schema.org/EventCancelled"),
        (EventPage.Status.POSTPONED, "https://schema.org/EventPostponed"),
    ],
)
def test_event_json_ld_has_dates_status_and_place(
    client, events, lighthouse, status, schema_status
):
    page = f.event(
        events,
        "Fest-noz",
        start=datetime(2031, 5, 3, 20, 0, tzinfo=ZoneInfo("Europe/Paris")),
        end=datetime(2031, 5, 3, 23, 30, tzinfo=ZoneInfo("Europe/Paris")),
        venue_page=lighthouse,
        status=status,
    )
    [data] = json_ld(client.get(path(page)).text)
    assert data["@type"] == "Event"
    assert data["startDate"] == "2031-05-03T20:00:00+02:00"
    assert data["endDate"] == "2031-05-03T23:30:00+02:00"
    assert data["eventStatus"] == schema_status
    assert data["location"]["@type"] == "Place"
    assert data["location"]["name"] == "Phare du Men Ruz"
    assert data["location"]["geo"]["latitude"] == 48.3831


def test_event_json_ld_without_end_or_venue(client, events):
    page = f.event(events, "Sans fin", end=None)
    [data] = json_ld(client.get(path(page)).text)
    assert data["@type"] == "Event"
    assert "endDate" not in data
    assert data["location"] == {"@type": "Place", "name": "Morvellec"}


def test_story_json_ld_is_an_article_by_its_author(client, stories):
    author = UserFactory(display_name="Camille Le Goff")
    page = f.story(
        stories, "Les goémoniers", date=date(2025, 6, 21), author=author, hero_image=f.image()
    )
    html = client.get(path(page)).text
    assert meta(html, "og:type") == "article"
    [data] = json_ld(html)
    assert data["@type"] == "Article"
    assert data["headline"] == "Les goémoniers"
    assert data["datePublished"] == "2025-06-21"
    assert data["author"] == {"@type": "Person", "name": "Camille Le Goff"}
    assert data["image"].startswith("http://localhost/media/images/")


def test_pages_that_are_not_wagtail_pages_get_no_page_meta(client):
    html = client.get("/accounts/login/").text
    assert 'property="og:title"' not in html
    assert "application/ld+json" not in html


# Odd content ------------------------------------------------------------------------------


def test_markup_in_a_title_is_escaped_everywhere(client, destinations, events):
    title = '</script><script>alert("x")</script> & co'
    page = f.destination(
        destinations,
        title,
        slug="odd",
        intro="<b>bold</b>",
        latitude="1.000000",
        longitude="2.000000",
    )
    event = f.event(events, title, slug="odd-event", end=None)
    for url in [path(page), path(event), "/destinations/", "/events/", "/"]:
        html = client.get(url).text
        assert "<script>alert" not in html, url
    html = client.get(path(page)).text
    [data] = json_ld(html)
    assert data["name"] == title
    assert "\\u003C/script\\u003E" in html
    assert (
        'data-label="&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"'
        in html
    )
    assert meta(html, "og:description") == "&lt;b&gt;bold&lt;/b&gt;"


def test_public_pages_have_no_inline_script(client, lighthouse, stories, events):
    story = f.story(stories, "Récit")
    event = f.event(events, "Fête")
    for url in [path(lighthouse), path(story), path(event), "/destinations/", "/events/", "/"]:
        html = client.get(url).text
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/ld+json"' in tag, (url, tag)
        assert " style=" not in html


# Query counts ----------------------------------------------------------------------------


def test_destination_index_queries_do_not_grow_with_children(client, destinations, areas):
    def add(n):
        for _ in range(n):
            f.destination(
                destinations, hero_image=f.image(), area=areas["plouz"], tags=["a", "b", "c"]
            )

    filtered = "/destinations/?area=finistere&tag=a&page=2"
    add(5)
    few, few_filtered = count_queries(client, "/destinations/"), count_queries(client, filtered)
    add(45)
    assert count_queries(client, "/destinations/") == few
    assert count_queries(client, filtered) == few_filtered


def test_index_cards_take_their_prefetched_rendition_without_writing_the_cache(
    client, destinations, monkeypatch
):
    """A card's image comes from the renditions prefetched with its page; Wagtail's
    `{% image %}` would write each one back to the cache (a pickled image per card)."""
    from wagtail.images.models import Rendition

    for n in range(3):
        f.destination(destinations, f"Crique {n}", hero_image=f.image())
    bump_content_generation()
    client.get("/destinations/")  # creates the renditions
    bump_content_generation()
    written = []
    real_set = Rendition.cache_backend.set

    def spy_set(key, value, *args, **kwargs):
        if isinstance(value, Rendition):
            written.append(value)
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(Rendition.cache_backend, "set", spy_set)

    html = client.get("/destinations/").text

    assert html.count('class="card__image"') == 3
    assert html.count("fill-480x320") == 3
    assert written == []


def test_tag_filter_lists_a_page_with_several_tags_once(client, stories):
    f.story(stories, "Les goémoniers", tags=["mer", "metiers", "algues"])
    html = client.get("/stories/?tag=mer").text
    assert html.count(">Les goémoniers</a>") == 1


def test_story_index_queries_do_not_grow_with_children(client, stories, areas):
    def add(n):
        for _ in range(n):
            f.story(
                stories,
                hero_image=f.image(),
                area=areas["plouz"],
                author=UserFactory(),
                tags=["a", "b"],
            )

    filtered = "/stories/?area=finistere&tag=a&page=2"
    add(5)
    few, few_filtered = count_queries(client, "/stories/"), count_queries(client, filtered)
    add(45)
    assert count_queries(client, "/stories/") == few
    assert count_queries(client, "/stories/?page=5") == few
    assert count_queries(client, filtered) == few_filtered


def test_event_index_queries_do_not_grow_with_children(client, events, lighthouse):
    def add(n):
        for _ in range(n):
            event = f.event(
                events,
                hero_image=f.image(),
                venue_page=lighthouse,
                tags=["a", "b"],
                registrations_open=True,
                capacity=20,
            )
            EventRegistration.objects.create(event=event, user=UserFactory())

    add(5)
    few = count_queries(client, "/events/")
    add(45)
    assert count_queries(client, "/events/") == few
    assert count_queries(client, "/events/?page=5") == few


def test_destination_page_queries_do_not_grow_with_gallery_tags_and_related(
    client, destinations, stories, events
):
    small = f.destination(
        destinations, "Petit", hero_image=f.image(), tags=[f"t{n}" for n in range(5)], gallery=5
    )
    big = f.destination(
        destinations, "Grand", hero_image=f.image(), tags=[f"t{n}" for n in range(50)], gallery=50
    )
    for page in (small, big):
        for _ in range(5):
            f.story(
                stories,
                hero_image=f.image(),
                tags=["x"],
                author=UserFactory(),
                related_destinations=[page],
            )
            f.event(events, hero_image=f.image(), venue_page=page, tags=["y"])
    assert count_queries(client, path(big)) == count_queries(client, path(small))
