"""Every write of chat: rooms, members, messages, read marks. The socket consumer, the API
and the views call these; each checks its permission inside.

A message is stored with its room's sequence number in one short transaction (the room's
counter bumped with UPDATE … RETURNING, then the row inserted) *before* anyone is told of
it: a client that was away catches up with `?after=<seq>` and misses nothing."""

import logging
import re
import uuid

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Subquery, Value
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.ratelimit import hit
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
    members = User.objects.filter(chat_memberships__room=room, is_active=True).exclude(
        pk=author.pk
    )
    return [user for user in members if user.username.lower() in lowered]


def _next_seq(room_id: int) -> int:
    """Bump the room's counter and return the new value: one statement, whose row lock is
    held until the caller's (short) transaction commits."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE realtime_room SET last_seq = last_seq + 1 WHERE id = %s "
            "RETURNING last_seq",
            [room_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise NotFound(_("This conversation does not exist or is not yours."))
    return row[0]


def send_message(
    *, actor: User, room: Room, body, client_id=None, broadcast: bool = True
) -> tuple[Message, bool]:
    """Store a message with its room sequence number, then (once committed) tell the room.
    Returns (message, created): the same `client_id` again returns the message stored the
    first time, with created=False. The socket consumer broadcasts by itself (it is already
    in the event loop) and passes broadcast=False."""
    client_id = clean_client_id(client_id)
    existing = (
        Message.objects.select_related("author").filter(author=actor, client_id=client_id).first()
    )
    if existing is not None:
        if existing.room_id != room.pk:
            raise Conflict(_("This client_id was already used for another message."))
        return existing, False
    text = clean_body(body)
    if not permissions.can_send_in_room(actor, room):
        raise NotAllowed(_("You are not a member of this conversation."))
    # CHAT_RATE_LIMIT raises it for load benchmarks only (bench/chat.py).
    limit = getattr(settings, "CHAT_RATE_LIMIT", RATE_LIMIT)
    hit("chat-message", actor.pk, limit=limit, window=RATE_WINDOW)
    mentioned = mentioned_members(room, text, author=actor)
    html = render_body(text, mentioned)
    try:
        with transaction.atomic():
            seq = _next_seq(room.pk)
            message = Message.objects.create(
                room_id=room.pk,
                seq=seq,
                author=actor,
                client_id=client_id,
                body=html,
                text=text,
                created_at=timezone.now(),
            )
            # The author has read everything up to their own message.
            Membership.objects.filter(room_id=room.pk, user=actor).update(last_read_seq=seq)
    except IntegrityError:  # the same client_id sent twice at the same moment
        existing = (
        Message.objects.select_related("author").filter(author=actor, client_id=client_id).first()
    )
        if existing is None:
            raise
        return existing, False
    message.room = room
    room.last_seq = seq
    if broadcast:
        transaction.on_commit(lambda: broadcast_frame(room.pk, message_frame(message)))
    if mentioned:
        transaction.on_commit(lambda: _notify_mentions(message, mentioned))
    return message, True


def broadcast_frame(room_id: int, frame: dict) -> None:
    """Send a server frame to every socket open on the room (from synchronous code)."""
    from .receivers import group_send

    kind = "chat.message" if frame["type"] == "message" else "chat.frame"
    group_send(room_group(room_id), {"type": kind, "frame": frame})


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
