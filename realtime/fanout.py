"""Each process's room fan-out: one channel-layer subscription per room per process, fanned
out locally straight to each open socket.

Through Channels' groups, a room's event reached each socket through its own channel: with
the PubSub layer one Redis message per process, then one queue entry per socket, one task
wake-up per socket and Channels' dispatch, which runs `close_old_connections` in the
process's one synchronous thread for every event of every socket (a thread hop per
delivery). A message to a room of 1,000 was 1,000 of each (docs/performance.md, "Chat").

Here the process joins a room's group once, with one channel of its own, when its first
socket opens on the room, and leaves it when its last one closes. One task reads that channel
and hands each event to the room's sockets in this process, in the order the layer delivered
it (so a room's order is the layer's order, as before); a message, already encoded by its
sender, is written as is to each socket. The same code runs on every layer: the in-memory one
(tests, the embedded demo) and channels_redis, across processes."""

import asyncio
import logging
import weakref

from channels.layers import get_channel_layer

from .groups import room_group

logger = logging.getLogger(__name__)

CHANNEL_PREFIX = "chat-fanout."


class RoomFanout:
    def __init__(self, loop: asyncio.AbstractEventLoop, layer):
        self.loop = loop
        self.layer = layer
        # room id -> the sockets open on it in this process (a dict keeps their order).
        self.rooms: dict[int, dict] = {}
        self.channel: str | None = None
        self.reader: asyncio.Task | None = None
        # Joining and leaving one at a time: a room's group is never left by one socket
        # while another is joining it.
        self.lock = asyncio.Lock()
        self.delivered = 0  # for the benchmarks

    async def join(self, room_id: int, socket) -> None:
        """From now on `socket.room_event(event)` gets every event of the room. Returns once
        the process is in the room's group: what is published after this is delivered."""
        async with self.lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel(CHANNEL_PREFIX)
            sockets = self.rooms.get(room_id)
            if sockets is None:
                await self.layer.group_add(room_group(room_id), self.channel)
                sockets = self.rooms[room_id] = {}
            sockets[socket] = None
            if self.reader is None or self.reader.done():
                self.reader = self.loop.create_task(self._read(self.channel))

    async def leave(self, room_id: int, socket) -> None:
        async with self.lock:
            sockets = self.rooms.get(room_id)
            if sockets is None or socket not in sockets:
                return
            del sockets[socket]
            if sockets:
                return
            del self.rooms[room_id]
            try:
                await self.layer.group_discard(room_group(room_id), self.channel)
            finally:
                if not self.rooms:  # nobody left: no reader, no channel (the tests' loops end)
                    reader, self.reader, self.channel = self.reader, None, None
                    if reader is not None:
                        reader.cancel()

    async def _read(self, channel: str) -> None:
        while True:
            event = await self.layer.receive(channel)
            sockets = self.rooms.get(event.get("room"))
            if not sockets:
                continue
            for socket in list(sockets):
                try:
                    await socket.room_event(event)
                except Exception as error:  # one socket's failure is not the room's
                    # (mostly a socket closing meanwhile: its disconnect will leave the room)
                    logger.info("Could not deliver a chat event to a socket: %r", error)
            self.delivered += len(sockets)


_fanouts: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomFanout]" = (
    weakref.WeakKeyDictionary()
)


def get_fanout() -> RoomFanout:
    """The running event loop's fan-out (one per process under Daphne; the tests run a loop
    per test)."""
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None:
        fanout = _fanouts[loop] = RoomFanout(loop, get_channel_layer())
    return fanout


def room_event(room_id: int, kind: str, **fields) -> dict:
    """A room's event as the layer carries it: its type and its room (the fan-out's key)."""
    return {"type": kind, "room": room_id, **fields}
