"""The cache of the index pages' listings (filter bar, cards and pager) and of search results.

Each listing is cached under a key made of its section, query string, language, time zone
and the *content generation*: a number kept in the cache and bumped, once the transaction
commits, whenever something a listing shows may have changed (a page published, unpublished,
deleted or moved, a view restriction, an area, an image). A bump abandons every cached
listing at once; publications are rare next to reads. Event listings also expire after a few
minutes, as "upcoming" moves with time and registrations change the places taken.

The receivers are connected when this module is imported, which `content.models.pages`
does, so that every process that can publish (web, Celery, `publish_scheduled`) bumps.
"""

import hashlib
from urllib.parse import urlencode

from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from wagtail.images import get_image_model_string
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.cache import Generation

# A listing is dropped by a generation bump; the timeout only frees memory.
LISTING_TIMEOUT = 60 * 60
# Event listings change with the clock (an event ends) and with registrations ("19/50").
EVENT_LISTING_TIMEOUT = 5 * 60
# Search results are dropped by a generation bump too; queries vary far more than listings,
# so their entries are freed sooner.
SEARCH_TIMEOUT = 10 * 60


CONTENT_GENERATION = Generation("content")


def content_generation() -> int:
    return CONTENT_GENERATION.current()


def bump_content_generation() -> None:
    CONTENT_GENERATION.bump()


def bump_content_generation_on_commit(**kwargs) -> None:
    """Receiver: now and after commit (core.cache.Generation), so that a request cannot
    cache the old rows under the new generation."""
    CONTENT_GENERATION.bump()


def _request_key(kind: str, scope: int, request) -> str:
    """A key for what `request` shows of `scope` (a section, a site) in this generation,
    language and time zone. The whole query string is part of it, sorted (`?page=2&tag=x` and
    `?tag=x&page=2` share an entry): the pager's links carry every parameter."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    parts = [
        str(scope),
        str(content_generation()),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        hashlib.md5(query.encode(), usedforsecurity=False).hexdigest(),
    ]
    return f"content:{kind}:" + ":".join(parts)


def listing_cache_key(page, request) -> str:
    """The key of `page`'s listing for this request."""
    return _request_key("listing", page.pk, request)


def search_cache_key(site, request) -> str:
    """The key of the search results for this request on `site` (the hits' links depend on
    the site; every visitor gets the same results: only live public pages are searched)."""
    return _request_key("search", site.pk if site else 0, request)


page_published.connect(bump_content_generation_on_commit, dispatch_uid="content-cache-published")
page_unpublished.connect(
    bump_content_generation_on_commit, dispatch_uid="content-cache-unpublished"
)
post_page_move.connect(bump_content_generation_on_commit, dispatch_uid="content-cache-moved")
# A page's parent rows are deleted with it, whatever its type, and so are its descendants.
post_delete.connect(
    bump_content_generation_on_commit, sender="wagtailcore.Page", dispatch_uid="content-cache-del"
)
for _model in ("wagtailcore.PageViewRestriction", "content.Area", get_image_model_string()):
    for _signal in (post_save, post_delete):
        _signal.connect(
            bump_content_generation_on_commit,
            sender=_model,
            dispatch_uid=f"content-cache-{_signal is post_save}-{_model}",
        )
