"""Joining and leaving a group, and following it closely."""

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.ratelimit import hit
from core.sanitizer import clean_text
from network import signals
from network.models import (
    Group,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
    User,
)
from network.permissions import (
    can_see_group,
    can_write,
    forget_membership,
    membership_of,
)
from network.services.groups import common  # limits read at call time: tests lower them
from network.services.groups.common import Role
from network.services.groups.groups import (
    _add_member,
    _change_member_count,
    _owner_count,
    is_banned,
)

# Joining and leaving ----------------------------------------------------------------------


def _verified_emails(user: User) -> list[str]:
    return [
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]


def pending_invitation_for(user: User, group: Group) -> GroupInvitation | None:
    """An unused, unexpired invitation of `user` to `group`, by username or by one of the
    user's verified e-mail addresses."""
    if not user.is_authenticated:
        return None
    addressed = Q(invitee=user)
    emails = _verified_emails(user)
    if emails:
        addressed |= Q(invitee__isnull=True, email__in=emails)
    return (
        GroupInvitation.objects.filter(
            addressed, group=group, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("created_at")
        .first()
    )


def _use_invitation(invitation: GroupInvitation, user: User) -> None:
    """Mark the invitation used; a conditional UPDATE so that two requests cannot both use
    one invitation."""
    used = GroupInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now(), used_by=user
    )
    if not used:
        raise Conflict(_("This invitation has already been used."))


def _close_pending_request(group: Group, user: User, *, decided_by: User | None) -> None:
    """A member who joins by invitation no longer waits for a decision."""
    JoinRequest.objects.filter(group=group, user=user, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.APPROVED, decided_by=decided_by, decided_at=timezone.now()
    )


@transaction.atomic
def join_group(*, actor: User, group: Group, message: str = "") -> GroupMembership | JoinRequest:
    """Join an open group, ask to join an on-request group, or join any group one holds an
    invitation to. Returns the membership, or the pending join request."""
    if not can_write(actor):
        raise NotAllowed(_("Only signed-in members in good standing can join a group."))
    invitation = pending_invitation_for(actor, group)
    if invitation is None and not can_see_group(actor, group):
        raise NotFound()
    if membership_of(actor, group) is not None:
        raise Conflict(_("You are already a member of this group."))
    if is_banned(actor, group):
        raise NotAllowed(_("You have been banned from this group."))
    hit("group-join", actor.pk, limit=common.JOIN_LIMIT, window=common.JOIN_WINDOW)

    if invitation is not None:
        _use_invitation(invitation, actor)
        _close_pending_request(group, actor, decided_by=invitation.invited_by)
        return _add_member(group, actor, actor=actor)
    if group.join_policy == Group.JoinPolicy.OPEN:
        return _add_member(group, actor, actor=actor)
    if group.join_policy == Group.JoinPolicy.INVITE:
        raise NotAllowed(_("This group is by invitation only."))

    message = clean_text(message or "")
    if len(message) > JoinRequest._meta.get_field("message").max_length:
        raise InvalidInput(_("The message is too long (1,000 characters at most)."))
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(group=group, user=actor, message=message)
    except IntegrityError:
        raise Conflict(_("Your request to join is already waiting for a moderator.")) from None
    transaction.on_commit(
        lambda: signals.join_requested.send(sender=JoinRequest, join_request=join_request)
    )
    return join_request


@transaction.atomic
def withdraw_join_request(*, actor: User, group: Group) -> None:
    """The requester changes their mind before a moderator decides."""
    if not actor.is_authenticated:
        raise NotAllowed()
    if not can_see_group(actor, group):
        raise NotFound()
    deleted, _rows = JoinRequest.objects.filter(
        group=group, user=actor, status=JoinRequest.Status.PENDING
    ).delete()
    if not deleted:
        raise Conflict(_("You have no pending request for this group."))


def _drop_upcoming_rsvps(user: User, group: Group) -> None:
    # Imported here: group_events imports this module for the membership rules.
    from network.services.group_events import drop_upcoming_rsvps

    drop_upcoming_rsvps(user=user, group=group)


def _remove_membership(membership: GroupMembership) -> None:
    group, user = membership.group, membership.user
    membership.delete()
    _change_member_count(group, -1)
    forget_membership(user, group)
    _drop_upcoming_rsvps(user, group)


@transaction.atomic
def leave_group(*, actor: User, group: Group) -> None:
    """Leave a group. Its last owner must first make someone else an owner. A suspended
    member may still leave: leaving takes nothing from anyone."""
    if not actor.is_authenticated or not actor.is_active:
        raise NotAllowed()
    membership = (
        GroupMembership.objects.select_for_update()
        .filter(group=group, user=actor)
        .select_related("group", "user")
        .first()
    )
    if membership is None:
        if not can_see_group(actor, group):
            raise NotFound()
        raise Conflict(_("You are not a member of this group."))
    if membership.role == Role.OWNER and _owner_count(group) == 1:
        raise Conflict(
            _("You are the group's last owner: make another member an owner before leaving.")
        )
    _remove_membership(membership)


def set_follows_closely(*, actor: User, group: Group, on: bool) -> GroupMembership:
    """A member chooses to be told of every new post in the group (or no longer): the
    "new post in a group you follow closely" notification, Discourse's "watching"."""
    if not actor.is_authenticated:
        raise NotAllowed()
    membership = GroupMembership.objects.filter(group=group, user=actor).first()
    if membership is None:
        if not can_see_group(actor, group):
            raise NotFound()
        raise Conflict(_("You are not a member of this group."))
    if membership.follows_closely != bool(on):
        membership.follows_closely = bool(on)
        membership.save(update_fields=["follows_closely"])
    return membership
