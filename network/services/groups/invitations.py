"""Invitations by username or e-mail address, and accepting them."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.mail import site_url, subject_line
from core.ratelimit import hit
from network import signals
from network.models import (
    Group,
    GroupInvitation,
    GroupMembership,
    User,
)
from network.permissions import (
    can_moderate_group,
    can_see_group,
    can_write,
    membership_of,
)
from network.services.groups import common  # limits read at call time: tests lower them
from network.services.groups.common import (
    INVITATION_LIFETIME,
    hash_token,
)
from network.services.groups.groups import _add_member, is_banned
from network.services.groups.membership import _close_pending_request, _use_invitation

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
    hit("group-invite", actor.pk, limit=common.INVITE_LIMIT, window=common.INVITE_WINDOW)

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
