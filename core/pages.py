"""Whole pages shared by every viewer with the same roles: rendered once, cached, and served
with the viewer's own parts filled in at each request.

A signed-in page costs several times its data: the site's header, its menus, the filter
bars, every translated label and reversed link are rendered again for each request. A page
whose content depends only on its address, its language and the viewer's roles (the
ambassadors' directory and leaderboards, a campaign report) is rendered once per such key
with the viewer's own parts left as markers, then each request fills in:

- the member parts, templates that say who the viewer is (`{% member_part "…" %}` in
  base.html: the header's account menu, the admin user bar), rendered for the request;
- the CSRF token, rendered as a placeholder and replaced by the request's own.

What else a cached page may depend on, the caller puts in `scope` (the visibility levels a
directory shows), and its own cache's generation forgets the page when the rows behind it
change (core.cache.Cached). What a page shows of the viewer beyond that (their own card,
their own leaderboard row) is put in by the view's `personalise` after the filling. A
request with a flash message waiting is rendered normally too (the message is one
member's). Views call `render_shared` instead of `render`."""

import functools
import hashlib
import re
import uuid
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.translation import get_language

from core.cache import Cached
from core.caches import MEMBER_PARTS
from core.roles import group_names

# Shared page fragments (the site's navigation and footer) and shared pages are cached under
# this too: a process started on new code or assets never serves the fragments of the
# previous one from a cache that outlives it (Redis).
FRAGMENTS_VERSION = uuid.uuid4().hex[:8]

# Context flag: `{% member_part %}` leaves a marker instead of rendering its template.
DEFERRED = "member_parts_deferred"


def _secret(name: str) -> str:
    # Derived from SECRET_KEY, the same in every process sharing the cache, and impossible
    # to type into a bio or a title: no member's text can pass for a marker.
    return salted_hmac("core.pages", name).hexdigest()[:24]


def marker(template_name: str) -> str:
    return format_html("<!--{}:{}-->", _secret("part"), template_name)


def csrf_placeholder() -> str:
    return _secret("csrf")


@functools.cache
def _marker_pattern():
    return re.compile(rf"<!--{_secret('part')}:([\w./-]+)-->")


def viewer_roles(user) -> str:
    """Everything about a viewer that the site's templates may ask outside member parts:
    signed in or not, staff and superuser flags, and their groups (moderation, programme
    staff, the header's links)."""
    if not (user and user.is_authenticated):
        return "anonymous"
    flags = f"{int(user.is_active)}{int(user.is_staff)}{int(user.is_superuser)}"
    groups = ",".join(sorted(group_names(user)))
    return f"{flags}:{hashlib.md5(groups.encode(), usedforsecurity=False).hexdigest()[:12]}"


def page_key(request, scope: str = "", query: str | None = None) -> str:
    """`query`: what the page reads of the query string (None: all of it)."""
    # The scheme and host too: a page may write a link in full (a report's private link).
    address = f"{request.scheme}://{request.get_host()}{request.path}?"
    address += request.META.get("QUERY_STRING", "") if query is None else query
    return ":".join(
        (
            FRAGMENTS_VERSION,
            viewer_roles(request.user),
            scope,
            get_language() or "",
            hashlib.md5(address.encode(), usedforsecurity=False).hexdigest(),
        )
    )


# Member parts whose HTML depends only on a few facts about the request (core.caches.
# MEMBER_PARTS): {template name: facts(request) -> tuple}, declared by the apps that own them.
_PART_FACTS: dict[str, Callable] = {}


def cache_member_part(template_name: str, facts: Callable) -> None:
    """Declare that a member part shows nothing of the request but `facts(request)` (a
    tuple of plain values), and the language: it is then rendered once per such facts.
    `facts` answers None for a request whose part must be rendered anyway."""
    _PART_FACTS[template_name] = facts


def _render_part(template_name: str, request) -> str:
    def render():
        return get_template(template_name).render({"csrf_token": csrf_placeholder()}, request)

    facts = _PART_FACTS.get(template_name)
    facts = facts(request) if facts is not None else None
    if facts is None:
        return render()
    digest = hashlib.md5(repr(facts).encode(), usedforsecurity=False).hexdigest()
    return MEMBER_PARTS.get_or_set(
        template_name, f"{FRAGMENTS_VERSION}:{get_language()}", digest, default=render
    )


def fill_member_parts(html: str, request) -> str:
    html = _marker_pattern().sub(lambda match: _render_part(match.group(1), request), html)
    return html.replace(csrf_placeholder(), get_token(request))


def render_shared(
    request,
    template_name: str,
    context: Callable[[], dict],
    *,
    cached: Cached,
    scope: str = "",
    query: str | None = None,
    status: int = 200,
    personalise: Callable[[str], str] | None = None,
) -> HttpResponse:
    """The page, from `cached` (whose key takes one argument: `page_key`'s) when it may be
    shared; `context` is called only when the page is rendered. `query`: what the page reads
    of the query string (its filters, normalised; None: the whole query string), so that
    parameters it ignores (a link's utm_source, a cache-buster) share its entry instead of
    making one each. `personalise(html)` makes the viewer's own touches on the filled page
    (their row highlighted, their own card in place of the shared one), by replacing markup
    the page's template writes for them."""
    personalise = personalise or (lambda html: html)
    if len(get_messages(request)):  # one member's message: not for the shared page
        html = render_to_string(template_name, context(), request)
        return HttpResponse(personalise(html), status=status)
    html = cached.get_or_set(
        page_key(request, scope, query),
        default=lambda: render_to_string(
            template_name,
            {**context(), DEFERRED: True, "csrf_token": csrf_placeholder()},
            request,
        ),
    )
    html = fill_member_parts(html, request)
    return HttpResponse(personalise(html), status=status)
