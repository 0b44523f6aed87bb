"""Following a group closely: a member chooses to be told of every new post in it."""

import pytest
from django.urls import reverse

from network.models import GroupMembership, Notification
from network.services.posts import create_post
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory()


def test_a_member_follows_a_group_closely_from_its_page_and_hears_of_new_posts(
    group, client, django_capture_on_commit_callbacks
):
    reader = add_member(group).user
    writer = add_member(group).user
    client.force_login(reader)
    url = reverse("network:group_follow_closely", args=[group.slug])
    button = 'aria-pressed="{}" data-testid="follow-closely"'
    page = client.get(group.get_absolute_url()).content.decode()
    assert button.format("false") in page
    response = client.post(url, {"on": "1"}, follow=True)
    assert button.format("true") in response.content.decode()
    assert GroupMembership.objects.get(group=group, user=reader).follows_closely

    with django_capture_on_commit_callbacks(execute=True):
        create_post(actor=writer, body="Réunion jeudi", group=group)
    assert Notification.objects.filter(recipient=reader, kind="group_post").count() == 1

    client.post(url, {"on": "0"})
    with django_capture_on_commit_callbacks(execute=True):
        create_post(actor=writer, body="Compte rendu", group=group)
    assert Notification.objects.filter(recipient=reader, kind="group_post").count() == 1


def test_the_api_sets_it_and_tells_where_one_stands(group, client):
    reader = add_member(group).user
    client.force_login(reader)
    url = f"/api/v1/groups/{group.slug}/follow-closely"
    response = client.put(url, {"follows_closely": True}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"follows_closely": True}
    assert client.get(f"/api/v1/groups/{group.slug}").json()["follows_closely"] is True
    response = client.put(url, {"follows_closely": "peut-être"}, content_type="application/json")
    assert response.status_code == 400
    assert GroupMembership.objects.get(group=group, user=reader).follows_closely


def test_a_non_member_gets_a_conflict(group, client):
    client.force_login(UserFactory())
    response = client.put(
        f"/api/v1/groups/{group.slug}/follow-closely",
        {"follows_closely": True},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"]
