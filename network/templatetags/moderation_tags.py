"""{% load moderation_tags %}: `user|is_agency_moderator` for the header's Moderation link."""

from django import template

from network.permissions import is_agency_moderator as _is_agency_moderator

register = template.Library()


@register.filter
def is_agency_moderator(user) -> bool:
    return _is_agency_moderator(user)
