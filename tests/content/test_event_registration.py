"""Members register for content-hub events with a capacity ("19/50")."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
