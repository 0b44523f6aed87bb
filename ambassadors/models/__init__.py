from .briefings import Briefing, BriefingRecipient
from .charter import Charter
from .licences import Application, Licence
from .links import ClickFlush, LinkClickDay, TrackedLink
from .missions import Mission, Participation, Submission
from .profiles import Profile, ProfileInterest, ProfileSkill, Visibility
from .recognition import PointEntry, RecognitionSettings

__all__ = [
    "Application",
    "Briefing",
    "BriefingRecipient",
    "Charter",
    "ClickFlush",
    "Licence",
    "LinkClickDay",
    "Mission",
    "Participation",
    "PointEntry",
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
