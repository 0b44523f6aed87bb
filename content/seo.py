"""What a page tells search engines and social networks: meta description, canonical URL,
Open Graph and Twitter card tags, and schema.org JSON-LD.

Everything here reads fields the page already has loaded (or one rendition of its hero image),
so it adds no query that grows with the page's content.
"""

import html
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.fields import RichTextField
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from content.caches import PAGE_ALTERNATES

DESCRIPTION_LENGTH = 160
HEADLINE_LENGTH = 110
SHARE_IMAGE_SPEC = "fill-1200x630"
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
LANGUAGE_ORDER = {code: n for n, (code, _name) in enumerate(settings.LANGUAGES)}
SCHEMA_EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
}

# The same escapes as Django's json_script: the JSON cannot close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def plain_text(value, length=DESCRIPTION_LENGTH) -> str:
    """One line of plain text from a text or rich-text value, cut at `length` characters."""
    text = html.unescape(strip_tags(str(value or "")))
    text = " ".join(text.split())
    return Truncator(text).chars(length) if length else text


def page_description(page: Page) -> str:
    if page.search_description:
        return plain_text(page.search_description)
    for name in ("intro", "tagline"):
        value = getattr(page, name, "")
        if not value:
            continue
        if _is_rich_text(page, name):
            return plain_text(value)
        return Truncator(" ".join(str(value).split())).chars(DESCRIPTION_LENGTH)
    return ""


def _is_rich_text(page: Page, name: str) -> bool:
    try:
        return isinstance(page._meta.get_field(name), RichTextField)
    except Exception:  # noqa: BLE001 - an attribute that is not a field is plain text
        return False


def site_root_url(page: Page, request) -> str:
    """The scheme and host the page is published under (its Wagtail site), else the request's."""
    parts = page.get_url_parts(request) if page.pk else None
    if parts and parts[1]:
        return parts[1]
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(url: str, root: str) -> str:
    return url if urlsplit(url).scheme else root + url


def canonical_url(page: Page, request, root: str) -> str:
    url = page.get_url(request) if page.pk else None
    if not url:
        return request.build_absolute_uri(request.path)
    url = absolute_url(url, root)
    number = request.GET.get("page", "")
    if number.isdigit() and int(number) > 1:
        url += f"?page={int(number)}"
    return url


def share_image(page: Page, root: str) -> dict:
    """URL and size of the hero image's rendition for link previews, or an empty dict."""
    image = getattr(page, "hero_image", None)
    if image is None:
        return {}
    try:
        rendition = image.get_rendition(SHARE_IMAGE_SPEC)
    except (SourceImageIOError, OSError, ValueError):
        # A missing or broken file must not break the page (as the {% image %} tag does).
        return {}
    return {
        "url": absolute_url(rendition.url, root),
        "width": rendition.width,
        "height": rendition.height,
    }


def language_alternates(page: Page, request, root: str, canonical: str) -> list[dict]:
    """The page's address in each language it is published in: itself and its live
    translations (hreflang). An unsaved page (a preview) names only itself."""
    if not page.pk:
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return [{"language": language, "url": canonical}]
    return PAGE_ALTERNATES.get_or_set(
        page.pk, root, canonical, default=lambda: _read_alternates(page, request, root, canonical)
    )


def _read_alternates(page: Page, request, root: str, canonical: str) -> list[dict]:
    alternates = []
    for translation_ in page.get_translations(inclusive=True).live().select_related("locale"):
        url = canonical if translation_.pk == page.pk else translation_.get_url(request)
        if url:
            alternates.append(
                {"language": translation_.locale.language_code, "url": absolute_url(url, root)}
            )
    return sorted(alternates, key=lambda alternate: LANGUAGE_ORDER.get(alternate["language"], 99))


def page_meta(page: Page, request) -> dict:
    """The values of the meta, Open Graph and Twitter tags of a page."""
    root = site_root_url(page, request)
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    canonical = canonical_url(page, request, root)
    title = page.seo_title or page.title
    alternates = language_alternates(page, request, root, canonical)
    meta = {
        "title": title,
        "description": page_description(page),
        "canonical": canonical,
        "alternates": alternates,
        "site_name": getattr(settings, "TERRITORY_NAME", ""),
        "type": "article" if page.specific_class.__name__ == "StoryPage" else "website",
        "locale": OG_LOCALES.get(language, language),
        "locale_alternates": [
            OG_LOCALES[alternate["language"]]
            for alternate in alternates
            if alternate["language"] != language and alternate["language"] in OG_LOCALES
        ],
        "image": share_image(page, root),
    }
    meta["twitter_card"] = "summary_large_image" if meta["image"] else "summary"
    meta["json_ld"] = json_ld_script(structured_data(page, request, meta))
    return meta


