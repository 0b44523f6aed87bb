"""Domain errors of every app (one module, below them all). Each interface maps them once:
a form error, a JSON {"code", "message"} with its status, or a socket error frame."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    code = "forbidden"
    status = 403
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with the current state.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests. Please wait a moment and try again.")


class InvalidInput(DomainError):
    code = "invalid"
    status = 400
    default_message = _("The data sent is not valid.")


class TooLarge(DomainError):
    code = "too_large"
    status = 413
    default_message = _("What you sent is too large.")


# What the person can put right (the form or a message says what), as opposed to missing,
# forbidden or too fast, which interfaces answer with their own page or status.
FORM_ERRORS = (InvalidInput, Conflict, TooLarge)
