"""The group moderators' tools: remove, ban, unban, roles."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.sanitizer import clean_text
from network.models import (
    Group,
    GroupBan,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
    User,
)
from network.permissions import (
    can_manage_group,
    can_moderate_group,
    can_see_group,
    forget_membership,
)
from network.services.groups.common import Role
from network.services.groups.groups import _owner_count
from network.services.groups.membership import _remove_membership

# Moderation of members ----------------------------------------------------------------------


def _target_membership(actor: User, group: Group, user: User) -> GroupMembership | None:
    if not can_see_group(actor, group):
        raise NotFound()
    if not can_moderate_group(actor, group):
        raise NotAllowed(_("Only the group's moderators can do this."))
    if user.pk == actor.pk:
        raise Conflict(_("You cannot do this to yourself; leave the group instead."))
    return (
        GroupMembership.objects.select_for_update()
        .select_related("group", "user")
        .filter(group=group, user=user)
        .first()
    )


def _check_may_remove(actor: User, group: Group, membership: GroupMembership) -> None:
    """Moderators remove members and moderators; only owners and staff remove an owner,
    and never the last one."""
    if membership.role != Role.OWNER:
        return
    if not can_manage_group(actor, group):
        raise NotAllowed(_("Only an owner can remove another owner."))
    if _owner_count(group) == 1:
        raise Conflict(_("A group must keep at least one owner."))


@transaction.atomic
def remove_member(*, actor: User, group: Group, user: User) -> None:
    membership = _target_membership(actor, group, user)
    if membership is None:
        raise NotFound(_("%(name)s is not a member of this group.") % {"name": user})
    _check_may_remove(actor, group, membership)
    _remove_membership(membership)


@transaction.atomic
def ban_member(*, actor: User, group: Group, user: User, reason: str = "") -> GroupBan:
    """Remove the member (if they are one) and keep them out: no joining, request or
    invitation works until the ban is lifted. Their pending request is declined."""
    membership = _target_membership(actor, group, user)
    if membership is not None:
        _check_may_remove(actor, group, membership)
    reason = clean_text(reason or "")
    if len(reason) > GroupBan._meta.get_field("reason").max_length:
        raise InvalidInput(_("The reason is too long (1,000 characters at most)."))
    try:
        with transaction.atomic():
            ban = GroupBan.objects.create(group=group, user=user, banned_by=actor, reason=reason)
    except IntegrityError:
        raise Conflict(_("%(name)s is already banned.") % {"name": user}) from None
    if membership is not None:
        _remove_membership(membership)
    JoinRequest.objects.filter(group=group, user=user, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.DECLINED,
        decided_by=actor,
        decided_at=timezone.now(),
        reason=reason,
    )
    GroupInvitation.objects.filter(group=group, invitee=user, used_at__isnull=True).update(
        expires_at=timezone.now()
    )
    return ban


@transaction.atomic
def unban_member(*, actor: User, group: Group, user: User) -> None:
    _target_membership(actor, group, user)
    deleted, _rows = GroupBan.objects.filter(group=group, user=user).delete()
    if not deleted:
        raise NotFound(_("%(name)s is not banned.") % {"name": user})


@transaction.atomic
def set_member_role(*, actor: User, group: Group, user: User, role: str) -> GroupMembership:
    """Make a member an owner, a moderator or a plain member (owners and agency staff).
    The last owner cannot be demoted."""
    if not can_see_group(actor, group):
        raise NotFound()
    if not can_manage_group(actor, group):
        raise NotAllowed(_("Only the group's owners can change roles."))
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."))
    membership = (
        GroupMembership.objects.select_for_update()
        .select_related("user")
        .filter(group=group, user=user)
        .first()
    )
    if membership is None:
        raise NotFound(_("%(name)s is not a member of this group.") % {"name": user})
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and _owner_count(group) == 1:
        raise Conflict(_("A group must keep at least one owner: make someone else owner first."))
    membership.role = role
    membership.save(update_fields=["role"])
    forget_membership(user, group)
    return membership
