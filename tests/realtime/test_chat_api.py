"""/api/v1/chat/…: rooms, history with cursors, idempotent sending, direct rooms."""

import uuid

import pytest
from django.core.cache import cache

from realtime import services
from realtime.models import Message, Room
from tests.factories import UserFactory
from tests.realtime.factories import group_room

pytestmark = pytest.mark.django_db

API = "/api/v1/chat"


@pytest.fixture
def hugo():
    return UserFactory(username="hugo")


@pytest.fixture
def nina():
    return UserFactory(username="nina")


@pytest.fixture
def room(hugo, nina):
    return group_room(hugo, nina)


def send(room, author, count):
    for n in range(count):
        cache.clear()  # past the rate limit of 20 in 10 s
        services.send_message(actor=author, room=room, body=f"m{n}", client_id=uuid.uuid4().hex)


def test_rooms_list_unread_counts_and_last_message(client, room, hugo, nina):
    send(room, hugo, 3)
    client.force_login(nina)
    response = client.get(f"{API}/rooms")
    assert response.status_code == 200
    (listed,) = response.json()
    assert (listed["id"], listed["kind"], listed["unread"]) == (room.pk, "group", 3)
    assert listed["last_message"]["seq"] == 3


def test_history_pages_backwards_and_catches_up_forwards(client, room, hugo):
    send(room, hugo, 7)
    client.force_login(hugo)
    latest = client.get(f"{API}/rooms/{room.pk}/messages?limit=3").json()
    assert [m["seq"] for m in latest["items"]] == [5, 6, 7]
    assert latest["has_more"] is True
    older = client.get(f"{API}/rooms/{room.pk}/messages?before=5&limit=3").json()
    assert [m["seq"] for m in older["items"]] == [2, 3, 4]
    rest = client.get(f"{API}/rooms/{room.pk}/messages?after=4&limit=10").json()
    assert [m["seq"] for m in rest["items"]] == [5, 6, 7]
    assert rest["has_more"] is False


@pytest.mark.parametrize("query", ["after=x", "before=-2", "limit=abc"])
def test_a_bad_cursor_is_a_400_with_a_code(client, room, hugo, query):
    client.force_login(hugo)
    response = client.get(f"{API}/rooms/{room.pk}/messages?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_history_reads_the_same_number_of_queries_for_one_and_fifty(
    client, room, hugo, django_assert_num_queries
):
    client.force_login(hugo)
    send(room, hugo, 1)
    client.get(f"{API}/rooms/{room.pk}/messages")  # warm the session's caches
    # Expect 4 queries: user, the room, the membership check, the page.
    with django_assert_num_queries(4):
        client.get(f"{API}/rooms/{room.pk}/messages")
    send(room, hugo, 49)
    client.get(f"{API}/rooms/{room.pk}/messages")  # the session is cached again
    with django_assert_num_queries(4):
        assert len(client.get(f"{API}/rooms/{room.pk}/messages").json()["items"]) == 50


def test_sending_twice_with_one_client_id_stores_one_message(client, room, hugo):
    client.force_login(hugo)
    body = {"body": "Bonjour", "client_id": "api-1"}
    first = client.post(f"{API}/rooms/{room.pk}/messages", body, content_type="application/json")
    again = client.post(f"{API}/rooms/{room.pk}/messages", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"body": ""}, 400, "invalid"),
        ({"body": "x" * 4001}, 400, "too_long"),
        ({"nobody": "x"}, 400, "invalid"),
    ],
)
def test_a_bad_message_is_refused_with_a_code(client, room, hugo, body, status, code):
    client.force_login(hugo)
    response = client.post(f"{API}/rooms/{room.pk}/messages", body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not Message.objects.exists()


def test_a_non_member_gets_404_for_a_room(client, room):
    client.force_login(UserFactory())
    assert client.get(f"{API}/rooms/{room.pk}/messages").status_code == 404
    response = client.post(
        f"{API}/rooms/{room.pk}/messages", {"body": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_a_visitor_gets_401(client, room):
    assert client.get(f"{API}/rooms").status_code == 401


def test_opening_a_direct_room_twice_gives_the_same_room(client, hugo, nina):
    client.force_login(hugo)
    first = client.post(f"{API}/direct/nina").json()
    second = client.post(f"{API}/direct/nina").json()
    assert first["id"] == second["id"]
    assert first["kind"] == "direct"
    assert first["title"] == nina.get_display_name()
    assert Room.objects.filter(kind="direct").count() == 1


@pytest.mark.parametrize(("username", "status"), [("hugo", 403), ("nobody", 404)])
def test_a_direct_room_with_oneself_or_nobody_is_refused(client, hugo, username, status):
    client.force_login(hugo)
    assert client.post(f"{API}/direct/{username}").status_code == status
