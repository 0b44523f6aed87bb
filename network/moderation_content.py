"""The content hub's items in the one moderation queue: story proposals, page-update
suggestions and brand-licence requests. Content never imports the network (DESIGN.md): it
sends a signal when an item starts waiting for staff, and this module files it in the queue.

Each kind is decided either in the queue (its own actions call the content hub's services,
which check permissions and write) or in its Wagtail admin screen, which stays as a view of
the same item: deciding there closes the case here."""

import logging

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.signals import workflow_approved, workflow_rejected

from content import signals as content_signals
from content.models import BrandLicence, PageUpdateSuggestion, StoryPage
from content.services import contributions, toolkit
from core.errors import Conflict, InvalidInput
from core.sanitizer import clean_text
from network.permissions import is_agency_moderator
from network.services.moderation import Kind, close_case_for, file_for_review, register

logger = logging.getLogger(__name__)

ACCEPT, DECLINE = "accept", "decline"
OWN_ACTIONS = ("dismiss", ACCEPT, DECLINE)
LABELS = {ACCEPT: _("Accept"), DECLINE: _("Decline")}


def _staff_only(user, item) -> bool:
    return is_agency_moderator(user)


# Story proposals (a Wagtail workflow: approved or rejected like the admin's buttons) -------


def _decide_story(page: StoryPage, action: str, *, actor, reason: str) -> None:
    state = page.current_workflow_state
    task_state = state.current_task_state if state is not None else None
    if task_state is None:
        raise Conflict(gettext("This proposal is no longer waiting for a decision."))
    if action == ACCEPT:
        task_state.approve(user=actor, comment=reason)
    else:
        task_state.reject(user=actor, comment=reason)


# Page-update suggestions ---------------------------------------------------------------------


def _decide_suggestion(suggestion, action: str, *, actor, reason: str) -> None:
    if action == ACCEPT:
        if not clean_text(suggestion.proposed_text):
            raise InvalidInput(
                gettext("This suggestion proposes no text: accept it from its admin screen.")
            )
        contributions.accept_suggestion(
            actor=actor, suggestion=suggestion, text=suggestion.proposed_text
        )
    else:
        contributions.decline_suggestion(actor=actor, suggestion=suggestion, reason=reason)


# Brand-licence requests ----------------------------------------------------------------------


def _decide_licence(licence, action: str, *, actor, reason: str) -> None:
    if action == ACCEPT:
        toolkit.approve_licence(actor=actor, licence=licence)
    else:
        toolkit.decline_licence(actor=actor, licence=licence, reason=reason)


def _content_kind(**kind) -> Kind:
    """A content hub item: staff see it and accept or decline it through content's services."""
    return Kind(actions=OWN_ACTIONS, action_labels=LABELS, can_see=_staff_only, **kind)


KINDS = (
    _content_kind(
        name="story_proposal",
        model=StoryPage,
        label=_("Story proposal"),
        author_of=lambda page: page.author,
        preview_of=lambda page: f"{page.title} — {clean_text(page.intro or '')}",
        url_of=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        decide=_decide_story,
    ),
    _content_kind(
        name="suggestion",
        model=PageUpdateSuggestion,
        label=_("Page-update suggestion"),
        author_of=lambda suggestion: suggestion.author,
        preview_of=lambda suggestion: (
            f"{suggestion.page.title}: {suggestion.what_is_wrong} — {suggestion.proposed_text}"
        ),
        url_of=lambda suggestion: reverse("content_suggestions:decide", args=[suggestion.pk]),
        decide=_decide_suggestion,
    ),
    _content_kind(
        name="licence_request",
        model=BrandLicence,
        label=_("Brand-licence request"),
        author_of=lambda licence: licence.holder,
        preview_of=lambda licence: (
            f"{licence.asset} — {licence.organisation_name}: {licence.intended_use}"
        ),
        url_of=lambda licence: reverse("brand_licences:edit", args=[licence.pk]),
        decide=_decide_licence,
    ),
)


def _file(item) -> None:
    try:
        file_for_review(item)
    except Exception:  # receivers never raise: the item is saved; staff still see it in its screen
        logger.exception("Could not file %r in the moderation queue", item)


def _close(item) -> None:
    try:
        close_case_for(item)
    except Exception:
        logger.exception("Could not close the case of %r", item)


def connect() -> None:
    """Called from NetworkConfig.ready()."""
    for kind in KINDS:
        register(kind)

    @receiver(content_signals.story_proposed, weak=False, dispatch_uid="queue-story")
    def file_story(sender, page, **kwargs):
        _file(page.specific if hasattr(page, "specific") else page)

    @receiver(content_signals.suggestion_submitted, weak=False, dispatch_uid="queue-suggestion")
    def file_suggestion(sender, suggestion, **kwargs):
        _file(suggestion)

    @receiver(content_signals.licence_requested, weak=False, dispatch_uid="queue-licence")
    def file_licence(sender, licence, **kwargs):
        _file(licence)

    @receiver(content_signals.suggestion_decided, weak=False, dispatch_uid="unqueue-suggestion")
    def close_suggestion(sender, suggestion, **kwargs):
        _close(suggestion)

    @receiver(content_signals.licence_decided, weak=False, dispatch_uid="unqueue-licence")
    def close_licence(sender, licence, **kwargs):
        _close(licence)

    def close_story(sender, instance, **kwargs):
        page = getattr(instance, "page", None)
        if page is not None and isinstance(page.specific, StoryPage):
            _close(page.specific)

    workflow_approved.connect(close_story, weak=False, dispatch_uid="unqueue-story-approved")
    workflow_rejected.connect(close_story, weak=False, dispatch_uid="unqueue-story-rejected")
