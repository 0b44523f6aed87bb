import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

MAX_FRAME_BYTES = 4096
# Close codes in the 4000 range are ours: 4401 mirrors HTTP 401.
CLOSE_UNAUTHENTICATED = 4401
# The member was signed out everywhere (suspended, account deleted) while connected.
CLOSE_ACCESS_REVOKED = 4403


def member_group(user_id) -> str:
    """The channel-layer group of one member's open sockets (receivers.py sends to it)."""
    return f"user-{user_id}"


class MemberConsumer(AsyncJsonWebsocketConsumer):
    """A socket of a signed-in member. It joins the member's group, so that a notification
    reaches every page the member has open and a suspension closes them all."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.user_group = member_group(user.pk)
        await self.channel_layer.group_add(self.user_group, self.channel_name)
        await self.accept()
        await self.member_connected()

    async def member_connected(self):
        """What a subclass sends once the socket is open."""

    async def disconnect(self, code):
        if getattr(self, "user_group", None):
            await self.channel_layer.group_discard(self.user_group, self.channel_name)

    async def access_revoked(self, event):
        await self.send_error("access_revoked", _("You have been signed out."))
        await self.close(code=CLOSE_ACCESS_REVOKED)

    async def notification_push(self, event):
        await self.send_json({"type": "notification", **event.get("payload", {})})

    async def send_error(self, code: str, message: str):
        await self.send_json({"type": "error", "code": code, "message": message})


class PingConsumer(MemberConsumer):
    """An authenticated echo: proves the ASGI stack (origin check, session auth, routing,
    JSON frames, the member's group) end to end."""

    async def member_connected(self):
        await self.send_json({"type": "hello", "user": self.user.get_username()})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_error("bad_frame", _("Send JSON text frames of at most 4 KB."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error("bad_json", _("This frame is not valid JSON."))
            return
        await self.send_json({"type": "pong", "echo": content})
