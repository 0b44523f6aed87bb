"""What the realtime app does when the network says something happened. The only code that
sends to the channel layer: the frame each member socket receives is decided here and in
consumers.py."""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.dispatch import receiver

from network import signals

from .consumers import member_group

logger = logging.getLogger(__name__)

# One by one, a thousand round trips to Redis add up; all at once, they queue behind each other.
PUSH_BATCH = 100


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


@receiver(signals.live_push)
def push_to_members(sender, user_ids, payload, **kwargs):
    """Every open page of these members gets a "notification" frame with `payload`."""
    layer = get_channel_layer()
    if layer is None or not user_ids:
        return
    message = {"type": "notification.push", "payload": payload}

    async def send_all():
        for start in range(0, len(user_ids), PUSH_BATCH):
            batch = user_ids[start : start + PUSH_BATCH]
            await asyncio.gather(*(layer.group_send(member_group(pk), message) for pk in batch))

    try:
        async_to_sync(send_all)()
    except Exception:  # the notification is stored; the push only saves a reload
        logger.warning("Live push of %s failed", payload.get("event"), exc_info=True)
