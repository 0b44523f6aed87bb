"""The feeds: what the home feed holds, keyset pagination (no OFFSET, no duplicates or
misses while posts arrive), malformed cursors, the "new posts" count, group and profile
feeds, and a number of queries that does not grow with the page."""

import base64
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from core.errors import InvalidInput
from network.models import Follow, Group, Post, PostImage, Reaction
from network.selectors import feed as feed_selectors
from network.selectors.feed import Position, group_feed, home_feed, home_posts, profile_feed
from network.services.posts import react
from tests.content import factories_pages as pages
from tests.factories import UserFactory
from tests.network.factories import (
    CommentFactory,
    GroupFactory,
    OrganisationFactory,
    PostFactory,
    add_member,
    add_organisation_member,
)


def follow(follower, user=None, organisation=None):
    return Follow.objects.create(follower=follower, user=user, organisation=organisation)


def post_at(minutes_ago, **fields):
    """A post dated `minutes_ago` minutes back (created_at is set on insert)."""
    post = PostFactory(**fields)
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    post.refresh_from_db()
    return post


def ids(page):
    return [post.pk for post in page.items]


def read_all(feed, *, limit, **kwargs):
    """Every entry of a feed, page by page, as (kind, pk)."""
    seen, cursor = [], None
    for _ in range(1000):
        page = feed(cursor=cursor, limit=limit, **kwargs)
        seen += [(entry.feed_kind, entry.pk) for entry in page.entries]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the feed never ends")


# What the home feed holds ---------------------------------------------------------------------


@pytest.mark.parametrize("walk_from", [50, 1], ids=["few sources", "many sources"])
def test_the_home_feed_holds_what_the_member_follows_and_joined(user, walk_from, monkeypatch):
    # With many sources, SQLite's form of the query walks the date index (author_id + 0):
    # it must select the same posts.
    monkeypatch.setattr(feed_selectors, "SQLITE_WALK_FROM", walk_from)
    friend, colleague, stranger = UserFactory(), UserFactory(), UserFactory()
    follow(user, user=friend)
    organisation = OrganisationFactory()
    add_organisation_member(organisation, colleague)
    follow(user, organisation=organisation)
    mine_group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(mine_group, user)
    closed = GroupFactory(visibility=Group.Visibility.PRIVATE)
    other_public = GroupFactory()

    expected = [
        post_at(1, author=user),
        post_at(2, author=friend),
        post_at(3, author=colleague),
        post_at(4, author=stranger, group=mine_group),
        post_at(5, author=friend, group=other_public),  # readable, by someone followed
    ]
    post_at(6, author=stranger)  # not followed
    post_at(7, author=stranger, group=other_public)  # a group not joined
    post_at(8, author=friend, group=closed)  # followed, but in a group closed to the user
    post_at(9, author=friend, status=Post.Status.HELD)  # not published
    post_at(10, author=user, status=Post.Status.HELD)  # own held post: shown to its author
    page = home_feed(user, include_pages=False)
    assert ids(page) == [post.pk for post in expected] + [
        Post.objects.get(status="held", author=user).pk
    ]


def test_a_viewer_with_many_sources_gets_the_date_index_walk_on_sqlite(user):
    few = str(home_posts(user).query)
    for _ in range(feed_selectors.SQLITE_WALK_FROM):
        follow(user, user=UserFactory())
    many = str(home_posts(user).query)
    if connection.vendor == "sqlite":
        assert " + 0" not in few.split("WHERE", 1)[1]
        assert " + 0" in many.split("WHERE", 1)[1]
    else:
        assert " + 0" not in many.split("WHERE", 1)[1]


def test_the_home_feed_is_empty_for_anonymous_visitors(db):
    from django.contrib.auth.models import AnonymousUser

    PostFactory()
    assert home_feed(AnonymousUser()).entries == []


def test_hub_stories_and_events_are_merged_in_by_date(user):
    index = pages.story_index()
    events = pages.event_index()
    old_post = post_at(60 * 24 * 30, author=user)  # a month ago
    story = pages.story(index, "Nouvelle histoire")
    event = pages.event(events, "Fête du port")
    new_post = post_at(0, author=user)
    page = home_feed(user)
    kinds = [(entry.feed_kind, entry.pk) for entry in page.entries]
    assert kinds == [
        ("post", new_post.pk),
        ("page", event.pk),
        ("page", story.pk),
        ("post", old_post.pk),
    ]
    assert page.items == [new_post, old_post]  # items are the posts only
    assert page.entries[1].is_event is True


