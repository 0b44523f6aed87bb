"""Reads of moderation: the queue (agency-wide or one group's), a case with its history,
a decision for the member it concerns. The queue's queries do not grow with its length:
what it shows of each item was copied on the case."""

from statistics import median

from django.core import signing
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from core.errors import NotAllowed, NotFound
from network.models import Case, Complaint, Decision, Report
from network.permissions import (
    can_moderate_case,
    can_see_decision,
    can_see_moderation_queue,
    is_agency_moderator,
)


def queue(user, *, status: str = Case.Status.OPEN, group=None) -> QuerySet[Case]:
    """Cases of the agency's queue (or of `group`'s), with their reports and decisions."""
    if not can_see_moderation_queue(user, group):
        raise NotAllowed(_("The moderation queue is for moderators."))
    if status not in Case.Status.values:
        status = Case.Status.OPEN
    cases = (
        Case.objects.filter(status=status)
        .exclude(target_author=user)  # decided by someone else (can_moderate_case)
        .select_related("group", "target_author")
    )
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


# The transparency report (DSA Art. 15 and 24) ----------------------------------------------


def transparency(user, *, start, end) -> dict:
    """The figures of the period [start, end) (aware datetimes), for agency moderators.
    Aggregate queries only: the count of queries does not grow with the cases.

    Reports count by when they came in, decisions by when they were made, complaints by
    when they were lodged (their outcome as it stands now). Decisions are grouped by their
    ground as the moderator wrote it (trimmed)."""
    if not is_agency_moderator(user):
        raise NotAllowed(_("The transparency report is for agency moderators."))
    reports = Report.objects.filter(created_at__gte=start, created_at__lt=end)
    by_reason = dict(
        reports.order_by().values("reason").annotate(n=Count("pk")).values_list("reason", "n")
    )
    decisions = Decision.objects.filter(decided_at__gte=start, decided_at__lt=end).order_by()
    by_action = dict(decisions.values("action").annotate(n=Count("pk")).values_list("action", "n"))
    by_ground: dict[str, int] = {}
    for ground, n in decisions.values("ground").annotate(n=Count("pk")).values_list("ground", "n"):
        key = ground.strip()
        by_ground[key] = by_ground.get(key, 0) + n
    totals = decisions.aggregate(total=Count("pk"), automated=Count("pk", filter=Q(automated=True)))
    durations = sorted(
        (decided - created).total_seconds() / 3600
        for decided, created in decisions.values_list("decided_at", "case__created_at")
    )
    complaints = Complaint.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        received=Count("pk"),
        upheld=Count("pk", filter=Q(status=Complaint.Status.UPHELD)),
        reversed=Count("pk", filter=Q(status=Complaint.Status.REVERSED)),
    )
    reason_labels = dict(Report.Reason.choices)
    action_labels = dict(Decision.Action.choices)
    return {
        "reports_total": sum(by_reason.values()),
        "reports_by_reason": [
            (reason, str(label), by_reason.get(reason, 0))
            for reason, label in reason_labels.items()
        ],
        "decisions_total": totals["total"],
        "decisions_by_action": [
            (action, str(label), by_action.get(action, 0))
            for action, label in action_labels.items()
        ],
        "decisions_by_ground": sorted(by_ground.items(), key=lambda item: (-item[1], item[0])),
        "automated_decisions": totals["automated"],
        "median_hours_to_decision": round(median(durations), 1) if durations else None,
        "complaints_received": complaints["received"],
        "complaints_upheld": complaints["upheld"],
        "complaints_reversed": complaints["reversed"],
    }


def transparency_rows(figures: dict) -> list[tuple[str, str, object]]:
    """The figures one metric a row (metric, detail, value), for the CSV download."""
    rows = [("reports_received", "", figures["reports_total"])]
    rows += [("reports_by_reason", reason, n) for reason, _label, n in figures["reports_by_reason"]]
    rows.append(("decisions", "", figures["decisions_total"]))
    rows += [
        ("decisions_by_action", action, n) for action, _label, n in figures["decisions_by_action"]
    ]
    rows += [("decisions_by_ground", ground, n) for ground, n in figures["decisions_by_ground"]]
    median_hours = figures["median_hours_to_decision"]
    rows += [
        ("automated_decisions", "", figures["automated_decisions"]),
        ("median_hours_to_decision", "", "" if median_hours is None else median_hours),
        ("complaints_received", "", figures["complaints_received"]),
        ("complaints_upheld", "", figures["complaints_upheld"]),
        ("complaints_reversed", "", figures["complaints_reversed"]),
    ]
    return rows


# A suspended member's way to their statement of reasons ------------------------------------

# A suspended member cannot sign in, so the log-in form that refuses them hands them a signed
# link to the decision instead: only someone who just gave the right password gets one.
STATEMENT_LINK_SALT = "network.moderation.statement-link"
STATEMENT_LINK_MAX_AGE = 24 * 3600


def current_suspension(user) -> Decision | None:
    """The decision behind `user`'s suspension (the latest suspension), if any."""
    return (
        Decision.objects.filter(affected=user, action=Decision.Action.SUSPEND)
        .order_by("-decided_at", "-pk")
        .first()
    )


def statement_link_token(decision: Decision) -> str:
    return signing.dumps({"d": decision.pk, "u": decision.affected_id}, salt=STATEMENT_LINK_SALT)


def get_decision_for_link(decision_id, token: str) -> Decision:
    """The decision a signed statement link names, for the member it concerns (404 for a
    forged, expired or mismatched link)."""
    try:
        data = signing.loads(token, salt=STATEMENT_LINK_SALT, max_age=STATEMENT_LINK_MAX_AGE)
    except signing.BadSignature:
        raise NotFound() from None
    if not isinstance(data, dict) or data.get("d") != decision_id:
        raise NotFound()
    decision = (
        Decision.objects.select_related("case__group", "moderator", "affected")
        .filter(pk=decision_id, affected_id=data.get("u"))
        .first()
    )
    if decision is None or decision.affected is None or not decision.affected.is_active:
        raise NotFound()
    return decision
