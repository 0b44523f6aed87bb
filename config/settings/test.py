"""The test suite: the same code as production, on whichever services the environment gives."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "optional")
# Maps draw the vendored outline of the territory: no tile server is reached (MAP_TILE_URL).
os.environ.setdefault("MAP_TILE_URL", "")

from .base import *  # noqa: E402,F403

SECRET_KEY = "test-only-key-territory-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_ROOT = BASE_DIR / ".test-private"  # noqa: F405
EXPORTS_ROOT = PRIVATE_ROOT / "exports"
EXPORTS_ACCEL_REDIRECT = ""

# Tasks run inline unless an integration test hands them to a real worker.
CELERY_TASK_ALWAYS_EAGER = True

if REDIS_URL:  # noqa: F405
    # The suite clears the cache between tests; give it its own Redis database so that
    # clearing it never drops queued Celery messages or channel-layer groups.
    parts = urlsplit(REDIS_URL)  # noqa: F405
    cache_db = (int(parts.path.strip("/") or 0) + 1) % 16
    CACHES["default"]["LOCATION"] = urlunsplit(parts._replace(path=f"/{cache_db}"))  # noqa: F405

# Connections opened by async tests' worker threads must not outlive the test database, and
# a pool would keep them open across the test database's creation and removal.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
