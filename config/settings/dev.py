"""Local development and the demo: `make run`. Console e-mail, static files from the finders.

Debug is off unless asked for (`DEBUG=1 make run`): the demo shows the site's own error pages,
as a real site does, not Django's debug page listing every URL. Static files are still
served (WhiteNoise, from the finders) and so are uploaded files (config/urls.py).

`make run` starts a Celery worker and beat beside Daphne (`manage.py run_embedded`); without
Redis they share a broker on the file system that needs no server, under STATE_DIR.
"""

import os

os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "optional")
# Maps draw the vendored outline of the territory: no tile server is reached (MAP_TILE_URL).
os.environ.setdefault("MAP_TILE_URL", "")

from .base import *  # noqa: E402,F403

# A fixed key is fine on a developer's machine only; production refuses to start without one.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-territory-not-for-production"  # noqa: F405, S105
ALLOWED_HOSTS = ALLOWED_HOSTS + ["localhost", "127.0.0.1", "[::1]"]  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploaded images and documents, served by Django since there is no web server in front.
SERVE_MEDIA = True
# `seed_demo` may run with debug off: this is the demo's own settings module.
DEMO_SITE = True

# Runtime state that is no source: the broker's folders, beat's schedule (see .gitignore).
STATE_DIR = Path(os.environ.get("STATE_DIR", BASE_DIR / ".state"))  # noqa: F405
CELERY_BEAT_SCHEDULE_FILENAME = str(STATE_DIR / "celerybeat-schedule")
if not REDIS_URL and env_bool("EMBEDDED_WORKERS"):  # noqa: F405
    # Set by `manage.py run_embedded` for Daphne, the worker and beat: kombu's file-system
    # transport, one file per message. Other commands (seed_demo, shell) keep eager tasks.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(STATE_DIR / "broker" / "queue"),
        "data_folder_out": str(STATE_DIR / "broker" / "queue"),
        "control_folder": str(STATE_DIR / "broker" / "control"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
    CELERY_TASK_ALWAYS_EAGER = False
