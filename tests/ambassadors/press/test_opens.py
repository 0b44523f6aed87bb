"""Who opened the release: a recipient's tracked link followed is their open, first click
kept; another recipient's stays unopened."""

import pytest
from django.core import mail
from django.utils import timezone

from ambassadors.links import services as links
from ambassadors.press.models import PressRecipient
from ambassadors.press.services import releases
from tests.ambassadors.test_links import BROWSER

from .factories import contact, published_story, segment, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    agent, regional = staff(), segment()
    contact(segments=[regional], email="a@media.example")
    contact(segments=[regional], email="b@media.example")
    draft = releases.save_release(
        actor=agent, story=published_story(), segment=regional, subject="S", pitch="<p>x</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        releases.send_release(actor=agent, release=draft)
    return {r.email: r for r in PressRecipient.objects.select_related("link")}


def follow(client, recipient, address="203.0.113.9"):
    return client.get(f"/r/{recipient.link.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address)


def test_following_the_link_of_the_e_mail_marks_that_recipient_opened(client, sent):
    message = next(m for m in mail.outbox if m.to == ["a@media.example"])
    path = message.body.split("/r/")[1].split()[0]
    before = timezone.now()
    response = client.get(f"/r/{path}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and "utm_source=press" in response.url
    links.flush_clicks()
    opened = PressRecipient.objects.get(email="a@media.example")
    assert opened.opened_at is not None and opened.opened_at >= before
    assert PressRecipient.objects.get(email="b@media.example").opened_at is None


def test_the_first_click_is_kept(client, sent, settings):
    settings.LINK_CLICK_WINDOW = 0
    follow(client, sent["a@media.example"])
    links.flush_clicks()
    first = PressRecipient.objects.get(email="a@media.example").opened_at
    follow(client, sent["a@media.example"], address="198.51.100.4")
    links.flush_clicks()
    assert PressRecipient.objects.get(email="a@media.example").opened_at == first


def test_a_link_preview_bot_is_not_an_open(client, sent):
    client.get(
        f"/r/{sent['a@media.example'].link.code}",
        HTTP_USER_AGENT="Slackbot-LinkExpanding 1.0",
        REMOTE_ADDR="203.0.113.9",
    )
    links.flush_clicks()
    assert not PressRecipient.objects.filter(opened_at__isnull=False).exists()


def test_with_redis_the_open_is_recorded_at_the_flush(client, sent, redis_cache):
    follow(client, sent["b@media.example"])
    assert PressRecipient.objects.get(email="b@media.example").opened_at is None
    assert links.flush_clicks() == 1
    assert PressRecipient.objects.get(email="b@media.example").opened_at is not None


@pytest.fixture
def redis_cache(settings):
    from tests.ambassadors.test_links import redis_cache as suite_redis

    yield from suite_redis.__wrapped__(settings)
