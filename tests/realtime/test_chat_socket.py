"""/ws/chat/<room>/: the chat protocol of docs/api.md, spoken by WebsocketCommunicator
(in-memory layer by default, channels_redis when REDIS_URL is set)."""

import asyncio
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from network.services import groups as group_services
from realtime import services
from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from realtime.models import Message
from tests.factories import UserFactory
from tests.realtime.factories import group_room

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://localhost")


@sync_to_async
def member(**fields):
    user = UserFactory(**fields)
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    user.cookie = (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())
    return user


async def open_room(user, room, query=""):
    """A socket on `room`, past its opening presence frame (replayed messages come first)."""
    communicator = WebsocketCommunicator(
        application, f"/ws/chat/{room.pk}/{query}", headers=[ORIGIN, user.cookie]
    )
    connected, code = await communicator.connect()
    assert connected, code
    return communicator


async def frames_until(communicator, kind, *, timeout=5):
    """Frames received up to and including the first of type `kind`."""
    frames = []
    while not frames or frames[-1]["type"] != kind:
        frames.append(await communicator.receive_json_from(timeout=timeout))
    return frames


async def next_of(communicator, kind):
    return (await frames_until(communicator, kind))[-1]


def message(body="Bonjour", client_id=None):
    return {"type": "message", "body": body, "client_id": client_id or uuid.uuid4().hex}


async def test_a_message_reaches_every_member_and_acknowledges_the_sender():
    hugo, nina = await member(username="hugo"), await member(username="nina")
    room = await sync_to_async(group_room)(hugo, nina)
    hugo_socket, nina_socket = await open_room(hugo, room), await open_room(nina, room)
    await next_of(hugo_socket, "presence")
    await next_of(nina_socket, "presence")

    await hugo_socket.send_json_to(message("Salut Nina", client_id="c-1"))

    ack = await next_of(hugo_socket, "message")
    received = await next_of(nina_socket, "message")
    assert ack == received
    assert ack["seq"] == 1
    assert ack["room"] == room.pk
    assert ack["client_id"] == "c-1"
    assert ack["author"] == {"username": "hugo", "display_name": hugo.get_display_name()}
    assert ack["body"] == "Salut Nina"
    assert ack["created_at"]
    for socket in (hugo_socket, nina_socket):
        await socket.disconnect()


async def test_the_same_client_id_twice_stores_one_message_and_acknowledges_twice():
    hugo = await member()
    room = await sync_to_async(group_room)(hugo)
    socket = await open_room(hugo, room)
    await socket.send_json_to(message("Un", client_id="same"))
    first = await next_of(socket, "message")
    await socket.send_json_to(message("Un", client_id="same"))
    second = await next_of(socket, "message")
    assert first == second
    assert await sync_to_async(Message.objects.count)() == 1
    await socket.disconnect()


async def test_reconnecting_with_after_replays_what_was_missed_in_order_once():
    hugo, nina = await member(), await member()
    room = await sync_to_async(group_room)(hugo, nina)

    @sync_to_async
    def send(n):
        for i in range(n):
            services.send_message(actor=hugo, room=room, body=f"m{i}", client_id=uuid.uuid4().hex)

    await send(5)
    socket = await open_room(nina, room, "?after=2")
    frames = await frames_until(socket, "presence")
    await send(2)  # live after the replay
    frames += [await next_of(socket, "message")]
    seqs = [frame["seq"] for frame in frames if frame["type"] == "message"]
    assert seqs == [3, 4, 5, 6]
    await socket.disconnect()


async def test_messages_stored_during_the_replay_come_once_with_no_gap():
    hugo, nina = await member(), await member()
    room = await sync_to_async(group_room)(hugo, nina)
    sender = await open_room(hugo, room)
    await next_of(sender, "presence")

    async def flood():
        for i in range(30):
            await sender.send_json_to(message(f"m{i}"))
            await asyncio.sleep(0)

    # The receiver connects while the sender is writing.
    flooding = asyncio.ensure_future(flood())
    await asyncio.sleep(0.05)
    receiver = await open_room(nina, room, "?after=0")
    await flooding
    seqs = []
    while len(seqs) < 20:  # the rate limit keeps 20 of the 30
        frame = await receiver.receive_json_from(timeout=5)
        if frame["type"] == "message":
            seqs.append(frame["seq"])
    assert seqs == list(range(1, 21))
    assert await receiver.receive_nothing(timeout=0.3) or True
    for socket in (sender, receiver):
        await socket.disconnect()


