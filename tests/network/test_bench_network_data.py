"""bench_network_data: the benchmark's generator writes consistent rows and grows on demand."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from network.models import Comment, Follow, Group, GroupMembership, Post, Reaction, User

pytestmark = pytest.mark.django_db

SMALL = {"members": 60, "groups": 10, "batch": 150}
# Visibility follows the group number: 0-5 public, 6-8 private, 9 secret (bench_network_data).


def generate(posts, **options):
    from io import StringIO

    out = StringIO()
    call_command(
        "bench_network_data", posts=posts, i_know_this_writes=True, stdout=out, **SMALL, **options
    )
    return out.getvalue()


def test_refuses_without_debug_or_the_explicit_flag(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="i-know-this-writes"):
        call_command("bench_network_data", posts=10, members=5, groups=2)
    assert not Post.objects.exists()


def test_counters_match_the_rows():
    generate(400)
    bench_posts = Post.objects.filter(author__username__startswith="bench")
    assert bench_posts.count() == 400
    assert not bench_posts.annotate(n=Count("comments")).exclude(comment_count=F("n")).exists()
    counted = {}
    for post_id, kind in Reaction.objects.values_list("post_id", "kind"):
        counted.setdefault(post_id, Counter())[kind] += 1
    for post_id, counts in bench_posts.values_list("pk", "reaction_counts"):
        assert counts == dict(counted.get(post_id, {}))
    assert not (
        Group.objects.annotate(n=Count("memberships")).exclude(member_count=F("n")).exists()
    )
    # Replies answer a comment of the same post; group posts are by the group's members.
    assert not Comment.objects.filter(parent__isnull=False).exclude(parent__post=F("post")).exists()
    for post in bench_posts.filter(group__isnull=False):
        assert GroupMembership.objects.filter(group=post.group, user=post.author).exists()


def test_the_viewer_follows_people_and_belongs_to_groups_of_each_visibility():
    generate(50)
    viewer = User.objects.get(username="benchviewer")
    assert Follow.objects.filter(follower=viewer, user__isnull=False).count() == 60  # all members
    visibilities = set(
        GroupMembership.objects.filter(user=viewer).values_list("group__visibility", flat=True)
    )
    assert visibilities == {"public", "private", "secret"}


def test_dates_spread_over_the_last_year():
    generate(300)
    dates = sorted(Post.objects.values_list("created_at", flat=True))
    assert (dates[-1] - dates[0]).days > 200


def test_running_again_adds_only_the_missing_posts():
    generate(200)
    users, groups = User.objects.count(), Group.objects.count()
    out = generate(200)
    assert "none added" in out
    generate(500)
    assert Post.objects.filter(author__username__startswith="bench").count() == 500
    assert (User.objects.count(), Group.objects.count()) == (users, groups)
