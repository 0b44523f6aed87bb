"""Feeds, read at request time (fan-out-on-read): the home feed, a group's feed and a member's
profile feed run the same machinery. Every feed page costs a fixed number of queries whatever
the number of posts, authors, images, tags or reactions on it.

Pagination is a keyset on the unique order (date, kind, id), newest first, never OFFSET: the
cursor is the position of the last entry shown, so posts published meanwhile neither shift
nor repeat the following pages."""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem
from wagtail.models import Page

import core.db.lookups  # noqa: F401 - registers __one_of
from core.errors import InvalidInput
from network.caches import HOME_SOURCES, HUB_HEAD, POST_EXTRAS, POST_IMAGE_FIELDS
from network.models import Follow, OrganisationMembership, Post, PostImage, Reaction
from network.selectors.posts import reaction_buttons
from network.selectors.visibility import member_group_ids, visible_posts

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
# Counting new posts stops here: the indicator says "99+" rather than counting a flood.
MAX_NEW_COUNT = 99

# The kind breaks ties between a post and a page published in the same microsecond.
KIND_PAGE = 0
KIND_POST = 1


@dataclass(frozen=True)
class Position:
    """Where an entry sits in a feed: newest first by (at, kind, id)."""

    at: datetime
    kind: int
    id: int

    def encode(self) -> str:
        # Whole seconds and microseconds apart, so no float rounding moves the position.
        seconds = int(self.at.replace(microsecond=0).timestamp())
        raw = json.dumps([seconds, self.at.microsecond, self.kind, self.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> "Position":
        """Read an opaque cursor; anything malformed is the client's error (400)."""
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            seconds, micro, kind, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
            if not all(type(value) is int for value in (seconds, micro, kind, pk)):
                raise ValueError
            if kind not in (KIND_PAGE, KIND_POST) or not 0 <= micro < 1_000_000 or pk < 0:
                raise ValueError
            at = datetime.fromtimestamp(seconds, tz=UTC).replace(microsecond=micro)
        except (ValueError, TypeError, OverflowError, OSError, binascii.Error, UnicodeError):
            raise InvalidInput(_("This page link is not valid.")) from None
        return cls(at=at, kind=kind, id=pk)


def _post_position(post: Post) -> Position:
    return Position(at=post.created_at, kind=KIND_POST, id=post.pk)


def _page_position(page: Page) -> Position:
    return Position(at=page.first_published_at, kind=KIND_PAGE, id=page.pk)


def _before(position: Position, *, kind: int, date_field: str) -> Q:
    """Entries of `kind` that come after `position` in the newest-first order. The
    redundant `<=` bound lets the database start its index scan at the position."""
    bound = Q(**{f"{date_field}__lte": position.at})
    older = Q(**{f"{date_field}__lt": position.at})
    same_time = Q(**{date_field: position.at})
    if kind < position.kind:
        return bound
    if kind == position.kind:
        return bound & (older | (same_time & Q(pk__lt=position.id)))
    return older


def _after(position: Position, *, kind: int, date_field: str) -> Q:
    """Entries of `kind` that come before `position` (newer ones)."""
    bound = Q(**{f"{date_field}__gte": position.at})
    newer = Q(**{f"{date_field}__gt": position.at})
    same_time = Q(**{date_field: position.at})
    if kind > position.kind:
        return bound
    if kind == position.kind:
        return bound & (newer | (same_time & Q(pk__gt=position.id)))
    return newer


@dataclass
class FeedPage:
    """One page of a feed. `items` are the posts, ready to render with no further query;
    `entries` are what a page shows in order: the same posts, and on the home feed the
    content hub's stories and events between them (each entry has `feed_kind`)."""

    items: list = field(default_factory=list)
    next_cursor: str | None = None
    entries: list = field(default_factory=list)
    # Position of the first entry, for the "new posts" indicator.
    first_cursor: str | None = None
    # The page was asked with a cursor (a "newer posts" link makes sense).
    is_continuation: bool = False


# Sources -------------------------------------------------------------------------------------


# On SQLite, a viewer with at least this many sources (people and groups) gets the form of the
# query that walks the (-created_at, -id) index newest first (see home_posts()).
SQLITE_WALK_FROM = 50


# A member's sources are kept in the cache (network/caches.py, HOME_SOURCES), forgotten when
# they follow, join or leave. A late forget cannot reveal anything: visible_posts() checks
# membership in the feed's own query.
SOURCES_TIMEOUT = HOME_SOURCES.timeout


def forget_home_sources(user_ids) -> None:
    """Drop the cached sources of these members, now and again once the transaction commits
    (a request reading meanwhile would cache the rows from before the change)."""
    HOME_SOURCES.forget(set(user_ids))


def home_sources(user) -> tuple[frozenset[int], frozenset[int]]:
    """The home feed's sources as sets of ids (the form `__one_of` takes as it is): authors
    (the member, the people they follow and the members of the organisations they follow)
    and the groups they belong to. Read first, in three small queries (then from the cache),
    so that the database can estimate how many posts match (with subqueries PostgreSQL
    assumes many and walks the date index for everyone, which reads the whole index for a
    member who follows nobody)."""
    return HOME_SOURCES.get_or_set(user.pk, default=lambda: _read_home_sources(user))


def _read_home_sources(user) -> tuple[frozenset[int], frozenset[int]]:
    follows = list(Follow.objects.filter(follower=user).values_list("user_id", "organisation_id"))
    authors = {user.pk}
    authors.update(user_id for user_id, _organisation in follows if user_id is not None)
    organisations = [organisation for _user, organisation in follows if organisation is not None]
    if organisations:
        authors.update(
            OrganisationMembership.objects.filter(organisation_id__in=organisations).values_list(
                "user_id", flat=True
            )
        )
    groups = list(member_group_ids(user).values_list("group_id", flat=True))
    return frozenset(authors), frozenset(groups)


def home_posts(user) -> QuerySet[Post]:
    """Posts for `user`'s home feed: their own, followed people's, posts by members of
    followed organisations and posts in their groups, among those they may read.

    On SQLite, `author_id IN (...) OR group_id IN (...)` is planned as a MULTI-INDEX OR: every
    post of every source is read, then sorted to keep one page (linear in the data: 14,000
    rows for a member following 200 people at 100,000 posts). For a viewer with many sources
    the authors are matched through `author_id + 0`, which no index serves, so SQLite walks
    the date index newest first and stops after one page (0.5 ms at 100,000 and 1,000,000
    posts). A viewer with few sources keeps the indexable form: walking the date index would
    read most of it to find their few posts. PostgreSQL chooses well from the id lists alone.
    The lists go to the database as one value each (core/db/lookups.py)."""
    if not user.is_authenticated:
        return Post.objects.none()
    authors, groups = home_sources(user)
    posts = visible_posts(user)
    by_author = Q(author_id__one_of=authors)
    if connection.vendor == "sqlite" and len(authors) + len(groups) >= SQLITE_WALK_FROM:
        posts = posts.alias(author_key=F("author_id") + 0)
        by_author = Q(author_key__one_of=authors)
    if groups:
        return posts.filter(by_author | Q(group_id__one_of=groups))
    return posts.filter(by_author)


def hub_pages() -> QuerySet[Page]:
    """Stories and events of the content hub in the reader's language, live and public, by
    publication date."""
    from content.models import EventPage, StoryPage

    return (
        Page.objects.live()
        .public()
        .type(StoryPage, EventPage)
        .filter(first_published_at__isnull=False, locale__language_code=get_language())
    )


# Machinery -----------------------------------------------------------------------------------


def _limit(limit) -> int:
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        raise InvalidInput(_("This page size is not valid.")) from None
    return max(1, min(limit, MAX_LIMIT))


def _ordered_posts(posts: QuerySet[Post], position: Position | None) -> QuerySet[Post]:
    if position is not None:
        posts = posts.filter(_before(position, kind=KIND_POST, date_field="created_at"))
    return posts.order_by("-created_at", "-pk")


def _ordered_pages(pages: QuerySet[Page], position: Position | None) -> QuerySet[Page]:
    if position is not None:
        pages = pages.filter(_before(position, kind=KIND_PAGE, date_field="first_published_at"))
    return pages.order_by("-first_published_at", "-pk")


def with_card_data(posts: QuerySet[Post]) -> QuerySet[Post]:
    """What a post card shows of the post, its author and its group, in one query (what it
    shares, its images and tags: see prepare_posts). Joining the shared post, its author and
    group and the shared page too made a seven-table query that PostgreSQL took 2.7 ms to plan
    and Django 1.5 ms to read, for the few posts that share something."""
    return posts.select_related("author", "group")


_PERSON_COLUMNS = ("username", "display_name", "first_name", "last_name", "avatar", "is_active")

# What a feed's cards (post_cards.card_key() and _post_card.html) and the API's PostOut read of
# a post and of the rows it joins. The rest of those rows is left unread: a Wagtail page has
# some thirty columns, a member twenty, and building them was a third of a feed page's
# selector. Anything new a card or PostOut reads must be added here, or it costs one query
# per post (the query-count tests with 5 and 50 posts catch it).
FEED_COLUMNS = (
    *(f.name for f in Post._meta.concrete_fields if f.name != "idempotency_key"),
    *(f"author__{column}" for column in _PERSON_COLUMNS),
    "group__slug",
    "group__name",
)
# What a card and SharedPageOut read of a shared page (of a shared post: FEED_COLUMNS).
SHARED_PAGE_COLUMNS = ("title", "url_path", "search_description")


# A post id no post has, replaced in one reversed URL to make the URLs of every card: one
# reverse() per kind of link and page instead of one per link (five per card, twenty cards).
_URL_SENTINEL = 987654321987


def _url_maker(name: str):
    pattern = reverse(name, args=[_URL_SENTINEL])
    head, tail = pattern.split(str(_URL_SENTINEL), 1)
    return lambda pk: f"{head}{pk}{tail}"


def _attach_shared(viewer, posts: list[Post]) -> None:
    """What the posts share, only what the viewer may still see (one query for the posts,
    one for the pages, each only when something is shared): stored on each post with
    `shared_post_visible` and `shared_page_visible`. A post or page no longer shown is not
    loaded; the card says it is gone."""
    shared_post_ids = {post.shared_post_id for post in posts if post.shared_post_id}
    shared_posts = {}
    if shared_post_ids:
        shared_posts = {
            shared.pk: shared
            for shared in visible_posts(viewer)
            .filter(pk__in=shared_post_ids)
            .select_related("author", "group")
            .only(*FEED_COLUMNS)
        }
    shared_page_ids = {post.shared_page_id for post in posts if post.shared_page_id}
    shared_pages = {}
    if shared_page_ids:
        shared_pages = {
            page.pk: page
            for page in Page.objects.live()
            .public()
            .filter(pk__in=shared_page_ids)
            .only(*SHARED_PAGE_COLUMNS)
        }
    for post in posts:
        shared = shared_posts.get(post.shared_post_id)
        post.shared_post_visible = shared is not None
        if shared is not None:
            post.shared_post = shared
        page = shared_pages.get(post.shared_page_id)
        post.shared_page_visible = page is not None
        if page is not None:
            post.shared_page = page


# A post's tags and images change far less often than they are read (two queries on every
# feed page): they are kept in the cache by post, as plain values (network/caches.py,
# POST_EXTRAS), forgotten on any change to them, from a service or from the admin.
EXTRAS_TIMEOUT = POST_EXTRAS.timeout


def _extras_key(post_id: int) -> str:
    return POST_EXTRAS.key_for(post_id)


def forget_post_extras(post_ids) -> None:
    """Drop the cached tags and images of these posts, now and again once the transaction
    commits (a request reading meanwhile would cache the rows from before the change)."""
    POST_EXTRAS.forget(set(post_ids))


def _read_extras(post_ids: list[int]) -> dict[int, tuple[list, list]]:
    """The tags and images of these posts as plain values, in two queries (taggit's
    prefetch builds a queryset per post first)."""
    extras: dict[int, tuple[list, list]] = {pk: ([], []) for pk in post_ids}
    for object_id, tag_id, name, slug in TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Post), object_id__in=post_ids
    ).values_list("object_id", "tag_id", "tag__name", "tag__slug"):
        extras[object_id][0].append((tag_id, name, slug))
    for row in PostImage.objects.filter(post_id__in=post_ids).values_list(*_IMAGE_FIELDS):
        extras[row[1]][1].append(row)
    for tags, _images in extras.values():
        tags.sort(key=lambda tag: (tag[1], tag[0]))
    return extras


