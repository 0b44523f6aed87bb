"""Settings shared by every mode; the environment (12-factor) fills in the rest.

The embedded defaults need no service: SQLite in the project folder, an in-memory channel
layer, eager Celery and a local-memory cache. Setting ``DATABASE_URL`` and ``REDIS_URL``
moves the same code onto PostgreSQL and Redis.
"""

import os
import re
import tempfile
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

TERRITORY_NAME = os.environ.get("TERRITORY_NAME", "Morvellec")

INSTALLED_APPS = [
    # Daphne first so that `runserver` serves ASGI (HTTP and WebSockets).
    "daphne",
    "core",
    "content",
    "network",
    "ambassadors",
    "realtime",
    "channels",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.api.v2",
    "rest_framework",
    "ninja",  # its vendored Swagger UI for /api/v1/docs (no CDN under our CSP)
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.locales",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.csp.TerritoryCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.DomainErrorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.territory",
                "network.context_processors.notifications",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------------------
# Connections persist: opening a PostgreSQL connection per query costs ~15 ms here, which is
# what async code (Channels consumers) would pay with CONN_MAX_AGE=0.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI every request runs in a fresh thread, so a per-thread persistent
    # connection is never reused: psycopg's pool is what keeps connections open there.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Parameters are bound by the server, so that a query run a few times on a connection is
    # prepared and its plan kept (psycopg's automatic prepared statements): planning was most of
    # the database's time on a feed page (2.7 ms of 3.3 for its rows' seven-table join). Behind
    # a pooler in transaction mode without prepared-statement support, DB_PREPARE_THRESHOLD=off.
    prepare_threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
            "timeout": 10,
        },
        "server_side_binding": True,
        "prepare_threshold": None if prepare_threshold == "off" else int(prepare_threshold),
    }
    # A transaction-mode pooler (PgBouncer) cannot keep a cursor across transactions.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = (
        os.environ.get("DB_DISABLE_SERVER_SIDE_CURSORS", "") == "1"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, keeping the connections requests close for the next ones (the
    # same reason as the pool above: core/db/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "core.db.sqlite3"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock up front, so
    # concurrent requests wait for it instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: channel layer, Celery broker and cache --------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # One Redis subscription per process, fanned out to its sockets locally: the stock
            # RedisChannelLayer writes one list entry per member of a group and lost or
            # delayed deliveries past 50 chat messages/s on one core (docs/performance.md,
            # "Chat"). Several comma-separated URLs in CHANNEL_REDIS_URLS shard it over hosts.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": env_list("CHANNEL_REDIS_URLS", REDIS_URL), "prefix": "territory"},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "territory",
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            # The process's one channel for every chat room (realtime/fanout.py) holds more
            # than a socket's 100 events while a burst of messages waits for its reader.
            # (Compiled here: this layer, unlike channels_redis's, does not compile globs.)
            "CONFIG": {"channel_capacity": [(re.compile(r".*chat-fanout\."), 10_000)]},
        }
    }
    # Django's default of 300 entries is a few pages' worth of cards and sessions: past it,
    # a third of the cache is dropped at a time and the feed renders its cards again.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True

# This process's own memory, for entries whose key names their content (a card's HTML under
# the digest of what it shows, the hub's head under the content generation, a fragment under
# the site's version): nothing changes under such a key, so a copy here needs no invalidation
# and saves a round trip to Redis (core/cache.py). Without Redis, "default" is one already.
CACHES["local"] = (
    {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "territory-local",
        "OPTIONS": {"MAX_ENTRIES": 5_000},
    }
    if REDIS_URL
    else CACHES["default"]
)

