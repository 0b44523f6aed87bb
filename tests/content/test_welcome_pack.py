"""The welcome pack: partner offers for newcomers, as cards."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from tests.content.factories_toolkit import make_image, make_welcome_pack

pytestmark = pytest.mark.django_db


def test_the_welcome_pack_shows_each_offer_as_a_card(client):
    page = make_welcome_pack(offers=2)

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.text
    assert html.count('class="offer-card"') == 2
    for index in range(2):
        assert f"Partenaire {index}" in html
        assert f"Conditions {index}" in html
        assert f"contact{index}@example.org" in html
        assert f'href="https://partner{index}.example/" rel="noopener"' in html


def test_the_welcome_pack_shows_its_intro_hero_and_last_check(client):
    page = make_welcome_pack(offers=1, hero_image=make_image("halles"))

    html = client.get(page.url).text

    assert "Des offres pour vos premiers mois." in html
    assert 'class="welcome-hero__image"' in html
    assert date_format(page.last_reviewed_at, "DATE_FORMAT") in html


def test_an_offer_without_a_link_has_no_link(client):
    page = make_welcome_pack(offers=1)
    page.offers.update(url="")

    assert 'rel="noopener"' not in client.get(page.url).text


def test_a_welcome_pack_without_offers_says_so(client):
    page = make_welcome_pack(offers=0)

    response = client.get(page.url)

    assert response.status_code == 200
    assert "offer-card" not in response.text
    assert "empty-state" in response.text


def test_offer_text_is_escaped(client):
    page = make_welcome_pack(offers=1)
    page.offers.update(conditions="<script>alert(1)</script>")

    html = client.get(page.url).text

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def _queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_welcome_pack_renders_in_constant_queries(client):
    five = make_welcome_pack(offers=5, slug="cinq")
    fifty = make_welcome_pack(offers=50, slug="cinquante")
    # The process's first page also reads what Wagtail keeps for the process (the default
    # locale, the site's root paths): not a cost of the page.
    _queries(client, five.url)

    assert _queries(client, fifty.url) == _queries(client, five.url)


def test_an_unpublished_welcome_pack_is_not_shown(client):
    page = make_welcome_pack(offers=1)
    page.unpublish()

    assert client.get("/bienvenue/").status_code == 404
