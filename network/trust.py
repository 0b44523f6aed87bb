"""Trust levels, Discourse's pattern: a member earns levels 1 to 3 from tenure, approved
contributions and a clean record (reports upheld against them), staff may grant any level
(level 4, "leader", only that way), and each level unlocks something (network.permissions'
`can_post_links`, `can_post_images`, `can_create_group`, `report_weight`, the first posts'
hold). What each level needs and unlocks is TrustSettings, edited in the Wagtail admin.

Other apps add to the approved contributions without network importing them:

    from network.trust import register_trust_source

    def approved_missions(user_ids):  # -> {user_id: count}, absent ids count 0
        return dict(Mission.objects.filter(ambassador_id__in=user_ids, status="approved")
                    .values("ambassador_id").annotate(n=Count("pk")).values_list(...))

    register_trust_source("ambassadors.missions", approved_missions)  # in AppConfig.ready()

A level costs two queries (published posts, upheld decisions) plus one per registered source,
for one member or many (`trust_levels`); it is kept on the user object for the request and not
cached further: the rules that need it run only when they can refuse something (a post with a
link when links need a level, a report that could tip a hide), so posting with the default
settings computes no level at all."""

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from network.models import Decision, Post
from network.models.moderation import ModerationAction
from network.models.trust import COMPUTED_LEVELS, MAX_LEVEL, TrustLevel

TrustSource = Callable[[Sequence[int]], dict[int, int]]

_sources: dict[str, TrustSource] = {}

SETTINGS_FIELDS = (
    *(f"level{n}_{part}" for n in COMPUTED_LEVELS for part in ("days", "posts", "max_upheld")),
    "links_level",
    "images_level",
    "create_group_level",
    "unheld_level",
    "heavy_flag_level",
    "heavy_flag_weight",
)


def register_trust_source(key: str, counter: TrustSource) -> None:
    """Count more approved contributions towards the levels: `counter(user_ids)` returns
    {user_id: count} (ids it leaves out count 0). Registering the same key again replaces it."""
    _sources[key] = counter


def unregister_trust_source(key: str) -> None:
    _sources.pop(key, None)


def rules() -> dict:
    """TrustSettings' values, read from the moderation rules' cache entry (one cache read
    that posting makes anyway; a save of the settings clears it)."""
    from network.services.moderation import _rules

    return _rules()["trust"]


def _counts(queryset, field: str, user_ids) -> dict[int, int]:
    return dict(
        queryset.filter(**{f"{field}__in": user_ids})
        .values(field)
        .annotate(n=Count("pk"))
        .values_list(field, "n")
    )


def facts(users: Iterable) -> dict[int, dict]:
    """{user_id: {"days", "posts", "upheld", "granted", "staff"}} for these members."""
    users = [user for user in users if user.is_authenticated]
    ids = [user.pk for user in users]
    if not ids:
        return {}
    posts = _counts(Post.objects.filter(status=Post.Status.PUBLISHED), "author", ids)
    upheld = _counts(
        Decision.objects.filter(reversed_at__isnull=True).exclude(action=ModerationAction.DISMISS),
        "affected",
        ids,
    )
    extra = [counter(ids) for counter in _sources.values()]
    now = timezone.now()
    return {
        user.pk: {
            "days": max(0, (now - user.date_joined) // timedelta(days=1)),
            "posts": posts.get(user.pk, 0) + sum(counts.get(user.pk, 0) for counts in extra),
            "upheld": upheld.get(user.pk, 0),
            "granted": user.trust_level_granted,
            "staff": user.is_staff or user.is_superuser,
        }
        for user in users
    }


def _meets(fact: dict, settings: dict, level: int) -> bool:
    return (
        fact["days"] >= settings[f"level{level}_days"]
        and fact["posts"] >= settings[f"level{level}_posts"]
        and fact["upheld"] <= settings[f"level{level}_max_upheld"]
    )


def level_from(fact: dict, settings: dict) -> int:
    if fact["staff"]:
        return MAX_LEVEL
    earned = 0
    for level in COMPUTED_LEVELS:
        if not _meets(fact, settings, level):
            break
        earned = level
    # A staff grant lifts the member, never lowers what they earned.
    return max(earned, fact["granted"] or 0)


def trust_levels(users: Iterable) -> dict[int, int]:
    """{user_id: level} for these members, in the same queries for one or many."""
    users = list(users)
    settings = rules()
    known = {user.pk: user._trust_level for user in users if hasattr(user, "_trust_level")}
    found = facts(user for user in users if user.pk not in known)
    levels = {**known, **{pk: level_from(fact, settings) for pk, fact in found.items()}}
    for user in users:
        if user.pk in levels:
            user._trust_level = levels[user.pk]
    return levels


def trust_level(user) -> int:
    """The member's level, 0 to 4 (0 for visitors); kept on the user object for the request."""
    if not user.is_authenticated:
        return TrustLevel.NEW
    cached = getattr(user, "_trust_level", None)
    if cached is None:
        cached = trust_levels([user]).get(user.pk, TrustLevel.NEW)
    return cached


def forget_trust_level(user) -> None:
    """After a change to what the level counts, within the same request."""
    user.__dict__.pop("_trust_level", None)


def progress(user) -> dict:
    """What the account page shows: the level, its name, and what the next one needs."""
    from network.services.moderation import _rules

    settings = rules()
    holds_first_posts = _rules()["held_first_posts"] > 0
    fact = facts([user])[user.pk]
    level = level_from(fact, settings)
    user._trust_level = level
    unlocks = [
        (name, settings[key])
        for key, name in (
            ("links_level", "links"),
            ("images_level", "images"),
            ("create_group_level", "groups"),
            ("unheld_level", "unheld"),
            ("heavy_flag_level", "heavy_flags"),
        )
        # Not held: only a gain while the moderation settings hold new members' posts.
        if key != "unheld_level" or holds_first_posts
    ]
    following = level + 1 if level + 1 in COMPUTED_LEVELS else None
    needs = []
    if following is not None:
        for part, current, ok in (
            ("days", fact["days"], fact["days"] >= settings[f"level{following}_days"]),
            ("posts", fact["posts"], fact["posts"] >= settings[f"level{following}_posts"]),
            (
                "upheld",
                fact["upheld"],
                fact["upheld"] <= settings[f"level{following}_max_upheld"],
            ),
        ):
            key = "max_upheld" if part == "upheld" else part
            needs.append(
                {
                    "part": part,
                    "needed": settings[f"level{following}_{key}"],
                    "current": current,
                    "met": ok,
                }
            )
    return {
        "level": level,
        "label": TrustLevel(level).label,
        "granted": fact["granted"],
        "next": following,
        "next_label": TrustLevel(following).label if following is not None else None,
        "needs": needs,
        "unlocked": [name for name, needed in unlocks if level >= needed],
        "locked": [(name, needed) for name, needed in unlocks if level < needed],
    }
