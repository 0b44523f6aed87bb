"""Reads of moderation: the queue (agency-wide or one group's), a case with its history,
a decision for the member it concerns. The queue's queries do not grow with its length:
what it shows of each item was copied on the case."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from config.errors import NotAllowed, NotFound
from network.models import Case, Complaint, Decision, Report
from network.permissions import (
    can_moderate_case,
    can_see_decision,
    can_see_moderation_queue,
)


def queue(user, *, status: str = Case.Status.OPEN, group=None) -> QuerySet[Case]:
    """Cases of the agency's queue (or of `group`'s), with their reports and decisions."""
    if not can_see_moderation_queue(user, group):
        raise NotAllowed(_("The moderation queue is for moderators."))
    if status not in Case.Status.values:
        status = Case.Status.OPEN
    cases = Case.objects.filter(status=status).select_related("group", "target_author")
    if group is not None:
        cases = cases.filter(group=group)
    order = ("created_at", "pk") if status == Case.Status.OPEN else ("-decided_at", "-pk")
    return cases.order_by(*order).prefetch_related(
        Prefetch("reports", queryset=Report.objects.order_by("created_at", "pk")),
        Prefetch("decisions", queryset=Decision.objects.select_related("moderator", "complaint")),
    )


def reasons_of(case: Case) -> list[str]:
    """The distinct reasons of a case's (prefetched) reports, as labels."""
    labels = dict(Report.Reason.choices)
    seen = []
    for report in case.reports.all():
        if report.reason not in seen:
            seen.append(report.reason)
    return [str(labels[reason]) for reason in seen]


def get_case_for(user, case_id) -> Case:
    try:
        case = Case.objects.select_related("group", "target_author").get(pk=int(case_id))
    except (Case.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not can_moderate_case(user, case):
        raise NotAllowed(_("Only the moderators of this case can see it."))
    return case


def case_history(case: Case) -> tuple[list[Report], list[Decision]]:
    reports = list(case.reports.select_related("reporter").order_by("created_at", "pk"))
    decisions = list(
        case.decisions.select_related("moderator", "affected")
        .prefetch_related(
            Prefetch("complaint", queryset=Complaint.objects.select_related("decided_by"))
        )
        .order_by("decided_at", "pk")
    )
    return reports, decisions


def get_decision_for(user, decision_id) -> Decision:
    """A decision, for the member it concerns and the case's moderators (404 otherwise)."""
    try:
        decision = Decision.objects.select_related("case__group", "moderator", "affected").get(
            pk=int(decision_id)
        )
    except (Decision.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not can_see_decision(user, decision):
        raise NotFound()
    return decision


def complaint_of(decision: Decision) -> Complaint | None:
    return Complaint.objects.filter(decision=decision).select_related("decided_by").first()
