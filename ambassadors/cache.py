"""The directory map's markers, cached per visibility level (public, members, staff).

The markers are the same for every viewer of a level and change only when a profile, a
member's name or a listing changes; reading them costs a query over up to 500 profiles on
every directory page. Each entry's key holds the *markers generation* (core.cache.Generation),
bumped now and once the transaction commits whenever one of those changes: a profile saved or
deleted, a member's name, username or activity changed, a listing turned on or off
(services.licences.refresh_listed, which writes with update() and bumps itself). The timeout
only frees memory.

The receivers are connected by AmbassadorsConfig.ready(), so every process that can change a
profile (web, Celery) bumps.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from core.cache import Generation

MARKERS_GENERATION = Generation("ambassadors:markers")
MARKERS_TIMEOUT = 60 * 60
# The user fields a marker shows or depends on.
USER_FIELDS = frozenset({"username", "display_name", "is_active"})


def markers_key(levels) -> str:
    scope = "all" if levels is None else "-".join(sorted(str(level) for level in levels))
    return f"ambassadors:markers:{MARKERS_GENERATION.current()}:{scope}"


def forget_markers() -> None:
    MARKERS_GENERATION.bump()


def _profile_changed(**kwargs) -> None:
    forget_markers()


def _user_changed(update_fields=None, created=False, **kwargs) -> None:
    if created:
        return  # a new member has no profile yet
    if update_fields is not None and not USER_FIELDS & set(update_fields):
        return  # a sign-in (last_login) and the like
    forget_markers()


def connect() -> None:
    from .models import Profile

    post_save.connect(_profile_changed, sender=Profile, dispatch_uid="ambassador-markers-save")
    post_delete.connect(_profile_changed, sender=Profile, dispatch_uid="ambassador-markers-del")
    post_save.connect(
        _user_changed, sender=get_user_model(), dispatch_uid="ambassador-markers-user"
    )
