"""Django's Redis cache, with one connection pool and one client per process, and the
cache registry (`register`, `Cached`): every cache of the site declared once.

Django keeps a cache object per thread and, under ASGI, per request context; each object
makes its own connection pool. Every request then opened a new connection to Redis (a TCP
connection and redis-py's handshake, which reads its own version from the installed
package's metadata): about a tenth of a post's time in the production setup. Django also
builds a new redis-py client for every cache call, which costs more than a round trip to a
local Redis. Here the pools and their clients (redis-py's are thread-safe: each command
takes a connection from the pool) are shared by every cache object of the process, keyed by
server and options (tests/test_cache_pool.py)."""

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import redis
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import transaction

_shared: dict = {}
_shared_lock = threading.Lock()


def _once(key, make):
    found = _shared.get(key)
    if found is None:
        with _shared_lock:
            found = _shared.get(key)
            if found is None:
                found = _shared[key] = make()
    return found


class SharedConnectionPool(redis.ConnectionPool):
    """Django's documented `pool_class` option: its `from_url()` (redis-py's public
    constructor from a URL, which Django calls once per cache object) gives the process's
    one pool for that server and those options."""

    @classmethod
    def from_url(cls, url, **options):
        key = (url, repr(sorted(options.items())))
        return _once(("pool", key), lambda: redis.ConnectionPool.from_url(url, **options))


class SharedPoolClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        # Django builds a redis-py client around the pool for every command, and offers no
        # option to keep one; `get_client` is the method its cache calls for each command, and
        # `_get_connection_pool` the only way to its (shared) pool. Pinned by
        # tests/test_cache_pool.py: a Django upgrade that renames them fails there.
        pool = self._get_connection_pool(write)
        return _once(("client", id(pool)), lambda: redis.Redis(connection_pool=pool))


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        params = {**params, "OPTIONS": {"pool_class": SharedConnectionPool, **options}}
        super().__init__(server, params)
        # The client class has no option either: Django reads it from `_class` (pinned by the
        # same tests).
        self._class = SharedPoolClient

    def count_hit(self, key, timeout: int) -> int:
        """Add one to the counter at `key`, made expiring in `timeout` s if missing, and
        return it: one round trip (SET NX and INCR in a pipeline), where Django's add() and
        incr() make three (incr() first asks whether the key exists)."""
        key = self.make_and_validate_key(key)
        # Django's cache offers no pipeline: its client is reached through `_cache` (pinned
        # by tests/test_cache_pool.py, one round trip). No MULTI: the key holds its window's
        # number, so it cannot expire between the two.
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


# The registry --------------------------------------------------------------------------------

# What a change of one row makes stale: the key arguments of the entries it touches (each a
# tuple, or a single value), from the saved or deleted instance. A generation cache ignores
# them: any change bumps its generation.
Stale = Callable[[object], Iterable]
# The same for a many-to-many relation: (instance, action, reverse, pk_set) as m2m_changed
# sends them.
StaleM2M = Callable[[object, str, bool, set | None], Iterable]


