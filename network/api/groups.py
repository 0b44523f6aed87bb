"""Networking groups: the directory, a group, joining and leaving it, its posts."""

from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status

from core.errors import NotAllowed
from network.models import GroupMembership
from network.permissions import can_post_in_group, can_read_group
from network.selectors import groups as selectors
from network.selectors.feed import group_feed
from network.services import groups as services

from .auth import ANYONE, OPTIONAL_AUTH
from .errors import Error
from .filters import DirectoryFilters, area_from_slug
from .pagination import PageParams, keyset_page
from .posts import create_post_from
from .schemas import GroupDetailOut, GroupPage, JoinIn, JoinOut, PostIn, PostOut, PostPage

router = Router()


def readable_group(user, slug: str):
    """The group if `user` may read its content: a secret group is a 404 to non-members
    (as if it did not exist), a private one a 403 (it is listed, its content is not)."""
    group = selectors.get_group_for(user, slug)
    if not can_read_group(user, group):
        raise NotAllowed(_("This group's content is for its members."))
    return group


@router.get(
    "",
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    response={200: GroupPage, 400: Error, 401: Error},
    summary="The directory",
)
def list_groups(request, filters: Query[DirectoryFilters], page: Query[PageParams]):
    """Groups you can see (secret ones only if you are a member), by name."""
    groups = selectors.list_groups(
        request.user,
        q=filters.q,
        area=area_from_slug(filters.area),
        tag=filters.tag,
        sector=filters.sector,
    )
    items, next_cursor = keyset_page(
        groups, order=("name", "pk"), cursor=page.cursor, limit=page.limit
    )
    mine = selectors.member_group_ids(request.user)
    for group in items:
        group.is_member = group.pk in mine
    return {"items": items, "next": next_cursor}


@router.get(
    "/{slug}",
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    response={200: GroupDetailOut, 401: Error, 404: Error},
    summary="A group",
)
def get_group(request, slug: str):
    user = request.user
    group = selectors.get_group_for(user, slug)
    state = selectors.viewer_state(user, group)
    group.is_member = state.is_member
    group.my_role = state.membership.role if state.membership else None
    group.join_request_pending = state.pending_request is not None
    group.follows_closely = bool(state.membership and state.membership.follows_closely)
    group.can_read = can_read_group(user, group)
    group.can_post = can_post_in_group(user, group)
    return group


@router.post(
    "/{slug}/join",
    response={200: JoinOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 429: Error},
    summary="Join a group, or ask to join it",
)
def join_group(request, slug: str, payload: JoinIn | None = None):
    """An open group: you are a member at once (`status` "member"). A group on request:
    your request waits for a moderator (`status` "requested"). Invitation-only: 403."""
    group = selectors.get_group_for(request.user, slug)
    result = services.join_group(
        actor=request.user, group=group, message=payload.message if payload else ""
    )
    if isinstance(result, GroupMembership):
        return {"status": "member", "role": result.role}
    return {"status": "requested", "role": None}


@router.post(
    "/{slug}/leave",
    response={204: None, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Leave a group",
)
def leave_group(request, slug: str):
    group = selectors.get_group_for(request.user, slug)
    services.leave_group(actor=request.user, group=group)
    return Status(204, None)


class FollowClosely(Schema):
    follows_closely: bool


@router.put(
    "/{slug}/follow-closely",
    response={200: FollowClosely, 401: Error, 404: Error, 409: Error},
    summary="Be told of every new post in a group you belong to (or no longer)",
)
def follow_group_closely(request, slug: str, payload: FollowClosely):
    group = selectors.get_group_for(request.user, slug)
    membership = services.set_follows_closely(
        actor=request.user, group=group, on=payload.follows_closely
    )
    return {"follows_closely": membership.follows_closely}


@router.get(
    "/{slug}/posts",
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    response={200: PostPage, 400: Error, 401: Error, 403: Error, 404: Error},
    summary="A group's posts, newest first",
)
def group_posts(request, slug: str, page: Query[PageParams]):
    group = readable_group(request.user, slug)
    feed = group_feed(request.user, group, cursor=page.cursor, limit=page.limit)
    return {"items": feed.items, "next": feed.next_cursor}


@router.post(
    "/{slug}/posts",
    response={
        201: PostOut,
        400: Error,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        413: Error,
        429: Error,
    },
    summary="Post in a group",
)
def create_group_post(
    request,
    slug: str,
    payload: PostIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=64),
):
    """A retried call with the same `Idempotency-Key` header (any unique string of at most
    64 characters, e.g. a UUID) creates one post and answers with it again."""
    group = selectors.get_group_for(request.user, slug)
    return Status(
        201, create_post_from(request, payload, group=group, idempotency_key=idempotency_key)
    )
