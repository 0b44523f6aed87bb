from django import template

from content.permissions import can_suggest_update as _can_suggest_update
from content.permissions import is_suggestable as _is_suggestable

register = template.Library()


@register.simple_tag
def can_suggest_update(user, page) -> bool:
    return _can_suggest_update(user, page)


@register.simple_tag
def is_suggestable(page) -> bool:
    return _is_suggestable(page)


@register.simple_tag
def can_contribute(user) -> bool:
    from content.permissions import can_contribute as _can_contribute

    return _can_contribute(user)
