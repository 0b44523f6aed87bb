"""GET /feed: the calling member's home feed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Follow, Group, Reaction
from tests.factories import UserFactory
from tests.network.factories import (
    GroupFactory,
    OrganisationFactory,
    PostFactory,
    add_member,
    add_organisation_member,
)
from tests.network.test_api_helpers import API, assert_error, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(user):
    return bearer(user)


def ids(response):
    return [item["id"] for item in response.json()["items"]]


def test_the_feed_holds_followed_people_organisations_groups_and_ones_own(client, user, headers):
    followed = UserFactory()
    Follow.objects.create(follower=user, user=followed)
    organisation = OrganisationFactory()
    Follow.objects.create(follower=user, organisation=organisation)
    colleague = add_organisation_member(organisation).user
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(group, user)

    mine = PostFactory(author=user)
    from_followed = PostFactory(author=followed)
    from_organisation = PostFactory(author=colleague)
    in_group = PostFactory(group=group)
    PostFactory()  # a stranger's post
    PostFactory(author=followed, group=GroupFactory(visibility=Group.Visibility.SECRET))

    response = client.get(f"{API}/feed", headers=headers)
    assert ids(response) == [in_group.pk, from_organisation.pk, from_followed.pk, mine.pk]


def test_the_feed_needs_a_member(client):
    assert_error(client.get(f"{API}/feed"), 401, "unauthenticated")


def test_the_feed_pages_through_newest_first(client, user, headers):
    posts = [PostFactory(author=user) for _ in range(5)]
    seen, cursor = [], None
    while True:
        body = client.get(
            f"{API}/feed", {"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=headers
        ).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == [post.pk for post in reversed(posts)]


def test_the_feed_costs_the_same_for_5_and_50_posts(client, user, headers):
    group = GroupFactory()
    add_member(group, user)

    def make(count):
        for number in range(count):
            post = PostFactory(group=group, author=UserFactory(), reaction_counts={"like": 1})
            post.tags.add(f"t{number % 4}")
            Reaction.objects.create(post=post, user=user, kind="like")

    def count():
        # Warm first: the posts' tags and images are then in the cache, for 5 as for 50.
        client.get(f"{API}/feed?limit=50", headers=headers)
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"{API}/feed?limit=50", headers=headers)
        assert response.status_code == 200
        return len(context), response

    make(5)
    few, _response = count()
    make(45)
    many, response = count()
    assert many == few
    assert len(response.json()["items"]) == 50
    assert all(item["my_reactions"] == ["like"] for item in response.json()["items"])
