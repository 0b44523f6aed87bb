import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.signals import setting_changed
from django.urls import clear_url_caches
from django.utils import translation

from tests.factories import UserFactory

DEMO_PASSWORD = "territoire-demo"


def _forget_urls_of_another_default_language(*, setting, **kwargs):
    """The URL resolver keeps, per language, the reverse map it built with the language
    prefix of that moment: built while a test set LANGUAGE_CODE = "en", English paths lose
    their /en/ for the rest of the run (Django clears the language caches on that change, not
    the URL resolver). Forget it whenever the languages change, including on restore."""
    if setting in {"LANGUAGE_CODE", "LANGUAGES"}:
        clear_url_caches()


setting_changed.connect(_forget_urls_of_another_default_language)


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
