"""Who may call the API: personal access tokens and the browser's session (with CSRF for its
writes), anonymous callers for what the web shows everyone."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from network.models import Post
from network.services.tokens import create_token, revoke_token
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, add_member
from tests.network.test_api_helpers import API, assert_error, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client():
    """A browser: Django's test client skips CSRF checks unless asked to enforce them."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def group(user):
    group = GroupFactory()
    add_member(group, user)
    return group


def post_json(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def test_a_bearer_token_authenticates(client, user):
    response = client.get(f"{API}/me", headers=bearer(user))
    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_the_session_authenticates(auth_client, user):
    response = auth_client.get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_without_credentials_me_is_401(client):
    response = client.get(f"{API}/me")
    assert_error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer trt_not-a-real-token",
        "Bearer ",
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Token trt_abc",
    ],
)
def test_a_bad_authorization_header_is_401(client, user, header):
    assert_error(client.get(f"{API}/me", headers={"Authorization": header}), 401, "unauthenticated")


def test_a_bad_token_is_401_even_with_a_valid_session(auth_client):
    """The Authorization header alone decides: no fall-back to the cookie sent with it."""
    response = auth_client.get(f"{API}/me", headers={"Authorization": "Bearer trt_wrong"})
    assert_error(response, 401, "unauthenticated")


def test_a_bad_token_is_401_on_public_reads_too(client):
    response = client.get(f"{API}/groups", headers={"Authorization": "Bearer trt_wrong"})
    assert_error(response, 401, "unauthenticated")


def test_a_token_acts_for_its_owner_not_for_the_session(client, user):
    other = UserFactory()
    client.force_login(other)
    response = client.get(f"{API}/me", headers=bearer(user))
    assert response.json()["username"] == user.username


def test_a_revoked_token_is_401(client, user):
    token, raw_token = create_token(actor=user, name="Sync")
    headers = {"Authorization": f"Bearer {raw_token}"}
    assert client.get(f"{API}/me", headers=headers).status_code == 200
    revoke_token(actor=user, token=token)
    assert_error(client.get(f"{API}/me", headers=headers), 401, "unauthenticated")


def test_an_expired_token_is_401(client, user):
    token, raw_token = create_token(actor=user, name="Sync")
    token.expires_at = timezone.now() - timedelta(minutes=1)
    token.save()
    response = client.get(f"{API}/me", headers={"Authorization": f"Bearer {raw_token}"})
    assert_error(response, 401, "unauthenticated")


@pytest.mark.parametrize("bar", ["inactive", "suspended"])
def test_tokens_of_an_inactive_or_suspended_member_are_401(client, user, bar):
    headers = bearer(user)
    if bar == "inactive":
        user.is_active = False
    else:
        user.suspended_until = timezone.now() + timedelta(days=2)
    user.save()
    assert_error(client.get(f"{API}/me", headers=headers), 401, "unauthenticated")


def test_a_session_write_without_the_csrf_token_is_refused(csrf_client, user, group):
    csrf_client.force_login(user)
    response = post_json(csrf_client, f"{API}/groups/{group.slug}/posts", {"body": "Bonjour"})
    assert_error(response, 403, "csrf_failed")
    assert not Post.objects.exists()


def test_a_session_write_with_the_csrf_token_goes_through(csrf_client, user, group):
    csrf_client.force_login(user)
    csrf_client.get("/accounts/tokens/")  # any page with a form sets the CSRF cookie
    token = csrf_client.cookies["csrftoken"].value
    response = post_json(
        csrf_client, f"{API}/groups/{group.slug}/posts", {"body": "Bonjour"}, X_CSRFToken=token
    )
    assert response.status_code == 201, response.content
    assert Post.objects.count() == 1


def test_a_bearer_write_needs_no_csrf_token(csrf_client, user, group):
    response = post_json(
        csrf_client, f"{API}/groups/{group.slug}/posts", {"body": "Bonjour"}, **bearer(user)
    )
    assert response.status_code == 201, response.content
    assert Post.objects.count() == 1


def test_session_reads_need_no_csrf_token(csrf_client, user):
    csrf_client.force_login(user)
    assert csrf_client.get(f"{API}/me").status_code == 200


def test_anonymous_writes_are_401_not_csrf_errors(csrf_client, group):
    response = post_json(csrf_client, f"{API}/groups/{group.slug}/posts", {"body": "Bonjour"})
    assert_error(response, 401, "unauthenticated")
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["/groups", "/organisations"],
)
def test_public_lists_are_open_to_anonymous_callers(client, url):
    assert client.get(f"{API}{url}").status_code == 200


@pytest.mark.parametrize("url", ["/me", "/feed", "/people"])
def test_personal_reads_need_a_member(client, url):
    assert_error(client.get(f"{API}{url}"), 401, "unauthenticated")


def test_a_suspended_member_with_a_session_may_read_but_not_write(client, user, group):
    user.suspended_until = timezone.now() + timedelta(days=2)
    user.save()
    client.force_login(user)
    assert client.get(f"{API}/groups/{group.slug}/posts").status_code == 200
    response = post_json(client, f"{API}/groups/{group.slug}/posts", {"body": "Bonjour"})
    assert_error(response, 403, "forbidden")
    assert not Post.objects.exists()
