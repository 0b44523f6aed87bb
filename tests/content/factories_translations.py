"""English versions of test pages, as editors make them with Wagtail's simple translation."""

from wagtail.models import Locale

from . import factories_pages as f


def translate(page, language="en", **fields):
    """Publish `page`'s translation into `language` (its parents too, as they are), with
    `fields` changed."""
    locale = Locale.objects.get(language_code=language)
    for ancestor in page.get_ancestors().filter(depth__gte=2).specific():
        if ancestor.get_translation_or_none(locale) is None:
            _publish(ancestor.copy_for_translation(locale))
    translated = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    return _publish(translated)


def translate_tree(language="en"):
    """Every live page of the French tree copied into `language`, slugs and text as they
    are: the same site, served under /en/ from English pages."""
    locale = Locale.objects.get(language_code=language)
    for page in f.home().get_descendants(inclusive=True).live().specific().order_by("path"):
        if page.get_translation_or_none(locale) is None:
            _publish(page.copy_for_translation(locale))


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page
