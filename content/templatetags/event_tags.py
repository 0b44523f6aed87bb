from django import template

from content.models import EventRegistration
from content.services.events import registration_for, waiting_position

register = template.Library()


@register.simple_tag
def registration_of(event, user) -> dict | None:
    """The member's registration to `event` ({"status", "position"} on the waiting list),
    or None."""
    if not user.is_authenticated:
        return None
    registration = registration_for(event, user)
    if registration is None:
        return None
    position = None
    if registration.status == EventRegistration.Status.WAITING:
        position = waiting_position(registration)
    return {"status": registration.status, "position": position}
