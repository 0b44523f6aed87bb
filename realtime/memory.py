"""Open sockets live long: out of the garbage collector's reach, as the process's start is.

Each open socket is some 170 objects that the collector tracks (the consumer, its scope,
session and user, its tasks, the server's protocol objects). With 2,000 sockets open in one
process, each full collection walked some 390,000 objects and took 250 ms, set off every few
seconds by the pages the same process serves: their slowest requests (p99) went from 55 to
340 ms (docs/performance.md, "Chat"). config/asgi.py already freezes what the start loaded;
here, every FREEZE_EVERY sockets opened, what is alive is frozen too (gc.freeze: moved out of
the collected generations; it costs nothing). Objects freed by their reference count are
still freed at once; only reference cycles among frozen objects (a closed socket's) wait for
the next thaw: at most every THAW_EVERY seconds, at such a freeze, everything is collected
once (one full collection) before it is frozen again."""

import gc
import time

FREEZE_EVERY = 100  # sockets opened
THAW_EVERY = 900.0  # seconds

_opened = 0
_thawed_at = time.monotonic()


def socket_opened() -> None:
    global _opened, _thawed_at
    _opened += 1
    if _opened < FREEZE_EVERY:
        return
    _opened = 0
    now = time.monotonic()
    if now - _thawed_at > THAW_EVERY:
        _thawed_at = now
        gc.unfreeze()
        gc.collect()
    gc.freeze()
