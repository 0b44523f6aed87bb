"""What the network's HTML views share around a service call made by a POSTed action."""

from django.contrib import messages
from django.shortcuts import redirect

from core.errors import FORM_ERRORS


def run_action(request, action, *, success: str = "", back: str):
    """Call a service for a POSTed action and answer with a redirect to `back`: its success
    message, or its error as a message. Missing/forbidden raise 404/403; a rate limit
    answers 429 so that scripts see it."""
    try:
        action()
    except FORM_ERRORS as error:
        messages.error(request, error.message)
    else:
        if success:
            messages.success(request, success)
    return redirect(back)
