"""What visitors see of an imported page: its next date, its map, its description, its
attribution and photo credit, and its JSON-LD."""

import json
import re

import pytest
from django.utils import timezone

from content.demo_imports import BIKES, COTTAGE, MARKET
from content.imports.models import ImportedRecord
from content.imports.services import run_import


@pytest.fixture
def imported(source, flow):
    run_import(actor=None, source=source, path=flow())
    return {r.identity: r.page.specific for r in ImportedRecord.objects.select_related("page")}


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_an_imported_event_shows_its_next_date_its_map_and_its_attribution(client, imported):
    market = imported[MARKET]
    upcoming = market.next_occurrence()

    html = client.get(market.url).content.decode()

    assert upcoming.start > timezone.now()
    next_date = re.search(r'class="event-when__next">.*?<time datetime="([^"]+)"', html, re.S)
    assert next_date.group(1) == timezone.localtime(upcoming.start, market.tzinfo).isoformat()
    # The map's element (its attributes in any order: the maps' work added data-zoom first).
    assert re.search(r'<div class="map[^"]*" data-map\b[^>]*\sdata-lat="48\.715200"', html)
    assert (
        "Source : DATAtourisme – Mairie de Morvellec – mis à jour le 20 novembre 2026 – "
        "Licence Ouverte 2.0" in html
    )


def test_an_imported_place_shows_its_description_photo_and_credit(client, imported):
    html = client.get(imported[BIKES].url).content.decode()

    assert "Location de vélos, tandems" in html
    assert (
        "Photo : Vélos de la Presqu&#x27;île" in html
        or "Photo: Vélos de la Presqu&#x27;île" in html
    )
    assert "detail-hero--image" in html


def test_the_english_page_shows_the_english_description(client, imported):
    page = imported[BIKES]

    html = client.get("/en" + page.url).content.decode()

    assert "Bikes, tandems and trailers" in html
    assert "Location de vélos" not in html


def test_json_ld_keeps_the_schema_org_types_and_adds_same_as(client, imported):
    data = json_ld(client.get(imported[MARKET].url).content.decode())

    assert data["@type"] == ["Event", "SaleEvent"]
    assert data["sameAs"] == [
        "https://data.datatourisme.fr/49/4c9f1e5d-7a0b-3c3d-ae8f-6a4b3c2d1e44"
    ]
    assert data["location"]["geo"]["latitude"] == 48.7152


def test_a_page_without_a_record_has_no_attribution(client, imported):
    cottage = imported[COTTAGE]
    ImportedRecord.objects.filter(page=cottage).delete()

    html = client.get(cottage.url).content.decode()

    assert "Licence Ouverte" not in html
