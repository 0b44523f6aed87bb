"""The agency adds an import source from an uploaded DATAtourisme zip in the admin, runs it,
and opens an imported event page: its next date, its map and its attribution."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from content.demo_imports import fixture_records, write_flow
from content.imports.models import ImportSource
from tests.content import factories_contrib as f
from tests.content import factories_pages

from .test_suggest_update import log_in

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/imports/shots"))


def shoot(page, name):
    """Screenshots at desktop and phone widths, for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height, suffix in ((1280, 800, "desktop"), (390, 844, "phone")):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{suffix}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_agency_imports_a_flow_and_opens_an_imported_event(live_server, page, tmp_path):
    f.ensure_migrated_data()
    f.moderator("agence", display_name="Agence d'attractivité")
    f.destination_index()
    factories_pages.event_index()
    flow = tmp_path / "morvellec-datatourisme.zip"
    write_flow(flow, fixture_records())

    log_in(page, live_server.url, "agence")
    page.goto(live_server.url + reverse("tourism_imports:add"))
    page.fill("input[name=name]", "Office de tourisme de Morvellec")
    page.set_input_files("input[name=upload]", str(flow))
    page.check("input[name=publish]")
    page.uncheck("input[name=import_images]")
    shoot(page, "admin-add-source")
    page.get_by_role("button", name="Créer", exact=True).click()
    page.wait_for_url("**/runs/")

    page.get_by_role("button", name="Lancer maintenant").click()
    page.wait_for_load_state()
    runs = page.locator("table.listing").inner_text()
    assert "Terminé" in runs
    shoot(page, "admin-runs")
    source = ImportSource.objects.get()
    assert source.runs.get().created == 4

    market = source.records.get(identity__startswith="49/").page
    page.goto(live_server.url + market.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Marché du port"
    next_date = market.specific.next_occurrence().start
    shown = page.locator(".event-when__next time").first.get_attribute("datetime")
    assert shown == timezone.localtime(next_date, market.specific.tzinfo).isoformat()
    assert page.locator("[data-map]").count() == 1
    attribution = page.locator(".attribution").inner_text()
    assert "Source : DATAtourisme – Mairie de Morvellec" in attribution
    assert "Licence Ouverte 2.0" in attribution
    assert page.csp_violations == []
    shoot(page, "imported-event")
