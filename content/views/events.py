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
    try:
        if request.POST.get("action") == "cancel":
            services.cancel_registration(user=request.user, event=event)
            messages.success(request, _("Your registration has been cancelled."))
        else:
            services.register_for_event(user=request.user, event=event)
            messages.success(request, _("You are registered. See you there!"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(event.url)
