"""Every error of the API is JSON `{"code": "<stable_code>", "message": "<human text>"}` with
its status: domain errors (core.errors) by their own code and status, the framework's
errors mapped here once. Clients branch on `code`; `message` is for people (translated)."""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from core.errors import DomainError

from .auth import CsrfFailed

logger = logging.getLogger(__name__)

CODES_BY_STATUS = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
}


class Error(Schema):
    code: str
    message: str


class ValidationProblem(Schema):
    loc: list[str | int]
    message: str


class InvalidError(Error):
    errors: list[ValidationProblem] = []


def error_response(api, request, *, status: int, code: str, message, **extra):
    return api.create_response(
        request, {"code": code, "message": str(message), **extra}, status=status
    )


def _domain_error(api, request, exc: DomainError):
    return error_response(api, request, status=exc.status, code=exc.code, message=exc.message)


def _validation_error(api, request, exc: ValidationError):
    problems = [
        {"loc": [str(part) for part in error.get("loc", ())], "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return error_response(
        api,
        request,
        status=400,
        code="invalid",
        message=_("Some of the data sent is not valid."),
        errors=problems,
    )


def _authentication_error(api, request, exc):
    response = error_response(
        api,
        request,
        status=401,
        code="unauthenticated",
        message=_("Sign in, or send a valid personal access token (Authorization: Bearer …)."),
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _http_error(api, request, exc: HttpError):
    if isinstance(exc, CsrfFailed):
        code = "csrf_failed"
    else:
        code = CODES_BY_STATUS.get(exc.status_code, "error")
    messages = {
        400: _("The request could not be read (is the body valid JSON?)."),
        429: _("Too many requests. Please wait a moment and try again."),
    }
    message = exc.message if isinstance(exc, CsrfFailed) else messages.get(exc.status_code)
    response = error_response(
        api, request, status=exc.status_code, code=code, message=message or exc.message
    )
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


def _not_found(api, request, exc):
    return error_response(api, request, status=404, code="not_found", message=_("Not found."))


def _permission_denied(api, request, exc):
    return error_response(
        api, request, status=403, code="forbidden", message=_("You are not allowed to do this.")
    )


def _too_large(api, request, exc):
    return error_response(
        api, request, status=413, code="too_large", message=_("What you sent is too large.")
    )


def _server_error(api, request, exc):
    """A bug. Logged with its traceback (and so reported like any other 500), answered in
    the API's shape rather than as the site's HTML error page."""
    logger.error(
        "API error on %s %s", request.method, request.path, exc_info=exc, extra={"request": request}
    )
    return error_response(
        api,
        request,
        status=500,
        code="server_error",
        message=_("Something went wrong on our side. It has been logged."),
    )


def install(api) -> None:
    """Register the handlers on `api`; the most specific class wins."""
    handlers = [
        (Exception, _server_error),
        (DomainError, _domain_error),
        (ValidationError, _validation_error),
        (AuthenticationError, _authentication_error),
        (HttpError, _http_error),
        (Http404, _not_found),
        (PermissionDenied, _permission_denied),
        (RequestDataTooBig, _too_large),
        (TooManyFieldsSent, _too_large),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, _bind(api, handler))


def _bind(api, handler):
    def bound(request, exc):
        return handler(api, request, exc)

    return bound
