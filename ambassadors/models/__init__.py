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
    "Profile",
    "ProfileInterest",
    "ProfileSkill",
    "RecognitionSettings",
    "Submission",
    "TrackedLink",
    "Visibility",
]
