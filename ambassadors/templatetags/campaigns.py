from django import template

from ambassadors.campaigns.permissions import is_campaign_staff

register = template.Library()


@register.filter
def campaign_staff(user) -> bool:
    """{% if user|campaign_staff %}: agency staff (is_staff or the Moderators group)."""
    return is_campaign_staff(user)
