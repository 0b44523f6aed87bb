"""The old import path of content's caches, now declared in content/caches.py."""

from content.caches import (  # noqa: F401
    CONTENT_GENERATION,
    EVENT_LISTING_TIMEOUT,
    LISTING_TIMEOUT,
    SEARCH_TIMEOUT,
    bump_content_generation,
    bump_content_generation_on_commit,
    content_generation,
    listing_cache_key,
    search_cache_key,
)
