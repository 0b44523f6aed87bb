"""Every write of chat: rooms, members, messages, read marks. The socket consumer, the API
and the views call these; each checks its permission inside.

A message is stored with its room's sequence number *before* anyone is told of it: on
PostgreSQL in one statement (membership and client_id checked, the room's counter bumped with
UPDATE … RETURNING, the row inserted, the read mark moved), several messages in one short
transaction when they arrive together (realtime/writer.py). A client that was away catches up
with `?after=<seq>` and misses nothing."""

import json
import logging
import re
import uuid
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Subquery, Value
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotFound,
    RateLimited,
)
from core.ratelimit import give_back, hit_many
from core.sanitizer import clean_html, clean_text
from network.mentions import extract_usernames, link_mentions
from network.models import Group, GroupMembership, User

from . import permissions
from .frames import message_frame
from .groups import room_group
from .models import Membership, Message, Room

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 4000
MAX_CLIENT_ID_CHARS = 64
MAX_ROOM_NAME_CHARS = 80
RATE_LIMIT = 20  # messages per member …
RATE_WINDOW = 10  # … per this many seconds

_CLIENT_ID_RE = re.compile(r"^[\w.:-]{1,64}$")


class MessageTooLong(InvalidInput):
    code = "too_long"


# Rooms ---------------------------------------------------------------------------------------


def ensure_group_room(*, group: Group) -> Room:
    """The group's room, created with memberships for its members if it has none yet."""
    room, created = Room.objects.get_or_create(
        group=group, defaults={"kind": Room.Kind.GROUP, "created_by_id": group.created_by_id}
    )
    if created:
        user_ids = GroupMembership.objects.filter(group=group).values_list("user_id", flat=True)
        Membership.objects.bulk_create(
            [Membership(room=room, user_id=pk) for pk in user_ids], ignore_conflicts=True
        )
    return room


def add_group_room_member(*, group_id: int, user_id: int) -> None:
    """A member joined a group: they join its room, reading from its current end."""
    room = Room.objects.filter(group_id=group_id).only("pk", "last_seq").first()
    if room is None:
        return
    Membership.objects.get_or_create(
        room=room, user_id=user_id, defaults={"last_read_seq": room.last_seq}
    )


def remove_group_room_member(*, group_id: int, user_id: int) -> list[int]:
    """A member left (or was removed from) a group: they leave its room at once. Returns the
    ids of the rooms left, for closing the member's sockets there."""
    rooms = list(Room.objects.filter(group_id=group_id).values_list("pk", flat=True))
    Membership.objects.filter(room_id__in=rooms, user_id=user_id).delete()
    return rooms


def _direct_key(first: User, second: User) -> str:
    low, high = sorted((first.pk, second.pk))
    return f"{low}:{high}"


@transaction.atomic
def open_direct_room(*, actor: User, other: User) -> Room:
    """The direct conversation between two members, created on first use."""
    if not permissions.can_open_direct(actor, other):
        raise NotAllowed(_("You cannot start a conversation with this member."))
    key = _direct_key(actor, other)
    room = Room.objects.filter(direct_key=key).first()
    if room is None:
        try:
            with transaction.atomic():
                room = Room.objects.create(kind=Room.Kind.DIRECT, direct_key=key, created_by=actor)
        except IntegrityError:  # opened by the other at the same moment
            room = Room.objects.get(direct_key=key)
    Membership.objects.bulk_create(
        [Membership(room=room, user=actor), Membership(room=room, user=other)],
        ignore_conflicts=True,
    )
    return room


