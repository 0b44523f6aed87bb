"""Issue 19's journey in the browser: `agence` publishes a gifted brief and invites `lea`;
lea accepts, sends a draft without the mention and is told why it is refused, sends it again
with the mention, agence approves; the report shows the content and the clicks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassadors.campaigns.models import Campaign, Deliverable
from ambassadors.links.services import flush_clicks
from ambassadors.models import TrackedLink
from tests.campaigns.factories import creator
from tests.conftest import DEMO_PASSWORD
from tests.content import factories_contrib as f
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e
SHOTS = "/tmp/campaigns"
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def log_in(page, base_url, username):
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_agence_runs_a_gifted_brief_with_lea_from_invitation_to_report(live_server, browser, page):
    f.ensure_migrated_data()
    f.moderator("agence", display_name="Agence d'attractivité")
    lea = creator(UserFactory(username="lea", display_name="Léa Martin"))
    today = timezone.localdate()

    # agence writes and publishes a gifted brief, then invites lea.
    log_in(page, live_server.url, "agence")
    page.goto(live_server.url + "/campaigns/new/")
    page.fill("input[name=title]", "Les huîtres de Kerlann")
    page.fill("textarea[name=objectives]", "Faire goûter les huîtres de Kerlann en automne.")
    page.select_option("select[name=stage]", "affinites")
    page.fill("input[name=starts_on]", (today + timedelta(days=1)).isoformat())
    page.fill("input[name=ends_on]", (today + timedelta(days=30)).isoformat())
    page.select_option("select[name=relationship]", "gifted")
    page.fill("input[name=cash_amount]", "0")
    page.select_option("select[name=pages]", str(f.home().pk))
    page.fill("input[name=item_label_0]", "Dégustation et nuit sur place")
    page.fill("input[name=item_value_0]", "150")
    page.select_option("select[name=spec_platform_0]", "instagram")
    page.select_option("select[name=spec_format_0]", "post")
    page.fill("input[name=spec_count_0]", "1")
    page.fill("input[name=spec_due_on_0]", (today + timedelta(days=15)).isoformat())
    page.get_by_role("button", name="Enregistrer le brief").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_load_state()
    page.fill("input[name=usernames]", "lea")
    page.get_by_role("button", name="Inviter", exact=True).click()
    page.wait_for_load_state()
    campaign = Campaign.objects.get(title="Les huîtres de Kerlann")
    assert campaign.status == "open"
    page.screenshot(path=f"{SHOTS}/journey-brief-desk.png", full_page=True)

    # lea accepts, sends a draft without the mention: refused, with the reason.
    creator_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    lea_page = creator_context.new_page()
    lea_page.csp_violations = []
    log_in(lea_page, live_server.url, "lea")
    lea_page.goto(live_server.url + "/campaigns/")
    lea_page.get_by_role("link", name="Les huîtres de Kerlann").click()
    lea_page.get_by_role("button", name="Accepter").click()
    lea_page.wait_for_load_state()
    assert "Accepté" in lea_page.locator("#my-status").inner_text()
    lea_page.get_by_role("link", name="Envoyer un contenu").click()
    assert lea_page.input_value("textarea[name=text]").startswith("Publicité")
    lea_page.fill("textarea[name=text]", "Les huîtres de Kerlann, un délice iodé !")
    lea_page.get_by_role("button", name="Envoyer en relecture").click()
    lea_page.wait_for_load_state()
    refused = lea_page.locator("#refused").inner_text()
    assert "Publicité" in refused and "2023-451" in refused
    assert not Deliverable.objects.exists()
    lea_page.screenshot(path=f"{SHOTS}/journey-refused-phone.png", full_page=True)
    # The composer put the mention back in front of her text: she sends it again.
    assert lea_page.input_value("textarea[name=text]").startswith("Publicité · Les huîtres")
    lea_page.get_by_role("button", name="Envoyer en relecture").click()
    lea_page.wait_for_load_state()
    assert "En attente" in lea_page.locator("#deliverable-status").inner_text()

    # A visitor follows lea's tracked link (counted once).
    link = TrackedLink.objects.get(owner=lea, source="campaign")
    visitor = browser.new_context(locale="fr-FR", user_agent=BROWSER_AGENT).new_page()
    visitor.goto(f"{live_server.url}/r/{link.code}")
    assert "utm_source=campaign" in visitor.url
    flush_clicks()  # what the beat does every minute when the site has Redis

    # agence approves the content, and the report shows it with the click.
    page.goto(live_server.url + campaign.get_absolute_url())
    page.get_by_role("link", name="Instagram").first.click()
    page.check("input[name=decision][value=approve]")
    page.get_by_role("button", name="Décider").click()
    page.wait_for_load_state()
    assert Deliverable.objects.get().status == "approved"
    page.goto(live_server.url + f"/campaigns/{campaign.pk}/report/")
    assert page.locator("#fig-contents").inner_text() == "1"
    assert page.locator("#fig-clicks").inner_text() == "1"
    assert "Léa Martin" in page.locator("#report-rows").inner_text()
    assert page.locator("svg.cmp-chart").count() >= 2
    page.screenshot(path=f"{SHOTS}/journey-report-desk.png", full_page=True)
    assert page.csp_violations == []
    assert lea_page.csp_violations == []
    creator_context.close()
