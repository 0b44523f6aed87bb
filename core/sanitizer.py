"""The one HTML sanitiser: every piece of user-written text or HTML passes through here."""

import html

import bleach
from bleach.linkifier import Linker

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_linker = Linker(callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)


def clean_html(text: str) -> str:
    """Keep a small allow-list of tags; links get rel="nofollow ugc noopener" and only
    http(s) and mailto targets. Bare URLs become such links."""
    if not text:
        return ""
    return _linker.linkify(_cleaner.clean(text)).strip()


def clean_text(text: str) -> str:
    """Plain text with every tag removed, entities decoded (templates escape it on output).
    Repeated so that an encoded tag ("&lt;script&gt;") cannot survive as a real one."""
    if not text:
        return ""
    for _attempt in range(3):
        stripped = html.unescape(bleach.clean(text, tags=set(), strip=True, strip_comments=True))
        if stripped == text:
            break
        text = stripped
    return text.strip()


def clean_tag_names(tags, *, limit: int) -> list[str]:
    """Tag names as a directory's tags (groups, organisations) take them: plain text, at most
    100 characters each, empty and repeated ones dropped, `limit` at most (InvalidInput)."""
    from django.utils.translation import gettext as _

    from core.errors import InvalidInput

    names = [clean_text(str(tag))[:100] for tag in tags or ()]
    names = list(dict.fromkeys(name for name in names if name))
    if len(names) > limit:
        raise InvalidInput(_("%(count)s tags at most.") % {"count": limit})
    return names