_IMAGE_FIELDS = POST_IMAGE_FIELDS


def _attach_tags_and_images(posts: list[Post]) -> None:
    """The tags and images of the posts and of the posts they share, from the cache (the
    missing ones in two queries), assigned to `post.tag_list` and
    `post.image_list` (network.models.Post)."""
    owners: dict[int, list[Post]] = {}
    for post in posts:
        owners.setdefault(post.pk, []).append(post)
        if getattr(post, "shared_post_visible", False):
            owners.setdefault(post.shared_post_id, []).append(post.shared_post)
    found = POST_EXTRAS.get_many(owners)
    missing = [pk for pk in owners if pk not in found]
    if missing:
        read = _read_extras(missing)
        POST_EXTRAS.set_many(read)
        found.update(read)
    for pk, instances in owners.items():
        tag_rows, image_rows = found[pk]
        tags = [Tag(id=tag_id, name=name, slug=slug) for tag_id, name, slug in tag_rows]
        images = [PostImage(**dict(zip(_IMAGE_FIELDS, row, strict=True))) for row in image_rows]
        for instance in instances:
            instance.tag_list = tags
            instance.image_list = images


def _person_url_maker():
    """Members' profile URLs from one reverse() per page (twenty authors made twenty),
    quoted as reverse() quotes them; no profile links when the people pages are not mounted."""
    try:
        pattern = reverse("network:person", args=[_PERSON_SENTINEL])
    except NoReverseMatch:
        return lambda username: ""
    head, tail = pattern.split(_PERSON_SENTINEL, 1)
    return lambda username: f"{head}{quote(username, safe=RFC3986_SUBDELIMS + '/~:@')}{tail}"


