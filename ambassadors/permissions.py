"""Who may do what in the ambassador programme (every `can_*` predicate)."""

from django.utils import timezone

from core.roles import in_group

from .caches import LICENCE_WINDOWS

STAFF_GROUP = "Moderators"


def is_programme_staff(user) -> bool:
    """Agency staff run the programme: they decide applications and publish missions."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser or in_group(user, STAFF_GROUP))
    )


def licence_of(user):
    if not (user and user.is_authenticated):
        return None
    cached = getattr(user, "_ambassador_licence", False)
    if cached is False:
        from .models import Licence

        cached = Licence.objects.filter(holder_id=user.pk).first()
        user._ambassador_licence = cached
    return cached


def is_ambassador(user) -> bool:
    """Holds a valid licence (active, started, not expired) and may write."""
    if not (user and user.is_authenticated and user.is_active) or user.is_suspended:
        return False
    window = LICENCE_WINDOWS.get_or_set(user.pk, default=lambda: _licence_window(user))
    if not window:
        return False
    from .models import Licence

    status, starts_on, expires_on = window
    return Licence(status=status, starts_on=starts_on, expires_on=expires_on).is_valid(
        timezone.localdate()
    )


def _licence_window(user) -> tuple:
    """What decides whether the member's licence is valid on a given day; () without one."""
    licence = licence_of(user)
    return () if licence is None else (licence.status, licence.starts_on, licence.expires_on)


def can_apply(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not user.is_suspended)


def can_take_mission(user) -> bool:
    return is_ambassador(user)


def can_review_submission(user, submission) -> bool:
    return is_programme_staff(user) and submission.participation.ambassador_id != user.pk


def can_make_link(user) -> bool:
    return is_ambassador(user)


def can_see_link_stats(user, link) -> bool:
    return bool(user and user.is_authenticated) and (
        link.owner_id == user.pk or is_programme_staff(user)
    )
