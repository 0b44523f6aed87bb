"""Reads of one post: the post page with its comments and replies, its previous versions."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from core.errors import NotFound
from network.models import Comment, Post, PostRevision, Reaction
from network.permissions import can_see_post


def reaction_buttons(post: Post, mine: set[str]) -> list[dict]:
    """The fixed set of reactions with their counts, and which ones the viewer gave."""
    counts = post.reaction_counts or {}
    return [
        {
            "kind": kind,
            "label": label,
            "count": int(counts.get(kind, 0) or 0),
            "mine": kind in mine,
        }
        for kind, label in Reaction.Kind.choices
    ]


def get_post_for(user, post_id) -> Post:
    """The post if `user` may see it; missing and forbidden are the same NotFound, so a
    private group's posts do not reveal that they exist."""
    from network.selectors.feed import prepare_posts, with_card_data

    try:
        post = with_card_data(Post.objects.all()).get(pk=int(post_id))
    except (Post.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("This post does not exist or is not visible to you.")) from None
    if not can_see_post(user, post):
        raise NotFound(_("This post does not exist or is not visible to you."))
    prepare_posts(user, [post])
    return post


def get_post_for_update(user, post_id) -> Post:
    """A post for a write: NotFound unless `user` may see it (the service checks the rest)."""
    try:
        post = Post.objects.select_related("group", "author").get(pk=int(post_id))
    except (Post.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("This post does not exist or is not visible to you.")) from None
    if not can_see_post(user, post):
        raise NotFound(_("This post does not exist or is not visible to you."))
    return post


def get_comment_for(user, comment_id) -> Comment:
    try:
        comment = Comment.objects.select_related("post__group", "author").get(pk=int(comment_id))
    except (Comment.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("This comment does not exist.")) from None
    if not can_see_post(user, comment.post):
        raise NotFound(_("This comment does not exist."))
    return comment


def post_comments(post: Post) -> list[Comment]:
    """Top comments in order, each with its replies, in two queries whatever their number."""
    published = Comment.objects.filter(status=Post.Status.PUBLISHED).select_related("author")
    comments = list(
        published.filter(post=post, parent__isnull=True).prefetch_related(
            Prefetch("replies", queryset=published.order_by("created_at", "pk"))
        )
    )
    for comment in comments:
        comment.post = post  # permission checks read it; no query per comment
        for reply in comment.replies.all():
            reply.post = post
    return comments


def post_revisions(post: Post) -> QuerySet[PostRevision]:
    return post.revisions.order_by("-created_at", "-pk")
