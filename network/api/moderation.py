"""Reports (anyone, even without an account), the moderators' cases, their decisions and
the author's complaint. Mounted on /api/v1/."""

from datetime import datetime
from typing import Literal

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from core import ratelimit
from core.errors import NotAllowed, NotFound
from network.models import Case, Decision, GroupMembership
from network.models.moderation import MAX_EXPLANATION_LENGTH
from network.permissions import can_moderate_case, can_write, is_agency_moderator
from network.services import moderation as services

from .auth import ANYONE, OPTIONAL_AUTH
from .errors import Error
from .pagination import PageParams, keyset_page
from .schemas import Id

router = Router()


class ReportIn(Schema):
    kind: str = Field(description="post, comment, member, organisation or group")
    id: Id
    reason: str = Field(
        description="spam, harassment, false_information, illegal, intellectual_property, other"
    )
    explanation: str = Field("", max_length=MAX_EXPLANATION_LENGTH * 4)
    url: str = Field("", max_length=500, description="The exact URL (required for illegal).")
    name: str = Field("", max_length=150, description="Your name (required for illegal).")
    email: str = Field("", max_length=254, description="Your e-mail (required for illegal).")
    good_faith: bool = Field(False, description="Statement of good faith (illegal).")


class ReportOut(Schema):
    id: int
    case: int = Field(alias="case_id")
    reason: str
    created_at: datetime


class CaseOut(Schema):
    id: int
    kind: str
    status: str
    group: str | None
    preview: str
    url: str = Field(alias="target_url")
    report_count: int
    reasons: list[str]
    auto_hidden: bool
    created_at: datetime

    @staticmethod
    def resolve_group(case):
        return case.group.slug if case.group_id else None

    @staticmethod
    def resolve_reasons(case):
        return sorted({report.reason for report in case.reports.all()})


class CasePage(Schema):
    items: list[CaseOut]
    next: str | None


class DecisionIn(Schema):
    # One of the case's kind's actions (ModerationAction's, or a registered kind's own):
    # decide() refuses any other with a 400.
    action: str = Field(max_length=20)
    facts: str = Field(max_length=MAX_EXPLANATION_LENGTH * 4)
    ground: str = Field(max_length=MAX_EXPLANATION_LENGTH * 4)
    redress: str = Field("", max_length=MAX_EXPLANATION_LENGTH * 4)
    automated: bool = False
    suspended_until: datetime | None = None


class DecisionOut(Schema):
    id: int
    case: int = Field(alias="case_id")
    action: str
    facts: str
    ground: str
    automated: bool
    redress: str
    suspended_until: datetime | None
    decided_at: datetime


class ComplaintIn(Schema):
    text: str = Field(max_length=MAX_EXPLANATION_LENGTH * 4)


class ComplaintOut(Schema):
    id: int
    decision: int = Field(alias="decision_id")
    status: str
    created_at: datetime


@router.post(
    "/reports",
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    response={201: ReportOut, 400: Error, 404: Error, 429: Error},
    summary="Report a post, comment, member, organisation or group",
)
def create_report(request, payload: ReportIn):
    item = services.load_item(payload.kind, payload.id)
    if item is None:
        raise NotFound(_("This content does not exist or is not visible to you."))
    data = payload.dict()
    data.pop("kind"), data.pop("id")
    report = services.report(
        actor=request.auth, target=item, client_key=ratelimit.client_key(request), **data
    )
    return Status(201, report)


def _cases_for(user):
    if is_agency_moderator(user):
        return Case.objects.all()
    if not can_write(user):
        raise NotAllowed(_("The moderation queue is for moderators."))
    groups = GroupMembership.objects.filter(
        user=user, role__in=[GroupMembership.Role.OWNER, GroupMembership.Role.MODERATOR]
    ).values("group_id")
    if not groups.exists():
        raise NotAllowed(_("The moderation queue is for moderators."))
    return Case.objects.filter(Q(group_id__in=groups))


@router.get(
    "/moderation/cases",
    response={200: CasePage, 400: Error, 401: Error, 403: Error},
    summary="Cases of the moderation queue (moderators)",
)
def list_cases(request, page: Query[PageParams], status: Literal["open", "decided"] = "open"):
    cases = (
        _cases_for(request.auth)
        .filter(status=status)
        .select_related("group")
        .prefetch_related("reports")
    )
    items, next_cursor = keyset_page(
        cases, order=("-created_at", "-pk"), cursor=page.cursor, limit=page.limit
    )
    return {"items": items, "next": next_cursor}


def _case(case_id: int) -> Case:
    case = Case.objects.select_related("group").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


@router.post(
    "/moderation/cases/{case_id}/decision",
    response={201: DecisionOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Decide a case, with its statement of reasons",
)
def decide_case(request, case_id: Id, payload: DecisionIn):
    decision = services.decide(actor=request.auth, case=_case(case_id), **payload.dict())
    return Status(201, decision)


@router.post(
    "/moderation/cases/{case_id}/complaint",
    response={201: ComplaintOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Contest the decision on a case (the member it concerns)",
)
def contest_case(request, case_id: Id, payload: ComplaintIn):
    case = _case(case_id)
    decision = (
        Decision.objects.filter(case=case).select_related("case__group").order_by("-pk").first()
    )
    if decision is None:
        raise NotFound(_("This case has no decision yet."))
    if request.auth.pk != decision.affected_id and not can_moderate_case(request.auth, case):
        raise NotFound()
    complaint = services.contest(actor=request.auth, decision=decision, text=payload.text)
    return Status(201, complaint)
