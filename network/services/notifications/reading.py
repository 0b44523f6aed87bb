"""The unread badge (network/caches.py, UNREAD_COUNTS) and marking read."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput, NotAllowed
from network.caches import UNREAD_COUNTS
from network.models import (
    Notification,
    User,
)

# Reading and marking read ------------------------------------------------------------------


def forget_unread_counts(user_ids) -> None:
    """Drop the cached badges of these members (network/caches.py, UNREAD_COUNTS), now and
    once the transaction commits."""
    UNREAD_COUNTS.forget(set(user_ids))


def unread_count(user) -> int:
    """The header's badge. Cached (and dropped whenever it changes) so pages pay no query."""
    if not user.is_authenticated:
        return 0
    return UNREAD_COUNTS.get_or_set(
        user.pk,
        default=lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    )


def mark_read(*, actor: User, ids=None, everything: bool = False) -> int:
    """Mark the actor's own notifications `ids` (or all of them) read; others' ids are
    ignored. Returns how many changed."""
    if not (actor.is_authenticated and actor.is_active):
        raise NotAllowed(_("Log in to see your notifications."))
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if not everything:
        try:
            ids = [int(pk) for pk in ids or ()]
        except (TypeError, ValueError):
            raise InvalidInput(_("Unknown notification.")) from None
        unread = unread.filter(pk__in=ids)
    changed = unread.update(read_at=timezone.now())
    if changed:
        forget_unread_counts([actor.pk])
    return changed
