"""e-PR in the browser: the agency imports press contacts from a CSV file (one line refused,
with its reason), sends a hub story to a segment, a journalist follows the link of their
e-mail, and the agency sees who opened it. axe-core audits every page."""

import re

import pytest
from django.core import mail

from ambassadors.links.services import flush_clicks
from ambassadors.press.models import PressRecipient
from tests.content import factories_contrib as f
from tests.content.factories_pages import story, story_index
from tests.e2e.test_ambassador_journeys import BROWSER_AGENT, SHOTS, log_in

pytestmark = pytest.mark.e2e
CSV = (
    "email;nom;média;langues;segments\n"
    "maelle@ouest.example;Maëlle Guillou;L'Ouest quotidien;fr;Presse régionale\n"
    "pierre@telegramme.example;Pierre Le Bihan;Le Télégramme côtier;fr;Presse régionale\n"
    "emily@coastal.example;Emily Walsh;Coastal Journeys;en;Presse régionale\n"
    "pas-une-adresse;Quelqu'un;;fr;Presse régionale\n"
)


def test_the_agency_sends_a_story_to_the_press_and_sees_who_opened_it(live_server, browser, page):
    f.ensure_migrated_data()
    f.moderator("agence", display_name="Agence d'attractivité")
    story(story_index(), "Le festival des Embruns", intro="Trois jours de musique au port.")

    log_in(page, live_server.url, "agence")
    page.goto(live_server.url + "/press/contacts/import/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "presse.csv", "mimeType": "text/csv", "buffer": CSV.encode()}],
    )
    page.get_by_role("button", name="Importer", exact=True).click()
    page.wait_for_load_state()
    report = page.get_by_test_id("import-report")
    assert "3 contacts ajoutés" in report.inner_text()
    assert "pas-une-adresse" in page.get_by_test_id("import-errors").inner_text()
    page.screenshot(path=f"{SHOTS}/press-import-desk.png", full_page=True)

    page.goto(live_server.url + "/press/contacts/?segment=")
    assert page.locator("tbody tr").count() == 3

    page.get_by_role("link", name="Nouveau communiqué").first.click()
    page.select_option("select[name=story]", label="Le festival des Embruns")
    page.select_option("select[name=segment]", label="Presse régionale")
    page.fill("input[name=subject]", "Les Embruns ouvrent la saison")
    page.fill("textarea[name=pitch]", "<p>Bonjour, voici <strong>notre récit</strong>.</p>")
    page.get_by_role("button", name="Aperçu").click()
    page.wait_for_load_state()
    assert "notre récit" in page.get_by_test_id("press-preview").inner_text()
    page.screenshot(path=f"{SHOTS}/press-preview-desk.png", full_page=True)
    page.get_by_role("button", name="Envoyer maintenant").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("sent-count").inner_text() == "3"
    assert page.csp_violations == []

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {
        "maelle@ouest.example",
        "pierre@telegramme.example",
        "emily@coastal.example",
    }
    assert "Hello Emily Walsh" in by_address["emily@coastal.example"].body
    link = re.search(r"https?://\S+/r/[\w-]+", by_address["maelle@ouest.example"].body).group(0)
    journalist = browser.new_context(locale="fr-FR", user_agent=BROWSER_AGENT).new_page()
    journalist.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), live_server.url))
    assert "utm_source=press" in journalist.url
    assert "Le festival des Embruns" in journalist.get_by_role("heading", level=1).inner_text()
    flush_clicks()  # what the beat task does every minute when the site has Redis
    opened = PressRecipient.objects.get(email="maelle@ouest.example")
    assert opened.opened_at is not None

    page.reload()
    assert page.get_by_test_id("opened-count").inner_text() == "1"
    rows = page.locator("tbody tr")
    assert "Maëlle Guillou" in rows.nth(0).inner_text()
    assert rows.nth(0).get_by_test_id("opened").count() == 1
    page.screenshot(path=f"{SHOTS}/press-release-desk.png", full_page=True)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    small = phone.new_page()
    log_in(small, live_server.url, "agence")
    small.goto(page.url)
    small.screenshot(path=f"{SHOTS}/press-release-phone.png", full_page=True)
    small.goto(live_server.url + "/press/contacts/")
    small.screenshot(path=f"{SHOTS}/press-contacts-phone.png", full_page=True)
    phone.close()

    # Emily does not want more releases: her link works without an account.
    unsubscribe = re.search(
        r"https?://\S+/press/unsubscribe/\S+/", by_address["emily@coastal.example"].body
    ).group(0)
    journalist.goto(
        unsubscribe.replace(re.match(r"https?://[^/]+", unsubscribe).group(0), live_server.url)
    )
    journalist.get_by_test_id("unsubscribe-confirm").click()
    journalist.wait_for_load_state()
    assert journalist.get_by_test_id("unsubscribe-done").count() == 1
