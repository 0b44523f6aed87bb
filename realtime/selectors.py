"""Chat reads shared by the pages, the API and the consumer: each with its permission filter
and its joins, none growing with the list."""

from django.db.models import Count, F, OuterRef, Subquery
from django.utils.translation import gettext as _

from core.errors import InvalidInput

from .models import Membership, Message, Room

HISTORY_LIMIT = 50
MAX_HISTORY_LIMIT = 200


# The rooms list keeps at most this many rooms live (the most recently active).
MAX_WATCHED_ROOMS = 100


def room_ids_for(user) -> list[int]:
    """The member's rooms the rooms list keeps live, most recent activity first."""
    return list(
        Room.objects.filter(memberships__user=user)
        .order_by("-last_seq", "-pk")
        .values_list("pk", flat=True)[:MAX_WATCHED_ROOMS]
    )


def rooms_for(user) -> list[Room]:
    """The member's rooms, most recent activity first, each with `unread` (messages after
    their read mark, others' only) and `last_message` (or None). Three queries whatever the
    number of rooms."""
    if not user.is_authenticated:
        return []
    last_id = Message.objects.filter(room=OuterRef("pk")).order_by("-seq").values("pk")[:1]
    rooms = list(
        Room.objects.filter(memberships__user=user)
        .select_related("group")
        .annotate(
            read_seq=F("memberships__last_read_seq"),
            last_message_id=Subquery(last_id),
        )
        .order_by("-last_seq", "-pk")
    )
    unread = dict(
        Message.objects.filter(
            room__memberships__user=user,
            seq__gt=F("room__memberships__last_read_seq"),
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .exclude(author=user)
        .values_list("room_id")
        .annotate(count=Count("pk"))
    )
    last = Message.objects.select_related("author").in_bulk(
        [room.last_message_id for room in rooms if room.last_message_id]
    )
    direct_rooms = [room for room in rooms if room.kind == Room.Kind.DIRECT]
    others = {}
    if direct_rooms:
        for membership in (
            Membership.objects.filter(room__in=direct_rooms)
            .exclude(user=user)
            .select_related("user")
        ):
            others[membership.room_id] = membership.user
    for room in rooms:
        room.unread = unread.get(room.pk, 0)
        room.last_message = last.get(room.last_message_id)
        room.other = others.get(room.pk)
        room.title = room_title(room, user)
    return rooms


def room_title(room: Room, user) -> str:
    if room.kind == Room.Kind.DIRECT:
        other = getattr(room, "other", None)
        return other.get_display_name() if other else _("Direct conversation")
    return str(room)


def as_int(value, name: str):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("%(name)s is a whole number.") % {"name": name}) from None
    if number < 0:
        raise InvalidInput(_("%(name)s is a whole number.") % {"name": name})
    return number


def history(room: Room, *, after=None, before=None, limit=None) -> list[Message]:
    """Messages of `room` in seq order. `after=N`: the first `limit` after N (catching up);
    `before=N`: the last `limit` before N (scrolling up); neither: the latest `limit`.
    The cursor is the unique seq, never an offset. One query."""
    after, before = as_int(after, "after"), as_int(before, "before")
    limit = as_int(limit, "limit") or HISTORY_LIMIT
    limit = max(1, min(limit, MAX_HISTORY_LIMIT))
    messages = Message.objects.filter(room=room).select_related("author")
    if after is not None:
        messages = messages.filter(seq__gt=after)
    if before is not None:
        messages = messages.filter(seq__lt=before)
    if after is not None:
        return list(messages.order_by("seq")[:limit])
    return list(reversed(messages.order_by("-seq")[:limit]))


def read_marks(room: Room) -> list[Membership]:
    """Members' read marks in a small room, for "seen by …"."""
    return list(
        Membership.objects.filter(room=room).select_related("user").order_by("user__username")
    )


def member_ids(room: Room) -> list[int]:
    return list(Membership.objects.filter(room=room).values_list("user_id", flat=True))
