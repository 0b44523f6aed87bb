"""Registrations to content-hub events: sign-up, waiting list, cancellation, and the e-mail
(with the event's .ics) that confirms a place.

The language versions of an event share one list: registrations are kept on its default
language's page (`EventPage.registration_page`) and counted across its translation key, so a
member signs up once and the capacity counts everyone, on /fr/ or /en/.

Capacity holds under concurrent sign-ups: every change locks that page's row first
(SELECT ... FOR UPDATE on PostgreSQL; SQLite runs one writing transaction at a time), so two
requests for the last place are counted one after the other."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.models import EventPage, EventRegistration
from core.errors import Conflict, NotAllowed, NotFound
from core.mail import site_url, subject_line

Status = EventRegistration.Status


def get_event_for_registration(*, event_id: int) -> EventPage:
    event = EventPage.objects.live().public().filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    return event


def _lock(event: EventPage) -> EventPage:
    """The page registrations are kept on, its row locked until the transaction ends. Call
    inside a transaction."""
    return EventPage.objects.select_for_update().get(pk=event.registration_page.pk)


def _registrations(event: EventPage):
    """Every language version's registrations."""
    return EventRegistration.objects.filter(event__translation_key=event.translation_key)


def _check_open(event: EventPage) -> None:
    if not event.registrations_open:
        raise Conflict(_("Registrations are closed for this event."))
    if event.status != EventPage.Status.SCHEDULED:
        raise Conflict(_("This event is not taking place as planned."))
    if (event.end or event.start) < timezone.now() and not event.recurrence:
        raise Conflict(_("This event is over."))


def _confirmed(event: EventPage) -> int:
    return _registrations(event).filter(status=Status.CONFIRMED).count()


@transaction.atomic
def register_for_event(*, user, event: EventPage, waiting_list: bool = False) -> EventRegistration:
    """Register a member. A full event refuses (Conflict) unless `waiting_list`: the member
    then waits in order of arrival for a place to free up."""
    if not user.is_authenticated or not user.is_active:
        raise NotAllowed(_("Log in to register."))
    if getattr(user, "is_suspended", False):
        raise NotAllowed(_("Your account is suspended."))
    event = _lock(event)
    _check_open(event)
    if _registrations(event).filter(user=user).exists():
        raise Conflict(_("You are already registered."))
    status = Status.CONFIRMED
    if event.capacity and _confirmed(event) >= event.capacity:
        if not waiting_list:
            raise Conflict(_("This event is full."))
        status = Status.WAITING
    try:
        with transaction.atomic():
            registration = EventRegistration.objects.create(event=event, user=user, status=status)
    except IntegrityError as exc:  # a double submit raced past the check above
        raise Conflict(_("You are already registered.")) from exc
    if status == Status.CONFIRMED:
        _send_confirmation_on_commit(registration)
    return registration


@transaction.atomic
def cancel_registration(*, user, event: EventPage) -> EventRegistration | None:
    """Cancel the member's registration (or leave the waiting list). A freed place goes to
    the first member waiting, who is told by e-mail; returns that promoted registration."""
    event = _lock(event)
    registration = _registrations(event).filter(user=user).first()
    if registration is None:
        raise NotFound(_("You are not registered for this event."))
    registration.delete()
    if registration.status != Status.CONFIRMED:
        return None
    return _promote_next(event)


def _promote_next(event: EventPage) -> EventRegistration | None:
    """Should be called while holding the event's row lock (`_lock`)."""
    if event.capacity and _confirmed(event) >= event.capacity:
        return None
    following = (
        _registrations(event).filter(status=Status.WAITING).order_by("created", "pk").first()
    )
    if following is None:
        return None
    following.status = Status.CONFIRMED
    following.save(update_fields=["status"])
    _send_confirmation_on_commit(following, promoted=True)
    return following


def registration_for(event: EventPage, user) -> EventRegistration | None:
    """The member's registration, made on any language version of the event."""
    return _registrations(event).filter(user=user).select_related("event").first()


def waiting_position(registration: EventRegistration) -> int:
    """1 for the first member waiting."""
    return (
        _registrations(registration.event)
        .filter(status=Status.WAITING, created__lte=registration.created)
        .exclude(created=registration.created, pk__gt=registration.pk)
        .count()
    )


def registrations_of(event: EventPage):
    """The event's list for staff: confirmed first, then the waiting list, each in order."""
    return _registrations(event).select_related("user").order_by("status", "created", "pk")


# The e-mail ---------------------------------------------------------------------------------


def _send_confirmation_on_commit(registration: EventRegistration, *, promoted=False) -> None:
    from content.tasks import send_registration_email_task

    transaction.on_commit(
        lambda: send_registration_email_task.delay(registration.pk, promoted=promoted)
    )


def send_registration_email(*, registration_id: int, promoted: bool = False) -> bool:
    """The member's place, confirmed, with the event's .ics attached. Nothing is sent if the
    registration was cancelled in between or the member has no address."""
    from content.ical import build_calendar

    registration = (
        EventRegistration.objects.select_related("event", "user")
        .filter(pk=registration_id, status=Status.CONFIRMED)
        .first()
    )
    if registration is None or not registration.user.email:
        return False
    event, user = registration.event, registration.user
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "event": event,
            "user": user,
            "name": user.get_display_name(),
            "promoted": promoted,
            "event_url": site_url(event.get_url() or "/"),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        if promoted:
            subject = _("A place is free for you: %(event)s") % {"event": event.title}
        else:
            subject = _("You are registered: %(event)s") % {"event": event.title}
        body = render_to_string("content/email/event_registration.txt", context)
        calendar = build_calendar([event], None, name=event.title)
    message = EmailMessage(subject=subject_line(subject), body=body, to=[user.email])
    message.attach(f"{slugify(event.slug) or 'event'}.ics", calendar, "text/calendar")
    message.send()
    return True
