"""A fixed-window rate limit on the shared cache (Redis in production, so every process
counts together). Services call `hit()` before the write they protect."""

import time

from django.core.cache import cache

from config.errors import RateLimited


def hit(scope: str, key, *, limit: int, window: int) -> None:
    """Count one action of `key` in `scope`; raise RateLimited past `limit` per `window` s."""
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{scope}:{key}:{bucket}"
    # add() then incr() is atomic on Redis and on the local-memory cache.
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited()
