"""The network says "tell these members" (network.signals.live_push); the realtime app alone
sends the frame to their sockets' channel-layer group."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from network.services import notifications, posts
from realtime.consumers import member_group
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_new_notifications_are_pushed_to_the_recipients_channel_group(
    django_capture_on_commit_callbacks,
):
    camille = UserFactory(username="camille")
    hugo = UserFactory(username="hugo")
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(member_group(hugo.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        post = posts.create_post(actor=camille, body="Salut @hugo")
    message = async_to_sync(layer.receive)(channel)
    assert message == {
        "type": "notification.push",
        "payload": {
            "kind": "mention",
            "url": f"/posts/{post.pk}/",
            "event": f"mention:post:{post.pk}",
        },
    }


def test_push_to_user_without_listeners_is_harmless(caplog):
    """Nobody listens (no socket open): the push costs a call to the layer and logs nothing."""
    hugo = UserFactory(username="hugo")
    with caplog.at_level("WARNING"):
        assert notifications.push_to_user(hugo.pk, {"kind": "mention", "event": "e"}) is None
    assert not caplog.records


def test_a_failing_receiver_does_not_fail_the_push(caplog, monkeypatch):
    """The push never raises: the notification is stored already."""
    from network import signals

    def broken(**kwargs):
        raise RuntimeError("layer down")

    signals.live_push.connect(broken, dispatch_uid="test-broken")
    try:
        with caplog.at_level("WARNING", logger="network.services.notifications"):
            notifications.push_to_users([1], {"event": "e"})
    finally:
        signals.live_push.disconnect(dispatch_uid="test-broken")
    assert "layer down" in caplog.text
