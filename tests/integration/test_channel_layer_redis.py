"""In Redis mode, a message crosses between two channel-layer instances (two processes)."""

import pytest
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings

from tests.integration.conftest import requires_redis

pytestmark = [pytest.mark.integration, requires_redis]


def new_layer():
    return RedisPubSubChannelLayer(**settings.CHANNEL_LAYERS["default"]["CONFIG"])


async def test_the_configured_layer_is_channels_redis_pubsub():
    assert isinstance(get_channel_layer(), RedisPubSubChannelLayer)


async def test_a_group_message_crosses_between_two_layer_instances():
    sender, receiver = new_layer(), new_layer()
    try:
        channel = await receiver.new_channel()
        await receiver.group_add("territory-test", channel)
        await sender.group_send("territory-test", {"type": "chat.message", "text": "Degemer mat"})
        message = await receiver.receive(channel)
        assert message == {"type": "chat.message", "text": "Degemer mat"}
        await receiver.group_discard("territory-test", channel)
    finally:
        await sender.flush()
        await receiver.flush()
