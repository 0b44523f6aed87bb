"""Template helpers of the content hub's public pages."""

import functools

from django import template
from django.conf import settings
from django.utils import timezone
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.models import Page

from content import seo
from content.caches import LISTING_TIMEOUT, LISTINGS, request_part

register = template.Library()


@register.inclusion_tag("content/includes/meta_tags.html", takes_context=True)
def page_meta(context):
    """Description, canonical URL, Open Graph, Twitter card and JSON-LD of the current page.
    Views that are not Wagtail pages (accounts, groups…) get nothing."""
    page, request = context.get("page"), context.get("request")
    if not isinstance(page, Page) or request is None:
        return {"meta": None}
    if type(page) is Page:
        page = page.specific
    return {"meta": seo.page_meta(page, request)}


@register.simple_tag
def area_options(areas):
    """The areas in tree order, each with its depth: [(area, 0), (child, 1), …]."""
    areas = list(areas)
    children = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    known = {area.pk for area in areas}
    ordered = []

    def walk(parent_id, depth):
        for area in sorted(children.get(parent_id, []), key=lambda a: a.name.lower()):
            ordered.append((area, depth))
            walk(area.pk, depth + 1)

    # Roots are areas without a parent, or whose parent is not in the list.
    for parent_id in [None] + sorted(
        {a.parent_id for a in areas if a.parent_id not in known} - {None}
    ):
        walk(parent_id, 0)
    return ordered


@register.filter
def indent(depth):
    """Non-breaking spaces to show an area's depth inside a <select>."""
    return "\u00a0\u00a0" * int(depth or 0)


@register.simple_tag
def last_checked(page):
    """When the page's information was last confirmed: its review date, else its last edit."""
    reviewed = getattr(page, "last_reviewed_at", None)
    if reviewed:
        return reviewed
    moment = page.latest_revision_created_at or page.last_published_at
    return timezone.localdate(moment) if moment else None


@register.simple_tag(takes_context=True)
def accessibility_statement(context):
    """The live accessibility statement of the site, for the footer's link that says its
    conformity level on every page (RGAA): None if there is none. The footer that calls it
    is a cached fragment, so this runs once per language every few minutes per process."""
    from content.models import AccessibilityStatementPage

    request = context.get("request")
    page = AccessibilityStatementPage.objects.live().public().first()
    if page is None:
        return None
    return {"url": page.get_url(request), "level": page.get_compliance_display()}


@register.simple_tag
def map_settings():
    return {
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        "outline": getattr(settings, "MAP_OUTLINE", ""),
    }


@register.simple_tag
def card_image(image, spec, **attrs):
    """`{% image %}` for the cards of a list: `{% card_image image "fill-480x320" alt="" %}`.

    Wagtail's `get_rendition()`, behind `{% image %}`, writes the rendition back to the cache
    on every call, even when it was found among the prefetched ones
    (`prefetch_related("hero_image__renditions")`): one pickled image with all its renditions
    per card (a round trip to Redis in production). `get_renditions()` takes a prefetched
    rendition as it is, and still finds or creates a missing one and caches it."""
    renditions = get_renditions_or_not_found(image, [image_filter(spec)])
    return next(iter(renditions.values())).img_tag(attrs)


@functools.lru_cache(maxsize=64)
def image_filter(spec: str) -> Filter:
    """One `Filter` per spec for the process: building one parses the spec into operations
    (about a millisecond a card on the benchmark's machine), and a filter holds no state of
    the images it is applied to."""
    return Filter(spec=spec)


@register.tag
def listing_cache(parser, token):
    """`{% listing_cache %}…{% endlisting_cache %}`: the listing of an index page, cached per
    section, query string, language and content generation (content/caches.py). Previews are
    rendered afresh."""
    nodelist = parser.parse(("endlisting_cache",))
    parser.delete_first_token()
    return ListingCacheNode(nodelist)


class ListingCacheNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        page, request = context.get("page"), context.get("request")
        if page is None or request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        return LISTINGS.get_or_set(
            page.pk,
            request_part(request),
            default=lambda: self.nodelist.render(context),
            timeout=getattr(page, "listing_cache_timeout", LISTING_TIMEOUT),
        )
