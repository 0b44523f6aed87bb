"""Every API error is JSON {"code", "message"} with its status, whatever raised it."""

import pytest

from network.models import GroupMembership, Post
from network.services.posts import POSTS_PER_MINUTE
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, PostFactory, add_member
from tests.network.test_api_helpers import API, assert_error, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(user):
    group = GroupFactory()
    add_member(group, user)
    return group


@pytest.fixture
def headers(user):
    return bearer(user)


def post_json(client, url, data, headers):
    return client.post(url, data, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    "data",
    [{}, {"body": 12, "tags": "not a list"}, {"body": "Bonjour", "shared_page": "seven"}],
)
def test_a_body_that_does_not_match_the_schema_is_400_invalid(client, group, headers, data):
    response = post_json(client, f"{API}/groups/{group.slug}/posts", data, headers)
    body = assert_error(response, 400, "invalid")
    assert body["errors"] and all("loc" in e and "message" in e for e in body["errors"])
    assert not Post.objects.exists()


def test_a_body_that_is_not_json_is_400(client, group, headers):
    response = client.post(
        f"{API}/groups/{group.slug}/posts",
        "{not json",
        content_type="application/json",
        headers=headers,
    )
    assert_error(response, 400, "invalid")


@pytest.mark.parametrize("text", ["   ", "a" * 10_001])
def test_an_empty_or_too_long_post_is_400_with_the_services_message(client, group, headers, text):
    response = post_json(client, f"{API}/groups/{group.slug}/posts", {"body": text}, headers)
    assert_error(response, 400, "invalid")
    assert not Post.objects.exists()


def test_unauthenticated_is_401(client, group):
    response = post_json(client, f"{API}/groups/{group.slug}/join", {}, {})
    assert_error(response, 401, "unauthenticated")


def test_forbidden_is_403(client, headers):
    private = GroupFactory(visibility="private")
    response = post_json(client, f"{API}/groups/{private.slug}/posts", {"body": "Hi"}, headers)
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize(
    "url",
    [
        "/groups/no-such-group",
        "/posts/999999",
        "/organisations/nobody",
        "/people/nobody",
    ],
)
def test_missing_objects_are_404(client, headers, url):
    assert_error(client.get(f"{API}{url}", headers=headers), 404, "not_found")


def test_an_id_no_database_can_hold_is_invalid_not_missing(client, headers):
    # Ids are bounded by the schema (see test_api_ids.py): over 64 bits is invalid input.
    response = client.get(f"{API}/posts/99999999999999999999999", headers=headers)
    body = assert_error(response, 400, "invalid")
    assert any("post_id" in problem["loc"] for problem in body["errors"]), body


def test_conflict_is_409(client, user, group, headers):
    response = post_json(client, f"{API}/groups/{group.slug}/join", {}, headers)
    assert_error(response, 409, "conflict")
    assert GroupMembership.objects.filter(group=group, user=user).count() == 1


def test_a_body_over_the_upload_limit_is_413(client, group, headers, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = post_json(client, f"{API}/groups/{group.slug}/posts", {"body": "a" * 2_000}, headers)
    assert_error(response, 413, "too_large")
    assert not Post.objects.exists()


def test_posting_too_fast_is_429(client, group, headers):
    for number in range(POSTS_PER_MINUTE):
        response = post_json(
            client, f"{API}/groups/{group.slug}/posts", {"body": f"Post {number}"}, headers
        )
        assert response.status_code == 201
    response = post_json(client, f"{API}/groups/{group.slug}/posts", {"body": "One more"}, headers)
    assert_error(response, 429, "rate_limited")
    assert Post.objects.count() == POSTS_PER_MINUTE


@pytest.mark.parametrize(
    "url",
    ["/groups", "/organisations", "/people", "/feed", "/groups/{slug}/posts", "/people/{me}/posts"],
)
@pytest.mark.parametrize(
    "cursor",
    # not base64, not JSON, a list of the wrong size, an object, wrong types, far too long
    ["%%%", "bm90IGpzb24", "WzEsMiwzXQ", "e30", "WyJhIiwiYiJd", "x" * 2000],
)
def test_a_malformed_cursor_is_400(client, user, group, headers, url, cursor):
    PostFactory(author=user, group=group)
    url = url.format(slug=group.slug, me=user.username)
    response = client.get(f"{API}{url}", {"cursor": cursor}, headers=headers)
    assert_error(response, 400, "invalid")


@pytest.mark.parametrize("limit", [0, -1, 51, "many"])
def test_a_bad_page_size_is_400(client, headers, limit):
    assert_error(client.get(f"{API}/groups", {"limit": limit}, headers=headers), 400, "invalid")


def test_an_unexpected_error_is_a_json_500_and_is_logged(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("network.api.organisations.directory.list_organisations", broken)
    response = client.get(f"{API}/organisations")
    assert_error(response, 500, "server_error")
    assert "a bug" not in response.content.decode()
    assert any(record.exc_info for record in caplog.records)


def test_an_unknown_area_filter_is_400(client):
    assert_error(client.get(f"{API}/groups", {"area": "atlantis"}), 400, "invalid")


def test_someone_elses_post_cannot_be_edited(client, group, headers):
    post = PostFactory(author=UserFactory(), group=group)
    response = client.patch(
        f"{API}/posts/{post.pk}",
        {"body": "Mine now"},
        content_type="application/json",
        headers=headers,
    )
    assert_error(response, 403, "forbidden")
    post.refresh_from_db()
    assert "Mine now" not in post.body


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_endpoint_is_a_json_404(client, method):
    assert_error(getattr(client, method)(f"{API}/no/such/thing"), 404, "not_found")


@pytest.mark.parametrize(
    "cursor",
    # ["a", 10**30] and ["a", -10**30]: well-formed, beyond any id the database can hold
    [
        "WyJhIiwgMTAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMF0",
        "WyJhIiwgLTEwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDBd",
    ],
)
@pytest.mark.parametrize("url", ["/groups", "/organisations"])
def test_an_out_of_range_cursor_is_not_a_server_error(client, url, cursor):
    GroupFactory(name="b")
    response = client.get(f"{API}{url}", {"cursor": cursor})
    assert response.status_code in (200, 400), response.content
