"""The network search: it returns only what the searcher may open, for every role."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.models import Group, GroupMembership, Post
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, OrganisationFactory, PostFactory, add_member

pytestmark = pytest.mark.django_db

SEARCH = reverse("network:search")
ALL_POSTS = {"public", "private", "secret", "profile", "held"}
ALL_GROUPS = {"Zèbre public", "Zèbre privé", "Zèbre secret"}


@pytest.fixture
def world():
    """Three groups and a post of each kind, all matching "zebre"."""
    groups = {
        "public": GroupFactory(name="Zèbre public", description="zebre", slug="zp"),
        "private": GroupFactory(
            name="Zèbre privé", description="zebre", slug="zv", visibility=Group.Visibility.PRIVATE
        ),
        "secret": GroupFactory(
            name="Zèbre secret", description="zebre", slug="zs", visibility=Group.Visibility.SECRET
        ),
    }
    author = UserFactory(username="author", display_name="Zebre Auteur")
    for kind, group in groups.items():
        add_member(group, author)
        PostFactory(author=author, group=group, body_text=f"zebre {kind} post")
    PostFactory(author=author, body_text="zebre profile post")
    PostFactory(author=author, body_text="zebre held post", status=Post.Status.HELD)
    OrganisationFactory(name="Zèbre & Cie", description="zebre")
    return {"groups": groups, "author": author}


def viewer_for(role, world):
    groups = world["groups"]
    later = timezone.now() + timedelta(days=1)
    if role == "anonymous":
        return None
    if role == "author":
        return world["author"]
    user = UserFactory()
    if role == "staff":
        user.is_staff = True
        user.save()
    if role == "agency moderator":
        user.groups.add(AuthGroup.objects.get_or_create(name="Moderators")[0])
    if role in ("private member", "suspended private member"):
        add_member(groups["private"], user)
    if role == "secret member":
        add_member(groups["secret"], user)
    if role == "secret moderator":
        add_member(groups["secret"], user, role=GroupMembership.Role.MODERATOR)
    if role.startswith("suspended"):
        user.suspended_until = later
        user.save()
    return user


PUBLIC_POSTS = {"public", "profile"}
LISTED_GROUPS = {"Zèbre public", "Zèbre privé"}

# role: (posts found, groups found, people searchable)
MATRIX = {
    "anonymous": (PUBLIC_POSTS, LISTED_GROUPS, False),
    "non-member": (PUBLIC_POSTS, LISTED_GROUPS, True),
    "suspended non-member": (PUBLIC_POSTS, LISTED_GROUPS, True),
    "private member": (PUBLIC_POSTS | {"private"}, LISTED_GROUPS, True),
    "suspended private member": (PUBLIC_POSTS | {"private"}, LISTED_GROUPS, True),
    "secret member": (PUBLIC_POSTS | {"secret"}, ALL_GROUPS, True),
    "secret moderator": (PUBLIC_POSTS | {"secret"}, ALL_GROUPS, True),
    "author": (ALL_POSTS, ALL_GROUPS, True),
    "staff": (ALL_POSTS, ALL_GROUPS, True),
    "agency moderator": (ALL_POSTS, ALL_GROUPS, True),
}


def plain(html) -> str:
    return re.sub(r"</?mark>", "", str(html))


def found_posts(response) -> set[str]:
    """The kind of each post found: its text is "zebre <kind> post"."""
    return {plain(hit.excerpt).split()[1] for hit in hits(response, "posts")}


def found_groups(response) -> set[str]:
    return {plain(hit.title) for hit in hits(response, "groups")}


def hits(response, kind):
    for section in response.context["sections"]:
        if section["kind"] == kind:
            return section["hits"]
    return []


@pytest.mark.parametrize("role", MATRIX)
def test_search_returns_only_what_each_role_may_see(client, world, role):
    viewer = viewer_for(role, world)
    if viewer is not None:
        client.force_login(viewer)
    expected_posts, expected_groups, people = MATRIX[role]

    posts = client.get(SEARCH, {"q": "zebre", "type": "posts"})
    groups = client.get(SEARCH, {"q": "zebre", "type": "groups"})
    found_people = client.get(SEARCH, {"q": "zebre", "type": "people"})
    everything = client.get(SEARCH, {"q": "zebre"})

    assert posts.status_code == groups.status_code == everything.status_code == 200
    assert found_posts(posts) == expected_posts
    assert found_groups(groups) == expected_groups
    assert bool(hits(found_people, "people")) is people
    assert bool(hits(everything, "people")) is people
    # The page of every kind holds the same answers as the page of one kind.
    assert found_groups(everything) == expected_groups
    assert found_posts(everything) <= expected_posts
    # Organisations are public.
    assert hits(everything, "organisations")


@pytest.mark.parametrize(
    "query", ["zebre secret", "secret post", "Zèbre secret", "Zebre Auteur", "zs", "post", "e"]
)
@pytest.mark.parametrize(
    "role", ["anonymous", "non-member", "private member", "suspended non-member"]
)
def test_a_secret_group_s_posts_never_appear_to_a_non_member_whatever_the_query(
    client, world, role, query
):
    viewer = viewer_for(role, world)
    if viewer is not None:
        client.force_login(viewer)
    for kind in ("", "posts", "groups"):
        response = client.get(SEARCH, {"q": query, "type": kind})
        assert "secret" not in found_posts(response)
        assert "Zèbre secret" not in found_groups(response)
        assert reverse("network:group", args=["zs"]) not in response.content.decode()


def test_private_group_posts_are_not_found_by_non_members(client, world):
    client.force_login(UserFactory())
    assert found_posts(client.get(SEARCH, {"q": "private post"})) == set()
    client.force_login(world["author"])
    response = client.get(SEARCH, {"q": "private post"})
    assert found_posts(response) == {"private"}
    assert "<mark>private</mark> <mark>post</mark>" in response.content.decode()


def test_visitors_are_told_that_people_need_a_log_in(client, world):
    response = client.get(SEARCH, {"q": "zebre", "type": "people"})
    assert 'data-testid="people-hidden"' in response.content.decode()
    assert not hits(response, "people")
    assert "people" not in dict(response.context["kinds"])


def test_results_are_escaped_and_terms_highlighted(client):
    author = UserFactory(display_name="<b>Zoé</b>")
    PostFactory(author=author, body_text="<script>alert(1)</script> une zoologie")
    client.force_login(UserFactory())
    content = client.get(SEARCH, {"q": "zoologie <script>"}).content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content or "&lt;<mark>script</mark>&gt;" in (
        content
    )
    assert "<mark>zoologie</mark>" in content
    assert "<b>Zoé</b>" not in content


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "x" * 101}, 400),
        ({"q": "zebre", "type": "secrets"}, 400),
        ({"q": "zebre", "type": "posts", "page": "abc"}, 200),
        ({"q": "zebre", "type": "posts", "page": "999"}, 200),
        ({"q": "   "}, 200),
        ({"q": "\"'%_\\"}, 200),
    ],
)
def test_bad_input_is_a_clear_answer_not_a_500(client, world, params, status):
    assert client.get(SEARCH, params).status_code == status


def test_an_empty_search_shows_the_form(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert 'data-testid="search-empty"' in response.content.decode()


def test_the_posts_results_cost_the_same_queries_for_5_or_50_posts(client):
    group = GroupFactory()
    viewer = UserFactory()
    client.force_login(viewer)

    def make(count):
        for _ in range(count):
            PostFactory(author=UserFactory(), group=group, body_text="zebre pareil")

    def count_queries(kind):
        # The same start each time: in-process caches warm (content types), the shared
        # cache empty (the header's counters), so that only this page's queries differ.
        for _attempt in range(2):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(SEARCH, {"q": "zebre", "type": kind})
            assert response.status_code == 200
        return len(queries)

    make(5)
    five = (count_queries("posts"), count_queries(""))
    make(45)
    fifty = (count_queries("posts"), count_queries(""))
    assert five == fifty


def test_the_search_page_links_to_the_content_search(client):
    response = client.get(SEARCH, {"q": "port"})
    assert reverse("content:search") + "?q=port" in response.content.decode()
