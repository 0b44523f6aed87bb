"""Agency staff reach the Wagtail admin through the same allauth log-in."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_log_in_goes_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_an_editor_logs_in_and_reaches_the_admin(client, password):
    editor = UserFactory(password=password)
    editor.groups.add(Group.objects.get(name="Editors"))
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": editor.username, "password": password, "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_member_without_the_role_is_kept_out_of_the_admin(auth_client):
    response = auth_client.get("/admin/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/admin/", 302)]
    assert response.status_code == 200
    assert "form" in response.context
