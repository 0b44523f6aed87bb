"""Who may do what in chat: the one place each rule is written (services check these
before every write; the consumer and the API call the services)."""

from network.permissions import can_moderate_group, can_write, is_agency_moderator

from .models import Membership, Room

MAX_PRIVATE_MEMBERS = 20
# Read receipts ("seen by …") are shown in rooms of at most this many members.
MAX_RECEIPT_MEMBERS = 20
# Members coming and going are announced live in rooms of at most this many members: in a
# room of 1,000, each arrival would be 1,000 frames, a million as everyone connects. Larger
# rooms get who is online when a socket opens.
MAX_LIVE_PRESENCE_MEMBERS = 100


def is_room_member(user, room: Room) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(room_id=room.pk, user_id=user.pk).exists()


def can_read_room(user, room: Room) -> bool:
    """Members read their rooms; a suspended member has no access to chat at all."""
    return can_write(user) and is_room_member(user, room)


def can_send_in_room(user, room: Room) -> bool:
    return can_read_room(user, room)


def can_edit_message(user, message) -> bool:
    """Authors edit and delete their own visible messages while they are in the room."""
    return (
        message.author_id == user.pk
        and message.deleted_at is None
        and message.hidden_at is None
        and can_send_in_room(user, message.room)
    )


def can_hide_message(user, message) -> bool:
    """A group room's moderators and agency moderators hide messages; in other rooms, agency
    moderators (after a report)."""
    room = message.room
    if room.kind == Room.Kind.GROUP and room.group_id:
        return can_moderate_group(user, room.group)
    return is_agency_moderator(user)


def can_open_direct(actor, other) -> bool:
    """Any two members in good standing who may see each other (the member directory is
    open to every signed-in member) may talk; not to oneself, not with a suspended or
    former member."""
    return can_write(actor) and other.pk != actor.pk and other.is_active and not other.is_suspended


def can_create_private_room(actor) -> bool:
    return can_write(actor)


def can_report_message(user, message) -> bool:
    return can_read_room(user, message.room) and message.author_id != user.pk