_PERSON_SENTINEL = "personsentinel9d41e6"


def prepare_posts(viewer, posts: list[Post]) -> list[Post]:
    """Attach what the viewer's card needs: their own reactions (one query), the reaction
    buttons, the tags and images (from the cache, or two queries), the card's links, and the
    shared post or page when it may still be shown to them (one query each, only when
    something is shared)."""
    if not posts:
        return posts
    ids = [post.pk for post in posts]
    mine: dict[int, set[str]] = {pk: set() for pk in ids}
    if viewer.is_authenticated:
        for post_id, kind in Reaction.objects.filter(user=viewer, post_id__in=ids).values_list(
            "post_id", "kind"
        ):
            mine[post_id].add(kind)
    _attach_shared(viewer, posts)
    _attach_tags_and_images(posts)
    post_url = _url_maker("network:post")
    react_url = _url_maker("network:post_react")
    edit_url = _url_maker("network:post_edit")
    delete_url = _url_maker("network:post_delete")
    share_url = reverse("network:post_create") + "?share_post="
    person_url = _person_url_maker()
    for post in posts:
        post.feed_kind = "post"
        # The cards of one page are read from the cache together (templatetags/post_cards.py).
        post.card_siblings = posts
        post.my_reactions = mine[post.pk]
        post.reaction_buttons = reaction_buttons(post, post.my_reactions)
        post.card_urls = {
            "post": post_url(post.pk),
            "react": react_url(post.pk),
            "edit": edit_url(post.pk),
            "delete": delete_url(post.pk),
            "share": f"{share_url}{post.pk}",
            # A former member (account deleted) has no profile to link to.
            "author": "" if post.author.is_former_member else person_url(post.author.username),
        }
    return posts


