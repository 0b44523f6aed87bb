"""Settings of bench/chat.py's Daphne: the development settings on PostgreSQL and Redis
(DATABASE_URL, REDIS_URL), debug off, quiet logs, the per-member chat rate limit lifted (the
load is 200 members sending together, more than 20 messages in 10 s each at 400 msg/s), and
the channel layer chosen by CHAT_BENCH_LAYER: "pubsub" (RedisPubSubChannelLayer, one Redis
subscription per process: the site's setting) or "core" (the stock RedisChannelLayer)."""

import os
import sys

from config.settings.dev import *  # noqa: F403

# The shared virtualenv installs the project in editable mode from another checkout; its
# finder would import that checkout's modules wherever this one has none (Django imports the
# apps after the settings, so dropping it here is in time).
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CHAT_RATE_LIMIT = 10**9
if os.environ.get("CHAT_BENCH_LAYER") == "core":
    CHANNEL_LAYERS["default"]["BACKEND"] = "channels_redis.core.RedisChannelLayer"  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}

if os.environ.get("CHAT_BENCH_PROFILE") and "daphne" in " ".join(sys.argv):
    from bench.chat_sampler import start

    start(os.environ["CHAT_BENCH_PROFILE"])

if os.environ.get("CHAT_BENCH_GC") and "daphne" in " ".join(sys.argv):
    # Every full collection's duration and object count, on stderr (the drills' Daphne log).
    import gc
    import time

    _gc_started = {}

    def _log_collection(phase, info):
        if phase == "start":
            _gc_started["at"] = time.perf_counter()
        elif info["generation"] == 2:
            took = (time.perf_counter() - _gc_started.get("at", time.perf_counter())) * 1000
            print(f"GC gen2 {took:.1f} ms, {len(gc.get_objects())} objects", file=sys.stderr)

    gc.callbacks.append(_log_collection)
