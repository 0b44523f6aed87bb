"""Roles are Django groups, read once and then kept in the cache until they change
(core/roles.py); the header's Admin link does not read every permission of a member who has
none."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import group_names, in_group, may_open_admin
from network.permissions import is_agency_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors():
    group = Group.objects.create(name="Éditeurs")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


def test_several_roles_cost_one_query(user):
    Group.objects.get_or_create(name="Contributors")[0].user_set.add(user)

    with CaptureQueriesContext(connection) as queries:
        assert in_group(user, "Contributors")
        assert not in_group(user, "Ambassadors")
        assert not is_agency_moderator(user)

    assert len(queries) == 1


def test_adding_a_group_to_the_member_is_seen_at_once(user):
    assert group_names(user) == frozenset()

    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])

    assert in_group(user, "Moderators")


def test_a_visitor_has_no_role(client, db):
    from django.contrib.auth.models import AnonymousUser

    assert group_names(AnonymousUser()) == frozenset()
    assert not may_open_admin(AnonymousUser())


def test_the_admin_link_follows_the_members_groups(user, editors):
    assert not may_open_admin(user)

    user.groups.add(editors)

    assert may_open_admin(user)


def test_the_admin_link_is_read_once_for_a_member_without_access(user):
    assert not may_open_admin(user)
    fresh = type(user).objects.get(pk=user.pk)

    with CaptureQueriesContext(connection) as queries:
        assert not may_open_admin(fresh)

    # The member's groups and the answer both come from the cache.
    assert len(queries) == 0


def test_the_header_shows_the_admin_link_only_to_those_who_may_open_the_admin(
    client, user, editors
):
    client.force_login(user)
    assert 'href="/admin/"' not in client.get("/groups/").text

    user.groups.add(editors)

    assert 'href="/admin/"' in client.get("/groups/").text


def fresh(user):
    """The member as the next request loads them: a new object, nothing kept on it."""
    return type(user).objects.get(pk=user.pk)


def test_the_next_request_reads_the_roles_from_the_cache(user):
    Group.objects.get_or_create(name="Contributors")[0].user_set.add(user)
    assert group_names(fresh(user)) == {"Contributors"}

    with CaptureQueriesContext(connection) as queries:
        assert group_names(fresh(user)) == {"Contributors"}

    assert [q["sql"] for q in queries if "auth_group" in q["sql"]] == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ("user.groups.add", {"Contributors", "Moderators"}),
        ("group.user_set.add", {"Contributors", "Moderators"}),
        ("user.groups.remove", set()),
        ("group.user_set.remove", set()),
        ("user.groups.clear", set()),
        ("group.user_set.clear", set()),
        ("user.groups.set", {"Moderators"}),
        ("rename", {"Contributeurs"}),
        ("delete", set()),
    ],
)
def test_every_change_of_the_members_groups_is_seen_by_the_next_request(user, change, expected):
    contributors = Group.objects.get_or_create(name="Contributors")[0]
    moderators = Group.objects.get_or_create(name="Moderators")[0]
    user.groups.add(contributors)
    assert group_names(fresh(user)) == {"Contributors"}  # now in the cache

    if change == "user.groups.add":
        fresh(user).groups.add(moderators)
    elif change == "group.user_set.add":
        moderators.user_set.add(user)
    elif change == "user.groups.remove":
        fresh(user).groups.remove(contributors)
    elif change == "group.user_set.remove":
        contributors.user_set.remove(user)
    elif change == "user.groups.clear":
        fresh(user).groups.clear()
    elif change == "group.user_set.clear":
        contributors.user_set.clear()
    elif change == "user.groups.set":
        fresh(user).groups.set([moderators])
    elif change == "rename":
        contributors.name = "Contributeurs"
        contributors.save()
    elif change == "delete":
        contributors.delete()

    assert group_names(fresh(user)) == expected
    assert is_agency_moderator(fresh(user)) == ("Moderators" in expected)


def test_a_demoted_moderator_loses_the_role_on_the_next_request(client, user):
    moderators = Group.objects.get_or_create(name="Moderators")[0]
    user.groups.add(moderators)
    assert is_agency_moderator(fresh(user))

    moderators.user_set.remove(user)

    assert not is_agency_moderator(fresh(user))
