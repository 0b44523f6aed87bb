"""Settings for bench/http.py: the development settings with debug off and quiet logs.

Debug off so that Django does not keep every SQL query in memory or render debug pages; the
services stay the embedded ones (SQLite file, in-memory channel layer, local-memory cache),
so the benchmark needs nothing running.
"""

import warnings

from config.settings.dev import *  # noqa: F403

# Static files come from the finders here; WhiteNoise's note that there is no collectstatic
# folder would be printed once per server start.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ROOT_URLCONF = "bench.urls"

# Files change under a running benchmark only by accident: do not rescan them per request.
WHITENOISE_AUTOREFRESH = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
