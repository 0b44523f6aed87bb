from .charter import Charter
from .licences import Application, Licence
from .links import ClickFlush, LinkClickDay, TrackedLink
from .missions import Mission, Participation, Submission
from .profiles import Profile, ProfileInterest, ProfileSkill, Visibility
from .recognition import PointEntry, RecognitionSettings

__all__ = [
    "Application",
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
