from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.services import events as services
from core.errors import DomainError, NotFound


@login_required
@require_POST
def event_registration(request, event_id):
    try:
        event = services.get_event_for_registration(event_id=event_id)
    except NotFound as exc:
        raise Http404 from exc
    action = request.POST.get("action")
    try:
        if action == "cancel":
            services.cancel_registration(user=request.user, event=event)
            messages.success(request, _("Your registration has been cancelled."))
        elif action == "wait":
            services.register_for_event(user=request.user, event=event, waiting_list=True)
            messages.success(
                request,
                _(
                    "You are on the waiting list. If a place frees up, it is yours and we tell "
                    "you by e-mail."
                ),
            )
        else:
            registration = services.register_for_event(user=request.user, event=event)
            messages.success(
                request,
                _(
                    "You are registered. See you there! The confirmation and the calendar file "
                    "are on their way to your e-mail."
                )
                if registration.user.email
                else _("You are registered. See you there!"),
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(event.url)
