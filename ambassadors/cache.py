"""The generations of the programme's caches (declared in ambassadors.caches): the
directory's (the map's markers and the directory's results) and, through `forget_markers`,
the leaderboards' too.

Most changes reach them through the registry's receivers (ambassadors.caches). A member's
save is filtered here: only a change of what a card, a marker or a leaderboard row shows (the
name, the username, whether the account is active) bumps, not a sign-in (`last_login`). The
receiver is connected by AmbassadorsConfig.ready(), so every process that can change a
member (web, Celery) bumps.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from core.cache import Generation

MARKERS_GENERATION = Generation("ambassadors:markers")
LEADERBOARD_GENERATION = Generation("ambassadors:leaderboard")
# The user fields a marker shows or depends on.
USER_FIELDS = frozenset({"username", "display_name", "is_active"})


def levels_scope(levels) -> str:
    return "all" if levels is None else "-".join(sorted(str(level) for level in levels))


def forget_markers() -> None:
    """Who is listed or what a listed member shows changed: the directory's caches and the
    leaderboards' miss."""
    MARKERS_GENERATION.bump()
    LEADERBOARD_GENERATION.bump()


def _user_changed(update_fields=None, created=False, **kwargs) -> None:
    if created:
        return  # a new member has no profile yet
    if update_fields is not None and not USER_FIELDS & set(update_fields):
        return  # a sign-in (last_login) and the like
    forget_markers()


def connect() -> None:
    post_save.connect(
        _user_changed, sender=get_user_model(), dispatch_uid="ambassador-markers-user"
    )
