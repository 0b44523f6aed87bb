from .accessibility import AccessibilityStatementPage
from .areas import Area
from .contributions import PageUpdateSuggestion, PreviewLink
from .events import EventIndexPage, EventPage, EventPageTag, EventRegistration, Occurrence
from .freshness import FreshnessMixin
from .pages import (
    DestinationGalleryImage,
    DestinationIndexPage,
    DestinationPage,
    DestinationPageTag,
    HomePage,
    IndexPage,
    StoryIndexPage,
    StoryPage,
    StoryPageTag,
)
from .rules import ClauseBlock, CommunityRulesPage
from .sourced import SourcedFieldsMixin
from .toolkit import BrandLicence, ToolkitAsset, ToolkitPage, WelcomeOffer, WelcomePackPage

__all__ = [
    "AccessibilityStatementPage",
    "Area",
    "BrandLicence",
    "ClauseBlock",
    "CommunityRulesPage",
    "PageUpdateSuggestion",
    "PreviewLink",
    "ToolkitAsset",
    "ToolkitPage",
    "WelcomeOffer",
    "WelcomePackPage",
    "DestinationGalleryImage",
    "DestinationIndexPage",
    "DestinationPage",
    "DestinationPageTag",
    "EventIndexPage",
    "EventPage",
    "EventPageTag",
    "EventRegistration",
    "FreshnessMixin",
    "HomePage",
    "IndexPage",
    "Occurrence",
    "StoryIndexPage",
    "StoryPage",
    "StoryPageTag",
]

from content.imports.models import (  # noqa: E402
    ImportConflict,
    ImportedImage,
    ImportedRecord,
    ImportFailure,
    ImportRun,
    ImportSource,
)

__all__ += [
    "ImportConflict",
    "ImportedImage",
    "ImportedRecord",
    "ImportFailure",
    "ImportRun",
    "ImportSource",
    "SourcedFieldsMixin",
]