def test_unpublished_and_restricted_hub_pages_stay_out(user):
    index = pages.story_index()
    draft = pages.story(index, "Brouillon")
    draft.unpublish()
    private = pages.story(index, "Réservé")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    shown = pages.story(index, "Publique")
    assert [entry.pk for entry in home_feed(user).entries] == [shown.pk]


def test_the_feed_page_shows_posts_and_stories(auth_client, user):
    pages.story(pages.story_index(), "Les halles rouvrent")
    PostFactory(author=user, body="<p>Mon premier post</p>")
    content = auth_client.get("/feed/").content.decode()
    assert "Mon premier post" in content
    assert "Les halles rouvrent" in content
    assert 'data-testid="composer"' in content


def test_the_feed_page_needs_a_signed_in_member(client, db):
    response = client.get("/feed/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# Keyset pagination ----------------------------------------------------------------------------


def test_pages_follow_each_other_without_duplicates_or_misses(user):
    posts = [post_at(n, author=user) for n in range(45)]
    seen = read_all(home_feed, limit=10, user=user, include_pages=False)
    assert seen == [("post", post.pk) for post in posts]


def test_posts_with_the_same_date_are_split_by_id(user):
    posts = [PostFactory(author=user) for _ in range(25)]
    same = timezone.now()
    Post.objects.update(created_at=same)
    seen = read_all(home_feed, limit=7, user=user, include_pages=False)
    assert seen == [("post", post.pk) for post in sorted(posts, key=lambda p: -p.pk)]


def test_posts_and_pages_at_the_same_instant_are_not_lost(user):
    index = pages.story_index()
    stories = [pages.story(index) for _ in range(3)]
    posts = [PostFactory(author=user) for _ in range(3)]
    same = timezone.now()
    Post.objects.update(created_at=same)
    from wagtail.models import Page

    Page.objects.filter(pk__in=[story.pk for story in stories]).update(first_published_at=same)
    seen = read_all(home_feed, limit=2, user=user)
    assert sorted(seen) == sorted(
        [("post", post.pk) for post in posts] + [("page", story.pk) for story in stories]
    )
    assert len(seen) == 6


def test_new_posts_arriving_while_paging_neither_repeat_nor_shift_pages(user):
    older = [post_at(n + 10, author=user) for n in range(30)]
    first = home_feed(user, limit=10, include_pages=False)
    seen = ids(first)
    cursor = first.next_cursor
    while cursor:
        for _ in range(3):  # others keep posting at the top of the feed
            PostFactory(author=user)
        page = home_feed(user, cursor=cursor, limit=10, include_pages=False)
        seen += ids(page)
        cursor = page.next_cursor
    assert seen == [post.pk for post in older]


def test_the_feed_uses_no_offset(user):
    for n in range(5):
        post_at(n, author=user)
    first = home_feed(user, limit=2, include_pages=False)
    with CaptureQueriesContext(connection) as queries:
        home_feed(user, cursor=first.next_cursor, limit=2, include_pages=False)
    assert not any("OFFSET" in query["sql"].upper() for query in queries)


def test_the_last_page_has_no_next_cursor(user):
    for n in range(3):
        post_at(n, author=user)
    assert home_feed(user, limit=3, include_pages=False).next_cursor is None
    assert home_feed(user, limit=2, include_pages=False).next_cursor is not None


def test_older_posts_link_loads_the_next_page(auth_client, user):
    posts = [post_at(n, author=user, body=f"<p>Numéro {n}</p>") for n in range(25)]
    content = auth_client.get("/feed/").content.decode()
    assert "Numéro 19" in content and "Numéro 20" not in content
    cursor = home_feed(user, limit=20).next_cursor
    assert f"?cursor={cursor}" in content
    content = auth_client.get(f"/feed/?cursor={cursor}").content.decode()
    assert "Numéro 20" in content and "Numéro 19" not in content
    assert len(posts) == 25


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


MALFORMED_CURSORS = [
    "garbage",
    "!!!!",
    "%%%",
    b64(b"not json"),
    b64(b"{}"),
    b64(b"[1, 2, 3]"),
    b64(json.dumps(["a", 0, 1, 1]).encode()),
    b64(json.dumps([1.5, 0, 1, 1]).encode()),
    b64(json.dumps([1700000000, 0, 7, 1]).encode()),  # unknown kind
    b64(json.dumps([1700000000, 2_000_000, 1, 1]).encode()),  # microseconds out of range
    b64(json.dumps([1700000000, 0, 1, -5]).encode()),
    b64(json.dumps([10**20, 0, 1, 1]).encode()),  # year out of range
    b64(json.dumps([True, 0, 1, 1]).encode()),
    b64("é".encode("latin-1")),
]


@pytest.mark.parametrize("cursor", MALFORMED_CURSORS)
def test_a_malformed_cursor_is_invalid_input(user, cursor):
    with pytest.raises(InvalidInput):
        home_feed(user, cursor=cursor)


@pytest.mark.parametrize("cursor", MALFORMED_CURSORS)
def test_a_malformed_cursor_answers_400_not_500(auth_client, cursor):
    response = auth_client.get("/feed/", {"cursor": cursor})
    assert response.status_code == 400
    assert "Ce lien de page n&#x27;est pas valide." in response.content.decode()


def test_a_malformed_cursor_on_a_group_page_answers_400(auth_client):
    group = GroupFactory()
    assert auth_client.get(group.get_absolute_url(), {"cursor": "garbage"}).status_code == 400


def test_a_cursor_survives_its_round_trip(db):
    moment = timezone.now()
    position = Position(at=moment, kind=1, id=42)
    assert Position.decode(position.encode()) == position


# The "new posts" indicator --------------------------------------------------------------------


def test_new_posts_are_counted_above_the_first_entry(auth_client, user):
    post_at(5, author=user)
    since = home_feed(user).first_cursor
    assert auth_client.get("/feed/new-count/", {"since": since}).json()["count"] == 0
    PostFactory(author=user)
    PostFactory(author=user)
    pages.story(pages.story_index())
    assert auth_client.get("/feed/new-count/", {"since": since}).json() == {
        "count": 3,
        "more": False,
    }


def test_posts_one_may_not_read_are_not_counted(auth_client, user):
    post_at(5, author=user)
    since = home_feed(user).first_cursor
    PostFactory(group=GroupFactory(visibility=Group.Visibility.SECRET))
    PostFactory()  # a stranger's
    assert auth_client.get("/feed/new-count/", {"since": since}).json()["count"] == 0


@pytest.mark.parametrize("since", ["", "garbage"])
def test_the_new_count_refuses_a_bad_cursor(auth_client, since):
    response = auth_client.get("/feed/new-count/", {"since": since})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_the_new_count_needs_a_signed_in_member(client, db):
    assert client.get("/feed/new-count/", {"since": "x"}).status_code == 302


def test_the_feed_page_carries_the_polling_hooks_without_inline_script(auth_client, user):
    PostFactory(author=user)
    content = auth_client.get("/feed/").content.decode()
    assert 'data-since="' + home_feed(user).first_cursor + '"' in content
    assert 'data-url="/feed/new-count/"' in content
    assert "js/network-feed.js" in content
    assert "<script>" not in content


# Group and profile feeds ----------------------------------------------------------------------


def test_a_group_feed_shows_its_posts_to_readers_only(user):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    post = PostFactory(group=group)
    PostFactory()  # elsewhere
    assert ids(group_feed(user, group)) == []
    add_member(group, user)
    from network.permissions import forget_membership

    forget_membership(user, group)
    assert ids(group_feed(user, group)) == [post.pk]


def test_a_profile_feed_shows_what_the_viewer_may_read(user):
    author = UserFactory()
    closed = GroupFactory(visibility=Group.Visibility.PRIVATE)
    public = post_at(1, author=author)
    in_group = post_at(2, author=author, group=closed)
    PostFactory()  # someone else's
    assert ids(profile_feed(user, author)) == [public.pk]
    add_member(closed, user)
    assert ids(profile_feed(user, author)) == [public.pk, in_group.pk]


def test_group_and_profile_feeds_paginate_the_same_way(user):
    group = GroupFactory()
    posts = [post_at(n, author=user, group=group) for n in range(12)]
    expected = [("post", post.pk) for post in posts]
    assert read_all(group_feed, limit=5, user=user, group=group) == expected
    assert read_all(profile_feed, limit=5, viewer=user, author=user) == expected


# Queries per page -----------------------------------------------------------------------------


def populate(viewer, count, group=None):
    """`count` posts for the viewer's feed, each by its own author, in a joined group, with
    images, tags, comments, reactions (the viewer's among them) and shares of pages and
    posts; then two new stories of the content hub, so every page shows the same mix."""
    from content.models import StoryIndexPage

    if group is None:
        group = GroupFactory()
        add_member(group, viewer)
    index = StoryIndexPage.objects.first() or pages.story_index()
    shared_story = pages.story(index, "À partager")
    shared_post = PostFactory(author=viewer)
    posts = []
    for n in range(count):
        post = PostFactory(
            group=group,
            author=UserFactory(),
            comment_count=1,
            shared_page=shared_story if n % 2 else None,
            shared_post=None if n % 2 else shared_post,
        )
        for position in range(2):
            PostImage.objects.create(
                post=post, image=f"posts/{n}-{position}.jpg", width=10, height=10, position=position
            )
        post.tags.add(f"tag{n}", "commun")
        CommentFactory(post=post)
        Reaction.objects.create(post=post, user=UserFactory(), kind="like")
        if n % 3 == 0:
            react(actor=viewer, post=post, kind="love")
        posts.append(post)
    for _ in range(2):
        pages.story(index)
    return group


def feed_queries(client, url):
    client.get(url)  # warm the per-process caches (site root paths, session)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_feed_selector_costs_the_same_for_5_and_50_posts(user, count):
    populate(user, count)
    home_feed(user, limit=50)
    with CaptureQueriesContext(connection) as queries:
        page = home_feed(user, limit=50)
        for post in page.items:  # what a card reads
            card = [post.image_list, post.tag_list, post.author.avatar, post.group]
            card += [post.reaction_buttons, post.shared_post and post.shared_post.author]
    assert len(page.items) >= min(count, 48)
    # Expect 6 queries once the viewer's sources, the newest hub entries and the posts' tags
    # and images are cached (the first call reads them: tests/network/test_feed_cache.py):
    # the page's post ids; those posts with authors and groups; the viewer's reactions; which
    # shared posts the viewer may read, with their authors and groups; view restrictions and
    # which shared pages are live and public.
    assert len(queries) == 6


def test_the_feed_page_costs_the_same_for_5_and_50_posts(client, user):
    client.force_login(user)
    populate(user, 5)
    small = feed_queries(client, "/feed/")
    populate(user, 45)
    assert feed_queries(client, "/feed/") == small


def test_the_group_page_costs_the_same_for_5_and_50_posts(client, user):
    client.force_login(user)
    group = populate(user, 5)
    small = feed_queries(client, group.get_absolute_url())
    populate(user, 45, group=group)
    assert feed_queries(client, group.get_absolute_url()) == small


def test_a_card_and_the_api_read_only_the_columns_loaded(user, rf, django_assert_num_queries):
    """The feed loads only FEED_COLUMNS of each row: rendering a card, making its cache key
    and serialising the API's post must not read a column left out (one query per post)."""
    from network.api.schemas import PostOut
    from network.templatetags import post_cards

    populate(user, 4)
    request = rf.get("/feed/")
    request.user = user
    page = home_feed(user)
    api_page = home_feed(user, include_pages=False)
    who = (user.pk, True, False, "testserver", "fr", "UTC")
    assert any(entry.feed_kind == "post" and entry.shared_post_id for entry in page.entries)
    assert any(entry.feed_kind == "post" and entry.shared_page_id for entry in page.entries)
    Site.get_site_root_paths()  # kept in the cache for every page's URL, read once here
    with django_assert_num_queries(0):
        for entry in page.entries:
            if entry.feed_kind == "post":
                assert post_cards._key(entry, who)
                assert f'id="post-{entry.pk}"' in post_cards._render(entry, who, request)
        for post in api_page.items:
            assert PostOut.model_validate(post, context={"request": request}).id == post.pk


def test_a_cold_page_reads_tags_and_images_in_two_queries_then_keeps_them(user):
    populate(user, 6)
    home_feed(user)  # the sources and the hub's head
    feed_selectors.forget_post_extras(Post.objects.values_list("pk", flat=True))

    def extras_queries():
        with CaptureQueriesContext(connection) as queries:
            page = home_feed(user)
        shown = [entry for entry in page.entries if entry.feed_kind == "post"]
        assert all(len(post.image_list) == 2 for post in shown if post.author != user)
        tables = ("taggit_taggeditem", "network_postimage")
        return [q["sql"] for q in queries if any(f'FROM "{t}"' in q["sql"] for t in tables)]

    assert len(extras_queries()) == 2
    assert extras_queries() == []


def _card_of(user, post):
    return next(e for e in home_feed(user).entries if e.feed_kind == "post" and e.pk == post.pk)


def test_a_posts_new_tags_show_on_the_next_page(user):
    from network.services.posts import edit_post

    post = PostFactory(author=user, body="<p>Bonjour</p>")
    post.tags.add("avant")
    assert [tag.name for tag in _card_of(user, post).tag_list] == ["avant"]  # now cached

    edit_post(actor=user, post=post, body="<p>Bonjour</p>", tags=["après", "marché"])

    assert [tag.name for tag in _card_of(user, post).tag_list] == ["après", "marché"]


def test_a_renamed_tag_and_a_removed_image_show_on_the_next_page(user):
    from taggit.models import Tag

    post = PostFactory(author=user)
    post.tags.add("marche")
    image = PostImage.objects.create(post=post, image="posts/a.jpg", width=4, height=3)
    PostImage.objects.create(post=post, image="posts/b.jpg", width=4, height=3, position=1)
    card = _card_of(user, post)
    assert [i.image.name for i in card.image_list] == ["posts/a.jpg", "posts/b.jpg"]

    tag = Tag.objects.get(name="marche")
    tag.name = "marché"
    tag.save()
    image.delete()

    card = _card_of(user, post)
    assert [tag.name for tag in card.tag_list] == ["marché"]
    assert [i.image.name for i in card.image_list] == ["posts/b.jpg"]


def test_a_post_card_holds_everything_without_a_query(user, django_assert_num_queries):
    populate(user, 3)
    page = home_feed(user)
    with django_assert_num_queries(0):
        for entry in page.entries:
            if entry.feed_kind == "post":
                entry.image_list, entry.tag_list, entry.author.get_display_name()
                (
                    entry.group and entry.group.get_absolute_url(),
                    entry.my_reactions,
                    entry.reaction_buttons,
                )
                if entry.shared_post_id:
                    (
                        entry.shared_post.author.get_display_name(),
                        entry.shared_post.image_list,
                    )
                if entry.shared_page_id:
                    assert entry.shared_page.title


@pytest.mark.parametrize("username", ["camille", "jean.dupont+ext@x", "élodie-ß", "a_b~c"])
def test_profile_links_on_cards_are_those_reverse_makes(username):
    from django.urls import reverse

    make = feed_selectors._person_url_maker()
    assert make(username) == reverse("network:person", args=[username])


def test_a_shared_post_the_viewer_may_no_longer_read_is_neither_loaded_nor_shown(
    user, rf, django_assert_num_queries
):
    """What a post shares is read with the viewer's permission filter: a quoted post that went
    private is not loaded at all, and its card and API entry say it is gone, with no query."""
    from network.api.schemas import PostOut
    from network.templatetags import post_cards

    author = UserFactory()
    follow(user, author)
    closed = GroupFactory(visibility=Group.Visibility.PRIVATE)
    original = PostFactory(group=closed, body="<p>Entre nous</p>", body_text="Entre nous")
    sharing = PostFactory(author=author, shared_post=original, body="<p>Partage</p>")
    request = rf.get("/feed/")
    request.user = user
    page = home_feed(user, include_pages=False)
    [entry] = [post for post in page.items if post.pk == sharing.pk]
    assert entry.shared_post_visible is False
    assert "shared_post" not in entry._state.fields_cache
    who = (user.pk, True, False, "testserver", "fr", "UTC")
    with django_assert_num_queries(0):
        html = post_cards._render(entry, who, request)
        out = PostOut.model_validate(entry, context={"request": request})
    assert "Entre nous" not in html
    assert "shared-card--gone" in html
    assert out.shared_post is None
