"""The sockets (docs/api.md, "Sockets"): the member socket every signed-in page opens, and
one socket per open chat room. Both are authenticated by the session cookie.

A socket that may not be opened is first accepted, then closed with our code (4401 not
signed in, 4403 not allowed): refused at the handshake, a browser would only see HTTP 403
and could not tell why."""

import json
import logging
import time
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import DatabaseError
from django.utils.translation import gettext as _

from core.errors import DomainError, NotAllowed, NotFound, RateLimited
from network.models import User

from . import memory, permissions, presence, selectors, services
from .fanout import get_fanout, room_event
from .frames import author_frame, deleted_frame, edited_frame, message_frame
from .groups import FEED_GROUP, member_group, room_group
from .writer import get_writer

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is installed with channels_redis
    RedisError = OSError

logger = logging.getLogger(__name__)

# Close codes in the 4000 range are ours: 4401 mirrors HTTP 401, 4403 HTTP 403.
CLOSE_UNAUTHENTICATED = 4401
# Signed out everywhere (suspended, account deleted), or removed from the room, while connected.
CLOSE_ACCESS_REVOKED = 4403
CLOSE_FORBIDDEN = 4403
# The server could not check (database or Redis unreachable, or too busy to answer): try
# again later (RFC 6455's 1013). Never 4403: a member is not refused because we are busy.
CLOSE_TRY_AGAIN = 1013
# What "could not check" means: the database, Redis or the network failed or timed out.
UNAVAILABLE = (DatabaseError, RedisError, OSError, TimeoutError)

MAX_FRAME_BYTES = 64 * 1024
REPLAY_BATCH = 200
TYPING_EVERY = 2.0  # seconds: more typing frames from one socket are dropped


def error_code(error: DomainError) -> str:
    """The socket's error codes: too_long | rate_limited | forbidden | invalid."""
    if isinstance(error, RateLimited):
        return "rate_limited"
    if isinstance(error, services.MessageTooLong):
        return "too_long"
    if isinstance(error, NotAllowed | NotFound):
        return "forbidden"
    return "invalid"