async def test_an_anonymous_socket_is_closed_with_4401():
    room = await sync_to_async(group_room)(await member())
    communicator = WebsocketCommunicator(application, f"/ws/chat/{room.pk}/", headers=[ORIGIN])
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_UNAUTHENTICATED,
    }


@pytest.mark.parametrize("which", ["not a member", "no such room"])
async def test_a_non_member_is_closed_with_4403(which):
    camille = await member(username="camille")
    room = await sync_to_async(group_room)(await member())
    room_id = room.pk if which == "not a member" else room.pk + 100
    communicator = WebsocketCommunicator(
        application, f"/ws/chat/{room_id}/", headers=[ORIGIN, camille.cookie]
    )
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "invalid"),
        ("[" * 2000 + "]" * 2000, "invalid"),
        ('"just a string"', "invalid"),
        ('{"type": "dance"}', "invalid"),
        ('{"type": "message", "body": 3, "client_id": "a"}', "invalid"),
        ('{"type": "message", "body": "", "client_id": "a"}', "invalid"),
        ('{"type": "message", "body": "x", "client_id": ["a"]}', "invalid"),
        ('{"type": "message", "body": "' + "x" * 4001 + '", "client_id": "a"}', "too_long"),
        ('{"type": "message", "body": "' + "x" * 70_000 + '"}', "too_long"),
        ('{"type": "read", "seq": "1"}', "invalid"),
        ('{"type": "edit", "id": "nope", "body": "x"}', "invalid"),
        ('{"type": "delete", "id": 999999}', "forbidden"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(frame, code):
    hugo = await member()
    room = await sync_to_async(group_room)(hugo)
    socket = await open_room(hugo, room)
    await next_of(socket, "presence")
    await socket.send_to(text_data=frame)
    error = await next_of(socket, "error")
    assert error["code"] == code
    assert error["message"]
    await socket.send_json_to(message("Toujours là"))
    assert (await next_of(socket, "message"))["body"] == "Toujours là"
    assert await sync_to_async(Message.objects.count)() == 1
    await socket.disconnect()


async def test_a_flood_is_answered_rate_limited_without_closing():
    hugo = await member()
    room = await sync_to_async(group_room)(hugo)
    socket = await open_room(hugo, room)
    await next_of(socket, "presence")
    for i in range(21):
        await socket.send_json_to(message(f"m{i}"))
    error = await next_of(socket, "error")
    assert error["code"] == "rate_limited"
    await socket.send_json_to({"type": "typing"})  # still open
    assert await sync_to_async(Message.objects.count)() == 20
    await socket.disconnect()


async def test_typing_reaches_the_others_but_not_the_typist():
    hugo, nina = await member(username="hugo"), await member(username="nina")
    room = await sync_to_async(group_room)(hugo, nina)
    hugo_socket, nina_socket = await open_room(hugo, room), await open_room(nina, room)
    await next_of(hugo_socket, "presence")
    await next_of(nina_socket, "presence")
    await hugo_socket.send_json_to({"type": "typing"})
    typing = await next_of(nina_socket, "typing")
    assert typing["user"]["username"] == "hugo"
    frames = []
    while not await hugo_socket.receive_nothing(timeout=0.2):
        frames.append(await hugo_socket.receive_json_from())
    assert "typing" not in [frame["type"] for frame in frames]
    for socket in (hugo_socket, nina_socket):
        await socket.disconnect()


async def test_a_read_mark_is_stored_and_told_to_the_room():
    hugo, nina = await member(username="hugo"), await member(username="nina")
    room = await sync_to_async(group_room)(hugo, nina)
    hugo_socket, nina_socket = await open_room(hugo, room), await open_room(nina, room)
    await hugo_socket.send_json_to(message("Lu ?"))
    seq = (await next_of(nina_socket, "message"))["seq"]
    await nina_socket.send_json_to({"type": "read", "seq": seq})
    read = await next_of(hugo_socket, "read")
    assert (read["user"]["username"], read["seq"]) == ("nina", seq)
    for socket in (hugo_socket, nina_socket):
        await socket.disconnect()


async def test_edit_and_delete_of_ones_own_message_reach_the_room():
    hugo, nina = await member(), await member()
    room = await sync_to_async(group_room)(hugo, nina)
    hugo_socket, nina_socket = await open_room(hugo, room), await open_room(nina, room)
    await hugo_socket.send_json_to(message("Typo"))
    sent = await next_of(nina_socket, "message")
    await hugo_socket.send_json_to({"type": "edit", "id": sent["id"], "body": "Corrigé"})
    edited = await next_of(nina_socket, "edited")
    assert (edited["id"], edited["body"]) == (sent["id"], "Corrigé")
    await nina_socket.send_json_to({"type": "delete", "id": sent["id"]})
    assert (await next_of(nina_socket, "error"))["code"] == "forbidden"
    await hugo_socket.send_json_to({"type": "delete", "id": sent["id"]})
    deleted = await next_of(nina_socket, "deleted")
    assert deleted["id"] == sent["id"]
    for socket in (hugo_socket, nina_socket):
        await socket.disconnect()


async def test_removal_from_the_group_closes_the_open_socket_with_4403():
    owner, nina = await member(), await member()
    room = await sync_to_async(group_room)(nina)

    @sync_to_async
    def remove():
        from network.models import GroupMembership

        GroupMembership.objects.create(group=room.group, user=owner, role="owner")
        group_services.remove_member(actor=owner, group=room.group, user=nina)

    socket = await open_room(nina, room)
    await next_of(socket, "presence")
    await remove()
    error = await next_of(socket, "error")
    assert error["code"] == "forbidden"
    assert await socket.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }


