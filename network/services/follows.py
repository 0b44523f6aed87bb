"""Following members and organisations. Following is idempotent: following twice keeps one
Follow and tells nobody twice; unfollowing what one does not follow does nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import InvalidInput, NotAllowed, NotFound
from core.ratelimit import hit
from network import signals
from network.models import Follow, Organisation, User
from network.permissions import can_write

# Enough to follow a whole club after a meeting, a wall for scripts.
FOLLOW_LIMIT, FOLLOW_WINDOW = 100, 3600


def _check_can_follow(actor: User) -> None:
    if not can_write(actor):
        raise NotAllowed(_("Your account cannot follow anyone at the moment."))


def _check_can_unfollow(actor: User) -> None:
    # A suspended member may still stop following: it only removes something of theirs.
    if not (actor.is_authenticated and actor.is_active):
        raise NotAllowed(_("Log in to manage whom you follow."))


def _follow(actor: User, **target) -> Follow:
    existing = Follow.objects.filter(follower=actor, **target).first()
    if existing is not None:
        return existing
    hit("follow", actor.pk, limit=FOLLOW_LIMIT, window=FOLLOW_WINDOW)
    # get_or_create: two clicks at once meet the unique constraint and return the same row.
    follow, created = Follow.objects.get_or_create(follower=actor, **target)
    if created:
        transaction.on_commit(
            lambda: signals.followed.send(sender=Follow, follow=follow, actor=actor)
        )
    return follow


@transaction.atomic
def follow_user(*, actor: User, user: User) -> Follow:
    _check_can_follow(actor)
    if user.pk == actor.pk:
        raise InvalidInput(_("You cannot follow yourself."))
    if not user.is_active:
        raise NotFound()
    return _follow(actor, user=user)


@transaction.atomic
def unfollow_user(*, actor: User, user: User) -> None:
    _check_can_unfollow(actor)
    Follow.objects.filter(follower=actor, user=user).delete()


@transaction.atomic
def follow_organisation(*, actor: User, organisation: Organisation) -> Follow:
    _check_can_follow(actor)
    return _follow(actor, organisation=organisation)


@transaction.atomic
def unfollow_organisation(*, actor: User, organisation: Organisation) -> None:
    _check_can_unfollow(actor)
    Follow.objects.filter(follower=actor, organisation=organisation).delete()
