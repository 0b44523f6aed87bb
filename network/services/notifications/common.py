"""What the notification modules share: settings of the fan-out and the e-mails, and the
switch that keeps replayed events (the demo data) out of e-mail."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from network.caches import UNREAD_COUNTS
from network.models import (
    NotificationKind,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

# Set while replaying past events (the demo data): their notifications are listed, not e-mailed.
_without_email = ContextVar("notifications_without_email", default=False)


@contextmanager
def without_email():
    """Notifications created inside this block are not e-mailed at once."""
    token = _without_email.set(True)
    try:
        yield
    finally:
        _without_email.reset(token)


Kind = NotificationKind
Channel = NotificationPreference.Channel

EMAIL_CHANNELS = {Channel.EMAIL, Channel.DAILY, Channel.WEEKLY}
# A digest takes what its period left unsent, with a margin for a run that was missed.
DIGEST_WINDOWS = {Channel.DAILY: timedelta(days=2), Channel.WEEKLY: timedelta(days=8)}
FANOUT_BATCH = 1000
UNREAD_CACHE_SECONDS = UNREAD_COUNTS.timeout
UNSUBSCRIBE_SALT = "network.notifications.unsubscribe"
MAX_EXCERPT = 140