@transaction.atomic
def create_private_room(*, actor: User, name: str, members) -> Room:
    """A named conversation of up to 20 people (the creator included)."""
    if not permissions.can_create_private_room(actor):
        raise NotAllowed(_("Only members in good standing can start a conversation."))
    name = clean_text(name or "")[:MAX_ROOM_NAME_CHARS].strip()
    if not name:
        raise InvalidInput(_("Give the conversation a name."))
    people = {actor.pk: actor}
    for member in members:
        if member.pk not in people and permissions.can_open_direct(actor, member):
            people[member.pk] = member
    if len(people) > permissions.MAX_PRIVATE_MEMBERS:
        raise InvalidInput(
            _("A conversation has at most %(count)s people.")
            % {"count": permissions.MAX_PRIVATE_MEMBERS}
        )
    if len(people) < 2:
        raise InvalidInput(_("Add at least one other member."))
    room = Room.objects.create(kind=Room.Kind.PRIVATE, name=name, created_by=actor)
    Membership.objects.bulk_create([Membership(room=room, user_id=pk) for pk in people])
    return room


@transaction.atomic
def ensure_wanted_room(*, key: str, name: str, user_ids) -> Room:
    """The room another app asked for by its key (network.signals.conversation_wanted),
    created on first call; its members become exactly `user_ids` (those added read from the
    room's current end). No permission here: the asking app decided who talks."""
    key = (key or "")[:64]
    name = clean_text(name or "")[:MAX_ROOM_NAME_CHARS].strip()
    room = Room.objects.select_for_update().filter(external_key=key).first()
    if room is None:
        try:
            with transaction.atomic():
                room = Room.objects.create(kind=Room.Kind.CAMPAIGN, external_key=key, name=name)
        except IntegrityError:  # asked for by another request at the same moment
            room = Room.objects.select_for_update().get(external_key=key)
    elif name and room.name != name:
        Room.objects.filter(pk=room.pk).update(name=name)
    wanted = {int(pk) for pk in user_ids}
    present = set(Membership.objects.filter(room=room).values_list("user_id", flat=True))
    Membership.objects.filter(room=room, user_id__in=present - wanted).delete()
    Membership.objects.bulk_create(
        [Membership(room=room, user_id=pk, last_read_seq=0) for pk in sorted(wanted - present)],
        ignore_conflicts=True,
    )
    return room


def get_room_for(user: User, room_id) -> Room:
    """The room if `user` may read it; NotFound otherwise (the same answer for a room that
    does not exist and one that is not theirs)."""
    room = Room.objects.select_related("group").filter(pk=room_id).first()
    if room is None or not permissions.can_read_room(user, room):
        raise NotFound(_("This conversation does not exist or is not yours."))
    return room


# Messages ------------------------------------------------------------------------------------


def render_body(text: str, mentioned=()) -> str:
    """The author's plain text as safe HTML: escaped, line breaks kept, links made
    clickable (rel="nofollow ugc noopener"), @mentions of room members linked."""
    html = clean_html(escape(text).replace("\n", "<br>"))
    if mentioned:
        html = clean_html(link_mentions(html, mentioned))
    return html


def clean_body(body) -> str:
    if not isinstance(body, str):
        raise InvalidInput(_("A message is text."))
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise InvalidInput(_("A message cannot be empty."))
    if len(body) > MAX_BODY_CHARS:
        raise MessageTooLong(
            _("A message has at most %(count)s characters.") % {"count": MAX_BODY_CHARS}
        )
    return body


def clean_client_id(client_id) -> str:
    if client_id is None or client_id == "":
        return uuid.uuid4().hex
    if not isinstance(client_id, str) or not _CLIENT_ID_RE.match(client_id):
        raise InvalidInput(_("client_id is a string of at most 64 letters, digits or dashes."))
    return client_id


def mentioned_members(room: Room, text: str, *, author: User) -> list[User]:
    """Room members named with @username in `text` (never the author). One query."""
    usernames = extract_usernames(text)
    if not usernames:
        return []
    lowered = {name.lower() for name in usernames}
    members = User.objects.filter(chat_memberships__room=room, is_active=True).exclude(pk=author.pk)
    return [user for user in members if user.username.lower() in lowered]


