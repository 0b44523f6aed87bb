"""Decisions (with their statement of reasons, DSA Art. 17): applied to the item, undone
on a reversed complaint, and told to the people concerned."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.mail import subject_line
from core.sanitizer import clean_text
from network.models import (
    Case,
    Complaint,
    Decision,
    NotificationKind,
    User,
)
from network.models.moderation import MAX_EXPLANATION_LENGTH
from network.permissions import (
    can_moderate_case,
    is_agency_moderator,
)
from network.services.accounts import sign_out_everywhere
from network.services.moderation.common import MAX_SUSPENSION_DAYS, Action, default_redress
from network.services.moderation.kinds import KINDS

# Decisions ---------------------------------------------------------------------------------


def _apply(case: Case, item, action: str, *, actor, decision: Decision, undo: bool = False):
    kind = KINDS.get(case.kind)
    author = decision.affected
    if action not in Action.values and item is not None and kind is not None:
        if kind.decide is not None and not undo:
            kind.decide(item, action, actor=actor, reason=decision.ground)
        else:
            kind.apply(item, action, undo)  # a registered kind's own action
    elif action in (Action.HIDE, Action.REMOVE) and item is not None and kind is not None:
        kind.apply(item, action, undo)
    elif action == Action.DISMISS and case.held_reason and item is not None and kind:
        if kind.release is not None and not undo:
            kind.release(item)  # nothing wrong with it: published now
    elif action == Action.DISMISS and case.auto_hidden and item is not None and kind:
        kind.apply(item, "auto_hide", True)  # the three-report rule's hiding is lifted
    elif action == Action.SUSPEND and author is not None:
        if undo:
            User.objects.filter(pk=author.pk, suspended_until=decision.suspended_until).update(
                suspended_until=None
            )
        else:
            User.objects.filter(pk=author.pk).update(suspended_until=decision.suspended_until)
            sign_out_everywhere(author)
    elif action == Action.BAN_FROM_GROUP and author is not None and case.group is not None:
        from network.services import groups as group_services

        try:
            if undo:
                group_services.unban_member(actor=actor, group=case.group, user=author)
            else:
                group_services.ban_member(
                    actor=actor, group=case.group, user=author, reason=decision.ground[:1000]
                )
        except (Conflict, NotFound):
            pass  # already banned / no longer banned


def _default_language_path(build, *args, **kwargs) -> str:
    """A path as stored for notifications and cases: in the default language (unprefixed),
    whatever the language of the request that made it."""
    with translation.override(settings.LANGUAGE_CODE):
        return build(*args, **kwargs)


def _notify_decision(decision: Decision, *, actor, complaint: Complaint | None = None):
    from network.services.notifications import notify

    url = _default_language_path(reverse, "network:moderation_decision", args=[decision.pk])
    if decision.affected_id and decision.action == Action.DISMISS and decision.case.held_reason:
        notify(
            kind=NotificationKind.MODERATION_DECISION,
            recipients=[decision.affected_id],
            actor=None,
            target=decision,
            event_key=f"moderation:{decision.pk}:released",
            url=decision.case.target_url,
            data={"action": decision.action, "released": True, "kind": decision.case.kind},
        )
    elif decision.affected_id and decision.action != Action.DISMISS:
        notify(
            kind=NotificationKind.MODERATION_DECISION,
            recipients=[decision.affected_id],
            actor=None,
            target=decision,
            event_key=f"moderation:{decision.pk}:{'complaint' if complaint else 'decision'}",
            url=url,
            data={
                "action": decision.action,
                "complaint": complaint.status if complaint else "",
            },
        )
    if complaint is not None:
        return
    reports = list(decision.case.reports.all())
    members = [r.reporter_id for r in reports if r.reporter_id]
    if members:
        notify(
            kind=NotificationKind.MODERATION_OUTCOME,
            recipients=members,
            actor=None,
            target=decision,
            event_key=f"moderation:{decision.pk}:outcome",
            url=decision.case.target_url if decision.action == Action.DISMISS else "",
            data={"action": decision.action},
        )
    visitors = sorted({r.reporter_email for r in reports if not r.reporter_id and r.reporter_email})
    if visitors:
        label = str(dict(Action.choices)[decision.action])

        def send():
            send_mail(
                subject_line(_("Your report was handled")),
                _("Thank you for your report. A moderator decided: %(measure)s.")
                % {"measure": label},
                None,
                visitors,
                fail_silently=True,
            )

        transaction.on_commit(send)


def decide(
    *,
    actor,
    case: Case,
    action: str,
    facts: str,
    ground: str,
    redress: str = "",
    automated: bool = False,
    suspended_until=None,
) -> Decision:
    """Decide an open case: the measure really applies, the member concerned receives the
    statement of reasons, the reporters the outcome."""
    if not can_moderate_case(actor, case):
        raise NotAllowed(_("Only the moderators of this case can decide it."))
    kind = KINDS.get(case.kind)
    allowed = kind.actions if kind is not None else (Action.DISMISS,)
    if action not in allowed:
        raise InvalidInput(_("This measure does not apply to this item."))
    if action == Action.SUSPEND and not is_agency_moderator(actor):
        raise NotAllowed(_("Only agency moderators suspend accounts."))
    if action == Action.BAN_FROM_GROUP and case.group_id is None:
        raise InvalidInput(_("This item is not in a group."))
    facts = clean_text(facts or "").strip()
    ground = clean_text(ground or "").strip()
    redress = clean_text(redress or "").strip() or default_redress()
    if not facts or not ground:
        raise InvalidInput(
            _("A statement of reasons needs the facts and the legal ground or rule applied.")
        )
    if len(facts) > MAX_EXPLANATION_LENGTH or len(ground) > MAX_EXPLANATION_LENGTH:
        raise InvalidInput(
            _("The statement is too long (%(max)s characters at most per field).")
            % {"max": MAX_EXPLANATION_LENGTH}
        )
    now = timezone.now()
    if action == Action.SUSPEND:
        if suspended_until is None or suspended_until <= now:
            raise InvalidInput(_("A suspension needs an end in the future."))
        if suspended_until > now + timedelta(days=MAX_SUSPENSION_DAYS):
            raise InvalidInput(_("A suspension lasts one year at most."))
    else:
        suspended_until = None
    with transaction.atomic():
        # of=self: PostgreSQL cannot lock the nullable side of the outer join to the group.
        case = Case.objects.select_for_update(of=("self",)).select_related("group").get(pk=case.pk)
        if case.status != Case.Status.OPEN:
            raise Conflict(_("This case is already decided."))
        if action == Action.SUSPEND and case.target_author_id is None:
            raise InvalidInput(_("Nobody to suspend for this item."))
        if action == Action.SUSPEND and case.target_author_id == actor.pk:
            raise InvalidInput(_("You cannot suspend yourself."))
        item = case.target
        decision = Decision.objects.create(
            case=case,
            moderator=actor,
            affected_id=case.target_author_id,
            action=action,
            suspended_until=suspended_until,
            facts=facts,
            ground=ground,
            # The three-report rule or a held post: automated means found the item (Art. 17).
            automated=bool(automated or case.auto_hidden or case.held_reason),
            redress=redress,
        )
        _apply(case, item, action, actor=actor, decision=decision)
        case.status = Case.Status.DECIDED
        case.decided_at = now
        case.save(update_fields=["status", "decided_at"])
        _notify_decision(decision, actor=actor)
    return decision
