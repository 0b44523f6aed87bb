import pytest
from django.core.cache import cache

from tests.factories import UserFactory

DEMO_PASSWORD = "territoire-demo"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none.
    (In Redis mode the test settings give the cache its own database.)"""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
