"""What the home feed keeps in the cache between requests: each member's sources (forgotten
when they follow, join or leave) and the newest content-hub entries (forgotten on
publication). Neither can show what the member may not read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Follow, Group, GroupMembership
from network.selectors.feed import home_feed
from network.services import follows, groups
from tests.content import factories_pages as pages
from tests.factories import UserFactory
from tests.network.factories import (
    GroupFactory,
    OrganisationFactory,
    PostFactory,
    add_member,
    add_organisation_member,
)

pytestmark = pytest.mark.django_db


def shown(user):
    return [(entry.feed_kind, entry.pk) for entry in home_feed(user).entries]


def test_sources_are_read_once_then_from_the_cache(user):
    PostFactory(author=user)
    home_feed(user)

    with CaptureQueriesContext(connection) as queries:
        home_feed(user)

    sql = " ".join(q["sql"] for q in queries)
    assert "network_follow" not in sql and '"network_groupmembership"."group_id" AS' not in sql


def test_following_someone_shows_their_posts_at_once(user):
    author = UserFactory()
    post = PostFactory(author=author)
    assert ("post", post.pk) not in shown(user)

    follows.follow_user(actor=user, user=author)
    assert ("post", post.pk) in shown(user)

    follows.unfollow_user(actor=user, user=author)
    assert ("post", post.pk) not in shown(user)


def test_joining_and_leaving_a_group_changes_the_feed_at_once(user):
    group = GroupFactory(visibility=Group.Visibility.PUBLIC)
    post = PostFactory(group=group, author=add_member(group).user)
    assert ("post", post.pk) not in shown(user)

    groups.join_group(actor=user, group=group)
    assert ("post", post.pk) in shown(user)

    groups.leave_group(actor=user, group=group)
    assert ("post", post.pk) not in shown(user)


def test_a_new_member_of_a_followed_organisation_joins_the_feed(user):
    organisation = OrganisationFactory()
    Follow.objects.create(follower=user, organisation=organisation)
    newcomer = UserFactory()
    post = PostFactory(author=newcomer)
    assert ("post", post.pk) not in shown(user)

    add_organisation_member(organisation, newcomer)

    assert ("post", post.pk) in shown(user)


def test_cached_sources_never_reveal_a_secret_group_left_behind_the_cache(user):
    """Even with sources older than the membership (a change that bypassed the receivers),
    the feed's own query checks membership."""
    group = GroupFactory(visibility=Group.Visibility.SECRET)
    add_member(group, user)
    post = PostFactory(group=group, author=add_member(group).user)
    assert ("post", post.pk) in shown(user)

    # A raw delete sends no signal: the cached sources still list the group.
    GroupMembership.objects.filter(group=group, user=user)._raw_delete(connection.alias)

    assert ("post", post.pk) not in shown(user)


def test_a_story_published_after_the_feed_was_read_shows_at_once(
    user, django_capture_on_commit_callbacks
):
    index = pages.story_index()
    first = pages.story(index, "Première histoire")
    assert shown(user) == [("page", first.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        second = pages.story(index, "Deuxième histoire")

    assert ("page", second.pk) in shown(user)

    with django_capture_on_commit_callbacks(execute=True):
        second.unpublish()

    assert ("page", second.pk) not in shown(user)


def test_the_cached_hub_entries_cost_no_query(user):
    index = pages.story_index()
    pages.story(index, "Une histoire")
    home_feed(user)

    with CaptureQueriesContext(connection) as queries:
        entries = home_feed(user).entries

    assert [entry.title for entry in entries] == ["Une histoire"]
    sql = " ".join(q["sql"] for q in queries)
    assert "wagtailcore_page" not in sql and "pageviewrestriction" not in sql
