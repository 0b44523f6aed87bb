"""Writes to networking groups: creating and editing them, joining, leaving, join requests,
invitations, and the moderators' tools (remove, ban, roles). Views, the API and consumers
call these; every permission is checked here through network.permissions.

One module per concern, every name importable from `network.services.groups`: `common`,
`groups` (create, edit), `membership` (join, leave), `requests` (join requests),
`invitations` and `members` (the moderators' tools).
"""

from network.services.groups.common import (  # noqa: F401
    CREATE_LIMIT,
    CREATE_WINDOW,
    GROUP_FIELDS,
    INVITATION_LIFETIME,
    INVITE_LIMIT,
    INVITE_WINDOW,
    JOIN_LIMIT,
    JOIN_WINDOW,
    MAX_TAGS,
    RESERVED_SLUGS,
    Role,
    hash_token,
)
from network.services.groups.groups import (  # noqa: F401
    _add_member,
    _change_member_count,
    _clean_group_fields,
    _on_commit_joined,
    _owner_count,
    _unique_slug,
    create_group,
    is_banned,
    update_group,
)
from network.services.groups.invitations import (  # noqa: F401
    _send_invitation_email,
    accept_invitation,
    check_invitation_usable,
    get_invitation_for_token,
    invitation_url,
    invite_to_group,
)
from network.services.groups.members import (  # noqa: F401
    _check_may_remove,
    _target_membership,
    ban_member,
    remove_member,
    set_member_role,
    unban_member,
)
from network.services.groups.membership import (  # noqa: F401
    _close_pending_request,
    _drop_upcoming_rsvps,
    _remove_membership,
    _use_invitation,
    _verified_emails,
    join_group,
    leave_group,
    pending_invitation_for,
    set_follows_closely,
    withdraw_join_request,
)
from network.services.groups.requests import (  # noqa: F401
    decide_join_request,
)
