from .groups import (
    Group,
    GroupBan,
    GroupEvent,
    GroupEventRSVP,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
)
from .notifications import Notification, NotificationKind, NotificationPreference
from .organisations import Organisation, OrganisationMembership, Sector
from .posts import Comment, Follow, Mention, Post, PostImage, PostRevision, Reaction
from .tokens import PersonalAccessToken
from .users import User, avatar_upload_to

__all__ = [
    "Comment",
    "Follow",
    "Group",
    "GroupBan",
    "GroupEvent",
    "GroupEventRSVP",
    "GroupInvitation",
    "GroupMembership",
    "JoinRequest",
    "Mention",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Organisation",
    "OrganisationMembership",
    "PersonalAccessToken",
    "Post",
    "PostImage",
    "PostRevision",
    "Reaction",
    "Sector",
    "User",
    "avatar_upload_to",
]
