"""Feed cards from a fragment cache: `{% feed_card entry %}` (network/posts/_feed.html and
_post.html), for posts and for the content hub's stories and events.

A card is rendered from network/posts/_post_card.html without the request, and kept in the
cache under a key made of everything its HTML depends on (card_key()): the post's text,
status, dates, counts, images, tags, author, group and what it shares, the viewer's own
reactions and whether they wrote it, the language, the time zone and the templates' source.
So a change of any of those is a new key (nothing to invalidate, old entries expire), and
the cards of most viewers (signed in, not the author, no reaction given) are the same
entries. The CSRF token and the page's address differ per request: the cached HTML holds
placeholders for them, filled in after the cache.

A hub card (_hub_card.html) has the same treatment, keyed by the page's fields, the host
(pageurl's links are relative to the request's site) and whether the viewer is signed in.

The cards of one feed page are read together (network.selectors.feed gives each entry its
page's list as `card_siblings`), from this process's memory first: a key names its card's
content, so a copy there never goes stale (core/cache.py)."""

import hashlib

from django import template
from django.conf import settings
from django.template import loader
from django.template.defaulttags import CsrfTokenNode
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.cache import get_many_by_content, set_many_by_content
from network.caches import CARD_SECONDS, CARDS

register = template.Library()

CARD_TEMPLATE = "network/posts/_post_card.html"
HUB_TEMPLATE = "network/posts/_hub_card.html"
# The templates a card's HTML comes from: a change of their source changes every key.
CARD_SOURCES = (CARD_TEMPLATE, HUB_TEMPLATE, "includes/avatar.html")
# Keys never go stale (they hold what the card shows); the timeout only bounds the memory used
# (network/caches.py, CARDS).
KEY_PREFIX = CARDS.key_for("")
# Letters and digits only, so that escaping leaves them as they are.
CSRF_MARK = "postcardcsrf9d41e6"
NEXT_MARK = "postcardnext9d41e6"

_sources_digest: str | None = None


def _templates_digest() -> str:
    global _sources_digest  # noqa: PLW0603 - computed once per process
    if _sources_digest is None or settings.DEBUG:
        digest = hashlib.md5(usedforsecurity=False)
        for name in CARD_SOURCES:
            digest.update(loader.get_template(name).template.source.encode())
        _sources_digest = digest.hexdigest()[:12]
    return _sources_digest


def _person(person) -> tuple:
    return (person.pk, person.username, person.get_display_name(), person.avatar.name or "")


def _image(image) -> tuple:
    return (image.image.name, image.alt_text, image.width, image.height)


def card_key(post, *, signed_in: bool, is_author: bool, hide_group: bool) -> str:
    """The cache key of `post`'s card as this viewer sees it: a digest of everything
    _post_card.html reads. Reads nothing from the database (prepare_posts() loaded it all)."""
    shared = post.shared_post if getattr(post, "shared_post_visible", False) else None
    page = post.shared_page if getattr(post, "shared_page_visible", False) else None
    parts = (
        _templates_digest(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        signed_in,
        is_author,
        hide_group,
        post.pk,
        post.status,
        post.body,
        post.created_at,
        post.edited_at,
        post.comment_count,
        sorted((getattr(post, "card_urls", None) or {}).items()),
        [
            (button["kind"], button["count"], button["mine"])
            for button in getattr(post, "reaction_buttons", ())
        ],
        _person(post.author),
        (post.group.pk, post.group.slug, post.group.name) if post.group_id else None,
        [_image(image) for image in post.image_list],
        [tag.name for tag in post.tag_list],
        post.shared_post_id,
        post.shared_page_id,
        shared
        and (
            shared.pk,
            shared.body,
            shared.created_at,
            shared.edited_at,
            _person(shared.author),
            shared.group.name if shared.group_id else None,
            [_image(image) for image in shared.image_list[:1]],
        ),
        page and (page.pk, page.title, page.url_path, page.search_description),
    )
    return CARDS.key_for(hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest())


def hub_card_key(page, *, signed_in: bool, host: str) -> str:
    """The cache key of a hub entry's card (see network.selectors.feed._prepare_pages)."""
    parts = (
        _templates_digest(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        signed_in,
        host,
        page.pk,
        page.url_path,
        page.title,
        page.last_published_at,
        page.feed_at,
        page.is_event,
        getattr(page, "intro", ""),
        getattr(page, "start", None),
    )
    return CARDS.key_for(hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest())


def _key(entry, who: tuple) -> str:
    viewer_pk, signed_in, hide_group, host = who[:4]
    if getattr(entry, "feed_kind", "post") == "page":
        return hub_card_key(entry, signed_in=signed_in, host=host)
    return card_key(
        entry,
        signed_in=signed_in,
        is_author=signed_in and entry.author_id == viewer_pk,
        hide_group=hide_group,
    )


def _cards_found(entry, who: tuple) -> dict:
    """The cached cards of `entry`'s feed page for this viewer, read once per page: each
    entry keeps its key and the page's answer."""
    state = getattr(entry, "_card_state", None)
    if state is not None and state[0] == who:
        return state[1]
    siblings = getattr(entry, "card_siblings", None) or [entry]
    if not any(sibling is entry for sibling in siblings):
        siblings = [entry]
    keys = [_key(sibling, who) for sibling in siblings]
    found = get_many_by_content(set(keys))
    for sibling, key in zip(siblings, keys, strict=True):
        sibling._card_key = key
        sibling._card_state = (who, found)
    return found


def _replace_last(html: str, mark: str, value: str) -> str:
    """The card's own placeholder is its last occurrence: the form ends the card, after
    anything a member wrote."""
    head, found, tail = html.rpartition(mark)
    return f"{head}{value}{tail}" if found else html


def _render(entry, who: tuple, request) -> str:
    viewer_pk, signed_in, hide_group = who[:3]
    if getattr(entry, "feed_kind", "post") == "page":
        return loader.get_template(HUB_TEMPLATE).render(
            {"page": entry, "signed_in": signed_in, "request": request}
        )
    return loader.get_template(CARD_TEMPLATE).render(
        {
            "post": entry,
            "signed_in": signed_in,
            "is_author": signed_in and entry.author_id == viewer_pk,
            "hide_group": hide_group,
            "csrf_input": CSRF_MARK,
            "next_url": NEXT_MARK,
        }
    )


@register.simple_tag(takes_context=True)
def feed_card(context, entry):
    """The card of a post prepared by network.selectors.feed.prepare_posts(), or of a hub
    page prepared by the feed's _prepare_pages(), from the cache when it is there."""
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    signed_in = bool(viewer is not None and viewer.is_authenticated)
    who = (
        viewer.pk if signed_in else None,
        signed_in,
        bool(context.get("hide_group")),
        request.get_host() if request is not None else "",
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    found = _cards_found(entry, who)
    key = entry._card_key
    html = found.get(key)
    if html is None:
        html = _render(entry, who, request)
        set_many_by_content({key: html}, CARD_SECONDS)
        found[key] = html
    if signed_in and getattr(entry, "feed_kind", "post") == "post":
        html = _replace_last(html, NEXT_MARK, escape(request.get_full_path()) if request else "")
        # What {% csrf_token %} writes, with this request's token.
        html = _replace_last(html, CSRF_MARK, CsrfTokenNode().render(context))
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 - rendered (escaped) by the template engine; the path is escaped and the CSRF field is Django's own
