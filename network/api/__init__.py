"""The network's HTTP API, /api/v1/ (django-ninja). Endpoints parse input, call the same
services and selectors as the web pages, and shape the reply; errors are mapped once, in
network.api.errors. OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs.

Reads the web shows to everyone are open to anonymous callers; everything else needs a
member, signed in (session cookie + CSRF header for writes) or with a personal access token
(`Authorization: Bearer trt_…`). See docs/api.md."""

import json

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger

from core.errors import NotFound

from . import errors
from .auth import SIGNED_IN
from .feed import router as feed_router
from .groups import router as groups_router
from .me import router as me_router
from .organisations import router as organisations_router
from .people import router as people_router
from .posts import router as posts_router

DESCRIPTION = """
The Territory business network: groups, posts, the feed, organisations and members.

**Authentication.** Either the browser's session (writes then need the `X-CSRFToken`
header) or a personal access token created on the account page:
`Authorization: Bearer trt_…`. Reads of public groups, posts and organisations need none.

**Lists** are wrapped as `{"items": [...], "next": "<cursor or null>"}`; pass `next` back as
`?cursor=` for the following page.

**Errors** are `{"code": "<stable_code>", "message": "<human text>"}` with the HTTP status.
"""


class OfflineSwagger(Swagger):
    """Swagger UI from the copy ninja ships (ninja/static, collected like any app's static
    files), so the docs page loads nothing from a CDN and runs under the site's strict CSP:
    ninja's template has no inline script. The online validator badge is off (it would
    call validator.swagger.io)."""

    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request, api, **kwargs):
        # Never ninja's CDN variant (which it picks when "ninja" is not an installed app):
        # without the app, this fails loudly instead of loading scripts from a CDN.
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": json.dumps(swagger_settings, indent=1),
            "api": api,
            "add_csrf": True,  # the session is one of the API's authentications
        }
        return render(request, "ninja/swagger.html", context)


api = NinjaAPI(
    title="Territory API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=SIGNED_IN,
    docs=OfflineSwagger(),
)
errors.install(api)

api.add_router("/me", me_router, tags=["me"])
api.add_router("/groups", groups_router, tags=["groups"])
api.add_router("/posts", posts_router, tags=["posts"])
api.add_router("/feed", feed_router, tags=["feed"])
api.add_router("/organisations", organisations_router, tags=["organisations"])
api.add_router("/people", people_router, tags=["people"])
api.add_router("/notifications", "network.api.notifications.router", tags=["notifications"])
api.add_router("", "network.api.moderation.router", tags=["moderation"])
# realtime's router, by name (network does not import realtime; the routers' registry in
# config takes this over).
api.add_router("/chat", "realtime.api.router", tags=["chat"])


# Last, so that it only catches what no endpoint matched: an unknown URL under /api/v1/ is
# the API's own JSON 404, not the site's HTML page.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_endpoint(request, rest: str):
    raise NotFound(_("There is no such endpoint. See /api/v1/docs."))


api.add_router("", fallback)


def add_app_router(prefix: str, router, *, tags: list[str]) -> None:
    """Add another app's router (called from its AppConfig.ready(), before the URLconf is
    loaded), kept ahead of the fallback so that its paths are not caught as unknown."""
    api.add_router(prefix, router, tags=tags)
    # Stable sorts: the fallback goes last, the rest keep their order.
    api._router_registrations.sort(key=lambda registration: registration[1] is fallback)
    api._routers.sort(key=lambda item: item[1] is fallback)
