"""A group's events: listing, creating, RSVP and cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import FORM_ERRORS
from network.forms.groups import (
    GroupEventForm,
    RSVPForm,
)
from network.permissions import (
    can_rsvp_group_event,
)
from network.selectors import groups as selectors
from network.services import group_events as event_services
from network.views.groups.common import _group_context, _moderated_group, _readable_group, _run
from network.views.groups.members import _event_url

# Events --------------------------------------------------------------------------------------


@require_safe
def group_events(request, slug):
    group = _readable_group(request, slug)
    context = _group_context(request, group, tab="events")
    upcoming = list(selectors.group_events(request.user, group))
    past = list(selectors.group_events(request.user, group, past=True)[:20])
    mine = selectors.rsvps_of(request.user, upcoming + past)
    for event in upcoming + past:
        event.my_rsvp = mine.get(event.pk)
    context.update({"upcoming": upcoming, "past": past})
    return render(request, "network/groups/events.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_event_create(request, slug):
    group = _moderated_group(request, slug)
    form = GroupEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = event_services.create_group_event(
                actor=request.user,
                group=group,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                description=data["description"],
                location=data["location"],
                capacity=data["capacity"],
                guests_allowed=data["guests_allowed"],
                content_event=data["content_event"],
            )
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event is on the group's calendar."))
            return redirect("network:group_event", slug=group.slug, event_id=event.pk)
    context = _group_context(request, group, tab="events")
    context["form"] = form
    return render(request, "network/groups/event_form.html", context)


@require_safe
def group_event_detail(request, slug, event_id):
    group = _readable_group(request, slug)
    event = selectors.get_group_event_for(request.user, group, event_id)
    going, waiting = selectors.event_rsvps(event)
    mine = next((r for r in going + waiting if r.user_id == request.user.pk), None)
    context = _group_context(request, group, tab="events")
    context.update(
        {
            "event": event,
            "going": going,
            "waiting": waiting,
            "my_rsvp": mine,
            "my_position": waiting.index(mine) + 1 if mine in waiting else None,
            "seats_left": (
                max(event.capacity - event.seats_taken, 0) if event.capacity is not None else None
            ),
            "can_rsvp": can_rsvp_group_event(request.user, group),
            "started": event.starts_at <= timezone.now(),
            "rsvp_form": RSVPForm(event=event),
            "guest_range": range(event.guests_allowed + 1),
        }
    )
    return render(request, "network/groups/event_detail.html", context)


def _event_for_action(request, slug, event_id):
    group = _readable_group(request, slug)
    return selectors.get_group_event_for(request.user, group, event_id)


@login_required
@require_POST
def group_event_rsvp(request, slug, event_id):
    event = _event_for_action(request, slug, event_id)
    back = _event_url(event)
    form = RSVPForm(request.POST, event=event)
    if not form.is_valid():
        if not can_rsvp_group_event(request.user, event.group):
            raise PermissionDenied()
        messages.error(request, _("Say how many guests come with you (a number)."))
        return redirect(back)

    def reply():
        return event_services.rsvp(
            actor=request.user, event=event, guests=form.cleaned_data["guests"]
        )

    try:
        result = reply()
    except FORM_ERRORS as error:
        messages.error(request, error.message)
    else:
        if result.status == result.Status.GOING:
            messages.success(request, _("You are going. See you there!"))
        else:
            messages.success(
                request,
                _("The event is full: you are on the waiting list and will move up by yourself."),
            )
    return redirect(back)


@login_required
@require_POST
def group_event_cancel(request, slug, event_id):
    event = _event_for_action(request, slug, event_id)
    return _run(
        request,
        lambda: event_services.cancel_rsvp(actor=request.user, event=event),
        success=_("Your reply is cancelled."),
        back=_event_url(event),
    )
