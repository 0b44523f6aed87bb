"""The group directory (/groups/) and its selector: what each visitor sees, search and
filters, pagination, and a query count that does not grow with the groups listed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import Area
from network.models import Group, GroupMembership, Sector
from network.selectors.groups import list_groups
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, add_member

pytestmark = pytest.mark.django_db

URL = reverse("network:groups")


@pytest.fixture
def three_groups():
    return {
        "public": GroupFactory(name="Tourisme & hébergement"),
        "private": GroupFactory(name="Club des entrepreneurs", visibility=Group.Visibility.PRIVATE),
        "secret": GroupFactory(name="Cercle discret", visibility=Group.Visibility.SECRET),
    }


def names(groups):
    return sorted(group.name for group in groups)


def test_secret_groups_are_absent_for_anonymous_visitors_and_non_members(client, three_groups):
    from django.contrib.auth.models import AnonymousUser

    for viewer in (AnonymousUser(), UserFactory()):
        assert names(list_groups(viewer)) == ["Club des entrepreneurs", "Tourisme & hébergement"]
    page = client.get(URL)
    assert page.status_code == 200
    assert "Cercle discret" not in page.text
    assert "Club des entrepreneurs" in page.text


def test_members_and_staff_see_the_secret_group(client, three_groups):
    member = add_member(three_groups["secret"]).user
    assert "Cercle discret" in names(list_groups(member))
    assert "Cercle discret" in names(list_groups(UserFactory(is_staff=True)))
    client.force_login(member)
    assert "Cercle discret" in client.get(URL).text


def test_a_suspended_member_still_sees_their_secret_group(three_groups):
    from datetime import timedelta

    from django.utils import timezone

    member = UserFactory(suspended_until=timezone.now() + timedelta(days=2))
    add_member(three_groups["secret"], member)
    assert "Cercle discret" in names(list_groups(member))


def test_search_matches_name_and_description(client, three_groups):
    GroupFactory(name="Artisans", description="Les métiers d'art du port")
    assert names(list_groups(UserFactory(), q="tourisme")) == ["Tourisme & hébergement"]
    assert names(list_groups(UserFactory(), q="métiers")) == ["Artisans"]
    assert names(list_groups(UserFactory(), q="discret")) == []
    page = client.get(URL, {"q": "artisans"})
    assert "Artisans" in page.text and "Club des entrepreneurs" not in page.text


def test_filters_by_area_including_the_areas_inside_it(client):
    region = Area.objects.create(name="Bretagne", slug="bretagne", kind="region")
    town = Area.objects.create(name="Morvellec", slug="morvellec", kind="commune", parent=region)
    elsewhere = Area.objects.create(name="Ailleurs", slug="ailleurs", kind="region")
    GroupFactory(name="Régional", area=region)
    GroupFactory(name="Local", area=town)
    GroupFactory(name="Lointain", area=elsewhere)
    viewer = UserFactory()
    assert names(list_groups(viewer, area=region)) == ["Local", "Régional"]
    assert names(list_groups(viewer, area=town)) == ["Local"]
    page = client.get(URL, {"area": "morvellec"})
    assert "Local" in page.text and "Lointain" not in page.text


def test_filters_by_tag_and_sector(client):
    food = GroupFactory(name="Gourmets", sector=Sector.FOOD)
    food.tags.set(["cuisine", "port"])
    GroupFactory(name="Hôteliers", sector=Sector.TOURISM).tags.set(["port"])
    viewer = UserFactory()
    assert names(list_groups(viewer, tag="port")) == ["Gourmets", "Hôteliers"]
    assert names(list_groups(viewer, tag="cuisine")) == ["Gourmets"]
    assert names(list_groups(viewer, sector=Sector.TOURISM)) == ["Hôteliers"]
    assert names(list_groups(viewer, tag="port", sector=Sector.FOOD)) == ["Gourmets"]
    page = client.get(URL, {"sector": "food"})
    assert "Gourmets" in page.text and "Hôteliers" not in page.text


def test_tags_of_secret_groups_do_not_leak_into_the_filter(client):
    GroupFactory(visibility=Group.Visibility.SECRET).tags.set(["confidentiel"])
    GroupFactory().tags.set(["ouvert"])
    page = client.get(URL)
    assert "ouvert" in page.text
    assert "confidentiel" not in page.text


@pytest.mark.parametrize(
    "params",
    [
        {"area": "nowhere"},
        {"sector": "mining"},
        {"tag": "not a slug!"},
        {"q": "x" * 500},
        {"page": "abc"},
        {"page": "999"},
        {"q": "\x00"},
    ],
)
def test_bad_filter_values_are_ignored_not_errors(client, three_groups, params):
    assert client.get(URL, params).status_code == 200


def test_the_member_count_is_shown(client):
    group = GroupFactory(name="Compté")
    for _number in range(3):
        add_member(group)
    assert 'data-member-count="3"' in client.get(URL).text


def test_the_directory_is_paginated(client):
    for number in range(30):
        GroupFactory(name=f"Groupe {number:02d}")
    first = client.get(URL)
    second = client.get(URL, {"page": 2})
    assert "Groupe 00" in first.text and "Groupe 29" not in first.text
    assert "Groupe 29" in second.text and "Groupe 00" not in second.text


def test_a_member_sees_which_groups_they_are_in(client):
    mine = GroupFactory(name="Le mien")
    GroupFactory(name="Un autre")
    member = add_member(mine).user
    client.force_login(member)
    page = client.get(URL)
    assert page.text.count('data-testid="my-group"') == 1


def _queries_for_directory(client, count):
    area = Area.objects.create(name=f"Zone {count}", slug=f"zone-{count}", kind="commune")
    for number in range(count):
        group = GroupFactory(
            area=area,
            sector=Sector.SERVICES,
            visibility=[Group.Visibility.PUBLIC, Group.Visibility.PRIVATE][number % 2],
        )
        group.tags.set([f"tag{number}", "commun"])
        add_member(group, role=GroupMembership.Role.OWNER)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return [query["sql"] for query in queries]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_query_count_does_not_grow_with_the_groups(client, signed_in):
    """Expect the same queries for 5 and for 50 groups: the page count, one page of groups
    with their areas, their tags, the viewer's memberships, the areas and tags of the
    filters (plus the session and user when signed in)."""
    if signed_in:
        client.force_login(UserFactory())
    client.get(URL)  # warm the per-process caches (content types)
    # The first read of the moderation rules creates the settings' rows, which moves the rules'
    # generation, so it stores nothing (network.services.moderation._rules); the second does.
    client.get(URL)
    with_five = _queries_for_directory(client, 5)
    Group.objects.all().delete()
    with_fifty = _queries_for_directory(client, 50)
    assert len(with_five) == len(with_fifty), set(with_five) ^ set(with_fifty)
    assert len(with_five) <= 16
