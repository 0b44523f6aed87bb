"""Who is online: counted in the shared cache (Redis in production), never in the database.

Each open socket counts once in `presence:<user id>`, whose expiry every socket's heartbeat
(and every frame) pushes back. When a process dies without closing its sockets, the count is
not given back, but nobody refreshes it either: the member shows offline after TTL seconds."""

from django.core.cache import cache

TTL = 90  # seconds; clients send a heartbeat every 30
ONLINE, AWAY, OFFLINE = "online", "away", "offline"


def _count_key(user_id) -> str:
    return f"presence:{user_id}"


def _away_key(user_id) -> str:
    return f"presence-away:{user_id}"


def socket_opened(user_id) -> None:
    key = _count_key(user_id)
    cache.add(key, 0, timeout=TTL)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=TTL)
    cache.touch(key, TTL)


def socket_closed(user_id) -> bool:
    """Count one socket closed; True when it was the member's last one."""
    key = _count_key(user_id)
    try:
        left = cache.decr(key)
    except ValueError:
        return True
    if left <= 0:
        cache.delete_many([key, _away_key(user_id)])
        return True
    return False


def heartbeat(user_id, *, away: bool | None = None) -> None:
    key = _count_key(user_id)
    if not cache.touch(key, TTL):
        cache.set(key, 1, timeout=TTL)
    if away is True:
        cache.set(_away_key(user_id), 1, timeout=TTL)
    elif away is False:
        cache.delete(_away_key(user_id))


def states(user_ids) -> dict[int, str]:
    """online / away for each of `user_ids` who has a socket open (others are offline).
    One round trip to the cache."""
    user_ids = list(user_ids)
    keys = [_count_key(pk) for pk in user_ids] + [_away_key(pk) for pk in user_ids]
    found = cache.get_many(keys)
    result = {}
    for pk in user_ids:
        if found.get(_count_key(pk)):
            result[pk] = AWAY if found.get(_away_key(pk)) else ONLINE
    return result