@dataclass(eq=False)
class Cached:
    """One cache, declared once: its name, how an entry's key is made from its arguments,
    its timeout, and the models whose save or delete make entries stale (`stale_on`, by
    "app_label.ModelName": the entries' key arguments from the instance), or, for a cache
    built from many rows, a `generation` every such change bumps. `forget()` is the only
    way to clear entries. A cache whose key names its content (nothing changes under it)
    lists no model. `local`: entries are kept in this process's memory too (only for keys
    that name their content, a generation included)."""

    name: str
    key: Callable[..., str]
    timeout: int | None
    stale_on: Mapping[str, Stale] = field(default_factory=dict)
    stale_on_m2m: Mapping[str, StaleM2M] = field(default_factory=dict)
    # Other signals that make every entry stale (a generation cache): (signal, sender or None).
    stale_on_signals: tuple = ()
    generation: "Generation | None" = None
    local: bool = False
    # Why it is kept (its figure in docs/performance.md), for whoever reads the registry.
    gain: str = ""

    def key_for(self, *args, generation: int | None = None) -> str:
        key = self.key(*args)
        if self.generation is not None:
            if generation is None:
                generation = self.generation.current()
            key = f"{key}:g{generation}"
        return key

    def get(self, *args):
        key = self.key_for(*args)
        if self.local:
            return get_many_by_content([key]).get(key)
        return cache.get(key)

    def get_many(self, args_list) -> dict:
        """{args: value} of the entries found (args as given)."""
        generation = self.generation.current() if self.generation is not None else None
        keys = {self.key_for(*_as_args(args), generation=generation): args for args in args_list}
        found = get_many_by_content(keys) if self.local else cache.get_many(list(keys))
        return {keys[key]: value for key, value in found.items()}

    def set(self, value, *args) -> None:
        self.set_many({args: value})

    def set_many(self, entries: dict) -> None:
        """Store {args: value}."""
        generation = self.generation.current() if self.generation is not None else None
        stored = {
            self.key_for(*_as_args(args), generation=generation): value
            for args, value in entries.items()
        }
        if self.local:
            set_many_by_content(stored, self.timeout)
        else:
            cache.set_many(stored, self.timeout)

    def get_or_set(self, *args, default: Callable, timeout: int | None = 0):
        """The entry, or `default()` stored. Under a generation, the value is stored only if
        the generation did not move while it was read: a change committed during the read
        would otherwise leave rows from before it under the new number. `timeout`, when an
        entry's differs from the cache's (0: the cache's)."""
        timeout = self.timeout if timeout == 0 else timeout
        generation = self.generation.current() if self.generation is not None else None
        key = self.key_for(*args, generation=generation)
        value = get_many_by_content([key]).get(key) if self.local else cache.get(key)
        if value is None:
            value = default()
            if generation is None or self.generation.current() == generation:
                if self.local:
                    set_many_by_content({key: value}, timeout)
                else:
                    cache.set(key, value, timeout)
        return value

    def forget(self, args_list=None) -> None:
        """Make these entries miss (every entry of a generation cache), now and again once
        the transaction commits."""
        if self.generation is not None:
            self.generation.bump()
            return
        forget(self.key_for(*_as_args(args)) for args in args_list or ())

    # Receivers (connected by connect_receivers) -------------------------------------------

    def _on_change(self, sender, instance, **kwargs) -> None:
        stale = self.stale_on[sender._meta.label]
        self.forget(() if self.generation is not None else stale(instance))

    def _on_m2m_change(self, sender, instance, action, reverse, pk_set, **kwargs) -> None:
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        stale = self.stale_on_m2m[sender._meta.label]
        args = stale(instance, action, reverse, pk_set)
        self.forget(() if self.generation is not None else args)

    def _on_signal(self, sender=None, **kwargs) -> None:
        self.forget()


def _as_args(args) -> tuple:
    return args if isinstance(args, tuple) else (args,)


_registry: dict[str, Cached] = {}


def register(cached: Cached) -> Cached:
    """Declare a cache (from the owning app's `caches` module); returns it."""
    if _registry.get(cached.name, cached) is not cached:
        raise ValueError(f"A cache named {cached.name!r} is declared twice.")
    _registry[cached.name] = cached
    return cached


def registered() -> list[Cached]:
    return list(_registry.values())


def connect_receivers() -> None:
    """Connect every declared cache's receivers: post_save and pre_delete (the rows a
    deletion cascades to are still there to read) of each model it names, m2m_changed of each
    relation, and its other signals. Called once, from CoreConfig.ready(), after every app's
    `caches` module declared its own."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_save, pre_delete

    for cached in _registry.values():
        for label in cached.stale_on:
            model = apps.get_model(label)
            for signal in (post_save, pre_delete):
                signal.connect(
                    cached._on_change,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"cache:{cached.name}:{label}:{id(signal)}",
                )
        for label in cached.stale_on_m2m:
            m2m_changed.connect(
                cached._on_m2m_change,
                sender=apps.get_model(label),
                weak=False,
                dispatch_uid=f"cache:{cached.name}:{label}:m2m",
            )
        for signal, sender in cached.stale_on_signals:
            signal.connect(
                cached._on_signal,
                sender=sender,
                weak=False,
                dispatch_uid=f"cache:{cached.name}:{id(signal)}:{sender}",
            )
