# e-PR's models live in ambassadors/press/ (the same app, the same migrations).
from ..press.models import PressContact, PressRecipient, PressRelease, PressSegment
from .badges import Badge, BadgeAward, BadgeRule
from .briefings import Briefing, BriefingRecipient
from .charter import Charter
from .greeters import Greeter, GreeterFeedback, GreeterProposal, GreeterRequest
from .licences import Application, Licence
from .links import ClickFlush, LinkClickDay, TrackedLink
from .missions import Mission, Participation, Submission
from .profiles import Profile, ProfileInterest, ProfileSkill, Visibility
from .recognition import PointEntry, PointTotal, RecognitionSettings

__all__ = [
    "Application",
    "Badge",
    "BadgeAward",
    "BadgeRule",
    "Briefing",
    "BriefingRecipient",
    "Charter",
    "ClickFlush",
    "Greeter",
    "GreeterFeedback",
    "GreeterProposal",
    "GreeterRequest",
    "Licence",
    "LinkClickDay",
    "Mission",
    "Participation",
    "PointEntry",
    "PointTotal",
    "PressContact",
    "PressRecipient",
    "PressRelease",
    "PressSegment",
    "Profile",
    "ProfileInterest",
    "ProfileSkill",
    "RecognitionSettings",
    "Submission",
    "TrackedLink",
    "Visibility",
]

# Campaigns (issue 19) live in their own sub-package; their models belong to this app.
from ambassadors.campaigns.models import (  # noqa: E402
    Campaign,
    ComplianceRules,
    Contract,
    CreatorPlatform,
    CreatorProfile,
    Deliverable,
    DeliverableEvent,
    DeliverableSpec,
    Engagement,
    InKindItem,
    LedgerLine,
)

__all__ += [
    "Campaign",
    "ComplianceRules",
    "Contract",
    "CreatorPlatform",
    "CreatorProfile",
    "Deliverable",
    "DeliverableEvent",
    "DeliverableSpec",
    "Engagement",
    "InKindItem",
    "LedgerLine",
]
