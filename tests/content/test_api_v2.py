"""The Wagtail API v2 at /api/v2/: destinations, stories and events with their useful fields."""

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents.models import Document

from content.models import Area, EventPage, ToolkitAsset, ToolkitPage
from tests.factories import UserFactory

from .factories_feeds import (
    destination,
    destination_index,
    event,
    event_index,
    home,
    image,
    make_private,
    story,
    story_index,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def area():
    region = Area.objects.create(name="Morvellec", slug="morvellec", kind=Area.Kind.REGION)
    return Area.objects.create(
        name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE, parent=region
    )


def api_items(client, **params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()["items"]


def test_destination_fields_include_coordinates_area_tags_and_hero_rendition(client, area):
    page = destination(
        destination_index(),
        "Phare du Men Du",
        intro="Cent vingt marches.",
        area=area,
        address="Pointe du Men Du",
        latitude=Decimal("47.612300"),
        longitude=Decimal("-3.198700"),
        hero_image=image("Le phare"),
        last_reviewed_at=date(2031, 3, 1),
        opening_hours=[("hours", {"days": "Tous les jours", "hours": "10:00–18:00"})],
        tags=["patrimoine", "vue"],
    )

    (item,) = api_items(client, type="content.DestinationPage", fields="*")

    assert item["id"] == page.pk
    assert item["meta"]["type"] == "content.DestinationPage"
    assert item["meta"]["html_url"] == page.get_full_url()
    assert item["title"] == "Phare du Men Du"
    assert item["intro"] == "Cent vingt marches."
    assert item["area"] == {"id": area.pk, "name": "Kerlann", "slug": "kerlann", "kind": "commune"}
    assert item["tags"] == ["patrimoine", "vue"]
    assert item["address"] == "Pointe du Men Du"
    assert (item["latitude"], item["longitude"]) == (47.6123, -3.1987)
    assert item["last_reviewed_at"] == "2031-03-01"
    assert item["opening_hours"][0]["value"] == {"days": "Tous les jours", "hours": "10:00–18:00"}
    hero = item["hero_image"]
    # The test image is 640×480: "fill" crops to 4:3 without enlarging.
    assert (hero["width"], hero["height"]) == (640, 480)
    assert ".fill-800x600" in hero["url"]
    assert hero["full_url"].startswith("http")
    assert hero["alt"] == "Le phare"


def test_destination_without_coordinates_area_or_image_gives_nulls(client):
    destination(destination_index(), "Lieu-dit")

    (item,) = api_items(client, type="content.DestinationPage", fields="*")

    assert item["latitude"] is None and item["longitude"] is None
    assert item["area"] is None and item["hero_image"] is None


def test_story_fields_give_the_author_display_name_only(client, area):
    author = UserFactory(username="camille", display_name="Camille Rivière")
    story(
        story_index(),
        "Gardiens de phare",
        date=date(2031, 4, 2),
        intro="Quarante ans de quarts.",
        author=author,
        area=area,
        tags=["patrimoine"],
    )

    (item,) = api_items(client, type="content.StoryPage", fields="*")

    assert item["date"] == "2031-04-02"
    assert item["author_name"] == "Camille Rivière"
    assert "camille@example.org" not in str(item)
    assert item["area"]["slug"] == "kerlann"
    assert item["tags"] == ["patrimoine"]


def test_event_fields_give_dates_status_recurrence_venue_and_capacity(client, area):
    places = destination_index()
    venue = destination(
        places,
        "Halles",
        address="Place des Halles",
        latitude=Decimal("47.5"),
        longitude=Decimal("-3.1"),
    )
    start = (timezone.now() + timedelta(days=10)).astimezone(PARIS)
    start = start.replace(hour=20, minute=30, second=0, microsecond=0)
    until = start.date() + timedelta(weeks=8)
    event(
        event_index(),
        "Fest-noz",
        start=start,
        end=start + timedelta(hours=4),
        time_zone="Europe/Paris",
        recurrence=EventPage.Recurrence.WEEKLY,
        recurrence_until=until,
        status=EventPage.Status.POSTPONED,
        venue_page=venue,
        area=area,
        registrations_open=True,
        capacity=50,
        tags=["musique"],
    )

    (item,) = api_items(client, type="content.EventPage", fields="*")

    assert item["start"] == start.isoformat()
    assert item["end"] == (start + timedelta(hours=4)).isoformat()
    assert item["time_zone"] == "Europe/Paris"
    assert item["status"] == "postponed"
    assert item["recurrence"] == "weekly"
    assert item["recurrence_until"] == until.isoformat()
    assert item["next_occurrence"] == {
        "start": start.isoformat(),
        "end": (start + timedelta(hours=4)).isoformat(),
    }
    assert item["venue"] == {
        "page": venue.pk,
        "name": "Halles",
        "address": "Place des Halles",
        "latitude": 47.5,
        "longitude": -3.1,
    }
    assert item["area"]["name"] == "Kerlann"
    assert item["tags"] == ["musique"]
    assert (item["registrations_open"], item["capacity"]) == (True, 50)


def test_event_with_a_free_text_venue(client):
    event(event_index(), venue_name="Salle des fêtes", venue_address="Rue du Port")

    (item,) = api_items(client, type="content.EventPage", fields="venue,next_occurrence")

    assert item["venue"]["page"] is None
    assert item["venue"]["name"] == "Salle des fêtes"


def test_api_lists_neither_drafts_nor_private_pages(client):
    places = destination_index()
    destination(places, "Publique")
    destination(places, "Brouillon", live=False)
    make_private(destination(places, "Privée"))

    titles = [item["title"] for item in api_items(client, type="content.DestinationPage")]

    assert titles == ["Publique"]
    draft = places.get_children().get(title="Brouillon")
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404


def test_api_detail_view_has_the_fields(client):
    page = destination(destination_index(), "Plage", latitude=Decimal("47.1"))

    response = client.get(f"/api/v2/pages/{page.pk}/")

    assert response.status_code == 200
    assert response.json()["latitude"] == 47.1


def test_api_refuses_an_unknown_type_cleanly(client):
    response = client.get("/api/v2/pages/", {"type": "content.Nothing"})

    assert response.status_code == 400
    assert response.json() == {"message": "type doesn't exist"}


def test_images_and_documents_endpoints_answer(client):
    image("Vue")  # used by no page: not listed (tests/content/test_api_v2_images.py)

    assert client.get("/api/v2/images/").json()["meta"]["total_count"] == 0
    assert client.get("/api/v2/documents/").status_code == 200


def test_documents_endpoint_hides_the_licensed_brand_mark(client):
    from django.core.files.base import ContentFile

    toolkit = home().add_child(instance=ToolkitPage(title="Kit", slug="kit"))
    mark = Document.objects.create(title="Marque", file=ContentFile(b"svg", name="mark.svg"))
    template = Document.objects.create(title="Modèle", file=ContentFile(b"x", name="modele.txt"))
    ToolkitAsset.objects.create(page=toolkit, title="Marque", document=mark, licensed=True)
    ToolkitAsset.objects.create(page=toolkit, title="Modèle", document=template)

    titles = [item["title"] for item in client.get("/api/v2/documents/").json()["items"]]

    assert titles == ["Modèle"]


def build_destinations(area, hero, count):
    places = destination_index()
    for n in range(count):
        destination(places, f"Lieu {n}", area=area, hero_image=hero, tags=["mer", f"t{n}"])


def build_stories(area, hero, count):
    stories, author = story_index(), UserFactory()
    for n in range(count):
        story(stories, f"Récit {n}", area=area, author=author, hero_image=hero, tags=[f"t{n}"])


def build_events(area, hero, count):
    venue = destination(destination_index(), "Halles", latitude=Decimal("47.5"))
    events = event_index()
    for n in range(count):
        event(events, f"Fête {n}", area=area, venue_page=venue, hero_image=hero, tags=[f"t{n}"])


@pytest.mark.parametrize(
    ("page_type", "build"),
    [
        ("content.DestinationPage", build_destinations),
        ("content.StoryPage", build_stories),
        ("content.EventPage", build_events),
    ],
)
@pytest.mark.parametrize("count", [2, 12])
def test_api_listing_query_count_does_not_grow_with_pages(client, area, page_type, build, count):
    build(area, image(), count)
    api_items(client, type=page_type, fields="*")  # Renditions are made by the first call.

    with CaptureQueriesContext(connection) as queries:
        items = api_items(client, type=page_type, fields="*")

    assert len(items) == count
    # Expect 11 queries: the view restrictions, the site, the site root's translations (the
    # other language trees the listing includes; 3, once per filter Wagtail applies), the
    # count, the view restrictions again (2, for the listing's filter), the pages with their
    # locale, area, image (and author or venue), their tags, the image renditions.
    assert len(queries) == 11, [q["sql"] for q in queries]
