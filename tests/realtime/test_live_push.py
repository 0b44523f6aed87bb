"""The network says "tell these members" (network.signals.live_push); the realtime app alone
sends the frame to their sockets' channel-layer group."""

import pytest
from asgiref.sync import sync_to_async

from network.services import notifications, posts
from tests.factories import UserFactory
from tests.realtime.test_member_sockets import member_with_cookie, open_socket

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
async def test_a_mention_reaches_the_open_page_of_the_member_mentioned():
    """The whole path: the post commits, the notification task runs, the network sends
    live_push, and the realtime app's receiver puts the frame on the member's socket."""
    camille = await sync_to_async(UserFactory)(username="camille")
    hugo, cookie = await member_with_cookie(username="hugo")
    socket = await open_socket(cookie)

    post = await sync_to_async(posts.create_post)(actor=camille, body="Salut @hugo")

    assert await socket.receive_json_from(timeout=5) == {
        "type": "notification",
        "kind": "mention",
        "url": f"/posts/{post.pk}/",
        "event": f"mention:post:{post.pk}",
    }
    await socket.disconnect()


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
