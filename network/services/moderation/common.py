"""What the moderation modules share: limits, and the links every statement of reasons gives."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from network.models import (
    ModerationAction,
)
from network.models.moderation import COMPLAINT_WINDOW_DAYS

Action = ModerationAction
HIDE_AFTER_REPORTS = 3  # distinct members: the item is hidden until a moderator decides
MAX_PREVIEW = 300
MAX_SUSPENSION_DAYS = 365
COMPLAINT_WINDOW = timedelta(days=COMPLAINT_WINDOW_DAYS)
# Reports are rate-limited per reporter: a member by their account, a visitor by their
# address (the caller's `client_key`; an e-mail address would be no key: a visitor types a
# new one for each report). All visitors together also have a ceiling, high enough that one
# address cannot use it up before its own limit stops it.
REPORT_WINDOW = 600  # seconds
REPORTS_PER_WINDOW = 10
VISITOR_REPORTS_PER_WINDOW = 500


def community_rules_url() -> str:
    """The community rules page (a Wagtail page seeded at /community-rules/), in the active
    language, as the footer links it."""
    return reverse("wagtail_serve", args=["community-rules/"])


def default_redress() -> str:
    return _(
        "You can contest this decision within six months with an internal complaint, from "
        "the page of this decision; another moderator will examine it. You may also turn to "
        "a certified out-of-court dispute settlement body or to the courts."
    )
