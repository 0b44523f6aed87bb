"""Members register for content-hub events with a capacity ("19/50")."""

import csv
import io
import threading
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from content.models import EventIndexPage, EventPage, EventRegistration, HomePage
from content.services.events import cancel_registration, register_for_event
from core.errors import Conflict, NotAllowed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    home = HomePage.objects.get(depth=2)
    index = home.add_child(instance=EventIndexPage(title="Agenda", slug="events"))
    return index.add_child(
        instance=EventPage(
            title="Balade guidée",
            slug="balade",
            start=timezone.now() + timedelta(days=7),
            registrations_open=True,
            capacity=2,
        )
    )


def test_a_member_registers_and_the_places_label_counts_them(event, user):
    register_for_event(user=user, event=event)
    assert event.places_label == "1/2"


def test_a_full_event_refuses_one_more_and_stores_nothing(event):
    for member in UserFactory.create_batch(2):
        register_for_event(user=member, event=event)
    with pytest.raises(Conflict):
        register_for_event(user=UserFactory(), event=event)
    assert EventRegistration.objects.filter(event=event).count() == 2


def test_registering_twice_is_a_conflict(event, user):
    register_for_event(user=user, event=event)
    with pytest.raises(Conflict):
        register_for_event(user=user, event=event)


@pytest.mark.parametrize(
    ("field", "value"),
    [("registrations_open", False), ("status", EventPage.Status.CANCELLED)],
)
def test_closed_or_cancelled_events_take_no_registration(event, user, field, value):
    setattr(event, field, value)
    event.save()
    with pytest.raises(Conflict):
        register_for_event(user=user, event=event)


def test_an_anonymous_visitor_cannot_register(event):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        register_for_event(user=AnonymousUser(), event=event)


def test_cancelling_frees_the_place(event, user):
    register_for_event(user=user, event=event)
    cancel_registration(user=user, event=event)
    assert event.places_label == "0/2"


def test_the_registration_form_posts_and_redirects_to_the_event(auth_client, event, user):
    url = reverse("content:event_registration", args=[event.pk])
    response = auth_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == event.url
    assert EventRegistration.objects.filter(event=event, user=user).exists()
    auth_client.post(url, {"action": "cancel"})
    assert not EventRegistration.objects.filter(event=event, user=user).exists()


def test_registration_needs_a_log_in_and_a_post(auth_client, event):
    url = reverse("content:event_registration", args=[event.pk])
    assert Client().post(url).status_code == 302
    assert not EventRegistration.objects.exists()
    assert auth_client.get(url).status_code == 405


def test_a_draft_event_answers_404(auth_client, event):
    event.unpublish()
    url = reverse("content:event_registration", args=[event.pk])
    assert auth_client.post(url).status_code == 404


# The waiting list, the e-mail with the .ics, the page and the admin (issue 17, point 1) -----


@pytest.fixture
def full_event(event):
    for member in UserFactory.create_batch(2):
        register_for_event(user=member, event=event)
    return event


def test_a_full_event_takes_the_member_on_its_waiting_list(full_event, user):
    registration = register_for_event(user=user, event=full_event, waiting_list=True)
    assert registration.status == EventRegistration.Status.WAITING
    assert EventPage.objects.get(pk=full_event.pk).places_label == "2/2"


def test_an_event_with_places_left_registers_even_from_the_waiting_list_button(event, user):
    registration = register_for_event(user=user, event=event, waiting_list=True)
    assert registration.status == EventRegistration.Status.CONFIRMED


def test_a_cancellation_promotes_the_first_waiting_and_tells_them_by_e_mail(
    full_event, django_capture_on_commit_callbacks
):
    first, second = UserFactory(email="first@example.org"), UserFactory(email="second@x.org")
    register_for_event(user=first, event=full_event, waiting_list=True)
    register_for_event(user=second, event=full_event, waiting_list=True)
    leaving = EventRegistration.objects.filter(
        event=full_event, status=EventRegistration.Status.CONFIRMED
    ).first()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = cancel_registration(user=leaving.user, event=full_event)

    assert promoted.user == first
    statuses = dict(
        EventRegistration.objects.filter(event=full_event).values_list("user__pk", "status")
    )
    assert statuses[first.pk] == "confirmed" and statuses[second.pk] == "waiting"
    assert [message.to for message in mail.outbox] == [["first@example.org"]]
    assert "Balade guidée" in mail.outbox[0].subject


def test_leaving_the_waiting_list_promotes_nobody(full_event, user):
    register_for_event(user=user, event=full_event, waiting_list=True)
    assert cancel_registration(user=user, event=full_event) is None
    assert EventPage.objects.get(pk=full_event.pk).places_label == "2/2"


