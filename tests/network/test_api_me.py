"""GET /me: the calling member."""

import pytest

from content.models import Area
from tests.network.test_api_helpers import API, bearer

pytestmark = pytest.mark.django_db


def test_me_describes_the_caller(client, user):
    user.area = Area.objects.create(name="Lorient", slug="lorient", kind=Area.Kind.COMMUNE)
    user.bio = "<p>Boulanger</p>"
    user.save()
    user.interests.add("pain")
    body = client.get(f"{API}/me", headers=bearer(user)).json()
    assert body["username"] == user.username
    assert body["email"] == user.email
    assert body["area"] == {"slug": "lorient", "name": "Lorient"}
    assert body["interests"] == ["pain"]
    assert body["bio"] == "<p>Boulanger</p>"
    assert body["suspended_until"] is None
