from django import template

from content.models import EventRegistration
from content.services.events import waiting_position

register = template.Library()


@register.simple_tag
def is_registered(event, user) -> bool:
    if not user.is_authenticated:
        return False
    return EventRegistration.objects.filter(event=event, user=user).exists()


@register.simple_tag
def registration_of(event, user) -> dict | None:
    """The member's registration to `event` ({"status", "position"} on the waiting list),
    or None."""
    if not user.is_authenticated:
        return None
    registration = EventRegistration.objects.filter(event=event, user=user).first()
    if registration is None:
        return None
    position = None
    if registration.status == EventRegistration.Status.WAITING:
        position = waiting_position(registration)
    return {"status": registration.status, "position": position}