# schema.org -----------------------------------------------------------------------------


def structured_data(page: Page, request, meta: dict) -> dict | None:
    """The schema.org object describing the page, or None for pages without one."""
    builder = {
        "DestinationPage": _tourist_attraction,
        "EventPage": _event,
        "StoryPage": _article,
        "HomePage": _website,
    }.get(page.specific_class.__name__)
    if builder is None:
        return None
    data = {"@context": "https://schema.org"}
    data.update(builder(page, meta))
    _add_source(page, data)
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _add_source(page: Page, data: dict) -> None:
    """An imported page keeps its record's schema.org types and names the record's URI.
    Only the kinds of page an import makes can have a record: the others (the home page
    among them) are not asked for one, which would cost every view of them a query."""
    from content.imports.fields import PAGE_MODELS
    from content.imports.models import ImportedRecord

    if not issubclass(page.specific_class, tuple(PAGE_MODELS.values())):
        return
    record = (
        ImportedRecord.objects.filter(page_id=page.pk).only("schema_types", "source_uri").first()
    )
    if record is None:
        return
    types = [data["@type"]] + [kind for kind in record.schema_types if kind != data["@type"]]
    data["@type"] = types if len(types) > 1 else types[0]
    if record.source_uri:
        same_as = [value for value in [data.get("sameAs"), record.source_uri] if value]
        data["sameAs"] = same_as


def _base(schema_type: str, page: Page, meta: dict, name_key="name") -> dict:
    return {
        "@type": schema_type,
        name_key: page.title,
        "description": meta["description"],
        "url": meta["canonical"],
        "image": meta["image"].get("url"),
    }


def _geo(coordinates):
    if not coordinates:
        return None
    latitude, longitude = coordinates
    return {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}


def _tourist_attraction(page, meta):
    data = _base("TouristAttraction", page, meta)
    data.update(
        address=plain_text(page.address, length=None) or None,
        geo=_geo(page.coordinates),
        telephone=page.phone or None,
        email=page.email or None,
        sameAs=page.website or None,
    )
    if page.area_id:
        data["containedInPlace"] = {"@type": "Place", "name": page.area.name}
    return data


def _event(page, meta):
    data = _base("Event", page, meta)
    occurrence = page.next_occurrence() or _first_occurrence(page)
    start, end = (occurrence.start, occurrence.end) if occurrence else (page.start, page.end)
    tz = page.tzinfo
    data.update(
        startDate=timezone.localtime(start, tz).isoformat() if start else None,
        endDate=timezone.localtime(end, tz).isoformat() if end else None,
        eventStatus=SCHEMA_EVENT_STATUS.get(page.status, SCHEMA_EVENT_STATUS["scheduled"]),
        eventAttendanceMode="https://schema.org/OfflineEventAttendanceMode",
        location=_event_place(page),
    )
    return data


def _first_occurrence(page):
    occurrences = page.occurrences()
    return occurrences[0] if occurrences else None


def _event_place(page):
    venue = page.venue_page if page.venue_page_id else None
    place = {"@type": "Place", "name": page.venue_label or (page.area.name if page.area_id else "")}
    address = page.venue_address or (venue.address if venue else "")
    if address:
        place["address"] = plain_text(address, length=None)
    if venue is not None:
        place["geo"] = _geo(venue.coordinates)
    elif page.coordinates:
        place["geo"] = _geo(page.coordinates)
    if not place["name"]:
        place["name"] = getattr(settings, "TERRITORY_NAME", "")
    return {key: value for key, value in place.items() if value}


def _article(page, meta):
    data = _base("Article", page, meta, name_key="headline")
    data["headline"] = Truncator(page.title).chars(HEADLINE_LENGTH)
    data["datePublished"] = page.date.isoformat() if page.date else None
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    publisher = {"@type": "Organization", "name": meta["site_name"]}
    if page.author_id:
        data["author"] = {"@type": "Person", "name": page.author.get_display_name()}
    else:
        data["author"] = publisher
    data["publisher"] = publisher
    return data


def _website(page, meta):
    data = _base("WebSite", page, meta)
    data["name"] = meta["site_name"] or page.title
    return data


def json_ld_script(data: dict | None) -> str:
    """A `<script type="application/ld+json">` element, safe to place in HTML."""
    if not data:
        return ""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308  # nosec B308 B703 - payload escaped above
