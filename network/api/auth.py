"""Who is calling: a personal access token (`Authorization: Bearer trt_…`) or the browser's
session. Each endpoint lists these callbacks; ninja tries them in order and the first that
returns something wins (it becomes `request.auth`, and `request.user` is the actor).

- A request carrying an Authorization header is judged by it alone: a bad token is a 401,
  never a fall-back to the session cookie sent alongside.
- A session is the browser's, so its unsafe requests must carry the CSRF token; a bearer
  token is not sent by browsers on their own, so it needs none.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security.apikey import APIKeyCookie
from ninja.security.http import HttpBearer
from ninja.utils import check_csrf

from network.services.tokens import user_for_token


class CsrfFailed(HttpError):
    def __init__(self):
        super().__init__(403, _("The CSRF token is missing or wrong. Reload the page and retry."))


class TokenAuth(HttpBearer):
    """`Authorization: Bearer trt_…`, a personal access token created on the account page."""

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _space, raw_token = header.partition(" ")
        if scheme.lower() != "bearer" or not raw_token.strip():
            raise AuthenticationError()
        return self.authenticate(request, raw_token.strip())

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError()
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session; unsafe methods need the CSRF token
    (X-CSRFToken header, as for any of the site's forms)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if request.headers.get("Authorization") or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed()
        return request.user

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return request.user if request.user.is_authenticated else None


class Anonymous:
    """Lets a read through without credentials (as the web pages do); the services and
    selectors then see an anonymous user. Not an OpenAPI security scheme."""

    def __call__(self, request):
        # The callbacks before this one found no credentials: the user is anonymous.
        return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth()

# Endpoints that need a member behind them (every write, /me, /feed).
SIGNED_IN = [token_auth, session_auth]
# Reads the web shows to everyone (public groups and posts, the organisation directory).
ANYONE = [token_auth, session_auth, Anonymous()]
# How OpenAPI says "either of these, or nothing" (pass as openapi_extra with ANYONE).
OPTIONAL_AUTH = {"security": [{"TokenAuth": []}, {"SessionAuth": []}, {}]}
