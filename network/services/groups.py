"""Writes to networking groups: creating and editing them, joining, leaving, join requests,
invitations, and the moderators' tools (remove, ban, roles). Views, the API and consumers
call these; every permission is checked here through network.permissions."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.mail import site_url, subject_line
from core.ratelimit import hit
from core.sanitizer import clean_html, clean_text
from network import signals
from network.models import (
    Group,
    GroupBan,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
    Sector,
    User,
)
from network.permissions import (
    can_create_group,
    can_manage_group,
    can_moderate_group,
    can_see_group,
    can_write,
    forget_membership,
    membership_of,
)

Role = GroupMembership.Role

INVITATION_LIFETIME = timedelta(days=7)
# Light limits: enough for anyone acting in good faith, a wall for scripts.
JOIN_LIMIT, JOIN_WINDOW = 30, 3600
INVITE_LIMIT, INVITE_WINDOW = 50, 3600
CREATE_LIMIT, CREATE_WINDOW = 10, 3600
MAX_TAGS = 10
# Path segments under /groups/ that are pages, not groups.
RESERVED_SLUGS = frozenset({"new", "invitations"})
GROUP_FIELDS = ("name", "description", "visibility", "join_policy", "area", "sector", "tags")


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


# Groups ---------------------------------------------------------------------------------


def _clean_group_fields(fields: dict) -> dict:
    """Validate and sanitise group fields given by name; raise InvalidInput on bad values."""
    cleaned = {}
    if "name" in fields:
        name = clean_text(fields["name"] or "")
        if not name:
            raise InvalidInput(_("A group needs a name."))
        if len(name) > Group._meta.get_field("name").max_length:
            raise InvalidInput(_("The name is too long (120 characters at most)."))
        cleaned["name"] = name
    if "description" in fields:
        description = clean_html(fields["description"] or "")
        if len(description) > Group._meta.get_field("description").max_length:
            raise InvalidInput(_("The description is too long (5,000 characters at most)."))
        cleaned["description"] = description
    if "visibility" in fields:
        if fields["visibility"] not in Group.Visibility.values:
            raise InvalidInput(_("Unknown visibility."))
        cleaned["visibility"] = fields["visibility"]
    if "join_policy" in fields:
        if fields["join_policy"] not in Group.JoinPolicy.values:
            raise InvalidInput(_("Unknown join policy."))
        cleaned["join_policy"] = fields["join_policy"]
    if "sector" in fields:
        sector = fields["sector"] or ""
        if sector and sector not in Sector.values:
            raise InvalidInput(_("Unknown sector."))
        cleaned["sector"] = sector
    if "area" in fields:
        cleaned["area"] = fields["area"]
    if "tags" in fields:
        tags = [clean_text(str(tag))[:100] for tag in fields["tags"] or ()]
        tags = list(dict.fromkeys(tag for tag in tags if tag))
        if len(tags) > MAX_TAGS:
            raise InvalidInput(_("%(count)s tags at most.") % {"count": MAX_TAGS})
        cleaned["tags"] = tags
    return cleaned


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "groupe"
    if base in RESERVED_SLUGS:
        base = f"{base}-groupe"
    taken = set(Group.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_group(
    *,
    actor: User,
    name: str,
    description: str = "",
    visibility: str,
    join_policy: str,
    area=None,
    sector: str = "",
    tags=(),
) -> Group:
    """Create a group; its creator becomes its first owner."""
    if not can_write(actor):
        raise NotAllowed(_("Only signed-in members in good standing can create a group."))
    if not can_create_group(actor):
        raise NotAllowed(
            _("Creating groups unlocks at a higher trust level: see your account page.")
        )
    fields = _clean_group_fields(
        {
            "name": name,
            "description": description,
            "visibility": visibility,
            "join_policy": join_policy,
            "area": area,
            "sector": sector,
            "tags": tags,
        }
    )
    hit("group-create", actor.pk, limit=CREATE_LIMIT, window=CREATE_WINDOW)
    tags = fields.pop("tags")
    group = Group.objects.create(
        slug=_unique_slug(fields["name"]), created_by=actor, member_count=1, **fields
    )
    if tags:
        group.tags.set(tags)
    membership = GroupMembership.objects.create(group=group, user=actor, role=Role.OWNER)
    forget_membership(actor, group)
    _on_commit_joined(membership, actor)
    return group


@transaction.atomic
def update_group(*, actor: User, group: Group, **fields) -> Group:
    """Change a group's settings (owners and agency staff). The slug never changes, so
    links stay valid."""
    if not can_see_group(actor, group):
        raise NotFound()
    if not can_manage_group(actor, group):
        raise NotAllowed(_("Only the group's owners can change its settings."))
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise InvalidInput(
            _("These cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    cleaned = _clean_group_fields(fields)
    tags = cleaned.pop("tags", None)
    for field, value in cleaned.items():
        setattr(group, field, value)
    if cleaned:
        group.save(update_fields=list(cleaned))
    if tags is not None:
        group.tags.set(tags)
    return group


def _change_member_count(group: Group, delta: int) -> None:
    Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + delta)
    group.refresh_from_db(fields=["member_count"])


def _on_commit_joined(membership: GroupMembership, actor: User) -> None:
    transaction.on_commit(
        lambda: signals.member_joined.send(
            sender=GroupMembership, membership=membership, actor=actor
        )
    )


def _add_member(group: Group, user: User, *, actor: User) -> GroupMembership:
    """Create the membership (Conflict if it exists already) and keep member_count."""
    try:
        with transaction.atomic():
            membership = GroupMembership.objects.create(group=group, user=user, role=Role.MEMBER)
    except IntegrityError:
        raise Conflict(_("You are already a member of this group.")) from None
    _change_member_count(group, +1)
    forget_membership(user, group)
    _on_commit_joined(membership, actor)
    return membership


def _owner_count(group: Group) -> int:
    return group.memberships.filter(role=Role.OWNER).count()


def is_banned(user: User, group: Group) -> bool:
    return user.is_authenticated and GroupBan.objects.filter(group=group, user=user).exists()


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
    hit("group-join", actor.pk, limit=JOIN_LIMIT, window=JOIN_WINDOW)

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


# Join requests ----------------------------------------------------------------------------


@transaction.atomic
def decide_join_request(
    *, actor: User, join_request: JoinRequest, approve: bool, reason: str = ""
) -> JoinRequest:
    """Approve or decline a pending request (the group's moderators and agency staff). The
    requester is told through the join_request_decided signal."""
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("group", "user")
        .get(pk=join_request.pk)
    )
    group = join_request.group
    if not can_see_group(actor, group):
        raise NotFound()
    if not can_moderate_group(actor, group):
        raise NotAllowed(_("Only the group's moderators can decide on join requests."))
    if join_request.status != JoinRequest.Status.PENDING:
        raise Conflict(_("This request has already been decided."))
    reason = clean_text(reason or "")
    if len(reason) > JoinRequest._meta.get_field("reason").max_length:
        raise InvalidInput(_("The reason is too long (1,000 characters at most)."))

    if approve:
        if is_banned(join_request.user, group):
            raise Conflict(_("This member is banned from the group: lift the ban first."))
        if membership_of(join_request.user, group) is None:
            _add_member(group, join_request.user, actor=actor)
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.reason = reason
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    transaction.on_commit(
        lambda: signals.join_request_decided.send(
            sender=JoinRequest, join_request=join_request, actor=actor, approved=approve
        )
    )
    return join_request


# Invitations ------------------------------------------------------------------------------


def invitation_url(raw_token: str) -> str:
    return reverse("network:group_invitation", args=[raw_token])


def _send_invitation_email(invitation: GroupInvitation, raw_token: str) -> None:
    recipient = invitation.invitee
    address = recipient.email if recipient else invitation.email
    if not address:
        return
    language = (recipient.preferred_language if recipient else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "invitation": invitation,
            "group": invitation.group,
            "inviter": invitation.invited_by,
            "invitee": recipient,
            "accept_url": site_url(invitation_url(raw_token)),
            "territory_name": getattr(settings, "TERRITORY_NAME", ""),
        }
        subject = render_to_string("network/groups/email/invitation_subject.txt", context)
        body = render_to_string("network/groups/email/invitation_body.txt", context)
    send_mail(subject_line(subject), body, None, [address])


@transaction.atomic
def invite_to_group(
    *, actor: User, group: Group, username: str | None = None, email: str | None = None
) -> tuple[GroupInvitation, str]:
    """Invite a member by username or anyone by e-mail address. Returns the invitation and
    the raw token of its link: only its hash is stored, so this is the one chance to see it.
    The link is also e-mailed after commit. A newer invitation replaces older unused ones."""
    if not can_see_group(actor, group):
        raise NotFound()
    if not can_moderate_group(actor, group):
        raise NotAllowed(_("Only the group's moderators can invite."))
    username = (username or "").strip()
    email = (email or "").strip().lower()
    if bool(username) == bool(email):
        raise InvalidInput(_("Give either a username or an e-mail address."))

    invitee = None
    if username:
        invitee = User.objects.filter(username__iexact=username, is_active=True).first()
        if invitee is None:
            raise NotFound(_("No member has the username “%(name)s”.") % {"name": username})
        if membership_of(invitee, group) is not None:
            raise Conflict(_("%(name)s is already a member.") % {"name": invitee})
        if is_banned(invitee, group):
            raise Conflict(
                _("%(name)s is banned from this group: lift the ban first.") % {"name": invitee}
            )
        earlier = Q(invitee=invitee)
    else:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(_("Enter a valid e-mail address.")) from None
        earlier = Q(invitee__isnull=True, email=email)
    hit("group-invite", actor.pk, limit=INVITE_LIMIT, window=INVITE_WINDOW)

    now = timezone.now()
    GroupInvitation.objects.filter(earlier, group=group, used_at__isnull=True).update(
        expires_at=now
    )
    raw_token = secrets.token_urlsafe(32)
    invitation = GroupInvitation.objects.create(
        group=group,
        invited_by=actor,
        invitee=invitee,
        email="" if invitee else email,
        token_hash=hash_token(raw_token),
        expires_at=now + INVITATION_LIFETIME,
    )

    def announce():
        signals.member_invited.send(sender=GroupInvitation, invitation=invitation, actor=actor)
        _send_invitation_email(invitation, raw_token)

    transaction.on_commit(announce)
    return invitation, raw_token


def get_invitation_for_token(raw_token: str) -> GroupInvitation:
    """The invitation a link points to, whatever its state (NotFound if there is none)."""
    invitation = (
        GroupInvitation.objects.select_related("group", "invited_by", "invitee")
        .filter(token_hash=hash_token(raw_token or ""))
        .first()
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Check that it was copied whole."))
    return invitation


def check_invitation_usable(invitation: GroupInvitation) -> None:
    if invitation.used_at is not None:
        raise Conflict(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise Conflict(_("This invitation has expired. Ask the group's moderators for a new one."))


@transaction.atomic
def accept_invitation(*, actor: User, raw_token: str) -> GroupMembership:
    """Join through an invitation link. A link sent to a username works only for that
    member; a link sent to an e-mail address works for whoever holds it (once)."""
    if not can_write(actor):
        raise NotAllowed(_("Only signed-in members in good standing can join a group."))
    invitation = get_invitation_for_token(raw_token)
    check_invitation_usable(invitation)
    if invitation.invitee_id is not None and invitation.invitee_id != actor.pk:
        raise NotAllowed(_("This invitation was sent to another member."))
    group = invitation.group
    if membership_of(actor, group) is not None:
        raise Conflict(_("You are already a member of this group."))
    if is_banned(actor, group):
        raise NotAllowed(_("You have been banned from this group."))
    _use_invitation(invitation, actor)
    _close_pending_request(group, actor, decided_by=invitation.invited_by)
    return _add_member(group, actor, actor=actor)


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