def _next_seq(room_id: int) -> int:
    """Bump the room's counter and return the new value: one statement, whose row lock is
    held until the caller's (short) transaction commits. (The demo's history uses it.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE realtime_room SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq",
            [room_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise NotFound(_("This conversation does not exist or is not yours."))
    return row[0]


# On PostgreSQL, storing a message is ONE statement: the membership check (an active member
# of the room), the idempotency check (no message of this author with this client_id), the
# room's counter bumped (its row lock serialises the room's senders), the row inserted and
# the author's read mark moved, all in data-modifying CTEs. No row back: not a member, or a
# client_id already used (the caller then looks the message up). ON CONFLICT covers two
# processes storing the same client_id at the same moment (the loser's seq is then skipped:
# a gap that replay by `seq > N` does not mind).
_STORE_PG = """
WITH bumped AS (
    UPDATE realtime_room SET last_seq = last_seq + 1
    WHERE id = %(room)s
      AND EXISTS (
          SELECT 1 FROM realtime_membership m
          WHERE m.room_id = %(room)s AND m.user_id = %(author)s)
      AND NOT EXISTS (
          SELECT 1 FROM realtime_message d
          WHERE d.author_id = %(author)s AND d.client_id = %(client_id)s)
    RETURNING last_seq
), stored AS (
    INSERT INTO realtime_message (room_id, seq, author_id, client_id, body, text, created_at)
    SELECT %(room)s, bumped.last_seq, %(author)s, %(client_id)s, %(body)s, %(text)s,
           %(created_at)s
    FROM bumped
    ON CONFLICT (author_id, client_id) DO NOTHING
    RETURNING id, seq
), marked AS (
    UPDATE realtime_membership SET last_read_seq = stored.seq
    FROM stored WHERE room_id = %(room)s AND user_id = %(author)s
)
SELECT id, seq FROM stored
"""


def _store_row(cursor, params: dict) -> tuple[int, int] | None:
    """Store one prepared message in the current transaction: (id, seq), or None when the
    author is not in the room or the client_id was already used."""
    if connection.vendor == "postgresql":
        cursor.execute(_STORE_PG, params)
        return cursor.fetchone()
    # Elsewhere (SQLite: tests, the embedded demo) the same steps, one statement each.
    cursor.execute(
        "UPDATE realtime_room SET last_seq = last_seq + 1 WHERE id = %(room)s AND EXISTS ("
        "SELECT 1 FROM realtime_membership m WHERE m.room_id = %(room)s "
        "AND m.user_id = %(author)s) AND NOT EXISTS (SELECT 1 FROM realtime_message d "
        "WHERE d.author_id = %(author)s AND d.client_id = %(client_id)s) RETURNING last_seq",
        params,
    )
    row = cursor.fetchone()
    if row is None:
        return None
    seq = row[0]
    message = Message.objects.create(
        room_id=params["room"],
        seq=seq,
        author_id=params["author"],
        client_id=params["client_id"],
        body=params["body"],
        text=params["text"],
        created_at=params["created_at"],
    )
    Membership.objects.filter(room_id=params["room"], user_id=params["author"]).update(
        last_read_seq=seq
    )
    return message.pk, seq


class Outgoing:
    """One message on its way to be stored: what the author sent, checked and rendered by
    `prepare`, then stored by `store_messages` (alone or with others in one transaction)."""

    __slots__ = ("actor", "room", "body", "client_id", "text", "html", "mentioned", "counter")

    def __init__(self, *, actor: User, room: Room, body, client_id=None):
        self.actor, self.room, self.body, self.client_id = actor, room, body, client_id
        self.mentioned = ()
        self.counter = None

    def check(self) -> None:
        """The rules that need neither the database nor the cache: the client_id's and the
        body's shape, the author's standing. Raises the domain error the author gets."""
        self.client_id = clean_client_id(self.client_id)
        self.text = clean_body(self.body)
        if not permissions.can_write(self.actor):
            raise NotAllowed(_("You are not a member of this conversation."))

    def render(self) -> None:
        """The sanitiser, and the room members named with @ (a query only if there are)."""
        self.mentioned = mentioned_members(self.room, self.text, author=self.actor)
        self.html = render_body(self.text, self.mentioned)

    def prepare(self) -> None:
        """Every rule that needs no row lock, for one message (store_messages does the same
        for many, counting their rate limits in one round trip)."""
        _prepare([self])

    def params(self, now) -> dict:
        return {
            "room": self.room.pk,
            "author": self.actor.pk,
            "client_id": self.client_id,
            "body": self.html,
            "text": self.text,
            "created_at": now,
        }

    def stored(self, pk: int, seq: int, now) -> Message:
        message = Message(
            pk=pk,
            room_id=self.room.pk,
            seq=seq,
            author=self.actor,
            client_id=self.client_id,
            body=self.html,
            text=self.text,
            created_at=now,
        )
        message.room = self.room
        return message

    def not_stored(self) -> tuple[Message, bool]:
        """No row came back: the client_id's first message (acknowledged again, and the rate
        limit not counted twice), or the author is not in the room."""
        existing = (
            Message.objects.select_related("author")
            .filter(author=self.actor, client_id=self.client_id)
            .first()
        )
        if self.counter:
            give_back(self.counter)
        if existing is None:
            raise NotAllowed(_("You are not a member of this conversation."))
        if existing.room_id != self.room.pk:
            raise Conflict(_("This client_id was already used for another message."))
        return existing, False


def _prepare(outgoing: list[Outgoing], results: list | None = None) -> list[int]:
    """Check, count (the rate limit: one round trip for all) and render the messages; the
    indexes of those that may be stored. A refused one's DomainError goes in `results`
    (raised when there is none to put it in)."""

    def refuse(index, error):
        if results is None:
            raise error
        results[index] = error

    checked = []
    for index, item in enumerate(outgoing):
        try:
            item.check()
        except DomainError as error:
            refuse(index, error)
        else:
            checked.append(index)
    # CHAT_RATE_LIMIT raises it for load benchmarks only (bench/chat.py).
    limit = getattr(settings, "CHAT_RATE_LIMIT", RATE_LIMIT)
    counters = hit_many(
        "chat-message", [outgoing[i].actor.pk for i in checked], limit=limit, window=RATE_WINDOW
    )
    ready = []
    for index, counter in zip(checked, counters, strict=True):
        if counter is None:
            refuse(index, RateLimited())
            continue
        outgoing[index].counter = counter
        try:
            outgoing[index].render()
        except DomainError as error:
            refuse(index, error)
        else:
            ready.append(index)
    return ready


def store_messages(outgoing: list[Outgoing]) -> list:
    """Store several messages in one short transaction (one commit, so one flush to disk for
    all: the socket's writer batches what arrived while the previous batch was being
    stored). Returns, for each, (message, created) or the DomainError its author gets; a
    message refused does not hold up the others."""
    results: list = [None] * len(outgoing)
    ready = _prepare(outgoing, results)
    if not ready:
        return results
    now = timezone.now()
    rows = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for index in ready:
            rows[index] = _store_row(cursor, outgoing[index].params(now))
    for index in ready:
        item = outgoing[index]
        if rows[index] is None:
            try:
                results[index] = item.not_stored()
            except DomainError as error:
                results[index] = error
            continue
        message = item.stored(*rows[index], now)
        results[index] = (message, True)
        item.room.last_seq = max(item.room.last_seq, message.seq)
        if item.mentioned:
            transaction.on_commit(partial(_notify_mentions, message, item.mentioned))
    return results


def send_message(
    *, actor: User, room: Room, body, client_id=None, broadcast: bool = True
) -> tuple[Message, bool]:
    """Store a message with its room sequence number, then (once committed) tell the room.
    Returns (message, created): the same `client_id` again returns the message stored the
    first time, with created=False. The socket consumer stores through its process's writer
    (realtime/writer.py: the same `store_messages`, batched) and broadcasts by itself."""
    result = store_messages([Outgoing(actor=actor, room=room, body=body, client_id=client_id)])[0]
    if isinstance(result, DomainError):
        raise result
    message, created = result
    if created and broadcast:
        transaction.on_commit(lambda: broadcast_frame(room.pk, message_frame(message)))
    return message, created


def broadcast_frame(room_id: int, frame: dict) -> None:
    """Send a server frame to every socket open on the room (from synchronous code)."""
    from .receivers import group_send

    if frame["type"] == "message":  # encoded once, written as is to every socket
        event = {"type": "chat.message", "seq": frame["seq"], "text": json.dumps(frame)}
    else:
        event = {"type": "chat.frame", "frame": frame}
    group_send(room_group(room_id), {**event, "room": room_id})


def _notify_mentions(message: Message, users) -> None:
    """Tell the members named in a message (the network's notifications: site, e-mail,
    live push)."""
    try:
        from network.services.notifications import notify
    except ImportError:  # pragma: no cover
        return
    try:
        notify(
            kind="chat_mention",
            recipients=list(users),
            actor=message.author,
            target=message,
            event_key=f"chat_mention:{message.pk}",
            url=message.room.get_absolute_url() + f"#m{message.seq}",
            data={"room": str(message.room)},
        )
    except Exception:  # the message is stored; a notification is not worth failing it
        logger.warning("Could not notify the mentions of message %s", message.pk, exc_info=True)


def get_message_for(user: User, message_id) -> Message:
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        raise InvalidInput(_("id is a message number.")) from None
    message = (
        Message.objects.select_related("room", "room__group", "author")
        .filter(pk=message_id)
        .first()
    )
    if message is None or not permissions.can_read_room(user, message.room):
        raise NotFound(_("This message does not exist."))
    return message


def edit_message(*, actor: User, message: Message, body) -> Message:
    if not permissions.can_edit_message(actor, message):
        raise NotAllowed(_("You can only edit your own messages."))
    text = clean_body(body)
    mentioned = mentioned_members(message.room, text, author=actor)
    message.text = text
    message.body = render_body(text, mentioned)
    message.edited_at = timezone.now()
    message.save(update_fields=["text", "body", "edited_at"])
    return message


def delete_message(*, actor: User, message: Message) -> Message:
    """The author deletes their message: its text is gone, its place (seq) stays."""
    if not permissions.can_edit_message(actor, message):
        raise NotAllowed(_("You can only delete your own messages."))
    message.deleted_at = timezone.now()
    message.text = ""
    message.body = ""
    message.save(update_fields=["deleted_at", "text", "body"])
    return message


def hide_message(*, actor: User, message: Message) -> Message:
    if not permissions.can_hide_message(actor, message):
        raise NotAllowed(_("Only the room's moderators can hide a message."))
    if message.hidden_at is None:
        message.hidden_at = timezone.now()
        message.save(update_fields=["hidden_at"])
    return message


def mark_read(*, actor: User, room: Room, seq) -> int:
    """Move the member's read mark forward to `seq` (never back, never past the room's
    end). Returns the mark."""
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise InvalidInput(_("seq is a whole number."))
    last_seq = Room.objects.filter(pk=room.pk).values("last_seq")[:1]
    updated = Membership.objects.filter(
        room_id=room.pk, user_id=actor.pk, last_read_seq__lt=seq
    ).update(last_read_seq=Least(Value(seq), Subquery(last_seq)))
    if not updated and not permissions.is_room_member(actor, room):
        raise NotAllowed(_("You are not a member of this conversation."))
    mark = Membership.objects.filter(room_id=room.pk, user_id=actor.pk).values_list(
        "last_read_seq", flat=True
    )
    return mark.first() or 0
