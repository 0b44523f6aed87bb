"""Settings of bench/chat.py's Daphne: the development settings on PostgreSQL and Redis
(DATABASE_URL, REDIS_URL), debug off, quiet logs, the per-member chat rate limit lifted (the
load is 200 members sending together, more than 20 messages in 10 s each at 400 msg/s), and
the channel layer chosen by CHAT_BENCH_LAYER: "core" (RedisChannelLayer, the default) or
"pubsub" (RedisPubSubChannelLayer: one Redis subscription per process)."""

import os

from config.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CHAT_RATE_LIMIT = 10**9
if os.environ.get("CHAT_BENCH_LAYER") == "pubsub":
    CHANNEL_LAYERS["default"]["BACKEND"] = "channels_redis.pubsub.RedisPubSubChannelLayer"  # noqa: F405
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