CELERY_TASK_EAGER_PROPAGATES = True
# Nothing in the site waits for a task's return value, and keeping it cost each send a
# subscription to the result's channel on Redis. A caller that wants the value asks for it:
# apply_async(..., ignore_result=False).
CELERY_TASK_IGNORE_RESULT = True
# Celery sets up its result backend once per thread unless told it is thread-safe (Redis's
# is: redis-py's pool). Under ASGI every request has a thread of its own, and sending a task
# made a new backend each time (a tenth of a post's time).
CELERY_RESULT_BACKEND_THREAD_SAFE = True
# A task is acknowledged once it has run, so a worker that dies mid-task leaves it queued.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Paris"
# Beat keeps the last run of each entry in this file. Outside the checkout (which may be
# read-only, and must not collect state): systemd's StateDirectory in production
# (deploy/systemd/territory-beat.service), the system's temporary folder otherwise.
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME",
    os.path.join(tempfile.gettempdir(), "territory-celerybeat-schedule"),
)
# config.health's heartbeat task, which beat sends and a worker runs.
CELERY_IMPORTS = ["config.health"]
# /healthz/ waits this long for a worker to answer a ping, and calls beat stale when its
# heartbeat (sent every minute) is older than this.
HEALTHZ_WORKER_TIMEOUT = float(os.environ.get("HEALTHZ_WORKER_TIMEOUT", "1"))
HEALTHZ_BEAT_STALE_MINUTES = int(os.environ.get("HEALTHZ_BEAT_STALE_MINUTES", "5"))
# The heartbeat crosses from the worker to the web processes through the cache: only a shared
# one (Redis) carries it. `make run`'s worker has a local-memory cache of its own.
HEALTHZ_BEAT_CHECK = bool(REDIS_URL)
CELERY_BEAT_SCHEDULE = {
    # Proves to /healthz/ that beat sends and a worker runs (config/health.py).
    "healthz-heartbeat": {
        "task": "config.health.beat_heartbeat_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "clear-expired-sessions": {
        "task": "network.tasks.clear_expired_sessions_task",
        "schedule": crontab(hour=4, minute=10),
    },
    # Members' data exports past their 7 days (network/services/personal_data.py).
    "purge-expired-data-exports": {
        "task": "network.tasks.purge_expired_exports_task",
        "schedule": crontab(hour=4, minute=20),
    },
    # Maintainers of pages past their review date, at the start of the working day
    # (CELERY_TIMEZONE is Europe/Paris).
    "content-review-reminders": {
        "task": "content.tasks.send_review_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Notification digests, before the working day; the weekly one on Monday.
    "notifications-daily-digest": {
        "task": "network.tasks.send_daily_digest_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # Open tourism data (content/imports): each daily source, at night.
    "content-tourism-imports": {
        "task": "content.tasks.run_daily_imports_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "notifications-weekly-digest": {
        "task": "network.tasks.send_weekly_digest_task",
        "schedule": crontab(hour=7, minute=45, day_of_week="mon"),
    },
    # Licences that start or expire today enter or leave the ambassador directory and the
    # leaderboards (Profile.listed); rights themselves read the licence at each request.
    "ambassador-listing": {
        "task": "ambassadors.tasks.refresh_listed_task",
        "schedule": crontab(hour=0, minute=1),
    },
    # Ambassadors whose licence expires within 30 days (once per expiry date).
    "ambassador-licence-reminders": {
        "task": "ambassadors.tasks.remind_expiring_licences_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # Tracked-link clicks counted in Redis, into the daily aggregates (ambassadors/links/).
    "ambassador-flush-clicks": {
        "task": "ambassadors.tasks.flush_clicks_task",
        "schedule": 60.0,
    },
    # Badges earned by time (veterans) or by what no service sees (a story published).
    "ambassador-badges": {
        "task": "ambassadors.tasks.evaluate_badges_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Greeter requests: the visitor's name, e-mail and message blanked after the visit.
    "ambassador-greeter-purge": {
        "task": "ambassadors.tasks.purge_greeter_data_task",
        "schedule": crontab(hour=3, minute=45),
    },
}

# Open tourism data imports (content/imports). Downloads never go to a private or loopback
# address, except to the `host:port` listed here (a local test server).
TOURISM_IMPORT_ALLOWED_HOSTS = env_list("TOURISM_IMPORT_ALLOWED_HOSTS", "")
TOURISM_IMPORT_MAX_DOWNLOAD = 1024 * 1024 * 1024  # a flow's zip
TOURISM_IMPORT_MAX_UNCOMPRESSED = 4 * 1024 * 1024 * 1024  # a flow once inflated
TOURISM_IMPORT_MAX_RATIO = 100  # inflated / compressed, per file over 1 MiB
TOURISM_IMPORT_MAX_RECORD = 8 * 1024 * 1024
TOURISM_IMPORT_MAX_IMAGE = 10 * 1024 * 1024
# The ambassador programme (ambassadors/): a licence lasts this long once approved; the same
# visitor and link count once per LINK_CLICK_WINDOW seconds; proofs of these mission types are
# approved without review for members at or above this trust level (off: no types).
AMBASSADOR_LICENCE_DAYS = 365
LINK_CLICK_WINDOW = 3600
AMBASSADOR_AUTO_APPROVED_MISSION_TYPES: tuple[str, ...] = ()
AMBASSADOR_AUTO_APPROVE_TRUST_LEVEL = 3

# Wagtail's own background jobs (reference index, image focal points) use django-tasks.
# The immediate backend runs them inside the request; they are small, so this stays the
# default in production too (see docs/deploy.md).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Accounts ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "network.User"
# Django's and allauth's, refusing suspended members (network/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "network.auth_backends.MemberBackend",
    "network.auth_backends.AllauthMemberBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# A member without admin rights sent to /admin/ is shown the log-in form (to switch account)
# rather than bounced back to /admin/ in a loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# Counted per account ("key") and per address; the 6th failure inside 5 minutes is refused,
# even with the right password, until the window passes.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = TERRITORY_NAME
# One 30-second step either side, as RFC 6238 advises for clock drift (phones, slow typing).
MFA_TOTP_TOLERANCE = 1
# The Wagtail admin logs in through allauth, so staff get the same rate limits and 2FA.
WAGTAILADMIN_LOGIN_URL = "account_login"

# Internationalisation: French first, English second ----------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date style per language (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Hub pages are translated as Wagtail page trees, one per locale (French the default, its
# tree at the unprefixed URLs, English under /en/), with Wagtail's simple translation: see
# docs/translation.md.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media ------------------------------------------------------------------------
# Django serves MEDIA_URL itself (no web server in front): the demo (dev settings) only.
SERVE_MEDIA = env_bool("SERVE_MEDIA")
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files no URL may reach: only views that check who asks read them. Members' data exports live
# under EXPORTS_ROOT and are sent only by the signed, owner-only download view
# (network/views/personal_data.py). It must sit outside MEDIA_ROOT, which the web server serves.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "private"))
EXPORTS_ROOT = Path(os.environ.get("EXPORTS_ROOT", PRIVATE_ROOT / "exports"))
# Empty: Django streams the file itself. Set (production): the view answers with an
# X-Accel-Redirect to this internal nginx location, aliased to EXPORTS_ROOT (docs/deploy.md).
EXPORTS_ACCEL_REDIRECT = os.environ.get("EXPORTS_ACCEL_REDIRECT", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads larger than this are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
AVATAR_MAX_BYTES = 2 * 1024 * 1024

# E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Territory <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail -------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = TERRITORY_NAME
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # French stemming without accents (content migration 0006), as SQLite's FTS5 does.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "territory_fr"
# Brand-kit files include logos and print artwork; Wagtail serves them as attachments
# (only PDF and plain text inline), so an SVG never runs in the site's origin.
WAGTAILDOCS_EXTENSIONS = [
    *("csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"),
    *("ai", "eps", "jpeg", "jpg", "png", "svg", "webp"),
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Collections whose images the public images API lists even when no published page uses them
# (a press kit, for instance). Other images are listed only once a live, public page uses them.
PUBLIC_IMAGE_COLLECTIONS = [
    name.strip()
    for name in os.environ.get("PUBLIC_IMAGE_COLLECTIONS", "").split(",")
    if name.strip()
]

# Content-Security-Policy -----------------------------------------------------------------
# Our templates carry no inline script or style. The Wagtail admin still needs inline
# styles and scripts (Draftail, its page editor), so config.csp loosens the policy there only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}


# Maps (destinations, organisations, members) ----------------------------------------------
# A Leaflet tile URL template; OpenStreetMap's own tile server by default (its usage policy
# suits a community site's traffic; a busy deployment names its own tile service). Its origin
# is added to the CSP's img-src below. Empty: no tile is fetched, and maps draw the vendored
# outline of the territory (MAP_OUTLINE, a GeoJSON file among the static files: coast and
# towns) under the markers: nothing leaves the site. Development and tests default to empty.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", OSM_TILE_URL).strip()
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", OSM_ATTRIBUTION if MAP_TILE_URL == OSM_TILE_URL else ""
).strip()
MAP_OUTLINE = os.environ.get("MAP_OUTLINE", "geo/morvellec.geojson").strip()


def csp_source_for(url_template: str) -> str:
    """The CSP source that allows a tile URL template: its scheme and host, with a
    placeholder in the host ("{s}.tile.example.org") turned into a wildcard label."""
    import re
    from urllib.parse import urlsplit

    parts = urlsplit(url_template)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc)
    if "*" in host.partition(".")[2]:
        host = "*." + host.split("*")[-1].lstrip(".")
    return f"{parts.scheme}://{host}"


MAP_TILE_CSP_SOURCE = csp_source_for(MAP_TILE_URL)
if MAP_TILE_CSP_SOURCE:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MAP_TILE_CSP_SOURCE)

if MEDIA_URL.startswith(("https://", "http://")):
    # User uploads served from their own domain (docs/deploy.md).
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_URL.rstrip("/") + "/")
ADMIN_CSP_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
    "frame-src": ["'self'"],
}
ADMIN_URL_PREFIXES = ("/admin/", "/django-admin/")

SESSION_COOKIE_SAMESITE = "Lax"
# Sessions are read on every signed-in request: from the cache (Redis in production), with the
# database behind it so that none is lost when the cache is (sign_out_everywhere() drops both).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail's immediate tasks and page actions log every step at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# No third-party avatar service: nothing leaves the site (privacy, and the CSP would block it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
