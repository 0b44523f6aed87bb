"""The content hub's caches (core.cache.register): the index pages' listings (filter bar,
cards and pager) and the search results.

Each listing is cached under a key made of its section, query string, language, time zone
and the *content generation*: a number kept in the cache and bumped, now and once the
transaction commits, whenever something a listing shows may have changed (a page published,
unpublished, deleted or moved, a view restriction, an area, an image). A bump abandons every
cached listing at once; publications are rare next to reads. Event listings also expire after
a few minutes, as "upcoming" moves with time and registrations change the places taken.

The receivers are connected by CoreConfig.ready() (core.cache.connect_receivers), so every
process that can publish (web, Celery, `publish_scheduled`) bumps.
"""

import hashlib
from urllib.parse import urlencode

from django.utils import timezone, translation
from wagtail.images import get_image_model_string
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.cache import Cached, Generation, register

# A listing is dropped by a generation bump; the timeout only frees memory.
LISTING_TIMEOUT = 60 * 60
# Event listings change with the clock (an event ends) and with registrations ("19/50").
EVENT_LISTING_TIMEOUT = 5 * 60
# Search results are dropped by a generation bump too; queries vary far more than listings,
# so their entries are freed sooner.
SEARCH_TIMEOUT = 10 * 60


CONTENT_GENERATION = Generation("content")

# What a listing or a search shows, and so what bumps the content generation. A page's
# parent rows are deleted with it, whatever its type, and so are its descendants.
_CONTENT_ROWS = {
    label: (lambda instance: ())
    for label in (
        "wagtailcore.Page",
        "wagtailcore.PageViewRestriction",
        "content.Area",
        get_image_model_string(),
    )
}
_PUBLICATION = ((page_published, None), (page_unpublished, None), (post_page_move, None))

LISTINGS = register(
    Cached(
        name="content.listings",
        key=lambda scope, request_part: f"content:listing:{scope}:{request_part}",
        timeout=LISTING_TIMEOUT,
        generation=CONTENT_GENERATION,
        stale_on=_CONTENT_ROWS,
        stale_on_signals=_PUBLICATION,
        gain="an index page 2.3-3.1x the bare view cached, 5-12x built (performance.md)",
    )
)

SEARCH_RESULTS = register(
    Cached(
        name="content.search",
        key=lambda site_id, request_part: f"content:search:{site_id}:{request_part}",
        timeout=SEARCH_TIMEOUT,
        # The same generation as the listings: their receivers bump it.
        generation=CONTENT_GENERATION,
        gain="a search 3.7-4.4x the bare view built; cached like a listing (second session)",
    )
)


# A page's addresses in each language it is published in (its hreflang alternates, in the
# head of every public page): they change only when a translation is published, unpublished,
# moved or deleted, which bumps the content generation.
PAGE_ALTERNATES = register(
    Cached(
        name="content.page_alternates",
        key=lambda page_id, root, canonical: "content:alternates:{}:{}".format(
            page_id, hashlib.md5(f"{root} {canonical}".encode(), usedforsecurity=False).hexdigest()
        ),
        timeout=LISTING_TIMEOUT,
        generation=CONTENT_GENERATION,
        local=True,
        gain="the home page one query and 2-5 ms fewer (performance.md, home page)",
    )
)


def content_generation() -> int:
    return CONTENT_GENERATION.current()


def bump_content_generation() -> None:
    CONTENT_GENERATION.bump()


def bump_content_generation_on_commit(**kwargs) -> None:
    """Now and after commit (core.cache.Generation), so that a request cannot cache the old
    rows under the new generation."""
    CONTENT_GENERATION.bump()


def request_part(request) -> str:
    """What a listing or a search shows of a request: its language, time zone and whole query
    string, sorted (`?page=2&tag=x` and `?tag=x&page=2` share an entry): the pager's links
    carry every parameter."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    return ":".join(
        [
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            hashlib.md5(query.encode(), usedforsecurity=False).hexdigest(),
        ]
    )


def listing_cache_key(page, request) -> str:
    """The key of `page`'s listing for this request."""
    return LISTINGS.key_for(page.pk, request_part(request))


def search_cache_key(site, request) -> str:
    """The key of the search results for this request on `site` (the hits' links depend on
    the site; every visitor gets the same results: only live public pages are searched)."""
    return SEARCH_RESULTS.key_for(site.pk if site else 0, request_part(request))
