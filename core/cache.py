"""Django's Redis cache, with one connection pool and one client per process.

Django keeps a cache object per thread and, under ASGI, per request context; each object
makes its own connection pool. Every request then opened a new connection to Redis (a TCP
connection and redis-py's handshake, which reads its own version from the installed
package's metadata): about a tenth of a post's time in the production setup. Django also
builds a new redis-py client for every cache call, which costs more than a round trip to a
local Redis. Here the pools and their clients (redis-py's are thread-safe: each command
takes a connection from the pool) are shared by every cache object of the process, keyed by
server and options."""

import threading
import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import transaction

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


class SharedPoolClient(RedisCacheClient):
    def _get_connection_pool(self, write):
        return self.get_client(write=write).connection_pool

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        shared_key = (
            self._pool_class,
            self._servers[index],
            repr(sorted(self._pool_options.items())),
        )
        client = _clients.get(shared_key)
        if client is None:
            with _clients_lock:
                client = _clients.get(shared_key)
                if client is None:
                    pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    client = _clients[shared_key] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolClient

    def count_hit(self, key, timeout: int) -> int:
        """Add one to the counter at `key`, made expiring in `timeout` s if missing, and
        return it: one round trip (SET NX and INCR in a pipeline), where Django's add() and
        incr() make three (incr() first asks whether the key exists)."""
        key = self.make_and_validate_key(key)
        # No MULTI: the key holds its window's number, so it cannot expire between the two.
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]

    def count_hits(self, keys, timeout: int) -> list[int]:
        """count_hit() for several keys (a key may repeat), in one round trip: each
        counter's value after its own hit, in order."""
        keys = [self.make_and_validate_key(key) for key in keys]
        if not keys:
            return []
        pipeline = self._cache.get_client(keys[0], write=True).pipeline(transaction=False)
        for key in keys:
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incr(key)
        return pipeline.execute()[1::2]


def get_many_by_content(keys) -> dict:
    """Entries whose key names their content (it never changes under the key): from this
    process's memory (the "local" cache) first, then from the shared cache, kept locally."""
    keys = list(keys)
    local = caches["local"]
    found = local.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        shared = caches["default"].get_many(missing)
        if shared:
            local.set_many(shared)
            found.update(shared)
    return found


def set_many_by_content(entries: dict, timeout) -> None:
    """Store entries whose key names their content, here and in the shared cache."""
    caches["default"].set_many(entries, timeout)
    caches["local"].set_many(entries, timeout)


def forget(keys) -> None:
    """Drop these keys of the shared cache now, and again once the current transaction
    commits: a request reading in between would store the rows from before the change."""
    keys = list(keys)
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


class Generation:
    """A number in the cache that names the current state of something many entries are
    built from (the published pages, the moderation rules). Entries put it in their key;
    `bump()` abandons them all at once. It bumps now and again once the transaction commits:
    a reader that read the rows before the change and stores its entry after the first bump
    stores it under a number the second bump leaves behind, so nothing stale survives."""

    def __init__(self, name: str):
        self.key = f"generation:{name}"

    def current(self) -> int:
        generation = cache.get(self.key)
        if generation is None:
            # A value never used before, even if the key was evicted after many bumps.
            cache.add(self.key, time.time_ns(), timeout=None)
            generation = cache.get(self.key)
        return generation

    def _bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # missing: the next reader starts a new number
            cache.add(self.key, time.time_ns(), timeout=None)

    def bump(self) -> None:
        self._bump()
        transaction.on_commit(self._bump, robust=True)
