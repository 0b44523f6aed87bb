"""The live push: the network says "tell these members" (network.signals.live_push);
realtime/receivers.py owns the socket frame."""

from network import signals
from network.models import (
    Notification,
)
from network.services.notifications.common import logger

# Live push -----------------------------------------------------------------------------------


def push_to_user(user_id: int, payload: dict) -> None:
    """Send `payload` to the member's open pages."""
    push_to_users([user_id], payload)


def push_to_users(user_ids, payload: dict) -> None:
    """Send `payload` to these members' open pages. The network only says so (the
    `live_push` signal); the realtime app owns the sockets and the frame. Never raises: the
    notification is stored already, the push only saves a reload."""
    if not user_ids:
        return
    for receiver, error in signals.live_push.send_robust(
        sender=Notification, user_ids=list(user_ids), payload=payload
    ):
        if isinstance(error, Exception):
            logger.warning(
                "Live push of %s failed in %s: %r", payload.get("event"), receiver, error
            )


def _enqueue_push(user_ids, payload: dict) -> None:
    """The push has its own task: a thousand sends on the channel layer take a second or
    more, which the fan-out (and the next event in the queue) need not wait for."""
    from network.tasks import push_notifications_task

    try:
        push_notifications_task.delay(list(user_ids), payload)
    except Exception:
        logger.warning("Could not queue the live push of %s", payload.get("event"), exc_info=True)
