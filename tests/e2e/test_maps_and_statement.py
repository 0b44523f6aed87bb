"""Camille finds the organisations and the members' towns on maps drawn without any tile
server (the vendored outline of Morvellec), then the accessibility statement from the footer.
Screenshots at desktop and phone widths go to /tmp/fixes-c/ (MAP_SHOTS)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_network_journeys import log_in

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("MAP_SHOTS", "/tmp/fixes-c"))
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def test_camille_sees_both_maps_on_the_outline_and_reads_the_statement(
    demo_territory, live_server, browser
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside = []
    context, page = log_in(browser, live_server.url, "camille")
    page.on(
        "request",
        lambda request: (
            not request.url.startswith((live_server.url, "data:")) and outside.append(request.url)
        ),
    )

    page.goto(live_server.url + "/organisations/")
    for name in ("organisations-map", "members-map"):
        expect(page.get_by_test_id(name)).to_have_class(re.compile(r"\bmap--ready\b"))
        expect(page.get_by_test_id(name).locator("path.map-land").first).to_be_visible()
    expect(page.get_by_test_id("members-map").get_by_text("Kerlann")).to_be_visible()
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"organisations-{label}.png"), full_page=False)

    page.set_viewport_size(WIDTHS["desktop"])
    page.get_by_test_id("accessibility-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    expect(page.locator("main")).to_contain_text("partiellement conforme")
    expect(page.locator("main")).to_contain_text("Défenseur des droits")
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"accessibility-{label}.png"), full_page=True)

    page.goto(live_server.url + "/people/camille/")
    page.screenshot(path=str(SHOTS / "profile-phone.png"), full_page=False)
    assert outside == []
    assert page.csp_violations == []
    context.close()


def test_camille_finds_the_ambassadors_on_their_map_fetched_apart(
    demo_territory, live_server, browser
):
    """The directory's markers are a JSON resource of their own (not in the page): the map
    fetches them once and draws them, each a keyboard-reachable pin named after its member."""
    context, page = log_in(browser, live_server.url, "camille")
    fetched = []
    page.on("request", lambda request: "/ambassadors/map.json" in request.url and fetched.append(1))

    page.goto(live_server.url + "/ambassadors/")
    ambassadors_map = page.get_by_role("region", name="Carte des ambassadeurs")
    expect(ambassadors_map).to_have_class(re.compile(r"\bmap--ready\b"))
    expect(ambassadors_map.locator(".leaflet-marker-icon").first).to_be_visible()
    assert ambassadors_map.locator(".leaflet-marker-icon[alt]").count() >= 2
    assert "amb-map-markers" not in page.content()
    assert fetched == [1]
    assert page.csp_violations == []
    context.close()
