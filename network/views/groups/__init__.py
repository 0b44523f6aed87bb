"""Pages of the networking groups: the directory, a group's page and feed, its members,
join requests, invitations, settings and events. Views parse input, call one service or
selector and shape the reply; domain errors are mapped once, in `_run`: missing → 404,
forbidden → 403, too fast → 429, anything else → a message on the page it came from.

One module per part of the site, every name importable from `network.views.groups`:
`common` (`_run` and the group lookups), `directory`, `pages` (a group's page, joining and
leaving), `members` (members, join requests), `invitations` (and settings), `events` and `urls`.
"""

from network.views.groups.common import (  # noqa: F401
    DIRECTORY_PAGE_SIZE,
    MEMBERS_PAGE_SIZE,
    _group_context,
    _moderated_group,
    _readable_group,
    _run,
    _visible_group,
)
from network.views.groups.directory import (  # noqa: F401
    group_create,
    groups_index,
)
from network.views.groups.events import (  # noqa: F401
    _event_for_action,
    group_event_cancel,
    group_event_create,
    group_event_detail,
    group_event_rsvp,
    group_events,
)
from network.views.groups.invitations import (  # noqa: F401
    group_invitation,
    group_invite,
    group_settings,
)
from network.views.groups.members import (  # noqa: F401
    _event_url,
    _member,
    _members_url,
    group_member_ban,
    group_member_remove,
    group_member_role,
    group_member_unban,
    group_members,
    group_request_decide,
    group_requests,
)
from network.views.groups.pages import (  # noqa: F401
    _group_by_slug,
    group_detail,
    group_follow_closely,
    group_join,
    group_leave,
    group_withdraw_request,
)
from network.views.groups.urls import (  # noqa: F401
    urlpatterns,
)
