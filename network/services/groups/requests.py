"""Deciding join requests."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.sanitizer import clean_text
from network import signals
from network.models import (
    JoinRequest,
    User,
)
from network.permissions import (
    can_moderate_group,
    can_see_group,
    membership_of,
)
from network.services.groups.groups import _add_member, is_banned

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
