"""The stories feed: RSS 2.0 at /stories/feed/, valid XML whatever the stories contain."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

from .factories_feeds import make_private, story, story_index
from .factories_translations import translate

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def stories():
    return story_index()


def get_feed(client, url="/stories/feed/"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")  # noqa: S314 - our own output


def test_feed_lists_live_public_stories_newest_first(client, stories):
    today = date(2031, 6, 15)
    story(stories, "Older", date=today - timedelta(days=10))
    story(stories, "Newest", date=today)
    story(stories, "Middle", date=today - timedelta(days=3))
    story(stories, "Draft", date=today, live=False)
    make_private(story(stories, "Private", date=today))

    channel = get_feed(client)

    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Newest", "Middle", "Older"]
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True)
    assert channel.findtext("link").endswith("/stories/")
    assert channel.findtext("language") == "fr"


def test_feed_item_has_link_intro_author_and_tags(client, stories):
    author = UserFactory(username="camille", display_name="Camille Rivière")
    page = story(
        stories,
        "Gardiens de phare",
        intro="Le dernier gardien raconte.",
        author=author,
        tags=["patrimoine", "culture"],
    )

    (item,) = get_feed(client).findall("item")

    assert item.findtext("link") == page.get_full_url()
    assert item.findtext("guid") == page.get_full_url()
    assert item.findtext("description") == "Le dernier gardien raconte."
    assert item.findtext(f"{DC}creator") == "Camille Rivière"
    assert sorted(c.text for c in item.findall("category")) == ["culture", "patrimoine"]
    assert "camille@example.org" not in ET.tostring(item, encoding="unicode")


def test_feed_keeps_only_the_latest_twenty(client, stories):
    start = date(2031, 1, 1)
    for n in range(23):
        story(stories, f"Story {n:02d}", date=start + timedelta(days=n))

    items = get_feed(client).findall("item")

    assert len(items) == 20
    assert items[0].findtext("title") == "Story 22"
    assert items[-1].findtext("title") == "Story 03"


def test_feed_is_valid_xml_with_markup_and_control_characters(client, stories):
    story(
        stories,
        '<b>Fish</b> & "Chips" <3',
        intro="<script>alert(1)</script>Crêpes & cidre\x0b\x1f à <i>volonté</i>",
        tags=["a&b"],
    )

    (item,) = get_feed(client).findall("item")

    assert item.findtext("title") == 'Fish & "Chips" <3'
    assert item.findtext("description") == "alert(1)Crêpes & cidre à volonté"
    assert item.findtext("category") == "a&b"


def test_feed_of_no_stories_is_an_empty_channel(client, stories):
    channel = get_feed(client)

    assert channel.findall("item") == []


def test_feed_is_in_english_under_en(client, stories):
    translate(story(stories, "Récit"), title="Story")

    channel = get_feed(client, "/en/stories/feed/")

    assert channel.findtext("language") == "en"
    assert "/en/stories/" in channel.find("item").findtext("link")


def test_pages_announce_the_feed(client, stories):
    html = client.get("/").text

    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/stories/feed/"' in html
    assert 'href="/en/stories/feed/"' in client.get("/en/").text


@pytest.mark.parametrize("count", [2, 15])
def test_feed_query_count_does_not_grow_with_stories(client, stories, count):
    author = UserFactory()
    for n in range(count):
        story(stories, f"Story {n}", author=author, tags=["mer", f"tag{n}"])

    with CaptureQueriesContext(connection) as queries:
        items = get_feed(client).findall("item")

    assert len(items) == count
    # Expect 7 queries: the view restrictions and the story index (channel link), the site
    # root paths and the site root's translations, the view restrictions and the stories with
    # their authors, their tags.
    assert len(queries) == 7, [q["sql"] for q in queries]
