"""What the realtime app does when the network says something happened."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.dispatch import receiver

from network import signals

from .consumers import member_group

logger = logging.getLogger(__name__)


@receiver(signals.access_revoked)
def close_member_sockets(sender, user_id, **kwargs):
    """A suspended or deleted member's open sockets close at once (their session is gone,
    so they cannot reconnect)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(member_group(user_id), {"type": "access.revoked"})
    except Exception:  # receivers must not raise: the sessions are already gone
        logger.warning("Could not close the sockets of member %s", user_id, exc_info=True)