def test_the_confirmation_e_mail_carries_the_events_ics(event, django_capture_on_commit_callbacks):
    member = UserFactory(email="camille@example.org", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        register_for_event(user=member, event=event)
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    assert "\n" not in message.subject and "Balade guidée" in message.subject
    ((filename, content, mimetype),) = message.attachments
    assert filename == "balade.ics" and mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Balade guidée"


def test_the_event_page_offers_to_register_then_to_cancel(auth_client, event):
    page = auth_client.get(event.url).content.decode()
    assert 'value="register"' in page
    assert "0/2" in page
    auth_client.post(reverse("content:event_registration", args=[event.pk]))
    page = auth_client.get(event.url).content.decode()
    assert 'value="cancel"' in page


def test_a_full_event_page_says_full_and_offers_the_waiting_list(auth_client, full_event):
    with translation.override("fr"):
        page = auth_client.get(full_event.url).content.decode()
    assert "Complet" in page
    assert 'value="wait"' in page
    assert 'value="register"' not in page
    auth_client.post(
        reverse("content:event_registration", args=[full_event.pk]), {"action": "wait"}
    )
    page = auth_client.get(full_event.url).content.decode()
    assert "(n° 1)" in page or "(number 1)" in page
    assert 'value="cancel"' in page


def test_a_visitor_is_offered_to_log_in(client, event):
    page = client.get(event.url).content.decode()
    assert reverse("account_login") + "?next=" in page


def test_staff_see_and_export_the_list_in_the_admin(client, full_event, user):
    register_for_event(user=user, event=full_event, waiting_list=True)
    staff = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(staff)
    index = reverse("event_registrations:index")

    listing = client.get(index, {"event": full_event.pk})
    assert listing.status_code == 200
    assert user.email in listing.content.decode()

    export = client.get(index, {"event": full_event.pk, "export": "csv"})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 1 + 3
    statuses = sorted(row[3] for row in rows[1:])
    Status = EventRegistration.Status
    with translation.override("fr"):  # the admin speaks the staff member's language
        labels = [str(Status.CONFIRMED.label)] * 2 + [str(Status.WAITING.label)]
    assert statuses == sorted(labels)
    assert user.email in {row[2] for row in rows[1:]}


def test_editors_see_the_list_members_do_not(client, full_event, user):
    from tests.content import factories_contrib as f

    index = reverse("event_registrations:index")
    client.force_login(f.moderator("agence"))
    assert client.get(index).status_code == 200
    client.force_login(user)
    assert client.get(index).status_code in (302, 403)


def test_the_admin_list_costs_the_same_for_one_and_twenty(client, event):
    event.capacity = 50
    event.save()
    staff = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(staff)
    index = reverse("event_registrations:index")
    register_for_event(user=UserFactory(), event=event)
    client.get(index)
    with CaptureQueriesContext(connection) as one:
        client.get(index)
    for member in UserFactory.create_batch(19):
        register_for_event(user=member, event=event)
    with CaptureQueriesContext(connection) as twenty:
        client.get(index)
    assert len(twenty) == len(one)


def _home_page_even_after_a_flush():
    """A transactional test that ran before this one empties every table, the page tree that
    the migrations made included: build it again when it is gone."""
    home = HomePage.objects.filter(depth=2).first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("fr"))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    return root.add_child(instance=HomePage(title="Accueil", slug="accueil-concurrent"))


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time: concurrent sign-ups cannot race "
    "there; the row lock (SELECT ... FOR UPDATE) is PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_sign_ups():
    """Twelve members ask for the last two places at the same time, from twelve threads."""
    home = _home_page_even_after_a_flush()
    index = home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda-concurrent"))
    event = index.add_child(
        instance=EventPage(
            title="Dernières places",
            slug="dernieres",
            start=timezone.now() + timedelta(days=7),
            registrations_open=True,
            capacity=2,
        )
    )
    members = UserFactory.create_batch(12)
    barrier = threading.Barrier(len(members))
    outcomes = []

    def sign_up(member):
        try:
            barrier.wait()
            registration = register_for_event(user=member, event=event, waiting_list=True)
            outcomes.append(registration.status)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=sign_up, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes).count("confirmed") == 2
    assert EventRegistration.objects.filter(event=event, status="confirmed").count() == 2
    assert EventRegistration.objects.filter(event=event, status="waiting").count() == 10


def test_the_language_versions_of_an_event_share_one_list_of_places(auth_client, event, user):
    from tests.content.factories_translations import translate

    english = translate(event, title="Guided walk")
    register_for_event(user=user, event=event)
    register_for_event(user=UserFactory(), event=english)

    # Signed up on /fr/, the member is registered on /en/ too; the English page is full.
    with pytest.raises(Conflict):
        register_for_event(user=user, event=english)
    with pytest.raises(Conflict):
        register_for_event(user=UserFactory(), event=english)
    waiting = register_for_event(user=UserFactory(), event=english, waiting_list=True)
    assert waiting.status == EventRegistration.Status.WAITING
    assert EventRegistration.objects.filter(event=event).count() == 3  # one list, kept on /fr/
    fresh = EventPage.objects.get(pk=english.pk)
    assert (fresh.places_label, event.places_label) == ("2/2", "2/2")
    page = auth_client.get(english.url)
    assert "2/2" in page.content.decode()

    # Cancelling from the English page frees the place for the first one waiting.
    promoted = cancel_registration(user=user, event=english)
    assert promoted == waiting


def test_a_listing_counts_places_across_language_versions_in_one_query(client, event, user):
    from tests.content.factories_translations import translate

    english = translate(event, title="Guided walk")
    register_for_event(user=user, event=event)
    listed = EventPage.objects.filter(pk=english.pk).with_places_taken().get()
    with CaptureQueriesContext(connection) as queries:
        assert listed.places_label == "1/2"
    assert len(queries) == 0
