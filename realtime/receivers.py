"""What the realtime app does when the network says something happened. The only code that
sends to the channel layer: the frame each member socket receives is decided here and in
consumers.py."""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from network import signals
from network.models import Group, GroupMembership

from . import services
from .groups import FEED_GROUP, member_group

logger = logging.getLogger(__name__)

# One by one, a thousand round trips to Redis add up; all at once, they queue behind each other.
PUSH_BATCH = 100


def group_send(group: str, message: dict) -> None:
    """Send on the channel layer from synchronous code; a failure is logged, never raised
    (what was stored stays stored; clients catch up on reconnect)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.warning("Could not send %s to %s", message.get("type"), group, exc_info=True)


@receiver(signals.access_revoked)
def close_member_sockets(sender, user_id, **kwargs):
    """A suspended or deleted member's open sockets close at once (their session is gone,
    so they cannot reconnect)."""
    group_send(member_group(user_id), {"type": "access.revoked"})


@receiver(post_save, sender=Group, dispatch_uid="realtime_group_room")
def create_group_room(sender, instance, created, raw=False, **kwargs):
    """Every networking group has its chat room from the start."""
    if created and not raw:
        services.ensure_group_room(group=instance)


@receiver(post_save, sender=GroupMembership, dispatch_uid="realtime_join_group_room")
def join_group_room(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.add_group_room_member(group_id=instance.group_id, user_id=instance.user_id)


@receiver(post_delete, sender=GroupMembership, dispatch_uid="realtime_leave_group_room")
def leave_group_room(sender, instance, **kwargs):
    """Leaving, removal or a ban takes the room away at once, also on open sockets."""
    rooms = services.remove_group_room_member(group_id=instance.group_id, user_id=instance.user_id)
    for room_id in rooms:
        transaction.on_commit(
            lambda room_id=room_id: group_send(
                member_group(instance.user_id), {"type": "chat.removed", "room": room_id}
            )
        )


@receiver(signals.conversation_wanted, dispatch_uid="realtime_wanted_room")
def open_wanted_room(sender, key, name, user_ids, **kwargs):
    """Another app (campaigns) wants a room between these members: its id is the answer."""
    return services.ensure_wanted_room(key=key, name=name, user_ids=user_ids).pk


@receiver(signals.post_created, dispatch_uid="realtime_feed_new_post")
def tell_feeds_of_a_new_post(sender, post, **kwargs):
    """Open feed pages ask for their "new posts" count (which applies who may see what):
    the socket only says that something was published."""
    if getattr(post, "status", "published") != "published":
        return
    group_send(FEED_GROUP, {"type": "feed.new_post", "author": post.author_id})


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
