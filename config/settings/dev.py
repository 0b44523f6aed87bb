"""Local development: `make run`. Debug on, console e-mail, static files from the finders."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "optional")
# Maps draw the vendored outline of the territory: no tile server is reached (MAP_TILE_URL).
os.environ.setdefault("MAP_TILE_URL", "")

from .base import *  # noqa: E402,F403

# A fixed key is fine on a developer's machine only; production refuses to start without one.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-territory-not-for-production"  # noqa: F405, S105
ALLOWED_HOSTS = ALLOWED_HOSTS + ["localhost", "127.0.0.1", "[::1]"]  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
