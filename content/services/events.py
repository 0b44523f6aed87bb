"""Registrations to content-hub events."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import EventPage, EventRegistration
from core.errors import Conflict, NotAllowed, NotFound


def get_event_for_registration(*, event_id: int) -> EventPage:
    event = EventPage.objects.live().public().filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    return event


@transaction.atomic
def register_for_event(*, user, event: EventPage) -> EventRegistration:
    """Register a member; the event row is locked so two last-place requests cannot both
    get in."""
    if not user.is_authenticated or not user.is_active:
        raise NotAllowed(_("Log in to register."))
    event = EventPage.objects.select_for_update().get(pk=event.pk)
    if not event.registrations_open:
        raise Conflict(_("Registrations are closed for this event."))
    if event.status != EventPage.Status.SCHEDULED:
        raise Conflict(_("This event is not taking place as planned."))
    if (event.end or event.start) < timezone.now() and not event.recurrence:
        raise Conflict(_("This event is over."))
    if EventRegistration.objects.filter(event=event, user=user).exists():
        raise Conflict(_("You are already registered."))
    if event.capacity and event.registrations.count() >= event.capacity:
        raise Conflict(_("This event is full."))
    try:
        with transaction.atomic():
            return EventRegistration.objects.create(event=event, user=user)
    except IntegrityError as exc:  # a double submit raced past the check above
        raise Conflict(_("You are already registered.")) from exc


@transaction.atomic
def cancel_registration(*, user, event: EventPage) -> None:
    deleted, _count = EventRegistration.objects.filter(event=event, user=user).delete()
    if not deleted:
        raise NotFound(_("You are not registered for this event."))
