"""The groups endpoints: the directory, a group, joining, leaving, and its posts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Area
from network.models import Group, GroupMembership, JoinRequest, Post
from network.services.groups import create_group
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, PostFactory, add_member
from tests.network.test_api_helpers import API, assert_error, bearer

pytestmark = pytest.mark.django_db

Role = GroupMembership.Role


@pytest.fixture
def headers(user):
    return bearer(user)


def post_json(client, url, data=None, headers=None, **extra):
    return client.post(
        url, data or {}, content_type="application/json", headers={**(headers or {}), **extra}
    )


def slugs(response):
    return [item["slug"] for item in response.json()["items"]]


def all_pages(client, url, headers=None, **params):
    """Follow `next` to the end; return every item's slug (or id) in order."""
    seen, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = client.get(url, query, headers=headers or {}).json()
        seen += [item.get("slug", item.get("id")) for item in body["items"]]
        cursor = body["next"]
        if cursor is None:
            return seen


def queries_for(client, url, headers=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.content
    return len(context)


# Directory -----------------------------------------------------------------------------------


def test_the_directory_hides_secret_groups_from_non_members(client, user, headers):
    GroupFactory(name="Alpha public")
    GroupFactory(name="Beta private", visibility=Group.Visibility.PRIVATE)
    secret = GroupFactory(name="Gamma secret", visibility=Group.Visibility.SECRET)

    assert slugs(client.get(f"{API}/groups")) == ["alpha-public", "beta-private"]
    assert slugs(client.get(f"{API}/groups", headers=headers)) == ["alpha-public", "beta-private"]
    add_member(secret, user)
    assert slugs(client.get(f"{API}/groups", headers=headers)) == [
        "alpha-public",
        "beta-private",
        "gamma-secret",
    ]


def test_the_directory_says_which_groups_are_mine(client, user, headers):
    mine = GroupFactory(name="Mine")
    GroupFactory(name="Not mine")
    add_member(mine, user)
    items = {
        item["slug"]: item for item in client.get(f"{API}/groups", headers=headers).json()["items"]
    }
    assert items["mine"]["is_member"] is True
    assert items["not-mine"]["is_member"] is False


def test_the_directory_filters(client):
    area = Area.objects.create(name="Lorient", slug="lorient", kind=Area.Kind.COMMUNE)
    tagged = GroupFactory(name="Surf club", sector="tourism", area=area)
    tagged.tags.add("surf")
    GroupFactory(name="Bakers", sector="food")

    assert slugs(client.get(f"{API}/groups", {"q": "surf"})) == ["surf-club"]
    assert slugs(client.get(f"{API}/groups", {"sector": "food"})) == ["bakers"]
    assert slugs(client.get(f"{API}/groups", {"area": "lorient"})) == ["surf-club"]
    assert slugs(client.get(f"{API}/groups", {"tag": "surf"})) == ["surf-club"]
    assert_error(client.get(f"{API}/groups", {"sector": "piracy"}), 400, "invalid")


def test_the_directory_pages_through_every_group_once(client):
    names = [f"Group {number:02d}" for number in range(7)]
    for name in reversed(names):
        GroupFactory(name=name)
    first = client.get(f"{API}/groups", {"limit": 3}).json()
    assert len(first["items"]) == 3 and first["next"]
    assert all_pages(client, f"{API}/groups", limit=3) == [
        f"group-{number:02d}" for number in range(7)
    ]


def test_the_directory_costs_the_same_for_5_and_50_groups(client, user, headers):
    def make(count):
        for _ in range(count):
            group = GroupFactory()
            group.tags.add("club")
            add_member(group, user)

    make(5)
    client.get(f"{API}/groups", headers=headers)  # the token's last use is written once
    few = queries_for(client, f"{API}/groups?limit=50", headers)
    make(45)
    # Expect 4 queries: the token and its user, the groups with their areas, their tags, the
    # caller's memberships (whether the caller is agency staff, who see secret groups, comes
    # from the cache: core/roles.py).
    assert queries_for(client, f"{API}/groups?limit=50", headers) == few == 4


# A group -------------------------------------------------------------------------------------


def test_a_group_with_the_callers_standing(client, user, headers):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(group, user, role=Role.MODERATOR)
    body = client.get(f"{API}/groups/{group.slug}", headers=headers).json()
    assert body["my_role"] == "moderator"
    assert body["is_member"] and body["can_read"] and body["can_post"]
    assert body["url"].endswith(f"/groups/{group.slug}/")


def test_a_private_group_is_listed_but_its_content_closed(client, headers):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    body = client.get(f"{API}/groups/{group.slug}", headers=headers).json()
    assert body["can_read"] is False and body["my_role"] is None


@pytest.mark.parametrize("suffix", ["", "/posts"])
def test_a_secret_group_is_404_to_non_members(client, user, headers, suffix):
    group = GroupFactory(visibility=Group.Visibility.SECRET)
    PostFactory(group=group)
    assert_error(client.get(f"{API}/groups/{group.slug}{suffix}"), 404, "not_found")
    assert_error(
        client.get(f"{API}/groups/{group.slug}{suffix}", headers=headers), 404, "not_found"
    )
    add_member(group, user)
    assert client.get(f"{API}/groups/{group.slug}{suffix}", headers=headers).status_code == 200


def test_a_secret_group_cannot_be_joined_or_posted_in_by_non_members(client, headers):
    group = GroupFactory(visibility=Group.Visibility.SECRET)
    assert_error(
        post_json(client, f"{API}/groups/{group.slug}/join", {}, headers), 404, "not_found"
    )
    response = post_json(client, f"{API}/groups/{group.slug}/posts", {"body": "Hi"}, headers)
    assert_error(response, 404, "not_found")
    assert not GroupMembership.objects.exists() and not Post.objects.exists()


# Joining and leaving -------------------------------------------------------------------------


def test_joining_an_open_group(client, user, headers):
    group = GroupFactory(join_policy=Group.JoinPolicy.OPEN)
    response = post_json(client, f"{API}/groups/{group.slug}/join", {}, headers)
    assert response.status_code == 200
    assert response.json() == {"status": "member", "role": "member"}
    assert GroupMembership.objects.filter(group=group, user=user).exists()


def test_asking_to_join_a_group_on_request(client, user, headers):
    group = GroupFactory(join_policy=Group.JoinPolicy.REQUEST)
    response = post_json(
        client, f"{API}/groups/{group.slug}/join", {"message": "Baker in Lorient"}, headers
    )
    assert response.json() == {"status": "requested", "role": None}
    join_request = JoinRequest.objects.get(group=group, user=user)
    assert join_request.message == "Baker in Lorient"
    assert not GroupMembership.objects.filter(group=group, user=user).exists()
    body = client.get(f"{API}/groups/{group.slug}", headers=headers).json()
    assert body["join_request_pending"] is True


def test_joining_works_without_a_body(client, user, headers):
    group = GroupFactory()
    response = client.generic("POST", f"{API}/groups/{group.slug}/join", headers=headers)
    assert response.status_code == 200, response.content


def test_an_invitation_only_group_cannot_be_joined(client, user, headers):
    group = GroupFactory(join_policy=Group.JoinPolicy.INVITE)
    assert_error(
        post_json(client, f"{API}/groups/{group.slug}/join", {}, headers), 403, "forbidden"
    )
    assert not GroupMembership.objects.filter(user=user).exists()


def test_leaving_a_group(client, user, headers):
    group = GroupFactory()
    add_member(group, user)
    response = client.post(f"{API}/groups/{group.slug}/leave", headers=headers)
    assert response.status_code == 204
    assert not GroupMembership.objects.filter(group=group, user=user).exists()


def test_leaving_a_group_one_is_not_in_is_409(client, headers):
    group = GroupFactory()
    assert_error(client.post(f"{API}/groups/{group.slug}/leave", headers=headers), 409, "conflict")


def test_the_last_owner_cannot_leave(client, user, headers):
    group = create_group(
        actor=user,
        name="Club",
        visibility=Group.Visibility.PUBLIC,
        join_policy=Group.JoinPolicy.OPEN,
    )
    assert_error(client.post(f"{API}/groups/{group.slug}/leave", headers=headers), 409, "conflict")
    assert GroupMembership.objects.filter(group=group, user=user, role=Role.OWNER).exists()


# A group's posts -----------------------------------------------------------------------------


def test_a_public_groups_posts_are_open_to_anyone(client):
    group = GroupFactory()
    post = PostFactory(group=group)
    body = client.get(f"{API}/groups/{group.slug}/posts").json()
    assert [item["id"] for item in body["items"]] == [post.pk]
    assert body["next"] is None


def test_a_private_groups_posts_are_403_to_non_members(client, user, headers):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    PostFactory(group=group)
    assert_error(client.get(f"{API}/groups/{group.slug}/posts"), 403, "forbidden")
    assert_error(client.get(f"{API}/groups/{group.slug}/posts", headers=headers), 403, "forbidden")
    add_member(group, user)
    body = client.get(f"{API}/groups/{group.slug}/posts", headers=headers).json()
    assert len(body["items"]) == 1


def test_a_groups_posts_page_through_newest_first(client):
    group = GroupFactory()
    posts = [PostFactory(group=group) for _ in range(5)]
    ids = all_pages(client, f"{API}/groups/{group.slug}/posts", limit=2)
    assert ids == [post.pk for post in reversed(posts)]


def test_a_groups_posts_cost_the_same_for_5_and_50_posts(client, user, headers):
    group = GroupFactory()
    add_member(group, user)

    def make(count):
        for number in range(count):
            author = UserFactory()
            post = PostFactory(group=group, author=author, reaction_counts={"like": 2})
            post.tags.add(f"tag{number % 3}")

    make(5)
    url = f"{API}/groups/{group.slug}/posts?limit=50"
    client.get(url, headers=headers)
    few = queries_for(client, url, headers)
    make(45)
    client.get(url, headers=headers)  # the new posts' tags and images, into the cache
    assert queries_for(client, url, headers) == few


def test_posting_in_a_group(client, user, headers):
    group = GroupFactory()
    add_member(group, user)
    response = post_json(
        client,
        f"{API}/groups/{group.slug}/posts",
        {"body": "Nouveau menu <script>alert(1)</script>**ce midi**", "tags": ["menu", "#midi"]},
        headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    post = Post.objects.get()
    assert body["id"] == post.pk and post.group == group and post.author == user
    assert "<script" not in body["body"] and "<strong>ce midi</strong>" in body["body"]
    assert body["tags"] == ["menu", "midi"]
    assert body["group"] == {"slug": group.slug, "name": group.name}


def test_posting_in_a_group_one_is_not_a_member_of_is_403(client, headers):
    group = GroupFactory()
    response = post_json(client, f"{API}/groups/{group.slug}/posts", {"body": "Hi"}, headers)
    assert_error(response, 403, "forbidden")
    assert not Post.objects.exists()


def test_a_retried_post_with_the_same_idempotency_key_creates_one_post(client, user, headers):
    group = GroupFactory()
    add_member(group, user)
    url = f"{API}/groups/{group.slug}/posts"
    first = post_json(client, url, {"body": "Once"}, headers, **{"Idempotency-Key": "abc-123"})
    again = post_json(client, url, {"body": "Once"}, headers, **{"Idempotency-Key": "abc-123"})
    other = post_json(client, url, {"body": "Twice"}, headers, **{"Idempotency-Key": "abc-124"})
    assert first.status_code == again.status_code == other.status_code == 201
    assert first.json()["id"] == again.json()["id"] != other.json()["id"]
    assert Post.objects.count() == 2
    assert Post.objects.get(pk=first.json()["id"]).idempotency_key == "abc-123"


def test_an_idempotency_key_over_64_characters_is_400(client, user, headers):
    group = GroupFactory()
    add_member(group, user)
    response = post_json(
        client,
        f"{API}/groups/{group.slug}/posts",
        {"body": "Hi"},
        headers,
        **{"Idempotency-Key": "k" * 65},
    )
    assert_error(response, 400, "invalid")
    assert not Post.objects.exists()


def test_sharing_a_post_in_a_group(client, user, headers):
    group = GroupFactory()
    add_member(group, user)
    original = PostFactory()
    response = post_json(
        client,
        f"{API}/groups/{group.slug}/posts",
        {"body": "Look", "shared_post": original.pk},
        headers,
    )
    assert response.status_code == 201
    assert response.json()["shared_post"]["id"] == original.pk


def test_sharing_a_post_one_cannot_see_is_404(client, user, headers):
    group = GroupFactory()
    add_member(group, user)
    hidden = PostFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    for shared in (hidden.pk, 987654):
        response = post_json(
            client,
            f"{API}/groups/{group.slug}/posts",
            {"body": "Look", "shared_post": shared},
            headers,
        )
        assert_error(response, 404, "not_found")
    assert Post.objects.count() == 1


def test_sharing_a_page_that_does_not_exist_is_400(client, user, headers):
    group = GroupFactory()
    add_member(group, user)
    response = post_json(
        client, f"{API}/groups/{group.slug}/posts", {"body": "Look", "shared_page": 987654}, headers
    )
    assert_error(response, 400, "invalid")


def test_answering_with_a_new_post_reads_neither_its_tags_nor_its_images(client, user, headers):
    group = GroupFactory()
    add_member(group, user)
    url = f"{API}/groups/{group.slug}/posts"

    with CaptureQueriesContext(connection) as queries:
        response = post_json(client, url, {"body": "Sans tags ni images"}, headers)

    assert response.status_code == 201
    assert response.json()["tags"] == [] and response.json()["images"] == []
    read = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in read if "taggit" in sql or "network_postimage" in sql]
    with_tags = post_json(client, url, {"body": "Avec", "tags": ["marché", "port"]}, headers)
    assert with_tags.json()["tags"] == ["marché", "port"]
