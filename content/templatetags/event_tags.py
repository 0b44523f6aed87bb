from django import template

from content.models import EventRegistration

register = template.Library()


@register.simple_tag
def is_registered(event, user) -> bool:
    if not user.is_authenticated:
        return False
    return EventRegistration.objects.filter(event=event, user=user).exists()
