"""The cache of the index pages' listings: a cached listing costs no query, and whatever a
listing shows is visible at once after it is published, unpublished, deleted or moved."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.caches import (
    EVENT_LISTING_TIMEOUT,
    LISTING_TIMEOUT,
    bump_content_generation,
    content_generation,
)
from content.models import DestinationIndexPage, DestinationPage, EventIndexPage
from tests.content import factories_pages as f
from tests.content.factories_translations import translate

pytestmark = pytest.mark.django_db

LISTING_TABLES = re.compile(r"content_(destination|story|event)page|taggit|content_area|rendition")


@pytest.fixture
def destinations():
    return f.destination_index()


@pytest.fixture
def lighthouse(destinations):
    return f.destination(
        destinations, "Phare du Men Ruz", hero_image=f.image(), tags=["phare", "mer"]
    )


def test_a_cached_listing_does_no_query_for_the_listing(client, lighthouse):
    client.get("/destinations/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/destinations/")

    assert "Phare du Men Ruz" in response.text and 'name="tag"' in response.text
    listing = [q["sql"] for q in queries if LISTING_TABLES.search(q["sql"])]
    assert listing == []
    # Expect 7 queries, none for the listing: the site, Wagtail's route to the page (three
    # page queries), the ancestors' aliases and the view restrictions that serving checks,
    # and the site root's translations (the hreflang alternates are cached).
    assert len(queries) == 7, [q["sql"] for q in queries]


def test_a_listing_is_served_from_the_cache_until_the_content_generation_changes(
    client, lighthouse
):
    client.get("/destinations/")
    # A change that bypasses the publication signals is not seen…
    DestinationPage.objects.filter(pk=lighthouse.pk).update(title="Phare renommé")
    assert "Phare du Men Ruz" in client.get("/destinations/").text

    bump_content_generation()

    # …until the generation moves on.
    assert "Phare renommé" in client.get("/destinations/").text


def test_publishing_a_page_shows_it_on_the_index_at_once(
    client, destinations, lighthouse, django_capture_on_commit_callbacks
):
    assert "Viaduc de Morlaix" not in client.get("/destinations/").text

    with django_capture_on_commit_callbacks(execute=True):
        f.destination(destinations, "Viaduc de Morlaix")

    assert "Viaduc de Morlaix" in client.get("/destinations/").text


def test_publishing_a_new_revision_shows_the_change_at_once(
    client, lighthouse, django_capture_on_commit_callbacks
):
    client.get("/destinations/")
    lighthouse.title = "Phare du Men Ruz (rouvert)"

    with django_capture_on_commit_callbacks(execute=True):
        lighthouse.save_revision().publish()

    assert "Phare du Men Ruz (rouvert)" in client.get("/destinations/").text


def test_unpublishing_a_page_removes_it_from_the_index_at_once(
    client, lighthouse, django_capture_on_commit_callbacks
):
    assert "Phare du Men Ruz" in client.get("/destinations/").text

    with django_capture_on_commit_callbacks(execute=True):
        lighthouse.unpublish()

    assert "Phare du Men Ruz" not in client.get("/destinations/").text


def test_deleting_a_page_removes_it_from_the_index_at_once(
    client, lighthouse, django_capture_on_commit_callbacks
):
    assert "Phare du Men Ruz" in client.get("/destinations/").text

    with django_capture_on_commit_callbacks(execute=True):
        lighthouse.delete()

    assert "Phare du Men Ruz" not in client.get("/destinations/").text


def test_moving_a_page_updates_both_indexes_at_once(
    client, lighthouse, django_capture_on_commit_callbacks
):
    other = f.section(DestinationIndexPage, "autres-lieux")
    assert "Phare du Men Ruz" in client.get("/destinations/").text
    assert "Phare du Men Ruz" not in client.get("/autres-lieux/").text

    with django_capture_on_commit_callbacks(execute=True):
        lighthouse.move(other, pos="last-child")

    assert "Phare du Men Ruz" not in client.get("/destinations/").text
    assert "Phare du Men Ruz" in client.get("/autres-lieux/").text


def test_renaming_an_area_shows_on_the_index_at_once(
    client, destinations, django_capture_on_commit_callbacks
):
    area = f.area("Plouzanet")
    f.destination(destinations, "Phare", area=area)
    assert "Plouzanet" in client.get("/destinations/").text
    area.name = "Plouzané"

    with django_capture_on_commit_callbacks(execute=True):
        area.save()

    assert "Plouzané" in client.get("/destinations/").text


def test_the_generation_moves_at_once_and_again_after_commit(
    lighthouse, django_capture_on_commit_callbacks
):
    """A listing stored between the publication and its commit (from the rows before it) is
    left behind by the second move."""
    before = content_generation()

    with django_capture_on_commit_callbacks() as callbacks:
        lighthouse.save_revision().publish()

    during = content_generation()
    assert during != before
    for callback in callbacks:
        callback()
    assert content_generation() not in (before, during)


def test_the_generation_is_rebuilt_when_the_cache_lost_it():
    before = content_generation()
    cache.clear()

    bump_content_generation()

    assert content_generation() not in (None, before)


def test_each_page_filter_and_language_has_its_own_listing(client, destinations):
    places = [
        f.destination(destinations, f"Lieu {n:02d}", tags=["plage"] if n == 0 else [])
        for n in range(13)
    ]

    first, second = client.get("/destinations/").text, client.get("/destinations/?page=2").text
    tagged = client.get("/destinations/?tag=plage").text
    translate(places[0])  # The English listing lists English pages.
    english = client.get("/en/destinations/").text

    assert "Lieu 12" in second and "Lieu 12" not in first
    assert "Lieu 00" in tagged and "Lieu 01" not in tagged
    assert 'href="/en/destinations/?tag=plage"' in english
    assert 'href="/en/destinations/?tag=plage"' not in first
    # The order of the parameters does not matter.
    client.get("/destinations/?page=2&tag=plage")
    with CaptureQueriesContext(connection) as queries:
        client.get("/destinations/?tag=plage&page=2")
    assert [q["sql"] for q in queries if LISTING_TABLES.search(q["sql"])] == []


@pytest.mark.parametrize(
    ("model", "section", "timeout"),
    [
        (DestinationIndexPage, "destinations", LISTING_TIMEOUT),
        (EventIndexPage, "events", EVENT_LISTING_TIMEOUT),
    ],
)
def test_event_listings_expire_within_minutes(client, monkeypatch, model, section, timeout):
    """Upcoming events change with the clock and the places taken with registrations, not
    only with publications: their listings are kept a few minutes at most."""
    f.section(model, section)
    timeouts = []
    from django.core.cache import cache

    real_set = cache.set

    def recording_set(key, value, timeout=None, **kwargs):
        if key.startswith("content:listing:"):
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)

    client.get(f"/{section}/")

    assert timeouts == [timeout]
    assert EVENT_LISTING_TIMEOUT <= 5 * 60


def test_an_event_listing_is_cached_too(client):
    events = f.event_index()
    f.event(events, "Fest-noz", starts_in=timedelta(days=3), tags=["musique"])
    client.get("/events/")

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/events/").text

    assert "Fest-noz" in html
    assert [q["sql"] for q in queries if LISTING_TABLES.search(q["sql"])] == []
