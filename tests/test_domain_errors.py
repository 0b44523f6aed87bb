"""Domain errors a view lets through become the site's own pages, mapped in one place
(core.middleware.DomainErrorMiddleware), in the site's look and language."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound, RateLimited, TooLarge
from core.middleware import DomainErrorMiddleware

pytestmark = pytest.mark.django_db


def _answer(error, client):
    """What the whole stack answers when a view raises `error`."""
    from django.test import override_settings
    from django.urls import path

    def view(request):
        raise error

    from config import urls

    urlconf = type("urls", (), {"urlpatterns": [path("boom/", view), *urls.urlpatterns]})
    with override_settings(ROOT_URLCONF=urlconf):
        return client.get("/boom/")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("Gone"), 404),
        (NotAllowed("Not yours"), 403),
        (RateLimited("Slow down, please"), 429),
        (InvalidInput("Bad date"), 400),
        (Conflict("Already decided"), 409),
        (TooLarge("Too big"), 413),
    ],
)
def test_each_domain_error_has_its_status(client, error, status):
    assert _answer(error, client).status_code == status


@pytest.mark.parametrize(
    "error", [RateLimited("Slow down, please"), InvalidInput("Bad date"), Conflict("Taken")]
)
def test_the_page_says_what_went_wrong(client, error):
    response = _answer(error, client)
    assert str(error.message) in response.content.decode()
    assert '<html lang="' in response.content.decode()  # the site's own page, not a bare text


def test_other_exceptions_are_left_to_django():
    middleware = DomainErrorMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, ValueError("not ours")) is None
