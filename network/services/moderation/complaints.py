"""Internal complaints against a decision (DSA Art. 20)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed
from core.sanitizer import clean_text
from network.models import (
    Complaint,
    Decision,
)
from network.models.moderation import MAX_EXPLANATION_LENGTH
from network.permissions import (
    can_contest,
    can_decide_complaint,
)
from network.services.moderation.common import COMPLAINT_WINDOW, Action
from network.services.moderation.decisions import _apply, _notify_decision

# Complaints --------------------------------------------------------------------------------


def contest(*, actor, decision: Decision, text: str) -> Complaint:
    """The member a decision concerns contests it, once, within six months."""
    if not can_contest(actor, decision):
        raise NotAllowed(_("Only the member this decision concerns can contest it."))
    if decision.action == Action.DISMISS:
        raise Conflict(_("There is nothing to contest in this decision."))
    if timezone.now() > decision.decided_at + COMPLAINT_WINDOW:
        raise Conflict(_("The six months to contest this decision are over."))
    text = clean_text(text or "").strip()
    if not text:
        raise InvalidInput(_("Explain why you contest this decision."))
    if len(text) > MAX_EXPLANATION_LENGTH:
        raise InvalidInput(
            _("The text is too long (%(max)s characters at most).")
            % {"max": MAX_EXPLANATION_LENGTH}
        )
    try:
        with transaction.atomic():
            return Complaint.objects.create(decision=decision, author=actor, text=text)
    except IntegrityError:
        raise Conflict(_("You have already contested this decision.")) from None


def decide_complaint(*, actor, complaint: Complaint, outcome: str, response: str = ""):
    """Another moderator upholds or reverses the decision; reversing undoes its measure."""
    if not can_decide_complaint(actor, complaint):
        raise NotAllowed(
            _("A complaint is decided by a moderator other than the one who took the decision.")
        )
    if outcome not in (Complaint.Status.UPHELD, Complaint.Status.REVERSED):
        raise InvalidInput(_("Uphold or reverse the decision."))
    response = clean_text(response or "").strip()
    if len(response) > MAX_EXPLANATION_LENGTH:
        raise InvalidInput(
            _("The answer is too long (%(max)s characters at most).")
            % {"max": MAX_EXPLANATION_LENGTH}
        )
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("decision__case__group", "decision__affected")
            .get(pk=complaint.pk)
        )
        if complaint.status != Complaint.Status.OPEN:
            raise Conflict(_("This complaint is already decided."))
        decision = complaint.decision
        now = timezone.now()
        if outcome == Complaint.Status.REVERSED:
            case = decision.case
            _apply(case, case.target, decision.action, actor=actor, decision=decision, undo=True)
            decision.reversed_at = now
            decision.save(update_fields=["reversed_at"])
        complaint.status = outcome
        complaint.decided_by = actor
        complaint.decided_at = now
        complaint.response = response
        complaint.save(update_fields=["status", "decided_by", "decided_at", "response"])
        _notify_decision(decision, actor=actor, complaint=complaint)
    return complaint
