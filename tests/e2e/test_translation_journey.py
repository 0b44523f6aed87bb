"""An English visitor on the English site: a destination in English, switched to French and
back, landing each time on the page's translation."""

import pytest

pytestmark = pytest.mark.e2e


def test_an_english_visitor_switches_language_on_a_destination_and_lands_on_its_translation(
    live_server, page, demo_territory, tmp_path
):
    page.goto(live_server.url + "/en/destinations/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="The Customs Officers' Path").first.click()
    page.wait_for_url(live_server.url + "/en/destinations/customs-officers-path/")
    assert page.get_by_role("heading", level=1).inner_text() == "The Customs Officers' Path"

    page.get_by_test_id("language-fr").click()
    page.wait_for_url(live_server.url + "/destinations/sentier-des-douaniers/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Sentier des douaniers"

    page.get_by_test_id("language-en").click()
    page.wait_for_url(live_server.url + "/en/destinations/customs-officers-path/")
    assert page.get_by_role("heading", level=1).inner_text() == "The Customs Officers' Path"
    page.screenshot(path=str(tmp_path / "en-destination.png"))
    assert page.csp_violations == []