def _prepare_pages(pages: list[Page]) -> list[Page]:
    """Stories and events as feed entries: one query per page type for their own fields
    (straight from each type's table: Wagtail's specific() first reads the types again).
    Entries already prepared (from the cached head, below) are kept as they are."""
    from content.models import EventPage

    by_type: dict[int, list[int]] = {}
    for page in pages:
        if not hasattr(page, "feed_kind"):
            by_type.setdefault(page.content_type_id, []).append(page.pk)
    specific = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        specific.update((page.pk, page) for page in model.objects.filter(pk__in=ids))
    entries = []
    for page in pages:
        if hasattr(page, "feed_kind"):
            entries.append(page)
            continue
        entry = specific.get(page.pk, page)
        entry.feed_kind = "page"
        entry.feed_at = page.first_published_at
        entry.is_event = isinstance(entry, EventPage)
        entries.append(entry)
    return entries


# The newest stories and events head every member's first feed page: they are read once per
# content generation (bumped on publication), ready to show (network/caches.py, HUB_HEAD).
HUB_HEAD_TIMEOUT = HUB_HEAD.timeout


def _hub_rows(pages: Callable[[], QuerySet[Page]], position: Position | None, limit: int):
    """Up to limit + 1 hub entries before `position`. `pages` makes their queryset, only when
    the cache does not have them (making it reads the view restrictions)."""
    if position is None:
        return HUB_HEAD.get_or_set(
            get_language(),
            limit,
            default=lambda: _prepare_pages(list(_page_rows(pages(), None, limit))),
        )
    return list(_page_rows(pages(), position, limit))


