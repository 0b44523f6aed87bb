"""Domain errors that a view lets through become the site's error pages, in one place (the
API maps them in network/api/errors.py, sockets send an error frame)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from core.errors import DomainError, NotAllowed, NotFound, RateLimited


class DomainErrorMiddleware:
    """Missing and forbidden are the site's 404 and 403 pages (raised again as Django's own,
    so its handlers render them); a rate limit is the one 429 page; any other domain error is
    the error page with its message and status (400, 409, 413)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, NotAllowed):
            raise PermissionDenied(str(exception.message)) from exception
        template = "429.html" if isinstance(exception, RateLimited) else "error.html"
        return render(
            request,
            template,
            {"message": exception.message, "status": exception.status},
            status=exception.status,
        )
