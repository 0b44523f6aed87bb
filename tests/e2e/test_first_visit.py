"""A person's first visit: home page, log-in as camille, English and back."""

import os
from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

# The README's picture of the home page, rewritten only when asked (UPDATE_SCREENSHOTS=1), so
# that running the suite leaves the checkout as it was.
README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "home.png"


def test_camille_logs_in_and_switches_to_english_and_back(
    live_server, page, demo_territory, tmp_path
):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Morvellec, l'esprit presqu'île"
    screenshot = (
        README_SCREENSHOT if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / "home.png"
    )
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 0

    page.get_by_role("link", name="Connexion").first.click()
    page.fill("input[name=login]", "camille")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_test_id("account-link").inner_text() == "Camille Rivière"

    page.get_by_test_id("language-en").click()
    page.wait_for_url(live_server.url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".account-menu__summary").click()
    assert page.get_by_role("button", name="Log out").is_visible()

    page.get_by_test_id("language-fr").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator(".account-menu__summary").click()
    assert page.get_by_role("button", name="Déconnexion").is_visible()
    assert page.csp_violations == []
