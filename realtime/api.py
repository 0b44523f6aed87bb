"""Chat over HTTP (/api/v1/chat/…): the rooms, their history and sending, for clients that
are not connected (or not yet). The same services as the socket; messages come in the same
shape as the socket's "message" frames (docs/api.md, "Chat protocol")."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status

from network.api.errors import Error
from network.models import User

from . import selectors, services
from .frames import message_frame

router = Router()


class AuthorOut(Schema):
    username: str
    display_name: str


class MessageOut(Schema):
    type: str
    id: int
    seq: int
    room: int
    author: AuthorOut
    body: str
    client_id: str
    created_at: str
    edited_at: str | None = None
    deleted: bool = False
    hidden: bool = False


class RoomOut(Schema):
    id: int
    kind: str
    title: str
    group: str | None = None
    last_seq: int
    read_seq: int
    unread: int
    last_message: MessageOut | None = None


class MessagePage(Schema):
    items: list[MessageOut]
    has_more: bool


class MessageIn(Schema):
    body: str
    client_id: str | None = None


def _room_out(room) -> dict:
    return {
        "id": room.pk,
        "kind": room.kind,
        "title": str(room.title),
        "group": room.group.slug if room.group_id else None,
        "last_seq": room.last_seq,
        "read_seq": room.read_seq,
        "unread": room.unread,
        "last_message": message_frame(room.last_message) if room.last_message else None,
    }


@router.get("/rooms", response={200: list[RoomOut], 401: Error}, summary="Your chat rooms")
def list_rooms(request):
    """Your rooms, most recently active first, with your unread count and the last message."""
    return [_room_out(room) for room in selectors.rooms_for(request.user)]


@router.get(
    "/rooms/{room_id}/messages",
    response={200: MessagePage, 400: Error, 401: Error, 404: Error},
    summary="A room's messages",
)
def list_messages(request, room_id: int, after: str = "", before: str = "", limit: str = ""):
    """`after=N`: the messages after seq N, oldest first (catching up); `before=N`: those
    before N (scrolling back); neither: the latest. `limit` at most 200 (default 50).
    `has_more` says whether another page waits in the same direction."""
    room = services.get_room_for(request.user, room_id)
    size = selectors.as_int(limit, "limit") or selectors.HISTORY_LIMIT
    size = max(1, min(size, selectors.MAX_HISTORY_LIMIT))
    messages = selectors.history(room, after=after, before=before, limit=size + 1)
    has_more = len(messages) > size
    if has_more:
        messages = messages[:size] if after else messages[1:]
    return {"items": [message_frame(m) for m in messages], "has_more": has_more}


@router.post(
    "/rooms/{room_id}/messages",
    response={
        200: MessageOut,
        201: MessageOut,
        400: Error,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        429: Error,
    },
    summary="Send a message",
)
def send_message(request, room_id: int, payload: MessageIn):
    """Stored, then broadcast to the room's sockets. Sending again with the same
    `client_id` stores nothing and answers 200 with the message stored the first time."""
    room = services.get_room_for(request.user, room_id)
    message, created = services.send_message(
        actor=request.user, room=room, body=payload.body, client_id=payload.client_id
    )
    return Status(201 if created else 200, message_frame(message))


@router.post(
    "/direct/{username}",
    response={200: RoomOut, 401: Error, 403: Error, 404: Error},
    summary="Open a direct conversation",
)
def open_direct(request, username: str):
    """The direct room between you and `username`, created on first use."""
    other = get_object_or_404(User, username=username, is_active=True)
    room = services.open_direct_room(actor=request.user, other=other)
    rooms = {r.pk: r for r in selectors.rooms_for(request.user)}
    return _room_out(rooms[room.pk])
