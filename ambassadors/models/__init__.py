# e-PR's models live in ambassadors/press/ (the same app, the same migrations).
from ..press.models import PressContact, PressRecipient, PressRelease, PressSegment
from .briefings import Briefing, BriefingRecipient
from .charter import Charter
from .licences import Application, Licence
from .links import ClickFlush, LinkClickDay, TrackedLink
from .missions import Mission, Participation, Submission
from .profiles import Profile, ProfileInterest, ProfileSkill, Visibility
from .recognition import PointEntry, PointTotal, RecognitionSettings

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
