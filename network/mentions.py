"""@mentions in posts and comments: which members a text names, and which of them may be told
(an active member who can read where the text was written — never someone outside a private
group, who would learn from the notification that the post exists)."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from network.models import Group, GroupMembership
from network.permissions import AGENCY_MODERATORS_GROUP

# Django usernames: letters, digits and @ . + - _. A mention starts after a space or
# punctuation, not inside an e-mail address ("ana@example.org" names nobody).
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")
MAX_MENTIONS = 20


def extract_usernames(text: str) -> list[str]:
    """The usernames mentioned in `text`, in order, each once (case-insensitively)."""
    found: dict[str, str] = {}
    for match in MENTION_RE.finditer(text or ""):
        # A sentence may end right after a name: "Merci @hugo."
        username = match.group(1).rstrip(".-+")
        if username and username.lower() not in found:
            found[username.lower()] = username
        if len(found) >= MAX_MENTIONS:
            break
    return list(found.values())


def mentionable_users(text: str, *, group: Group | None, exclude=()) -> list:
    """Active members named in `text` who can read a post written in `group` (or on a
    profile when `group` is None), minus `exclude` (the author). One query."""
    usernames = extract_usernames(text)
    if not usernames:
        return []
    named = Q()
    for username in usernames:
        named |= Q(username__iexact=username)
    users = get_user_model().objects.filter(named, is_active=True)
    if group is not None and group.visibility != Group.Visibility.PUBLIC:
        users = users.filter(
            Q(pk__in=GroupMembership.objects.filter(group=group).values("user_id"))
            | Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(groups__name=AGENCY_MODERATORS_GROUP)
        )
    excluded = {user.pk for user in exclude}
    return [user for user in users.distinct().order_by("pk") if user.pk not in excluded]


def mentions_group(text: str, group: Group | None) -> bool:
    """Whether `text`, written in `group`, names the group itself ("@<its slug>"): all its
    members are then told (who may do so is the post service's rule)."""
    if group is None:
        return False
    return group.slug.lower() in {name.lower() for name in extract_usernames(text)}


_TAG_RE = re.compile(r"(<[^>]+>)")


def link_mentions(html: str, users, group: Group | None = None) -> str:
    """Turn "@username" of the given members (and "@<slug>" of `group`) into links to their
    pages, in the text of sanitised HTML only (never inside a tag or an existing link).
    Links are written with the default language's URL, as stored HTML is shown in every
    language."""
    names = {user.username.lower(): user.username for user in users}
    if group is not None:
        names.setdefault(group.slug.lower(), group.slug)
    if not html or not names:
        return html

    with translation.override(settings.LANGUAGE_CODE):
        urls = {key: reverse("network:person", args=[name]) for key, name in names.items()}
        if group is not None and group.slug.lower() not in {u.username.lower() for u in users}:
            urls[group.slug.lower()] = group.get_absolute_url()

    def link(match):
        key = match.group(1).rstrip(".-+").lower()
        if key not in urls:
            return match.group(0)
        tail = match.group(1)[len(key) :]
        return f'<a href="{urls[key]}">@{escape(names[key])}</a>{escape(tail)}'

    parts, inside_link = [], False
    for part in _TAG_RE.split(html):
        if part.startswith("<"):
            lowered = part.lower()
            if lowered.startswith("<a"):
                inside_link = True
            elif lowered.startswith("</a"):
                inside_link = False
            parts.append(part)
        elif inside_link or "@" not in part:
            parts.append(part)
        else:
            parts.append(MENTION_RE.sub(link, part))
    return "".join(parts)
