"""Notification e-mails: at once or in a daily/weekly digest as each member chose, in their
language, with a signed one-click unsubscribe link that works without logging in."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone, translation

from network.models import Notification, NotificationKind, NotificationPreference
from network.services import notifications as service
from network.services import posts
from network.tasks import (
    send_daily_digest_task,
    send_notification_emails_task,
    send_weekly_digest_task,
)
from tests.factories import UserFactory
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db
Kind = NotificationKind
Channel = NotificationPreference.Channel


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def camille():
    return UserFactory(username="camille", display_name="Camille")


@pytest.fixture
def hugo():
    return UserFactory(username="hugo", display_name="Hugo", preferred_language="en")


def mention(actor, on_commit, body="Merci @hugo !"):
    with on_commit():
        return posts.create_post(actor=actor, body=body)


def unsubscribe_path(message) -> str:
    return re.search(r"<https?://[^/]+(/[^>]+)>", message.extra_headers["List-Unsubscribe"])[1]


def channel_of(user, kind) -> str:
    return service.channels_for(user)[kind]


# At once -------------------------------------------------------------------------------------


def test_a_mention_is_e_mailed_at_once_by_default(camille, hugo, on_commit):
    post = mention(camille, on_commit)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [hugo.email]
    assert message.subject == "Camille mentioned you"
    assert f"/en/posts/{post.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message).startswith("/en/notifications/unsubscribe/")
    assert Notification.objects.get(recipient=hugo).emailed_at is not None


def test_the_e_mail_speaks_the_recipients_language(camille, hugo, on_commit):
    """The e-mail is rendered in the recipient's language (French here), whatever the
    language of the request that caused it (English here), links included."""
    hugo.preferred_language = "fr"
    hugo.save()
    post = PostFactory(author=hugo)
    with translation.override("en"), on_commit():
        posts.add_comment(actor=camille, post=post, body="@hugo bravo")  # mention: at once
    message = mail.outbox[0]
    assert message.subject == "Camille vous a mentionné"
    assert message.body.startswith("Bonjour Hugo,")
    assert '<html lang="fr">' in message.alternatives[0][0]
    assert f"/posts/{post.pk}/" in message.body and "/en/" not in message.body


def test_each_notification_is_e_mailed_once_even_if_the_task_runs_again(camille, hugo, on_commit):
    mention(camille, on_commit)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert send_notification_emails_task.apply(args=[ids]).get() == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_leaves_the_notification_to_send_again(camille, hugo, settings):
    post = PostFactory(author=camille)
    notification = Notification.objects.create(
        recipient=hugo, kind=Kind.MENTION, actor=camille, target=post, event_key="k", url="/"
    )
    settings.EMAIL_BACKEND = "tests.network.test_notifications_email.BrokenBackend"
    with pytest.raises(OSError):
        service.send_notification_emails([notification.pk])
    notification.refresh_from_db()
    assert notification.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert service.send_notification_emails([notification.pk]) == 1


class BrokenBackend:
    """The outside world failing: an SMTP server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")


def test_site_only_kinds_send_no_e_mail(camille, hugo, on_commit):
    NotificationPreference.objects.create(user=hugo, kind=Kind.MENTION, channel=Channel.SITE)
    mention(camille, on_commit)
    assert Notification.objects.filter(recipient=hugo).count() == 1
    assert mail.outbox == []
    assert send_daily_digest_task.apply().get() == 0
    assert send_weekly_digest_task.apply().get() == 0


# Digests ---------------------------------------------------------------------------------------


def test_a_daily_digest_kind_is_not_e_mailed_at_once_but_in_the_digest(camille, hugo, on_commit):
    NotificationPreference.objects.create(user=hugo, kind=Kind.MENTION, channel=Channel.DAILY)
    mention(camille, on_commit, body="Merci @hugo pour la visite du phare.")
    assert mail.outbox == []

    assert send_weekly_digest_task.apply().get() == 0
    assert send_daily_digest_task.apply().get() == 1
    message = mail.outbox[0]
    assert message.to == [hugo.email]
    assert "Camille mentioned you" in message.body
    assert "Merci @hugo pour la visite du phare." in message.body
    assert "Camille mentioned you" in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Sent once: the next run has nothing new.
    assert send_daily_digest_task.apply().get() == 0


def test_the_weekly_digest_groups_a_weeks_notifications(camille, hugo):
    NotificationPreference.objects.create(user=camille, kind=Kind.REACTION, channel=Channel.WEEKLY)
    post = PostFactory(author=camille)
    people = [UserFactory(display_name=name) for name in ("Anna", "Bruno", "Chloé")]
    for person in people:
        Notification.objects.create(
            recipient=camille,
            kind=Kind.REACTION,
            actor=person,
            target=post,
            event_key=f"reaction:{post.pk}:{person.pk}",
            url=post.get_absolute_url(),
        )
    old = Notification.objects.create(
        recipient=camille, kind=Kind.REACTION, actor=hugo, target=post, event_key="old", url="/"
    )
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=20))

    assert service.send_digests(channel=Channel.WEEKLY) == 1
    body = mail.outbox[0].body
    # Camille reads French, the first language.
    assert "Chloé et 2 autres personnes ont réagi à votre publication" in body
    assert body.count("réagi à votre publication") == 1