def _page_rows(pages: QuerySet[Page], position: Position | None, limit: int) -> QuerySet[Page]:
    return _ordered_pages(pages, position).only("pk", "first_published_at", "content_type")[
        : limit + 1
    ]


def _build(
    viewer,
    posts: QuerySet[Post],
    *,
    pages: Callable[[], QuerySet[Page]] | None = None,
    cursor: str | None = None,
    limit=DEFAULT_LIMIT,
) -> FeedPage:
    limit = _limit(limit)
    position = Position.decode(cursor) if cursor else None
    # The page's ids first, in a narrow query; then their rows with what the cards show
    # (the planner's work, 6-10 ms on PostgreSQL for the wide query, is on a short id list).
    ids = list(_ordered_posts(posts, position).values_list("pk", flat=True)[: limit + 1])
    rows = with_card_data(Post.objects.filter(pk__in=ids)).only(*FEED_COLUMNS)
    by_id = {post.pk: post for post in rows} if ids else {}
    post_rows = [by_id[pk] for pk in ids if pk in by_id]
    merged = [(_post_position(post), post) for post in post_rows]
    if pages is not None:
        merged += [(_page_position(page), page) for page in _hub_rows(pages, position, limit)]
    merged.sort(key=lambda pair: (pair[0].at, pair[0].kind, pair[0].id), reverse=True)
    has_more = len(merged) > limit
    merged = merged[:limit]

    shown_posts = prepare_posts(viewer, [entry for pos, entry in merged if pos.kind == KIND_POST])
    shown_pages = _prepare_pages([entry for pos, entry in merged if pos.kind == KIND_PAGE])
    by_key = {("post", post.pk): post for post in shown_posts}
    by_key.update({("page", page.pk): page for page in shown_pages})
    entries = [
        by_key[("post" if pos.kind == KIND_POST else "page", entry.pk)] for pos, entry in merged
    ]
    # The page's cards are read from the cache together (templatetags/post_cards.py).
    for entry in entries:
        entry.card_siblings = entries
    return FeedPage(
        items=shown_posts,
        next_cursor=merged[-1][0].encode() if has_more and merged else None,
        entries=entries,
        # An empty feed still gets a position ("now") so that new posts can be counted.
        first_cursor=(merged[0][0] if merged else Position(timezone.now(), KIND_POST, 0)).encode(),
        is_continuation=bool(cursor),
    )


# The three feeds -----------------------------------------------------------------------------


def home_feed(user, *, cursor=None, limit=DEFAULT_LIMIT, include_pages=True) -> FeedPage:
    """The signed-in member's feed: see home_posts(), with the content hub's new stories
    and events merged in by date (include_pages=False for posts only, as the API does)."""
    return _build(
        user,
        home_posts(user),
        pages=hub_pages if include_pages and user.is_authenticated else None,
        cursor=cursor,
        limit=limit,
    )


def group_feed(user, group, *, cursor=None, limit=DEFAULT_LIMIT) -> FeedPage:
    """A group's posts that `user` may read (none if the group's content is closed to them)."""
    return _build(user, visible_posts(user).filter(group=group), cursor=cursor, limit=limit)


def profile_feed(viewer, author, *, cursor=None, limit=DEFAULT_LIMIT) -> FeedPage:
    """`author`'s posts that `viewer` may read: profile posts and posts in readable groups."""
    return _build(viewer, visible_posts(viewer).filter(author=author), cursor=cursor, limit=limit)


def count_new_home_entries(user, *, since: str) -> int:
    """How many home-feed entries are newer than the `since` cursor (at most MAX_NEW_COUNT)."""
    position = Position.decode(since)
    newer_posts = home_posts(user).filter(_after(position, kind=KIND_POST, date_field="created_at"))
    newer_pages = hub_pages().filter(
        _after(position, kind=KIND_PAGE, date_field="first_published_at")
    )
    count = newer_posts.order_by()[:MAX_NEW_COUNT].count()
    if count < MAX_NEW_COUNT:
        count += newer_pages.order_by()[: MAX_NEW_COUNT - count].count()
    return count
