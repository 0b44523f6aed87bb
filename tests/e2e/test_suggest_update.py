"""Camille suggests an update on a destination, the agency accepts it in the admin, and the
public page shows the new text and the new review date."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.dateformat import format as format_date

from content.models import DestinationPage, PageUpdateSuggestion
from tests.conftest import DEMO_PASSWORD
from tests.content import factories_contrib as f
from tests.e2e.pages import sign_in as log_in

pytestmark = pytest.mark.e2e

OLD_INTRO = "Un petit port de pêche aux maisons de granit."
NEW_INTRO = "Un petit port de pêche aux maisons de granit, et son marché du jeudi matin."


def test_camille_suggests_an_update_and_the_agency_accepts_it(live_server, browser, page):
    # An earlier browser test may have flushed what the migrations created.
    f.ensure_migrated_data()
    f.contributor("camille", display_name="Camille Rivière")
    f.moderator("agence", display_name="Agence d'attractivité")
    destination = f.destination(
        title="Port de Kerlaouen", intro=OLD_INTRO, last_reviewed_at=date(2024, 3, 1)
    )
    destination_url = live_server.url + destination.url

    # Camille, on the public site.
    log_in(page, live_server.url, "camille")
    page.goto(destination_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Port de Kerlaouen"
    page.get_by_test_id("suggest-update").click()
    page.fill("textarea[name=what_is_wrong]", "Le marché du jeudi n'est pas mentionné.")
    page.fill("textarea[name=proposed_text]", "Un petit port de pêche et son marché du jeudi.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/suggestions/")
    assert "Port de Kerlaouen" in page.get_by_test_id("my-suggestions").inner_text()
    assert page.csp_violations == []
    suggestion = PageUpdateSuggestion.objects.get()

    # The agency, in the Wagtail admin.
    agency = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    admin = agency.new_page()
    log_in(admin, live_server.url, "agence")
    admin.goto(live_server.url + "/admin/suggestions/")
    queue = admin.get_by_test_id("suggestion-queue")
    assert "Port de Kerlaouen" in queue.inner_text()
    assert "Camille Rivière" in queue.inner_text()
    queue.locator(f"a[href='/admin/suggestions/{suggestion.pk}/']").click()
    text = admin.locator("textarea[name=text]")
    assert text.input_value() == "Un petit port de pêche et son marché du jeudi."
    text.fill(NEW_INTRO)
    admin.get_by_test_id("accept-suggestion").click()
    admin.wait_for_url(live_server.url + "/admin/suggestions/")
    agency.close()

    # Anyone, on the public page.
    page.goto(destination_url)
    assert NEW_INTRO in page.locator("main").inner_text()
    assert OLD_INTRO + "\n" not in page.locator("main").inner_text()
    with translation.override("fr"):
        today = format_date(f.today(), "j F Y")
    assert today in page.locator("main").inner_text()
    assert DestinationPage.objects.get(pk=destination.pk).last_reviewed_at == f.today()
    assert page.csp_violations == []

    # Camille sees the outcome.
    page.goto(live_server.url + "/suggestions/")
    assert "Port de Kerlaouen" in page.get_by_test_id("my-suggestions").inner_text()


def test_a_business_member_who_is_not_a_contributor_suggests_an_update(live_server, page):
    """Issue 17: any signed-in member suggests; told to log in first, then sees the button."""
    f.person("hugo", display_name="Hugo, Conserverie Kerlann")  # in no group at all
    destination = f.destination(title="Port de Kerlaouen", intro=OLD_INTRO)

    page.goto(live_server.url + destination.url)
    page.get_by_role("link", name="Connectez-vous pour suggérer une mise à jour").click()
    page.fill("input[name=login]", "hugo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + destination.url)
    page.get_by_test_id("suggest-update").click()
    page.fill("textarea[name=what_is_wrong]", "La conserverie ouvre le samedi matin.")
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(live_server.url + "/suggestions/")
    assert "Port de Kerlaouen" in page.get_by_test_id("my-suggestions").inner_text()
    assert PageUpdateSuggestion.objects.get().status == PageUpdateSuggestion.Status.PENDING
    assert DestinationPage.objects.get(pk=destination.pk).intro == OLD_INTRO  # until staff act
    assert page.csp_violations == []