def test_a_notification_read_on_the_site_is_left_out_of_the_digest(camille, hugo, on_commit):
    NotificationPreference.objects.create(user=hugo, kind=Kind.MENTION, channel=Channel.DAILY)
    mention(camille, on_commit)
    service.mark_read(actor=hugo, everything=True)
    assert service.send_digests(channel=Channel.DAILY) == 0


def test_group_posts_go_to_the_daily_digest_by_default(camille, hugo):
    assert channel_of(hugo, Kind.GROUP_POST) == Channel.DAILY
    assert channel_of(hugo, Kind.MENTION) == Channel.EMAIL


# Unsubscribe ----------------------------------------------------------------------------------


def test_the_unsubscribe_link_works_without_logging_in(camille, hugo, on_commit):
    mention(camille, on_commit)
    path = unsubscribe_path(mail.outbox[0])
    anonymous = Client()

    page = anonymous.get(path)
    assert page.status_code == 200
    assert channel_of(hugo, Kind.MENTION) == Channel.EMAIL  # looking changes nothing

    done = anonymous.post(path)
    assert done.status_code == 200
    assert 'data-testid="unsubscribe-done"' in done.text
    assert channel_of(hugo, Kind.MENTION) == Channel.SITE
    assert channel_of(hugo, Kind.REPLY) == Channel.EMAIL  # only the kind of the link


def test_one_click_unsubscribe_from_the_mail_client(camille, hugo, on_commit):
    """RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click", with no CSRF token."""
    mention(camille, on_commit)
    path = unsubscribe_path(mail.outbox[0])
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert channel_of(hugo, Kind.MENTION) == Channel.SITE


def test_unsubscribing_keeps_a_kind_that_was_off_off(hugo):
    NotificationPreference.objects.create(user=hugo, kind=Kind.MENTION, channel=Channel.OFF)
    token = service.unsubscribe_token(hugo.pk, [Kind.MENTION])
    Client().post(f"/notifications/unsubscribe/{token}/")
    assert channel_of(hugo, Kind.MENTION) == Channel.OFF


def forged_tokens(victim_id):
    """Ways to make a link for `victim_id` without the site's key."""
    genuine = service.unsubscribe_token(victim_id + 1, [Kind.MENTION])
    payload, timestamp, signature = genuine.split(":")
    swapped = signing.b64_encode(b'{"u":%d,"k":["mention"]}' % victim_id).decode()
    return {
        "unsigned": swapped,
        "other salt": signing.dumps({"u": victim_id, "k": ["mention"]}, salt="another"),
        "other key": signing.dumps(
            {"u": victim_id, "k": ["mention"]}, salt=service.UNSUBSCRIBE_SALT, key="x" * 50
        ),
        "altered signature": f"{payload}:{timestamp}:{signature[:-2]}xx",
        "someone else's link with the id swapped": f"{swapped}:{timestamp}:{signature}",
        "unknown kind": signing.dumps(
            {"u": victim_id, "k": ["everything"]}, salt=service.UNSUBSCRIBE_SALT
        ),
        "garbage": "not-a-token",
    }


@pytest.mark.parametrize(
    "case",
    [
        "unsigned",
        "other salt",
        "other key",
        "altered signature",
        "someone else's link with the id swapped",
        "unknown kind",
        "garbage",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_altered_link_is_refused_and_changes_nothing(hugo, case, method):
    UserFactory()  # the owner of the genuine token
    token = forged_tokens(hugo.pk)[case]
    response = getattr(Client(), method)(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_the_digest_has_an_unsubscribe_link_per_kind(camille, hugo):
    for kind in (Kind.MENTION, Kind.COMMENT):
        NotificationPreference.objects.create(user=hugo, kind=kind, channel=Channel.DAILY)
    post = PostFactory(author=hugo)
    for kind in (Kind.MENTION, Kind.COMMENT):
        Notification.objects.create(
            recipient=hugo, kind=kind, actor=camille, target=post, event_key=kind, url="/"
        )
    service.send_digests(channel=Channel.DAILY)
    body = mail.outbox[0].body
    links = re.findall(r"https?://\S+/notifications/unsubscribe/\S+/", body)
    assert len(links) == 2
    Client().post(re.sub(r"^https?://[^/]+", "", links[0]))
    channels = service.channels_for(hugo)
    assert sorted([channels[Kind.MENTION], channels[Kind.COMMENT]]) == [Channel.DAILY, "site"]
