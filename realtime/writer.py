"""Each process's chat writer: the sockets' messages are stored by one thread of the process,
several at a time in one transaction (realtime.services.store_messages).

Storing a message costs a commit, and a commit costs a flush of PostgreSQL's log to disk
(milliseconds, far more than the statement). One at a time, a process would store at most
one message per flush; with one thread per socket, they would queue for connections and for
the room's row lock. Here the messages that arrive while a batch is being stored make the
next batch: when idle, a message is stored at once and alone; under load, one flush stores
them all. Each socket waits for its own message's commit before anyone hears of it (stored
before broadcast), and the thread keeps its database connection between batches instead of
taking one for each message."""

import asyncio
import logging
import weakref
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection

from .services import Outgoing, store_messages

logger = logging.getLogger(__name__)

MAX_BATCH = 200


class MessageWriter:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.pending: list[tuple[Outgoing, asyncio.Future]] = []
        self.draining = False
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chat-writer")
        self.batches = 0  # for the benchmark's report
        self.stored = 0

    async def store(self, outgoing: Outgoing):
        """(message, created), or raise the DomainError the author gets."""
        future = self.loop.create_future()
        self.pending.append((outgoing, future))
        if not self.draining:
            self.draining = True
            self.loop.create_task(self._drain())
        result = await future
        if isinstance(result, Exception):
            raise result
        return result

    async def _drain(self):
        try:
            while self.pending:
                batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
                try:
                    results = await self.loop.run_in_executor(
                        self.executor, _store, [item for item, _ in batch], self
                    )
                except Exception as error:  # the database is gone: every sender hears it
                    logger.warning("Could not store %s chat messages", len(batch), exc_info=True)
                    results = [error] * len(batch)
                self.batches += 1
                self.stored += len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self.draining = False


def _store(batch: list[Outgoing], writer: MessageWriter) -> list:
    """In the writer's thread. Its connection is kept while messages keep coming, and given
    back (to the pool) when the queue is empty or the connection broke."""
    try:
        return store_messages(batch)
    except Exception:
        connection.close()
        raise
    finally:
        if not writer.pending:
            close_old_connections()
            connection.close()


_writers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, MessageWriter]" = (
    weakref.WeakKeyDictionary()
)


def get_writer() -> MessageWriter:
    """The running event loop's writer (one per process under Daphne; the tests run a loop
    per test)."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None:
        writer = _writers[loop] = MessageWriter(loop)
    return writer