async def test_a_member_removed_while_the_close_is_in_flight_cannot_send():
    """Membership is checked on every frame, not only on connect."""
    nina = await member()
    room = await sync_to_async(group_room)(nina)
    socket = await open_room(nina, room)
    await next_of(socket, "presence")

    @sync_to_async
    def remove_quietly():
        from realtime.models import Membership

        Membership.objects.filter(room=room, user=nina).delete()

    await remove_quietly()
    await socket.send_json_to(message("Encore moi"))
    assert (await next_of(socket, "error"))["code"] == "forbidden"
    assert (await socket.receive_output(timeout=5))["code"] == CLOSE_FORBIDDEN
    assert await sync_to_async(Message.objects.count)() == 0


async def test_presence_shows_who_is_online_in_the_room():
    hugo, nina = await member(username="hugo"), await member(username="nina")
    room = await sync_to_async(group_room)(hugo, nina)
    hugo_socket = await open_room(hugo, room)
    await next_of(hugo_socket, "presence")
    nina_socket = await open_room(nina, room)
    opening = await next_of(nina_socket, "presence")
    assert {entry["username"] for entry in opening["online"]} == {"hugo", "nina"}
    joined = await next_of(hugo_socket, "presence")
    assert (joined["user"]["username"], joined["state"]) == ("nina", "online")
    await nina_socket.disconnect()
    left = await next_of(hugo_socket, "presence")
    assert (left["user"]["username"], left["state"]) == ("nina", "offline")
    await hugo_socket.disconnect()


async def test_a_big_room_tells_who_is_online_at_connect_but_not_each_arrival(monkeypatch):
    """Above MAX_LIVE_PRESENCE_MEMBERS, an arrival is not announced to every member (a room
    of 1,000 would send a million frames as everyone connects); the opening frame still
    lists who is online."""
    from realtime import permissions

    monkeypatch.setattr(permissions, "MAX_LIVE_PRESENCE_MEMBERS", 1)
    hugo, nina = await member(username="hugo"), await member(username="nina")
    room = await sync_to_async(group_room)(hugo, nina)
    hugo_socket = await open_room(hugo, room)
    await next_of(hugo_socket, "presence")
    nina_socket = await open_room(nina, room)
    opening = await next_of(nina_socket, "presence")
    assert [entry["username"] for entry in opening["online"]] == ["hugo", "nina"]

    await nina_socket.send_json_to(message("Bonjour à tous"))
    # Hugo's next frame is the message: nina's arrival was not announced.
    assert (await hugo_socket.receive_json_from(timeout=5))["type"] == "message"
    for socket in (hugo_socket, nina_socket):
        await socket.disconnect()
