"""`/sitemap.xml` (both languages, live public pages only) and `/robots.txt`."""

import xml.etree.ElementTree as ET

import pytest

from .factories_feeds import destination, destination_index, make_private
from .factories_translations import translate

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def places():
    return destination_index()


def sitemap_locations(client, **headers):
    response = client.get("/sitemap.xml", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    return root, [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def test_sitemap_lists_live_pages_in_both_languages_with_absolute_urls(client, places):
    translate(destination(places, "Plage", slug="plage"), title="Beach", slug="beach")

    _root, locations = sitemap_locations(client)

    assert "http://localhost/destinations/plage/" in locations
    assert "http://localhost/en/destinations/beach/" in locations
    assert "http://localhost/" in locations
    assert "http://localhost/en/" in locations
    assert all(location.startswith("http://localhost/") for location in locations)


def test_sitemap_entries_name_their_translations(client, places):
    translate(destination(places, slug="plage"), slug="beach")

    root, _locations = sitemap_locations(client)

    (entry,) = [
        url
        for url in root.findall("sm:url", NS)
        if url.findtext("sm:loc", namespaces=NS) == "http://localhost/destinations/plage/"
    ]
    alternates = {
        link.get("hreflang"): link.get("href") for link in entry.findall("xhtml:link", NS)
    }
    assert alternates == {
        "fr": "http://localhost/destinations/plage/",
        "en": "http://localhost/en/destinations/beach/",
    }
    assert entry.findtext("sm:lastmod", namespaces=NS)


def test_sitemap_names_no_other_language_for_an_untranslated_page(client, places):
    destination(places, slug="plage")

    root, locations = sitemap_locations(client)

    assert not [location for location in locations if "/en/" in location]
    (entry,) = [
        url
        for url in root.findall("sm:url", NS)
        if url.findtext("sm:loc", namespaces=NS) == "http://localhost/destinations/plage/"
    ]
    alternates = [link.get("hreflang") for link in entry.findall("xhtml:link", NS)]
    assert alternates == ["fr"]


def test_sitemap_french_addresses_do_not_depend_on_the_visitor_language(client, places):
    destination(places, slug="plage")

    _root, locations = sitemap_locations(client, HTTP_ACCEPT_LANGUAGE="en")

    assert "http://localhost/destinations/plage/" in locations


def test_sitemap_leaves_out_drafts_and_private_pages(client, places):
    destination(places, slug="brouillon", live=False)
    make_private(destination(places, slug="secret"))

    _root, locations = sitemap_locations(client)

    assert not [location for location in locations if "brouillon" in location]
    assert not [location for location in locations if "secret" in location]


def test_robots_txt_allows_the_site_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for path in ["/admin/", "/accounts/", "/django-admin/"]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_is_not_translated(client):
    assert client.get("/en/robots.txt").status_code == 404
