"""Blocked words and the moderation settings, read on every post and comment."""

from network.caches import MODERATION_RULES
from network.models import (
    ModerationSettings,
)

# Blocked words -----------------------------------------------------------------------------


RULES_GENERATION = MODERATION_RULES.generation
RULES_TIMEOUT = MODERATION_RULES.timeout


def _read_rules() -> dict:
    from network.models import BlockedWord, TrustSettings
    from network.trust import SETTINGS_FIELDS

    trust = TrustSettings.load()
    return {
        "words": [(w.pattern, w.is_regex) for w in BlockedWord.objects.all()],
        "held_first_posts": ModerationSettings.load().held_first_posts,
        "trust": {field: getattr(trust, field) for field in SETTINGS_FIELDS},
    }


def _rules() -> dict:
    """The blocked words, the moderation settings and the trust levels' settings, read on
    every post and comment: from the cache (network/caches.py, MODERATION_RULES), under a
    generation that every save or deletion of any of them bumps. Stored only if nothing
    changed while reading (a first load creates the settings' rows, which is such a change;
    the next read stores them)."""
    return MODERATION_RULES.get_or_set(default=_read_rules)


def forget_rules() -> None:
    MODERATION_RULES.forget()


def blocked_word_in(text: str, *, rules: dict | None = None) -> str | None:
    """The first blocked word or pattern found in `text` (case-insensitive), or None. The
    post service can hold a post for review (Post.Status.HELD) when this finds one. `rules`,
    when the caller has read them already (_rules())."""
    import re

    lowered = (text or "").lower()
    for pattern, is_regex in (rules or _rules())["words"]:
        if is_regex:
            try:
                if re.search(pattern, text or "", re.IGNORECASE):
                    return pattern
            except re.error:
                continue
        elif pattern.lower() in lowered:
            return pattern
    return None
