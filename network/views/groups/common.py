"""What the group pages share: `_run` (one service call, its errors mapped once) and the
group lookups that give 404 for a group the visitor may not see."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from network.models import Group
from network.permissions import (
    can_manage_group,
    can_moderate_group,
    can_post_in_group,
    can_read_group,
    can_write,
)
from network.selectors import groups as selectors
from network.views.actions import run_action as _run  # noqa: F401 - the group pages' name

DIRECTORY_PAGE_SIZE = 24
MEMBERS_PAGE_SIZE = 50


def _visible_group(request, slug: str) -> Group:
    return selectors.get_group_for(request.user, slug)


def _readable_group(request, slug: str) -> Group:
    """The group, if the viewer may read its content (members pages, events): a private
    group's pages answer 403 to non-members, a secret one's 404."""
    group = _visible_group(request, slug)
    if not can_read_group(request.user, group):
        raise PermissionDenied(_("This group's content is for its members."))
    return group


def _moderated_group(request, slug: str) -> Group:
    group = _visible_group(request, slug)
    if not can_moderate_group(request.user, group):
        raise PermissionDenied(_("Only the group's moderators can see this page."))
    return group


def _group_context(request, group: Group, *, tab: str) -> dict:
    """What every page of a group needs for its header and tabs."""
    user = request.user
    state = selectors.viewer_state(user, group)
    can_moderate = can_moderate_group(user, group)
    return {
        "group": group,
        "state": state,
        "tab": tab,
        "can_read": can_read_group(user, group),
        "can_write": can_write(user),
        "can_post": can_post_in_group(user, group),
        "can_moderate": can_moderate,
        "can_manage": can_manage_group(user, group),
        "pending_count": selectors.pending_request_count(group) if can_moderate else 0,
    }
