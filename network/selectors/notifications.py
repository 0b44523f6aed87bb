"""A member's notifications, newest first, grouped, in a fixed number of queries."""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from network.models import Notification
from network.services.notifications import describe, group_notifications, localized_path

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


@dataclass
class NotificationPage:
    entries: list[dict] = field(default_factory=list)
    next_cursor: str | None = None


def encode_cursor(notification: Notification) -> str:
    raw = f"{notification.created_at.isoformat()}|{notification.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The position of the last notification shown; anything malformed is a 400."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, pk = raw.split("|")
        position = datetime.fromisoformat(created_at), int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput(_("This page of notifications does not exist.")) from None
    if position[0].tzinfo is None:
        raise InvalidInput(_("This page of notifications does not exist."))
    return position


def notifications_for(user, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT):
    """One page of `user`'s notifications (rows, not groups), newest first, after `cursor`;
    and the next page's cursor. Two queries' worth: the rows with their actors."""
    limit = max(1, min(limit, MAX_LIMIT))
    rows = Notification.objects.filter(recipient=user).select_related("actor")
    if cursor:
        created_at, pk = decode_cursor(cursor)
        rows = rows.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    rows = list(rows.order_by("-created_at", "-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1]) if more and rows else None


def entry_for(group: dict) -> dict:
    """What the list shows of a group of notifications, in the active language."""
    latest = group["latest"]
    actors = group["actors"]
    return {
        **group,
        "kind": latest.kind,
        "created_at": latest.created_at,
        "just_now": timezone.now() - latest.created_at < timedelta(minutes=1),
        "text": describe(
            latest.kind,
            actor_name=actors[0].get_display_name() if actors else "",
            others=max(len(actors) - 1, 0),
            data=latest.data,
        ),
        "excerpt": latest.data.get("excerpt", ""),
        "url": localized_path(latest.url, get_language()),
    }


def notification_page(user, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT):
    """The /notifications/ page: grouped ("Camille and 4 others reacted to your post": same
    kind, target, read state and day). A group cut by the page's end continues on the next."""
    rows, next_cursor = notifications_for(user, cursor=cursor, limit=limit)
    entries = [entry_for(group) for group in group_notifications(rows)]
    return NotificationPage(entries=entries, next_cursor=next_cursor)
