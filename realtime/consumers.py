import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

MAX_FRAME_BYTES = 4096
# Close codes in the 4000 range are ours: 4401 mirrors HTTP 401.
CLOSE_UNAUTHENTICATED = 4401


class PingConsumer(AsyncJsonWebsocketConsumer):
    """An authenticated echo: proves the ASGI stack (origin check, session auth, routing,
    JSON frames) end to end."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.accept()
        await self.send_json({"type": "hello", "user": user.get_username()})

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

    async def send_error(self, code: str, message: str):
        await self.send_json({"type": "error", "code": code, "message": message})
