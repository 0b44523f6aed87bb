"""Nina signs up for an event from its page, Hugo finds it full and joins the waiting list;
when Nina cancels, Hugo gets her place and an e-mail with the event's .ics."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from content.models import EventIndexPage, EventPage, EventRegistration
from tests.conftest import DEMO_PASSWORD
from tests.content import factories_contrib as f
from tests.e2e.pages import sign_in as log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_a_member_signs_up_another_waits_and_gets_the_freed_place(live_server, browser, page):
    f.ensure_migrated_data()
    UserFactory(username="nina", email="nina@example.org", password=DEMO_PASSWORD)
    UserFactory(username="hugo", email="hugo@example.org", password=DEMO_PASSWORD)
    index = f.home().add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
    event = index.add_child(
        instance=EventPage(
            title="Atelier cuisine des algues",
            slug="atelier",
            start=timezone.now() + timedelta(days=7),
            registrations_open=True,
            capacity=1,
        )
    )
    event_url = live_server.url + event.url

    # Nina takes the only place.
    log_in(page, live_server.url, "nina")
    page.goto(event_url)
    box = page.locator(".event-registration")
    assert "1 place restante" in box.inner_text()
    box.locator("button[value=register]").click()
    page.wait_for_load_state()
    assert "Votre inscription est confirmée." in page.locator(".event-registration").inner_text()
    assert page.csp_violations == []

    # Hugo finds it full and joins the waiting list.
    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    hugo = other.new_page()
    log_in(hugo, live_server.url, "hugo")
    hugo.goto(event_url)
    box = hugo.locator(".event-registration")
    assert "complet" in box.inner_text().lower()
    box.locator("button[value=wait]").click()
    hugo.wait_for_load_state()
    assert "liste d'attente (n° 1)" in hugo.locator(".event-registration").inner_text()

    # Nina cancels: Hugo has the place and is told by e-mail, with the .ics.
    mail.outbox.clear()
    page.goto(event_url)
    page.locator(".event-registration button[value=cancel]").click()
    page.wait_for_load_state()
    # Hugo took the place back: the event is full again for Nina.
    assert "complet" in page.locator(".event-registration").inner_text().lower()
    registration = EventRegistration.objects.get(event=event)
    assert registration.user.username == "hugo" and registration.status == "confirmed"
    assert [message.to for message in mail.outbox] == [["hugo@example.org"]]
    assert mail.outbox[0].attachments[0][0] == "atelier.ics"
    hugo.goto(event_url)
    assert "Votre inscription est confirmée." in hugo.locator(".event-registration").inner_text()
    other.close()
