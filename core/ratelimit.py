"""A fixed-window rate limit on the shared cache (Redis in production, so every process
counts together). Services call `hit()` before the write they protect."""

import time

from django.core.cache import cache

from core.errors import RateLimited


def client_key(request) -> str:
    """The visitor's address as the log-in rate limits see it (allauth's, which honours
    ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy); "" when there is none."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return ""


def now() -> float:
    """The limits' clock: the tests hold it still, so that none straddles two windows."""
    return time.time()


def hit(scope: str, key, *, limit: int, window: int) -> str:
    """Count one action of `key` in `scope`; raise RateLimited past `limit` per `window` s.
    Returns the counter it counted in, for give_back()."""
    cache_key = f"ratelimit:{scope}:{key}:{int(now() // window)}"
    if hasattr(cache, "count_hit"):  # Redis (core/cache.py): one round trip
        count = cache.count_hit(cache_key, timeout=window + 1)
    else:
        # add() then incr() is atomic on the local-memory cache too.
        cache.add(cache_key, 0, timeout=window + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        raise RateLimited()
    return cache_key


def hit_many(scope: str, keys, *, limit: int, window: int) -> list[str | None]:
    """hit() for several actions at once (a key may repeat: each counts), in one round trip
    on Redis: for each, the counter it counted in, or None when it is past the limit."""
    keys = list(keys)
    if not hasattr(cache, "count_hits"):
        counters = []
        for key in keys:
            try:
                counters.append(hit(scope, key, limit=limit, window=window))
            except RateLimited:
                counters.append(None)
        return counters
    cache_keys = [f"ratelimit:{scope}:{key}:{int(now() // window)}" for key in keys]
    counts = cache.count_hits(cache_keys, timeout=window + 1)
    return [
        cache_key if count <= limit else None
        for cache_key, count in zip(cache_keys, counts, strict=True)
    ]


def give_back(counter: str) -> None:
    """Uncount one action that hit() counted in `counter` and that turned out not to be one
    (a retry), in the window it was counted in."""
    try:
        cache.decr(counter)
    except ValueError:  # that window has passed
        pass
