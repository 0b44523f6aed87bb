"""Hub pages across languages: each language has its own tree of pages (Wagtail's locales),
French at the plain addresses and English under /en/. See docs/translation.md."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import get_language_from_path
from wagtail.models import Locale, Site


def translation_url(request, path: str, language: str) -> str | None:
    """Where the language switch takes a visitor from `path` to `language`: the live
    translation of the hub page served at `path`, else that language's home page. None when
    `path` is not a hub page, or `language` has no home page yet (the caller then keeps the
    same path in the other language)."""
    source_language = get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(source_language):
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            return None
    if match.url_name != "wagtail_serve":
        return None
    site = Site.find_for_request(request)
    locales = {
        locale.language_code: locale
        for locale in Locale.objects.filter(language_code__in=[source_language, language])
    }
    if site is None or language not in locales:
        return None
    home = site.root_page
    target_home = home.get_translation_or_none(locales[language])
    if target_home is None or not target_home.live:
        return None
    source_home = home.get_translation_or_none(locales.get(source_language)) or home
    route = match.args[0] if match.args else match.kwargs.get("path", "")
    try:
        page = source_home.specific.route(request, [part for part in route.split("/") if part])
    except Http404:
        page = None
    page = page[0] if page is not None else None
    target = page.get_translation_or_none(locales[language]) if page is not None else None
    if target is None or not target.live:
        target = target_home
    return target.get_url(request)
