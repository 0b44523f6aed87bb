"""The Redis cache shares one connection pool per process (core/cache.py): Django makes a
cache object per request context under ASGI, and each used to open its own connection."""

import threading

from core.cache import RedisCache
from tests.integration.conftest import REDIS_URL, requires_redis


def _pool(cache, *, write=True):
    return cache._cache._get_connection_pool(write)


def test_cache_objects_of_one_server_share_a_pool_and_other_servers_do_not():
    first = RedisCache("redis://127.0.0.1:6379/3", {})
    second = RedisCache("redis://127.0.0.1:6379/3", {})
    assert _pool(first) is _pool(second)
    assert _pool(first, write=False) is _pool(second)
    # redis-py's client is thread-safe: one serves every call (Django made one per call).
    assert first._cache.get_client() is second._cache.get_client(write=True)
    assert _pool(RedisCache("redis://127.0.0.1:6379/4", {})) is not _pool(first)
    options = {"OPTIONS": {"socket_timeout": 2}}
    assert _pool(RedisCache("redis://127.0.0.1:6379/3", options)) is not _pool(first)


@requires_redis
def test_many_request_threads_use_few_connections():
    url = REDIS_URL.rsplit("/", 1)[0] + "/13"
    probe = RedisCache(url, {})
    probe.set("pool-probe", 1)
    server = probe._cache.get_client()

    def connections_received():
        return server.info("stats")["total_connections_received"]

    before = connections_received()

    def request():
        # As under ASGI: a new cache object in a new thread for each request.
        cache = RedisCache(url, {})
        cache.set("pool-probe", cache.get("pool-probe") + 1)

    for _ in range(20):
        thread = threading.Thread(target=request)
        thread.start()
        thread.join()
    assert probe.get("pool-probe") == 21
    # The probe's connection served every request, one after the other.
    assert connections_received() == before
    probe.delete("pool-probe")


@requires_redis
def test_a_rate_limit_counter_costs_one_round_trip_and_expires(monkeypatch):
    import redis.client

    url = REDIS_URL.rsplit("/", 1)[0] + "/13"
    cache = RedisCache(url, {})
    cache.delete("window")
    sent = []
    execute = redis.client.Pipeline.execute

    def count_round_trips(pipeline, *args, **kwargs):
        sent.append([command[0][0] for command in pipeline.command_stack])
        return execute(pipeline, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", count_round_trips)
    monkeypatch.setattr(redis.client.Redis, "execute_command", None)  # no lone command

    assert [cache.count_hit("window", timeout=61) for _ in range(3)] == [1, 2, 3]

    # SET NX and INCR sent together, where add() and incr() sent SET NX, EXISTS and INCRBY
    # one after the other.
    assert sent == [["SET", "INCRBY"]] * 3
    monkeypatch.undo()
    assert cache.get("window") == 3
    assert 0 < cache._cache.get_client().ttl(cache.make_and_validate_key("window")) <= 61
    cache.delete("window")


@requires_redis
def test_an_entry_named_by_its_content_is_read_from_the_process_once_it_has_it(settings):
    from django.core.cache import caches

    from core.cache import get_many_by_content, set_many_by_content

    set_many_by_content({"card:abc": "<article>…</article>"}, 60)
    caches["local"].clear()  # as in another process
    shared = caches["default"]
    asked = []
    original = shared.get_many
    shared.get_many = lambda keys, *a, **k: asked.append(list(keys)) or original(keys, *a, **k)
    try:
        assert get_many_by_content(["card:abc", "card:new"]) == {"card:abc": "<article>…</article>"}
        assert get_many_by_content(["card:abc"]) == {"card:abc": "<article>…</article>"}
    finally:
        del shared.get_many
    # The second read found it in the process: only the first asked Redis.
    assert asked == [["card:abc", "card:new"]]
