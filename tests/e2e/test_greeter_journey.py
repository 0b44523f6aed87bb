"""Greeters in the browser: a visitor without an account asks to meet a resident, confirms
their e-mail through the signed link, and Camille accepts; both get the other's contact."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ambassadors.models import GreeterRequest
from ambassadors.services import greeters
from content.models import Area
from tests.ambassadors.factories import ambassador, charter
from tests.content import factories_contrib as f
from tests.e2e.test_ambassador_journeys import SHOTS, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_a_visitor_asks_to_meet_a_greeter_and_camille_accepts(
    live_server, browser, page, monkeypatch
):
    f.ensure_migrated_data()
    monkeypatch.setattr(greeters, "MIN_FILL_SECONDS", 0)  # the browser fills the form at once
    charter(1)
    kerlann = Area.objects.create(name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE)
    camille = ambassador(
        UserFactory(username="camille", display_name="Camille Rivière"),
        greeter=True,
        languages=",fr,en,",
    )
    camille.ambassador_profile.areas.add(kerlann)
    ambassador(UserFactory(username="hugo", display_name="Hugo Kerbrat"), languages=",de,")
    f.moderator("agence", display_name="Agence d’attractivité")

    # The visitor, in English, on a phone.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    phone = visitor.new_page()
    phone.goto(live_server.url + "/en/greeters/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Meet a resident"
    phone.fill("input[name=name]", "Ana")
    phone.fill("input[name=email]", "ana@example.org")
    arrival = timezone.localdate() + timedelta(days=10)
    phone.fill("input[name=date_from]", arrival.isoformat())
    phone.fill("input[name=date_to]", (arrival + timedelta(days=2)).isoformat())
    phone.fill("input[name=group_size]", "3")
    phone.check("input[name=languages][value=en]")
    phone.select_option("select[name=area]", label="Kerlann")
    phone.fill("input[name=interests]", "sailing, oysters")
    phone.screenshot(path=f"{SHOTS}/greeter-meet-phone-en.png", full_page=True)
    phone.get_by_role("button", name="Send my request").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", level=1).inner_text() == "Check your e-mail"
    request = GreeterRequest.objects.get()
    assert request.status == GreeterRequest.Status.UNCONFIRMED

    link = re.search(r"https?://\S+/greeters/confirm/\S+/", mail.outbox[-1].body).group(0)
    phone.goto(
        live_server.url + link[link.index("/greeters/") :].replace("/greeters/", "/en/greeters/", 1)
    )
    phone.get_by_role("button", name="Confirm my request").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", level=1).inner_text() == "Your request is confirmed"
    visitor.close()

    # Camille, in French, on a desktop.
    log_in(page, live_server.url, "camille")
    page.goto(live_server.url + "/ambassadors/greeters/")
    page.locator(f"main a[href$='/ambassadors/greeters/{request.pk}/']").click()
    page.screenshot(path=f"{SHOTS}/greeter-request-desk-fr.png", full_page=True)
    page.get_by_role("button", name="Je les accueille").click()
    page.wait_for_load_state()
    assert "ana@example.org" in page.content()
    request.refresh_from_db()
    assert request.greeter == camille and request.status == GreeterRequest.Status.MATCHED
    to_visitor = next(
        m for m in mail.outbox if m.to == ["ana@example.org"] and camille.email in m.body
    )
    assert "/greeters/feedback/" in to_visitor.body
    assert any(m.to == [camille.email] and "ana@example.org" in m.body for m in mail.outbox)

    # The agency's list of requests with no taker is empty now.
    agency = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    desk = agency.new_page()
    log_in(desk, live_server.url, "agence")
    desk.goto(live_server.url + "/ambassadors/greeters/waiting/")
    assert "Chaque demande confirmée a son greeter." in desk.content()
    agency.close()