class MemberConsumer(AsyncJsonWebsocketConsumer):
    """A socket of a signed-in member. It joins the member's group, so that a notification
    reaches every page the member has open and a suspension closes them all."""

    user_group = None
    counted = False  # counted in presence
    # The rooms whose new messages this socket hears (the rooms list of /chat/, kept live):
    # asked with {"type": "subscribe", "topic": "rooms"}.
    watches_rooms = True
    watched: frozenset | set = frozenset()

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        try:
            allowed = await self.may_connect()
        except UNAVAILABLE:
            logger.warning("Could not check a socket's access", exc_info=True)
            await self.accept()
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        if not allowed:
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        accepted = False
        try:
            self.user_group = member_group(user.pk)
            await self.channel_layer.group_add(self.user_group, self.channel_name)
            await self.accept()
            accepted = True
            memory.socket_opened()
            await database_sync_to_async(presence.socket_opened)(user.pk)
            self.counted = True
            await self.member_connected()
        except UNAVAILABLE:
            logger.warning("Could not open a socket", exc_info=True)
            if not accepted:
                await self.accept()
            await self.close(code=CLOSE_TRY_AGAIN)

    async def may_connect(self) -> bool:
        return True

    async def member_connected(self):
        """What a subclass sends once the socket is open."""

    async def disconnect(self, code):
        await self.unwatch_rooms(self.watched)
        if self.user_group:
            await self.channel_layer.group_discard(self.user_group, self.channel_name)
            await self.channel_layer.group_discard(FEED_GROUP, self.channel_name)
            if self.counted:
                await database_sync_to_async(presence.socket_closed)(self.user.pk)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Frames are JSON objects with a "type"; anything else gets an error frame and the
        socket stays open."""
        if text_data is None:
            await self.send_error("invalid", _("Send JSON text frames."))
            return
        if len(text_data) > MAX_FRAME_BYTES or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_error("too_long", _("A frame has at most 64 KiB."))
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.send_error("invalid", _("This frame is not valid JSON."))
            return
        if not isinstance(content, dict):
            await self.send_error("invalid", _("A frame is a JSON object with a type."))
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "presence":
            away = content.get("state") == presence.AWAY
            await database_sync_to_async(presence.heartbeat)(self.user.pk, away=away)
        elif kind == "subscribe" and content.get("topic") == "feed":
            await self.channel_layer.group_add(FEED_GROUP, self.channel_name)
        elif kind == "subscribe" and content.get("topic") == "rooms" and self.watches_rooms:
            await self.watch_rooms()
        else:
            await self.send_error("invalid", _("Unknown frame type."))

    async def watch_rooms(self):
        """Hear the new messages of the member's rooms (the most recently active first, at
        most MAX_WATCHED_ROOMS), through the process's fan-out: the frames the rooms' own
        sockets get, no more."""
        if self.watched:
            return
        self.watched = set(await database_sync_to_async(selectors.room_ids_for)(self.user))
        fanout = get_fanout()
        for room_id in self.watched:
            await fanout.join(room_id, self)

    async def unwatch_rooms(self, room_ids):
        fanout = get_fanout()
        for room_id in list(room_ids):
            self.watched.discard(room_id)
            await fanout.leave(room_id, self)

    async def room_event(self, event):
        """A watched room's event (realtime/fanout.py): its stored messages only, written as
        its own sockets get them."""
        if event["type"] == "chat.message" and event["room"] in self.watched:
            await self.base_send({"type": "websocket.send", "text": event["text"]})

    async def access_revoked(self, event):
        await self.send_error("access_revoked", _("You have been signed out."))
        await self.close(code=CLOSE_ACCESS_REVOKED)

    async def notification_push(self, event):
        await self.send_json({"type": "notification", **event.get("payload", {})})

    async def feed_new_post(self, event):
        if event.get("author") != self.user.pk:
            await self.send_json({"type": "feed", "event": "new_post"})

    async def chat_removed(self, event):
        """Removed from a room: its messages are no longer heard (ChatConsumer also closes)."""
        if event.get("room") in self.watched:
            await self.unwatch_rooms([event["room"]])

    async def send_error(self, code: str, message: str):
        await self.send_json({"type": "error", "code": code, "message": str(message)})


class PingConsumer(MemberConsumer):
    """An authenticated echo: proves the ASGI stack (origin check, session auth, routing,
    JSON frames, the member's group) end to end."""

    async def member_connected(self):
        await self.send_json({"type": "hello", "user": self.user.get_username()})

    async def receive_json(self, content, **kwargs):
        await self.send_json({"type": "pong", "echo": content})


class RefuseConsumer(AsyncJsonWebsocketConsumer):
    """Every unknown socket path: the handshake is refused (HTTP 403), not a server error."""

    async def connect(self):
        await self.close()


# Chat ----------------------------------------------------------------------------------------


def _load_room(user, room_id):
    try:
        return services.get_room_for(user, room_id)
    except NotFound:
        return None


def _replay(room, after):
    return [message_frame(m) for m in selectors.history(room, after=after, limit=REPLAY_BATCH)]


def _room_presence(room) -> tuple[list[dict], bool]:
    """The room's members who are online or away ([{"username", "state"}]), and whether the
    room is small enough for arrivals and departures to be announced live."""
    member_ids = selectors.member_ids(room)
    live = len(member_ids) <= permissions.MAX_LIVE_PRESENCE_MEMBERS
    states = presence.states(member_ids)
    if not states:
        return [], live
    users = User.objects.filter(pk__in=list(states)).only("username").order_by("username")
    return [{"username": user.username, "state": states[user.pk]} for user in users], live


class ChatConsumer(MemberConsumer):
    """/ws/chat/<room_id>/: one room's messages, typing, read marks and presence. Membership
    is checked on connect and by the service on every frame; removal from the room closes
    the socket (4403)."""

    # Its room_event is its own room's: it watches no other.
    watches_rooms = False
    room = None
    last_replayed = 0
    last_typing = 0.0
    live_presence = False
    joined = False  # in the process's fan-out of the room (realtime/fanout.py)
    # The room's events that arrived while the socket was opening (replay, who is online):
    # sent after them, in order; None once the socket is live.
    held: list | None = None

    async def may_connect(self) -> bool:
        self.room = await database_sync_to_async(_load_room)(
            self.user, self.scope["url_route"]["kwargs"]["room_id"]
        )
        return self.room is not None

    async def member_connected(self):
        # Joined first, read second: whatever is stored after this read is broadcast to the
        # room, whatever was stored before is in the replay; seq numbers drop the overlap.
        # What the room says meanwhile is held until the replay and who is online are sent.
        self.held = []
        await get_fanout().join(self.room.pk, self)
        self.joined = True
        after = self._after()
        if after is not None:
            while True:
                frames = await database_sync_to_async(_replay)(self.room, after)
                for frame in frames:
                    await self.send_json(frame)
                if frames:
                    after = self.last_replayed = frames[-1]["seq"]
                if len(frames) < REPLAY_BATCH:
                    break
        states, self.live_presence = await database_sync_to_async(_room_presence)(self.room)
        await self.send_json({"type": "presence", "room": self.room.pk, "online": states})
        if self.live_presence:
            await self.channel_layer.group_send(
                room_group(self.room.pk),
                room_event(
                    self.room.pk,
                    "chat.presence",
                    user=author_frame(self.user),
                    state=presence.ONLINE,
                ),
            )
        while self.held:
            held, self.held = self.held, []
            for event in held:
                await self.deliver(event)
        self.held = None

    def _after(self):
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        value = (query.get("after") or [None])[0]
        try:
            return max(0, int(value)) if value is not None else None
        except ValueError:
            return 0

    async def leave_room(self):
        """Hear nothing more of the room (closing, or removed from it)."""
        if self.joined:
            self.joined = False
            await get_fanout().leave(self.room.pk, self)

    async def disconnect(self, code):
        if self.room is not None and self.user_group:
            await self.leave_room()
            await super().disconnect(code)
            if self.live_presence:
                await self.channel_layer.group_send(
                    room_group(self.room.pk),
                    room_event(
                        self.room.pk, "chat.presence", user=author_frame(self.user), state="offline"
                    ),
                )
            return
        await super().disconnect(code)

    async def receive_json(self, content, **kwargs):
        handler = {
            "message": self.on_message,
            "typing": self.on_typing,
            "read": self.on_read,
            "edit": self.on_edit,
            "delete": self.on_delete,
        }.get(content.get("type"))
        if handler is None:
            await super().receive_json(content)
            return
        try:
            await handler(content)
        except DomainError as error:
            await self.send_error(error_code(error), error.message)
            if isinstance(error, NotAllowed | NotFound):
                await self._close_if_removed()

    async def _close_if_removed(self):
        if not await database_sync_to_async(permissions.can_read_room)(self.user, self.room):
            await self.leave_room()
            await self.close(code=CLOSE_FORBIDDEN)

    async def on_message(self, content):
        # Stored by the process's writer (realtime/writer.py), in one transaction with the
        # messages of other sockets that arrived meanwhile; the membership is checked in the
        # statement that stores it.
        message, created = await get_writer().store(
            services.Outgoing(
                actor=self.user,
                room=self.room,
                body=content.get("body"),
                client_id=content.get("client_id"),
            )
        )
        text = json.dumps(message_frame(message))
        if created:
            await self.channel_layer.group_send(
                room_group(self.room.pk),
                room_event(self.room.pk, "chat.message", seq=message.seq, text=text),
            )
        else:  # a retry: acknowledged again, to the sender only
            await self.send(text_data=text)

    async def on_typing(self, content):
        now = time.monotonic()
        if now - self.last_typing < TYPING_EVERY:
            return
        self.last_typing = now
        if not await database_sync_to_async(permissions.can_send_in_room)(self.user, self.room):
            raise NotAllowed()
        await self.channel_layer.group_send(
            room_group(self.room.pk),
            room_event(
                self.room.pk, "chat.typing", user=author_frame(self.user), sender=self.channel_name
            ),
        )

    async def on_read(self, content):
        seq = await database_sync_to_async(services.mark_read)(
            actor=self.user, room=self.room, seq=content.get("seq")
        )
        await self.channel_layer.group_send(
            room_group(self.room.pk),
            room_event(self.room.pk, "chat.read", user=author_frame(self.user), seq=seq),
        )

    async def on_edit(self, content):
        def edit():
            message = services.get_message_for(self.user, content.get("id"))
            return edited_frame(
                services.edit_message(actor=self.user, message=message, body=content.get("body"))
            )

        frame = await database_sync_to_async(edit)()
        await self.channel_layer.group_send(
            room_group(self.room.pk), room_event(self.room.pk, "chat.frame", frame=frame)
        )

    async def on_delete(self, content):
        def delete():
            message = services.get_message_for(self.user, content.get("id"))
            return deleted_frame(services.delete_message(actor=self.user, message=message))

        frame = await database_sync_to_async(delete)()
        await self.channel_layer.group_send(
            room_group(self.room.pk), room_event(self.room.pk, "chat.frame", frame=frame)
        )

    # The room's events (from the process's fan-out, realtime/fanout.py) -----------------

    async def room_event(self, event):
        if self.held is not None:  # still opening
            self.held.append(event)
        elif self.joined:
            await self.deliver(event)

    async def deliver(self, event):
        if event["type"] == "chat.message":
            # A stored message, encoded once (by its sender's socket, or
            # services.broadcast_frame) for every receiver: written as is.
            if event["seq"] > self.last_replayed:  # else already sent by the replay
                await self.base_send({"type": "websocket.send", "text": event["text"]})
            return
        handler = getattr(self, get_handler_name(event), None)
        if handler is not None:
            await handler(event)

    async def chat_message(self, event):
        """(Room events come through the fan-out, not the socket's own channel.)"""
        await self.deliver(event)

    async def chat_frame(self, event):
        await self.send_json(event["frame"])

    async def chat_typing(self, event):
        if event.get("sender") != self.channel_name:
            await self.send_json({"type": "typing", "room": self.room.pk, "user": event["user"]})

    async def chat_read(self, event):
        await self.send_json(
            {"type": "read", "room": self.room.pk, "user": event["user"], "seq": event["seq"]}
        )

    async def chat_presence(self, event):
        if event["user"]["username"] == self.user.get_username():
            return
        await self.send_json(
            {
                "type": "presence",
                "room": self.room.pk,
                "user": event["user"],
                "state": event["state"],
            }
        )

    async def chat_removed(self, event):
        if self.room is not None and event.get("room") == self.room.pk:
            await self.leave_room()
            await self.send_error("forbidden", _("You are no longer a member of this room."))
            await self.close(code=CLOSE_FORBIDDEN)
