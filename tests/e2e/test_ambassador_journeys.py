"""The ambassador programme in the browser: a member applies and the agency approves them;
Camille takes a share mission, shares through her link (the click is counted once), her proof
is approved and her points and rank change."""

import pytest

from ambassadors.links.services import flush_clicks
from ambassadors.models import Licence, LinkClickDay
from ambassadors.models.missions import MissionType
from tests.ambassadors.factories import ambassador, charter, mission
from tests.content import factories_contrib as f
from tests.e2e.pages import sign_in as log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e
SHOTS = "/tmp/ambassadors"
BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def test_a_member_applies_and_the_agency_approves_them(live_server, browser, page):
    f.ensure_migrated_data()
    charter(1)
    UserFactory(username="maelle", display_name="Maëlle Le Roux")
    f.moderator("agence", display_name="Agence d'attractivité")

    log_in(page, live_server.url, "maelle")
    page.goto(live_server.url + "/ambassadors/apply/")
    page.fill("textarea[name=motivation]", "Je vis à Kerlann et je fais visiter la côte à tous.")
    page.check("input[name=languages][value=fr]")
    page.check("input[name=accept_charter]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.csp_violations == []

    agency = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    admin = agency.new_page()
    log_in(admin, live_server.url, "agence")
    admin.goto(live_server.url + "/ambassadors/applications/")
    admin.get_by_role("link", name="Maëlle Le Roux").click()
    admin.check("input[name=decision][value=approve]")
    admin.locator("main form button[type=submit]").click()
    admin.wait_for_load_state()
    admin.screenshot(path=f"{SHOTS}/journey-applications-phone.png", full_page=True)
    agency.close()

    assert Licence.objects.get(holder__username="maelle").is_valid()
    page.goto(live_server.url + "/ambassadors/me/")
    assert "Mon espace ambassadeur" in page.get_by_role("heading", level=1).inner_text()


def test_camille_shares_through_her_link_and_climbs_the_leaderboard(live_server, browser, page):
    f.ensure_migrated_data()
    charter(1)
    camille = ambassador(UserFactory(username="camille", display_name="Camille Rivière"))
    rival = ambassador(UserFactory(username="hugo", display_name="Hugo Kerbrat"))
    from ambassadors.services.recognition import award

    award(user_id=rival.pk, reason="mission", reference="earlier", points=5)
    f.moderator("agence", display_name="Agence d'attractivité")
    share = mission(title="Partagez l'accueil", type=MissionType.SHARE, points=10, page=f.home())

    log_in(page, live_server.url, "camille")
    page.goto(live_server.url + "/ambassadors/missions/")
    page.get_by_role("link", name="Partagez l'accueil").click()
    page.get_by_role("button", name="Prendre cette mission").click()
    page.get_by_role("link", name="Partager avec mon lien").click()
    short = page.input_value("#short-link")
    assert "/r/" in short
    for network in ("WhatsApp", "LinkedIn", "Facebook", "X", "Bluesky"):
        assert page.get_by_role("link", name=network, exact=True).count() == 1
    page.screenshot(path=f"{SHOTS}/journey-share-desk.png", full_page=True)

    # A visitor opens the link twice: one click. (Its own user agent: "HeadlessChrome" is
    # one of the robots the counter leaves out.)
    visitor = browser.new_context(locale="fr-FR", user_agent=BROWSER_AGENT).new_page()
    visitor.goto(short)
    assert "utm_source=ambassador" in visitor.url
    visitor.goto(short)
    flush_clicks()  # what the beat task does every minute when the site has Redis
    assert sum(LinkClickDay.objects.values_list("clicks", flat=True)) == 1

    page.goto(live_server.url + f"/ambassadors/missions/{share.pk}/")
    page.fill("input[name=link]", "https://social.example/camille/accueil")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.wait_for_load_state()

    agency = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    admin = agency.new_page()
    log_in(admin, live_server.url, "agence")
    admin.goto(live_server.url + f"/ambassadors/missions/{share.pk}/")
    admin.get_by_role("button", name="Approuver", exact=True).click()
    admin.wait_for_load_state()
    agency.close()

    page.goto(live_server.url + "/ambassadors/leaderboard/")
    rows = page.get_by_test_id("leaderboard").locator("tbody tr")
    assert "Camille Rivière" in rows.nth(0).inner_text()
    assert "11" in rows.nth(0).inner_text()  # 10 for the mission, 1 for the visitor
    page.screenshot(path=f"{SHOTS}/journey-leaderboard-desk.png", full_page=True)
    assert page.csp_violations == []
    assert camille.ambassador_points.count() == 2  # the mission's entry and the day's clicks
