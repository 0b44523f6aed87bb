"""Posts: reading, writing on one's profile, editing, deleting, comments and reactions.
(Posting in a group is POST /groups/{slug}/posts, in network.api.groups.)"""

from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from wagtail.models import Page

from core.errors import InvalidInput, NotFound
from network.models import Post
from network.selectors import posts as selectors
from network.services import posts as services

from .auth import ANYONE, OPTIONAL_AUTH
from .errors import Error
from .schemas import (
    CommentIn,
    CommentOut,
    Id,
    PostDetailOut,
    PostIn,
    PostOut,
    PostPatch,
    ReactionIn,
    ReactionKind,
    ReactionsOut,
)

router = Router()

WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 413: Error, 429: Error}


def create_post_from(request, payload: PostIn, *, group=None, idempotency_key: str = "") -> Post:
    """Create a post from the API's JSON body (shared by the profile and group endpoints)."""
    shared_page = None
    if payload.shared_page is not None:
        shared_page = Page.objects.filter(pk=payload.shared_page).first()
        if shared_page is None:
            raise InvalidInput(_("Only published public pages can be shared."))
    shared_post = None
    if payload.shared_post is not None:
        shared_post = Post.objects.select_related("group").filter(pk=payload.shared_post).first()
        if shared_post is None:
            raise NotFound(_("This post does not exist or is not visible to you."))
    post = services.create_post(
        actor=request.user,
        body=payload.body,
        group=group,
        tags=payload.tags,
        shared_page=shared_page,
        shared_post=shared_post,
        idempotency_key=idempotency_key,
    )
    # The service checked what is shared. A new post has no reactions; one returned again
    # for a retried key may have some.
    post.shared_page_visible = post.shared_page_id is not None
    post.shared_post_visible = post.shared_post_id is not None
    post.my_reactions = set()
    if post.reaction_counts:
        post.my_reactions = set(
            post.reactions.filter(user=request.user).values_list("kind", flat=True)
        )
    return post


@router.post(
    "", response={201: PostOut, **WRITE_ERRORS, 409: Error}, summary="Post on your profile"
)
def create_profile_post(
    request,
    payload: PostIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=64),
):
    return Status(201, create_post_from(request, payload, idempotency_key=idempotency_key))


@router.get(
    "/{int:post_id}",
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    response={200: PostDetailOut, 401: Error, 404: Error},
    summary="A post with its comments",
)
def get_post(request, post_id: Id):
    """A post you may not read (a private or secret group's, held for review) is a 404,
    like a missing one."""
    post = selectors.get_post_for(request.user, post_id)
    post.api_comments = selectors.post_comments(post)
    return post


@router.patch("/{int:post_id}", response={200: PostOut, **WRITE_ERRORS}, summary="Edit your post")
def edit_post(request, post_id: Id, payload: PostPatch):
    """Change the text and/or the tags. The previous text is kept for moderators."""
    post = selectors.get_post_for_update(request.user, post_id)
    services.edit_post(
        actor=request.user,
        post=post,
        body=payload.body if payload.body is not None else post.body,
        tags=payload.tags,
    )
    return selectors.get_post_for(request.user, post_id)


@router.delete(
    "/{int:post_id}",
    response={204: None, 401: Error, 403: Error, 404: Error},
    summary="Delete a post (its author, or the moderators)",
)
def delete_post(request, post_id: Id):
    post = selectors.get_post_for_update(request.user, post_id)
    services.delete_post(actor=request.user, post=post)
    return Status(204, None)


@router.post(
    "/{int:post_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    summary="Comment on a post, or reply to a comment",
)
def add_comment(request, post_id: Id, payload: CommentIn):
    post = selectors.get_post_for_update(request.user, post_id)
    parent = None
    if payload.parent is not None:
        parent = selectors.get_comment_for(request.user, payload.parent)
    comment = services.add_comment(actor=request.user, post=post, body=payload.body, parent=parent)
    return Status(201, comment)


@router.delete(
    "/{int:post_id}/comments/{int:comment_id}",
    response={204: None, 401: Error, 403: Error, 404: Error},
    summary="Delete a comment (its author, or the moderators)",
)
def delete_comment(request, post_id: Id, comment_id: Id):
    comment = selectors.get_comment_for(request.user, comment_id)
    if comment.post_id != post_id:
        raise NotFound(_("This comment does not exist."))
    services.delete_comment(actor=request.user, comment=comment)
    return Status(204, None)


def _reactions(request, post_id: Id) -> dict:
    post = selectors.get_post_for(request.user, post_id)
    return {
        "reaction_counts": PostOut.resolve_reaction_counts(post),
        "my_reactions": sorted(post.my_reactions),
    }


@router.post(
    "/{int:post_id}/reactions",
    response={200: ReactionsOut, **WRITE_ERRORS},
    summary="React to a post (giving the same reaction twice keeps one)",
)
def react(request, post_id: Id, payload: ReactionIn):
    post = selectors.get_post_for_update(request.user, post_id)
    services.react(actor=request.user, post=post, kind=payload.kind)
    return _reactions(request, post_id)


@router.delete(
    "/{int:post_id}/reactions/{kind}",
    response={200: ReactionsOut, **WRITE_ERRORS},
    summary="Take back your reaction",
)
def unreact(request, post_id: Id, kind: ReactionKind):  # type: ignore[valid-type]
    post = selectors.get_post_for_update(request.user, post_id)
    services.unreact(actor=request.user, post=post, kind=kind)
    return _reactions(request, post_id)
