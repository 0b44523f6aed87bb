from .groups import (
    Group,
    GroupBan,
    GroupEvent,
    GroupEventRSVP,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
)
from .moderation import (
    BlockedWord,
    Case,
    Complaint,
    Decision,
    HeldReason,
    ModerationAction,
    ModerationSettings,
    Report,
    ReportReason,
)
from .notifications import Notification, NotificationKind, NotificationPreference
from .organisations import Organisation, OrganisationMembership, Sector
from .posts import Comment, Follow, Mention, Post, PostImage, PostRevision, Reaction
from .tokens import PersonalAccessToken
from .trust import TrustLevel, TrustSettings
from .users import User, avatar_upload_to

__all__ = [
    "BlockedWord",
    "Case",
    "Complaint",
    "Decision",
    "HeldReason",
    "ModerationAction",
    "ModerationSettings",
    "Report",
    "ReportReason",
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
    "TrustLevel",
    "TrustSettings",
    "Post",
    "PostImage",
    "PostRevision",
    "Reaction",
    "Sector",
    "User",
    "avatar_upload_to",
]
