"""Every id the API takes, in a path, a body or a cursor, is bounded by the schema: an id no
database can hold is invalid input naming the field, never a server error."""

import base64
import json

import pytest

from network.api.schemas import MAX_ID
from tests.network.factories import GroupFactory, PostFactory, add_member
from tests.network.test_api_helpers import API, assert_error, bearer

pytestmark = pytest.mark.django_db

TOO_BIG = MAX_ID + 1  # 9223372036854775808


def cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.fixture
def headers(user):
    return bearer(user)


@pytest.fixture
def post(user):
    group = GroupFactory()
    add_member(group, user)
    return PostFactory(author=user, group=group)


# (method, url, body, the field the error names); "{post}" is a real post of the member and
# "{group}" its group.
ENDPOINTS = [
    ("post", "/notifications/read", {"ids": [TOO_BIG]}, "ids"),
    ("post", "/notifications/read", {"ids": [1, 0]}, "ids"),
    ("get", f"/posts/{TOO_BIG}", None, "post_id"),
    ("patch", f"/posts/{TOO_BIG}", {"body": "Bonjour"}, "post_id"),
    ("delete", f"/posts/{TOO_BIG}", None, "post_id"),
    ("post", f"/posts/{TOO_BIG}/comments", {"body": "Bonjour"}, "post_id"),
    ("delete", "/posts/{post}/comments/" + str(TOO_BIG), None, "comment_id"),
    ("post", "/posts/{post}/comments", {"body": "Bonjour", "parent": TOO_BIG}, "parent"),
    ("post", f"/posts/{TOO_BIG}/reactions", {"kind": "like"}, "post_id"),
    ("delete", f"/posts/{TOO_BIG}/reactions/like", None, "post_id"),
    (
        "post",
        f"/moderation/cases/{TOO_BIG}/decision",
        {"action": "none", "facts": "f", "ground": "g"},
        "case_id",
    ),
    ("post", f"/moderation/cases/{TOO_BIG}/complaint", {"text": "Non"}, "case_id"),
    ("post", "/reports", {"kind": "post", "id": TOO_BIG, "reason": "spam"}, "id"),
    ("post", "/reports", {"kind": "post", "id": -3, "reason": "spam"}, "id"),
    ("post", "/groups/{group}/posts", {"body": "Bonjour", "shared_post": TOO_BIG}, "shared_post"),
    ("post", "/groups/{group}/posts", {"body": "Bonjour", "shared_page": TOO_BIG}, "shared_page"),
]


@pytest.mark.parametrize(("method", "url", "body", "field"), ENDPOINTS)
def test_an_id_beyond_what_the_schema_allows_is_invalid_naming_the_field(
    client, headers, post, method, url, body, field
):
    url = API + url.replace("{post}", str(post.pk)).replace("{group}", post.group.slug)
    kwargs = {"headers": headers}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")

    response = getattr(client, method)(url, **kwargs)

    body = assert_error(response, 400, "invalid")
    assert any(field in problem["loc"] for problem in body["errors"]), body


@pytest.mark.parametrize("url", ["/notifications", "/feed"])
def test_a_cursor_holding_an_id_beyond_64_bits_is_invalid(client, headers, url):
    response = client.get(
        API + url, {"cursor": cursor("2026-01-01T00:00:00Z", TOO_BIG)}, headers=headers
    )

    assert_error(response, 400, "invalid")


def test_the_largest_id_is_simply_not_found(client, headers):
    response = client.get(f"{API}/posts/{MAX_ID}", headers=headers)

    assert_error(response, 404, "not_found")
