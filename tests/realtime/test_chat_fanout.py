"""The process's room fan-out (realtime/fanout.py) and what a socket gets when the server
cannot check its access (in-memory layer by default, channels_redis when REDIS_URL is set)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from config.asgi import application
from realtime import presence, services
from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_TRY_AGAIN
from realtime.fanout import get_fanout
from tests.realtime.factories import group_room
from tests.realtime.test_chat_socket import ORIGIN, member, message, next_of, open_room

pytestmark = pytest.mark.django_db(transaction=True)


async def test_one_message_reaches_every_socket_of_the_room_once_in_order():
    people = [await member() for _ in range(12)]
    room = await sync_to_async(group_room)(*people)
    sockets = [await open_room(person, room) for person in people]
    for socket in sockets:
        await next_of(socket, "presence")
    # One entry in the process's fan-out for the room, holding its twelve sockets.
    assert len(get_fanout().rooms[room.pk]) == 12

    for n in range(3):
        await sockets[n].send_json_to(message(f"m{n}"))
    for socket in sockets:
        seqs = [(await next_of(socket, "message"))["seq"] for _ in range(3)]
        assert seqs == [1, 2, 3]
        assert await socket.receive_nothing(timeout=0.1)
    for socket in sockets:
        await socket.disconnect()
    # The last socket gone, the process has left the room's group.
    assert room.pk not in get_fanout().rooms


async def test_a_message_stored_by_the_api_reaches_the_sockets_once():
    hugo, nina = await member(), await member()
    room = await sync_to_async(group_room)(hugo, nina)
    socket = await open_room(nina, room)
    await next_of(socket, "presence")
    await sync_to_async(services.send_message)(actor=hugo, room=room, body="Par l'API")
    frame = await next_of(socket, "message")
    assert (frame["seq"], frame["body"]) == (1, "Par l&#x27;API")
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()


async def test_a_removed_member_hears_nothing_more_of_the_room():
    hugo, nina = await member(), await member()
    room = await sync_to_async(group_room)(hugo, nina)
    hugo_socket, nina_socket = await open_room(hugo, room), await open_room(nina, room)
    for socket in (hugo_socket, nina_socket):
        await next_of(socket, "presence")

    @sync_to_async
    def remove():
        services.remove_group_room_member(group_id=room.group_id, user_id=nina.pk)
        from realtime.receivers import group_send

        group_send(f"user-{nina.pk}", {"type": "chat.removed", "room": room.pk})

    await remove()
    assert (await next_of(nina_socket, "error"))["code"] == "forbidden"
    assert (await nina_socket.receive_output(timeout=5))["code"] == CLOSE_FORBIDDEN
    await hugo_socket.send_json_to(message("Toujours là ?"))
    await next_of(hugo_socket, "message")
    assert await nina_socket.receive_nothing(timeout=0.2)
    await hugo_socket.disconnect()


async def refused_with(user, room) -> int:
    communicator = WebsocketCommunicator(
        application, f"/ws/chat/{room.pk}/", headers=[ORIGIN, user.cookie]
    )
    connected, _ = await communicator.connect()
    assert connected
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output["code"]


async def test_a_member_whose_access_cannot_be_checked_is_told_to_retry_not_refused(
    monkeypatch,
):
    """A busy or unreachable database is not "not a member": 1013 (try again later)."""
    nina = await member()
    room = await sync_to_async(group_room)(nina)

    def unreachable(*args, **kwargs):
        raise OperationalError("connection pool exhausted")

    monkeypatch.setattr(services, "get_room_for", unreachable)
    assert await refused_with(nina, room) == CLOSE_TRY_AGAIN


async def test_a_socket_that_cannot_be_opened_for_want_of_redis_is_told_to_retry(monkeypatch):
    nina = await member()
    room = await sync_to_async(group_room)(nina)

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(presence, "socket_opened", unreachable)
    assert await refused_with(nina, room) == CLOSE_TRY_AGAIN


def test_open_sockets_are_frozen_out_of_the_collectors_reach_and_thawed_at_times(monkeypatch):
    """realtime/memory.py: every FREEZE_EVERY sockets, gc.freeze(); at most every THAW_EVERY
    seconds, one full collection first (the cycles of closed sockets are freed then)."""
    from realtime import memory

    calls = []
    monkeypatch.setattr(memory.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(memory.gc, "unfreeze", lambda: calls.append("unfreeze"))
    monkeypatch.setattr(memory.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(memory, "FREEZE_EVERY", 3)
    monkeypatch.setattr(memory, "_opened", 0)
    clock = [1000.0]
    monkeypatch.setattr(memory.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(memory, "_thawed_at", clock[0])

    for _ in range(5):
        memory.socket_opened()
    assert calls == ["freeze"]
    clock[0] += memory.THAW_EVERY + 1
    memory.socket_opened()
    assert calls == ["freeze", "unfreeze", "collect", "freeze"]
    for _ in range(3):
        memory.socket_opened()
    assert calls == ["freeze", "unfreeze", "collect", "freeze", "freeze"]


# The rooms list (/chat/): a member socket that asks hears its rooms' new messages -----------


async def open_member_socket(user):
    communicator = WebsocketCommunicator(application, "/ws/member/", headers=[ORIGIN, user.cookie])
    connected, code = await communicator.connect()
    assert connected, code
    return communicator


async def test_the_rooms_list_hears_its_rooms_new_messages_and_nothing_else():
    hugo, nina, yann = await member(), await member(), await member()
    ours = await sync_to_async(group_room)(hugo, nina)
    theirs = await sync_to_async(group_room)(hugo, yann)  # nina is not in it
    socket = await open_member_socket(nina)
    await socket.send_json_to({"type": "subscribe", "topic": "rooms"})
    await socket.receive_nothing(timeout=0.2)  # the subscription is done

    await sync_to_async(services.send_message)(actor=yann, room=theirs, body="Pas pour Nina")
    await sync_to_async(services.send_message)(actor=hugo, room=ours, body="Pour Nina")
    frame = await next_of(socket, "message")
    assert (frame["room"], frame["body"], frame["author"]["username"]) == (
        ours.pk,
        "Pour Nina",
        hugo.username,
    )
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()
    assert ours.pk not in get_fanout().rooms


async def test_a_socket_that_did_not_ask_hears_no_room():
    hugo, nina = await member(), await member()
    room = await sync_to_async(group_room)(hugo, nina)
    socket = await open_member_socket(nina)
    await sync_to_async(services.send_message)(actor=hugo, room=room, body="Bonjour")
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_the_rooms_list_stops_hearing_a_room_its_member_was_removed_from():
    hugo, nina = await member(), await member()
    room = await sync_to_async(group_room)(hugo, nina)
    socket = await open_member_socket(nina)
    await socket.send_json_to({"type": "subscribe", "topic": "rooms"})
    await socket.receive_nothing(timeout=0.2)

    @sync_to_async
    def remove():
        services.remove_group_room_member(group_id=room.group_id, user_id=nina.pk)
        from realtime.receivers import group_send

        group_send(f"user-{nina.pk}", {"type": "chat.removed", "room": room.pk})

    await remove()
    await socket.receive_nothing(timeout=0.2)
    await sync_to_async(services.send_message)(actor=hugo, room=room, body="Après ton départ")
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_a_room_socket_cannot_watch_other_rooms():
    hugo, nina = await member(), await member()
    room = await sync_to_async(group_room)(hugo, nina)
    socket = await open_room(nina, room)
    await next_of(socket, "presence")
    await socket.send_json_to({"type": "subscribe", "topic": "rooms"})
    assert (await next_of(socket, "error"))["code"] == "invalid"
    await socket.disconnect()
