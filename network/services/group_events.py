"""Writes to group events: creating one (a group-only event, or a link to an event of the
agency's calendar), replying to it with guests, and the waiting list that moves up by itself.

Seats are counted as the member plus their guests. Every change to the replies of an event
holds a SELECT FOR UPDATE lock on the event's row, so two replies cannot both take the last
seat and a cancellation promotes the waiting list exactly once."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import EventPage
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.sanitizer import clean_html, clean_text
from network import signals
from network.models import Group, GroupEvent, GroupEventRSVP, User
from network.permissions import (
    can_moderate_group,
    can_read_group,
    can_rsvp_group_event,
    can_see_group,
)

RSVPStatus = GroupEventRSVP.Status
MAX_GUESTS = 5


@transaction.atomic
def create_group_event(
    *,
    actor: User,
    group: Group,
    title: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    description: str = "",
    location: str = "",
    capacity: int | None = None,
    guests_allowed: int = 1,
    content_event: EventPage | None = None,
) -> GroupEvent:
    """Create a group-only event, or link an event of the agency's calendar (its title,
    dates and venue fill whatever is left empty). Moderators and agency staff only."""
    if not can_see_group(actor, group):
        raise NotFound()
    if not can_moderate_group(actor, group):
        raise NotAllowed(_("Only the group's moderators can add events."))
    if content_event is not None:
        if not EventPage.objects.live().public().filter(pk=content_event.pk).exists():
            raise InvalidInput(_("This event of the agency's calendar is not published."))
        title = title or content_event.title
        starts_at = starts_at or content_event.start
        ends_at = ends_at or content_event.end
        location = location or content_event.venue_name

    title = clean_text(title or "")
    if not title:
        raise InvalidInput(_("An event needs a title."))
    if len(title) > GroupEvent._meta.get_field("title").max_length:
        raise InvalidInput(_("The title is too long (160 characters at most)."))
    if starts_at is None:
        raise InvalidInput(_("An event needs a start date and time."))
    if starts_at <= timezone.now():
        raise InvalidInput(_("An event must start in the future."))
    if ends_at is not None and ends_at < starts_at:
        raise InvalidInput(_("An event cannot end before it starts."))
    if capacity is not None and capacity < 1:
        raise InvalidInput(_("The capacity must be at least 1 seat, or empty for no limit."))
    if not 0 <= guests_allowed <= MAX_GUESTS:
        raise InvalidInput(
            _("Each member may bring between 0 and %(max)s guests.") % {"max": MAX_GUESTS}
        )
    description = clean_html(description or "")
    if len(description) > GroupEvent._meta.get_field("description").max_length:
        raise InvalidInput(_("The description is too long (5,000 characters at most)."))
    location = clean_text(location or "")[:200]

    return GroupEvent.objects.create(
        group=group,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        capacity=capacity,
        guests_allowed=guests_allowed,
        content_event=content_event,
        created_by=actor,
    )


def seats_taken(event: GroupEvent) -> int:
    """Seats held by the members going (each with their guests)."""
    total = event.rsvps.filter(status=RSVPStatus.GOING).aggregate(seats=Sum(F("guests") + 1))[
        "seats"
    ]
    return total or 0


def _lock_event(event: GroupEvent) -> GroupEvent:
    """The event row, locked for the rest of the transaction."""
    return GroupEvent.objects.select_for_update().get(pk=event.pk)


def _promote_waitlist(event: GroupEvent) -> list[GroupEventRSVP]:
    """Move the waiting list up, first come first served, while the next reply fits in the
    free seats. Should be called while holding the event's lock."""
    waiting = list(event.rsvps.filter(status=RSVPStatus.WAITLISTED).select_related("user"))
    if not waiting:
        return []
    free = None if event.capacity is None else event.capacity - seats_taken(event)
    promoted = []
    for rsvp in waiting:
        # Strict order: a party that does not fit yet keeps its place at the head.
        if free is not None and rsvp.seats > free:
            break
        promoted.append(rsvp)
        if free is not None:
            free -= rsvp.seats
    if promoted:
        GroupEventRSVP.objects.filter(pk__in=[r.pk for r in promoted]).update(
            status=RSVPStatus.GOING
        )
        for rsvp in promoted:
            rsvp.status = RSVPStatus.GOING

        def announce():
            for rsvp in promoted:
                signals.rsvp_promoted.send(sender=GroupEventRSVP, rsvp=rsvp)

        transaction.on_commit(announce)
    return promoted


def _check_can_reply(actor: User, event: GroupEvent) -> None:
    group = event.group
    if not can_see_group(actor, group) or not can_read_group(actor, group):
        raise NotFound()
    if not can_rsvp_group_event(actor, group):
        raise NotAllowed(_("Only the group's members can reply to its events."))


@transaction.atomic
def rsvp(*, actor: User, event: GroupEvent, guests: int = 0) -> GroupEventRSVP:
    """Reply "going" with `guests` (+1…). When the seats left are too few, or others are
    already waiting, the reply joins the waiting list."""
    event = _lock_event(event)
    _check_can_reply(actor, event)
    if event.starts_at <= timezone.now():
        raise Conflict(_("This event has already started."))
    if not isinstance(guests, int) or isinstance(guests, bool):
        raise InvalidInput(_("The number of guests must be a whole number."))
    if not 0 <= guests <= event.guests_allowed:
        raise InvalidInput(
            _("You may bring %(max)s guests at most to this event.") % {"max": event.guests_allowed}
        )
    if event.rsvps.filter(user=actor).exists():
        raise Conflict(_("You have already replied to this event."))

    seats = 1 + guests
    status = RSVPStatus.GOING
    if event.capacity is not None:
        queue = event.rsvps.filter(status=RSVPStatus.WAITLISTED).exists()
        if queue or seats_taken(event) + seats > event.capacity:
            status = RSVPStatus.WAITLISTED
    try:
        with transaction.atomic():
            return GroupEventRSVP.objects.create(
                event=event, user=actor, guests=guests, status=status
            )
    except IntegrityError:
        raise Conflict(_("You have already replied to this event.")) from None


@transaction.atomic
def cancel_rsvp(*, actor: User, event: GroupEvent) -> None:
    """Withdraw one's reply; freed seats go to the waiting list at once. A suspended member
    may still cancel: it only gives seats back."""
    event = _lock_event(event)
    group = event.group
    if not can_see_group(actor, group) or not can_read_group(actor, group):
        raise NotFound()
    if not actor.is_authenticated:
        raise NotAllowed()
    deleted, _rows = event.rsvps.filter(user=actor).delete()
    if not deleted:
        raise Conflict(_("You have not replied to this event."))
    _promote_waitlist(event)


def drop_upcoming_rsvps(*, user: User, group: Group) -> None:
    """A member who leaves or is removed gives up their seats at the group's coming events.
    Called inside the membership change's transaction."""
    event_ids = GroupEventRSVP.objects.filter(
        user=user, event__group=group, event__starts_at__gt=timezone.now()
    ).values_list("event_id", flat=True)
    for event in GroupEvent.objects.filter(pk__in=list(event_ids)).order_by("pk"):
        event = _lock_event(event)
        event.rsvps.filter(user=user).delete()
        _promote_waitlist(event)
