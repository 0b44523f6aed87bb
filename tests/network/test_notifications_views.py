"""/notifications/ (grouped list, mark read, the header's count) and the preferences page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from network.models import Notification, NotificationKind, NotificationPreference
from network.registries import notification_kinds
from network.services import notifications as service
from tests.factories import UserFactory
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db
Kind = NotificationKind


@pytest.fixture
def camille():
    return UserFactory(username="camille", display_name="Camille")


@pytest.fixture
def me(client, user):
    client.force_login(user)
    return user


def notify_directly(recipient, kind, actor, target, key, **fields):
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        target=target,
        event_key=key,
        url=fields.pop("url", None) or target.get_absolute_url(),
        **fields,
    )


def reactions(me, count, *, post=None):
    post = post or PostFactory(author=me, body_text="Le marché de Noël ouvre samedi.")
    people = [UserFactory(display_name=f"Personne {i}") for i in range(count)]
    for person in people:
        notify_directly(me, Kind.REACTION, person, post, f"reaction:{post.pk}:{person.pk}")
    return post, people


def test_the_list_needs_a_member(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_reactions_to_one_post_are_grouped_into_one_line(client, me, camille):
    post, people = reactions(me, 4)
    latest = notify_directly(me, Kind.REACTION, camille, post, f"reaction:{post.pk}:camille")

    page = client.get("/en/notifications/").text

    assert "Camille and 4 other people reacted to your post" in page
    assert page.count('data-testid="notification"') == 1
    assert f"/en/notifications/{latest.pk}/" in page
    assert "Le marché de Noël ouvre samedi." not in page  # reactions keep no excerpt


def test_the_grouped_line_in_french(client, me, camille):
    post, _ = reactions(me, 4)
    notify_directly(me, Kind.REACTION, camille, post, f"reaction:{post.pk}:camille")
    page = client.get("/notifications/").text
    assert "Camille et 4 autres personnes ont réagi à votre publication" in page


def test_groups_are_split_by_day_and_by_read_state(client, me, camille):
    post, _ = reactions(me, 2)
    old = notify_directly(me, Kind.REACTION, camille, post, "old")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    read = notify_directly(me, Kind.REACTION, UserFactory(), post, "read", read_at=timezone.now())
    assert read.read_at

    page = client.get("/en/notifications/").text
    assert page.count('data-testid="notification"') == 3


def test_the_list_is_newest_first(client, me, camille):
    post = PostFactory(author=me)
    first = notify_directly(me, Kind.COMMENT, camille, post, "first")
    Notification.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))
    notify_directly(me, Kind.FOLLOW, camille, me, "second", url="/people/camille/")
    page = client.get("/en/notifications/").text
    assert page.index("now follows you") < page.index("commented on your post")


def test_the_list_costs_the_same_queries_for_5_or_50_notifications(client, me):
    def queries_for(count):
        Notification.objects.all().delete()
        for _ in range(count):  # distinct posts: as many lines as notifications
            post = PostFactory(author=me)
            notify_directly(me, Kind.COMMENT, UserFactory(), post, f"c:{post.pk}")
        client.get("/notifications/")  # the unread count is cached like between real pages
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/notifications/")
        assert response.text.count('data-testid="notification"') == count
        return len(queries)

    assert queries_for(5) == queries_for(50)


def test_older_notifications_are_on_the_next_page(client, me, camille):
    for i in range(55):
        post = PostFactory(author=me)
        notify_directly(me, Kind.COMMENT, camille, post, f"c:{i}")
    first = client.get("/notifications/")
    assert first.text.count('data-testid="notification"') == 50
    cursor = first.context["page"].next_cursor
    second = client.get("/notifications/", {"cursor": cursor})
    assert second.text.count('data-testid="notification"') == 5
    assert second.context["page"].next_cursor is None


@pytest.mark.parametrize("cursor", ["garbage", "MjAyNHwx", "bm90IGEgZGF0ZXw1"])
def test_a_malformed_cursor_is_a_400(client, me, cursor):
    assert client.get("/notifications/", {"cursor": cursor}).status_code == 400


def test_opening_a_notification_marks_its_group_read_and_goes_to_it(client, me, camille):
    post, _ = reactions(me, 3)
    other = notify_directly(me, Kind.COMMENT, camille, post, "comment")
    latest = Notification.objects.filter(kind=Kind.REACTION).first()

    response = client.get(f"/en/notifications/{latest.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/en/posts/{post.pk}/"
    assert not Notification.objects.filter(kind=Kind.REACTION, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_someone_elses_notification_cannot_be_opened(client, me, camille):
    theirs = notify_directly(camille, Kind.COMMENT, me, PostFactory(author=camille), "x")
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_one_group_read(client, me, camille):
    post, _ = reactions(me, 2)
    comment = notify_directly(me, Kind.COMMENT, camille, post, "comment")
    ids = list(Notification.objects.filter(kind=Kind.REACTION).values_list("pk", flat=True))
    response = client.post("/notifications/read/", {"id": ids})
    assert response.status_code == 302
    assert not Notification.objects.filter(kind=Kind.REACTION, read_at__isnull=True).exists()
    comment.refresh_from_db()
    assert comment.read_at is None


def test_marking_someone_elses_notification_read_does_nothing(client, me, camille):
    theirs = notify_directly(camille, Kind.COMMENT, me, PostFactory(author=camille), "x")
    client.post("/notifications/read/", {"id": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, me):
    reactions(me, 3)
    client.post("/notifications/read/", {"all": "1"})
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_marking_read_needs_a_post(client, me):
    reactions(me, 1)
    assert client.get("/notifications/read/?all=1").status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).exists()


def test_the_header_shows_the_unread_count(client, me, camille):
    reactions(me, 3)
    page = client.get("/en/notifications/").text
    assert 'data-testid="notifications-unread"' in page
    assert "3 unread" in page

    client.post("/notifications/read/", {"all": "1"})
    page = client.get("/en/notifications/").text
    assert 'data-testid="notifications-unread"' not in page


def test_a_new_notification_updates_the_cached_count(
    me, camille, django_capture_on_commit_callbacks
):
    assert service.unread_count(me) == 0
    with django_capture_on_commit_callbacks(execute=True):
        service.notify(
            kind=Kind.FOLLOW,
            recipients=[me],
            actor=camille,
            target=me,
            event_key="follow",
            url="/",
        )
    assert service.unread_count(me) == 1


# Preferences --------------------------------------------------------------------------------


def test_the_preferences_page_shows_every_kind_with_its_current_choice(client, me):
    NotificationPreference.objects.create(user=me, kind=Kind.REACTION, channel="weekly")
    page = client.get("/en/accounts/notifications/").text
    for spec in notification_kinds():  # the network's own kinds and those other apps add
        assert f'id="kind-{spec.key}"' in page
    assert (
        'name="reaction" value="weekly" aria-labelledby="kind-reaction channel-weekly" checked'
        in page
    )
    assert (
        'name="mention" value="email" aria-labelledby="kind-mention channel-email" checked' in page
    )


def test_saving_preferences(client, me):
    choices = {spec.key: "site" for spec in notification_kinds()} | {
        "group_post": "weekly",
        "reaction": "off",
    }
    response = client.post("/accounts/notifications/", choices)
    assert response.status_code == 302
    assert service.channels_for(me) == choices


@pytest.mark.parametrize("bad", [{"mention": "sms"}, {"mention": ""}])
def test_a_bad_choice_is_a_400_and_saves_nothing(client, me, bad):
    choices = {spec.key: "site" for spec in notification_kinds()} | bad
    response = client.post("/accounts/notifications/", choices)
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_preferences_need_a_member(client):
    assert client.get("/accounts/notifications/").status_code == 302


def test_nobody_changes_someone_elses_preferences(me, camille):
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        service.set_notification_preferences(actor=me, user=camille, channels={"mention": "off"})
    assert not NotificationPreference.objects.exists()
