"""What the group modules share: limits, reserved slugs, the editable fields."""

import hashlib
from datetime import timedelta

from network.models import (
    GroupMembership,
)

Role = GroupMembership.Role

INVITATION_LIFETIME = timedelta(days=7)
# Light limits: enough for anyone acting in good faith, a wall for scripts.
JOIN_LIMIT, JOIN_WINDOW = 30, 3600
INVITE_LIMIT, INVITE_WINDOW = 50, 3600
CREATE_LIMIT, CREATE_WINDOW = 10, 3600
MAX_TAGS = 10
# Path segments under /groups/ that are pages, not groups.
RESERVED_SLUGS = frozenset({"new", "invitations"})
GROUP_FIELDS = ("name", "description", "visibility", "join_policy", "area", "sector", "tags")


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()
