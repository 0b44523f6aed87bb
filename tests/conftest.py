import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation

from tests.factories import UserFactory

DEMO_PASSWORD = "territoire-demo"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none.
    (In Redis mode the test settings give the cache its own database.)"""
    caches["local"].clear()
    cache.clear()
    yield
    caches["local"].clear()
    cache.clear()


@pytest.fixture(autouse=True)
def _still_rate_limit_clock(monkeypatch):
    """Rate limits count in fixed windows (core/ratelimit.py): a test whose requests
    straddled two would see its count start again. Their clock stands still in tests."""
    monkeypatch.setattr("core.ratelimit.now", lambda: 1_700_000_000.0)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: LocaleMiddleware activates a request's
    language in the test's own thread and leaves it, so a request to /en/… would make the
    next test's reverse() and gettext English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.EXPORTS_ROOT = settings.PRIVATE_ROOT / "exports"


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def user(db, password):
    return UserFactory(password=password)


@pytest.fixture
def auth_client(client, user):
    client.force_login(user)
    return client
