"""/api/v1/notifications: the list, marking read, preferences."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Notification, NotificationKind, NotificationPreference
from network.registries import notification_kinds
from network.services import notifications as service
from tests.factories import UserFactory
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db
Kind = NotificationKind
API = "/api/v1/notifications"


@pytest.fixture
def me(client, user):
    client.force_login(user)
    return user


def notify_directly(recipient, actor, *, kind=Kind.COMMENT, **fields):
    post = PostFactory(author=recipient, body_text="Sortie kayak")
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        target=post,
        event_key=f"{kind}:{post.pk}:{actor.pk}",
        url=post.get_absolute_url(),
        data={"excerpt": "Sortie kayak"},
        **fields,
    )


def test_the_list_needs_a_member(client):
    response = client.get(API)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_list_is_newest_first_with_the_sentence(client, me):
    camille = UserFactory(username="camille", display_name="Camille")
    older = notify_directly(me, camille)
    newer = notify_directly(me, camille, kind=Kind.REACTION)

    body = client.get(API).json()

    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert body["unread"] == 2
    item = body["items"][1]
    assert item["kind"] == "comment"
    assert item["text"] == "Camille a commenté votre publication"  # the API speaks French
    assert item["excerpt"] == "Sortie kayak"
    assert item["actor"]["username"] == "camille"
    assert item["url"] == f"http://testserver/posts/{older.target_id}/"
    assert item["read"] is False


def test_the_list_pages_with_a_cursor_and_costs_the_same_for_5_or_50(client, me):
    def queries_for(count):
        Notification.objects.all().delete()
        for _ in range(count):
            notify_directly(me, UserFactory())
        client.get(API)  # the unread count is cached, as between real calls
        with CaptureQueriesContext(connection) as queries:
            body = client.get(API, {"limit": 50}).json()
        assert len(body["items"]) == count
        return len(queries)

    assert queries_for(5) == queries_for(50)
    first = client.get(API, {"limit": 20}).json()
    second = client.get(API, {"limit": 40, "cursor": first["next"]}).json()
    assert len(second["items"]) == 30 and second["next"] is None
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_only_unread(client, me):
    notify_directly(me, UserFactory())
    read = notify_directly(me, UserFactory())
    service.mark_read(actor=me, ids=[read.pk])
    body = client.get(API, {"unread": "true"}).json()
    assert [item["id"] for item in body["items"]] != [] and read.pk not in {
        item["id"] for item in body["items"]
    }


def test_a_malformed_cursor_is_a_400(client, me):
    response = client.get(API, {"cursor": "nope"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_mark_some_read_ignores_other_peoples_ids(client, me):
    mine = notify_directly(me, UserFactory())
    other = notify_directly(me, UserFactory())
    camille = UserFactory()
    theirs = notify_directly(camille, me)

    response = client.post(
        f"{API}/read", {"ids": [mine.pk, theirs.pk]}, content_type="application/json"
    )

    assert response.json() == {"marked": 1, "unread": 1}
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_mark_all_read(client, me):
    for _ in range(3):
        notify_directly(me, UserFactory())
    response = client.post(f"{API}/read", {"all": True}, content_type="application/json")
    assert response.json() == {"marked": 3, "unread": 0}


def test_a_session_write_needs_the_csrf_token(me):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(me)
    response = strict.post(f"{API}/read", {"all": True}, content_type="application/json")
    assert response.status_code == 403


def test_get_and_put_preferences(client, me):
    body = client.get(f"{API}/preferences").json()
    assert body["channels"]["mention"] == "email"
    # Every registered kind: the network's own and those other apps add.
    assert set(body["channels"]) == {spec.key for spec in notification_kinds()}

    response = client.put(
        f"{API}/preferences",
        {"channels": {"mention": "daily", "reaction": "off"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["channels"]["mention"] == "daily"
    assert response.json()["channels"]["reply"] == "email"  # untouched
    assert NotificationPreference.objects.filter(user=me).count() == 2


@pytest.mark.parametrize(
    "channels", [{"mention": "sms"}, {"everything": "off"}, {"mention": None}, "off"]
)
def test_bad_preferences_are_a_400_and_change_nothing(client, me, channels):
    response = client.put(
        f"{API}/preferences", {"channels": channels}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()
