"""{% load moderation_tags %}: `user|is_agency_moderator` for the header's Moderation link,
`user|may_open_admin` for its Admin link, `case.kind|kind_label` for the queue."""

from django import template

from core.roles import may_open_admin as _may_open_admin
from network.permissions import is_agency_moderator as _is_agency_moderator

register = template.Library()


@register.filter
def is_agency_moderator(user) -> bool:
    return _is_agency_moderator(user)


@register.filter
def may_open_admin(user) -> bool:
    return _may_open_admin(user)


@register.filter
def kind_label(name: str) -> str:
    """The registered kind's label ("Post", "Comment"…), or its name if none is registered."""
    from network.services.moderation import KINDS

    kind = KINDS.get(name)
    return kind.label if kind is not None else name


@register.filter
def in_current_language(path: str) -> str:
    """A path stored in the default language (a case's item link), in the page's language."""
    from django.utils.translation import get_language

    from network.services.notifications import localized_path

    return localized_path(path, get_language())


@register.filter
def action_label(decision) -> str:
    """The measure of a decision as its kind names it (a registered kind's own actions
    included)."""
    from network.services.moderation import KINDS

    kind = KINDS.get(decision.case.kind)
    return kind.label_of(decision.action) if kind is not None else decision.get_action_display()
