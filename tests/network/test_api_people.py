"""The people endpoints: the directory, a member, their posts, following them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Follow, Group
from tests.factories import UserFactory
from tests.network.factories import (
    GroupFactory,
    OrganisationFactory,
    PostFactory,
    add_organisation_member,
)
from tests.network.test_api_helpers import API, assert_error, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(user):
    return bearer(user)


def test_a_member_with_organisations_and_follows(client, user, headers):
    person = UserFactory(username="hugo", display_name="Hugo")
    person.interests.add("pain", "vélo")
    organisation = OrganisationFactory(name="Boulangerie du Port")
    add_organisation_member(organisation, person, role="owner")
    Follow.objects.create(follower=user, user=person)

    body = client.get(f"{API}/people/hugo", headers=headers).json()
    assert body["display_name"] == "Hugo"
    assert body["interests"] == ["pain", "vélo"]
    assert body["organisations"] == [
        {"slug": "boulangerie-du-port", "name": "Boulangerie du Port", "role": "owner", "title": ""}
    ]
    assert (body["followers"], body["following"], body["is_followed"]) == (1, 0, True)


def test_member_pages_are_for_signed_in_members(client):
    UserFactory(username="hugo")
    assert_error(client.get(f"{API}/people/hugo"), 401, "unauthenticated")
    assert_error(client.get(f"{API}/people"), 401, "unauthenticated")


def test_a_deactivated_member_is_404(client, headers):
    UserFactory(username="gone", is_active=False)
    assert_error(client.get(f"{API}/people/gone", headers=headers), 404, "not_found")


def test_following_and_unfollowing_a_member(client, user, headers):
    person = UserFactory(username="nina")
    response = client.post(f"{API}/people/nina/follow", headers=headers)
    assert response.json() == {"following": True}
    client.post(f"{API}/people/nina/follow", headers=headers)
    assert Follow.objects.filter(follower=user, user=person).count() == 1
    response = client.delete(f"{API}/people/nina/follow", headers=headers)
    assert response.json() == {"following": False}
    assert not Follow.objects.exists()


def test_following_oneself_is_400(client, user, headers):
    assert_error(
        client.post(f"{API}/people/{user.username}/follow", headers=headers), 400, "invalid"
    )
    assert not Follow.objects.exists()


def test_following_needs_a_member(client):
    UserFactory(username="nina")
    assert_error(client.post(f"{API}/people/nina/follow"), 401, "unauthenticated")
    assert not Follow.objects.exists()


def test_a_members_posts_are_those_the_caller_may_read(client, headers):
    person = UserFactory(username="nina")
    public = PostFactory(author=person)
    PostFactory(author=person, group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    body = client.get(f"{API}/people/nina/posts", headers=headers).json()
    assert [item["id"] for item in body["items"]] == [public.pk]


def test_the_directory_pages_through_every_member_once(client, user, headers):
    for name in ["Zoé", "Anne", "Marc", "Bruno"]:
        UserFactory(display_name=name)
    seen, cursor = [], None
    while True:
        body = client.get(
            f"{API}/people", {"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=headers
        ).json()
        seen += [item["display_name"] for item in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == sorted(["Zoé", "Anne", "Marc", "Bruno", user.display_name], key=str.lower)


def test_the_directory_costs_the_same_for_5_and_50_members(client, user, headers):
    def make(count):
        for _ in range(count):
            UserFactory().interests.add("surf")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"{API}/people?limit=50", headers=headers).status_code == 200
        return len(context)

    make(5)
    client.get(f"{API}/people", headers=headers)
    few = count()
    make(45)
    assert count() == few
