"""Public pages: French at the unprefixed URLs, English under /en/, a strict CSP."""

import pytest
from wagtail.models import Page, Site

from content.models import DestinationIndexPage, EventIndexPage, HomePage, StoryIndexPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    home = HomePage.objects.get(depth=2)
    pages = {}
    for model, slug in [
        (DestinationIndexPage, "destinations"),
        (StoryIndexPage, "stories"),
        (EventIndexPage, "events"),
    ]:
        pages[slug] = home.add_child(instance=model(title=slug.title(), slug=slug))
    return pages


def test_the_site_root_is_the_territory_home_page():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page.pk).exists()


def test_home_page_is_french_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.text
    assert "Connexion" in response.text


def test_home_page_is_english_under_en(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Log in" in response.text


@pytest.mark.parametrize("path", ["/destinations/", "/stories/", "/events/", "/accounts/login/"])
def test_french_pages_answer_at_unprefixed_urls_without_redirect(client, sections, path):
    assert client.get(path).status_code == 200
    assert client.get(f"/en{path}").status_code == 200


def test_navigation_links_to_every_section(client, sections):
    html = client.get("/").text
    for href in ["/destinations/", "/stories/", "/events/", "/ambassadors/", "/groups/", "/chat/"]:
        assert f'href="{href}"' in html


@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        ("en", "/destinations/", "/en/destinations/"),
        ("fr", "/en/destinations/", "/destinations/"),
        ("en", "/", "/en/"),
        ("fr", "/en/", "/"),
    ],
)
def test_language_switch_moves_to_the_same_page_in_the_other_language(
    client, sections, language, next_url, expected
):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize("path", ["/", "/destinations/", "/accounts/login/", "/ambassadors/"])
def test_public_pages_carry_a_strict_content_security_policy(client, sections, path):
    policy = client.get(path).headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_only_the_admin_gets_the_looser_policy(admin_client):
    policy = admin_client.get("/admin/").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy


def test_unknown_pages_answer_404(client):
    assert client.get("/nulle-part/").status_code == 404
