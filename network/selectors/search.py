"""Search over the network: people, organisations, groups and posts, each through the same
permission filter as its pages, so a result is never something the searcher could not open:
members only for signed-in members, secret groups only for their members, a private or
secret group's posts only for its members (network.selectors.visibility).

Matching is plain `icontains` on a few columns, each word of the query required. The network
models are not in Wagtail's search index, and indexing posts would add a write per post and
a second place for the permission filter to go wrong; with every list ordered on an indexed
column and cut to a page, the scan stops as soon as the page is full. Accents count
("chateau" does not find "Château"), unlike the content hub's full-text search."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from taggit.models import TaggedItem

from network.models import Group, Organisation, Post, User
from network.selectors.directory import (
    list_organisations,
    list_people,
    query_words,
)
from network.selectors.visibility import visible_groups, visible_posts

SEARCH_TYPES = ("people", "organisations", "groups", "posts")


def search_people(viewer, q: str) -> QuerySet[User]:
    """Members matching `q`: nothing for a visitor who is not signed in."""
    if not query_words(q):
        return User.objects.none()
    return list_people(viewer, q=q)


def search_organisations(viewer, q: str) -> QuerySet[Organisation]:
    if not query_words(q):
        return Organisation.objects.none()
    return list_organisations(viewer, q=q)


def search_groups(viewer, q: str) -> QuerySet[Group]:
    """Groups that exist for `viewer` (public and private ones, secret ones for members)."""
    words = query_words(q)
    if not words:
        return Group.objects.none()
    tagged = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Group))
    groups = visible_groups(viewer)
    for word in words:
        groups = groups.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(pk__in=tagged.filter(tag__name__icontains=word).values("object_id"))
        )
    return groups.select_related("area").order_by("name", "pk")


def search_posts(viewer, q: str) -> QuerySet[Post]:
    """Posts `viewer` may read whose text matches `q`, newest first."""
    words = query_words(q)
    if not words:
        return Post.objects.none()
    posts = visible_posts(viewer)
    for word in words:
        posts = posts.filter(body_text__icontains=word)
    return posts.select_related("author", "group").order_by("-created_at", "-pk")


SEARCHES = {
    "people": search_people,
    "organisations": search_organisations,
    "groups": search_groups,
    "posts": search_posts,
}
