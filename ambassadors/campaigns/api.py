"""Campaigns on /api/v1/ (added to the network's NinjaAPI in ready()): the endpoints of
issue 19, calling the same services as the pages. Domain errors map to {"code","message"}:
a content without its mention is 400 `non_compliant`, an approval the law forbids yet (no
signed contract above the threshold) is 409 with the reason."""

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from wagtail.models import Page

from core.errors import InvalidInput, NotAllowed, NotFound
from network.api.errors import Error

from .models import Campaign, Deliverable, Engagement
from .permissions import is_campaign_staff
from .services import briefs, casting, deliverables

router = Router()

Money = str | int | float | None


class InKindIn(Schema):
    label: str
    value: Money = None


class SpecIn(Schema):
    platform: str
    format: str
    count: int = 1
    due_on: date


class CampaignIn(Schema):
    kind: str = "campaign"
    title: str
    objectives: str
    stage: str
    audience: str = ""
    key_messages: str = ""
    dos: str = ""
    donts: str = ""
    starts_on: date
    ends_on: date
    relationship: str
    cash_amount: Money = None
    usage_rights: str = ""
    required_mentions: str = ""
    advertiser: str | None = None  # a partner organisation's slug; none: the agency
    pages: list[int] = []
    in_kind: list[InKindIn] = []
    deliverables: list[SpecIn] = []
    open_to_applications: bool = False
    has_eductour: bool = False
    eductour_starts_on: date | None = None
    eductour_ends_on: date | None = None
    eductour_programme: str = ""
    eductour_meeting_point: str = ""
    eductour_seats: int | None = None
    publish: bool = False


class EngagementOut(Schema):
    creator: str
    status: str
    seat: str
    agreed_cash: str
    counter_cash: str | None = None
    counter_deliverables: str = ""
    chat_room: int | None = None


class CampaignSummary(Schema):
    id: int
    kind: str
    title: str
    stage: str
    status: str
    relationship: str
    starts_on: date
    ends_on: date
    open_to_applications: bool
    mine: str | None = None


class CampaignOut(CampaignSummary):
    objectives: str
    audience: str
    key_messages: str
    dos: str
    donts: str
    cash_amount: str
    usage_rights: str
    required_mentions: list[str]
    in_kind: list[dict[str, Any]]
    deliverables: list[dict[str, Any]]
    pages: list[int]
    eductour: dict[str, Any] | None
    engagement: EngagementOut | None = None
    engagements: list[EngagementOut] | None = None


def _engagement(e: Engagement) -> dict:
    return {
        "creator": e.creator.username,
        "status": e.status,
        "seat": e.seat,
        "agreed_cash": str(e.agreed_cash),
        "counter_cash": None if e.counter_cash is None else str(e.counter_cash),
        "counter_deliverables": e.counter_deliverables,
        "chat_room": e.chat_room_id,
    }


def _summary(c: Campaign, mine: str | None = None) -> dict:
    return {
        "id": c.pk,
        "kind": c.kind,
        "title": c.title,
        "stage": c.stage,
        "status": c.status,
        "relationship": c.relationship,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "open_to_applications": c.open_to_applications,
        "mine": mine,
    }


def _detail(user, campaign: Campaign, engagement: Engagement | None) -> dict:
    data = _summary(campaign, engagement.status if engagement else None)
    data.update(
        objectives=campaign.objectives,
        audience=campaign.audience,
        key_messages=campaign.key_messages,
        dos=campaign.dos,
        donts=campaign.donts,
        cash_amount=str(campaign.cash_amount),
        usage_rights=campaign.usage_rights,
        required_mentions=campaign.mention_list,
        in_kind=[{"label": i.label, "value": str(i.value)} for i in campaign.in_kind_items.all()],
        deliverables=[
            {
                "id": s.pk,
                "platform": s.platform,
                "format": s.format,
                "count": s.count,
                "due_on": s.due_on.isoformat(),
            }
            for s in campaign.deliverable_specs.all()
        ],
        pages=list(campaign.pages.values_list("pk", flat=True)),
        eductour=campaign.has_eductour
        and {
            "starts_on": campaign.eductour_starts_on.isoformat(),
            "ends_on": campaign.eductour_ends_on.isoformat(),
            "programme": campaign.eductour_programme,
            "meeting_point": campaign.eductour_meeting_point,
            "seats": campaign.eductour_seats,
            "seats_taken": campaign.seats_taken,
        }
        or None,
        engagement=_engagement(engagement) if engagement else None,
    )
    if is_campaign_staff(user):
        data["engagements"] = [
            _engagement(e) for e in campaign.engagements.select_related("creator").order_by("pk")
        ]
    return data


class CampaignFilters(Schema):
    status: str = ""


@router.get(
    "/campaigns",
    response={200: list[CampaignSummary], 401: Error},
    summary="Briefs: all for staff; yours and those open to applications for a creator",
)
def list_campaigns(request, filters: Query[CampaignFilters]):
    user = request.user
    if is_campaign_staff(user):
        found = Campaign.objects.all()
        if filters.status in Campaign.Status.values:
            found = found.filter(status=filters.status)
        return [_summary(c) for c in found[:200]]
    mine = dict(Engagement.objects.filter(creator=user).values_list("campaign_id", "status"))
    found = Campaign.objects.filter(status__in=("open", "closed")).filter(
        Q(pk__in=list(mine)) | Q(status="open", open_to_applications=True)
    )
    return [_summary(c, mine.get(c.pk)) for c in found[:200]]


@router.post(
    "/campaigns",
    response={201: CampaignOut, 400: Error, 401: Error, 403: Error, 409: Error},
    summary="Write a brief (staff); `publish: true` opens it at once",
)
def create_campaign(request, payload: CampaignIn):
    from network.models import Organisation

    data = payload.dict()
    pages = list(Page.objects.filter(pk__in=data.pop("pages")))
    if data.get("advertiser"):
        data["advertiser"] = Organisation.objects.filter(slug=data["advertiser"]).first()
        if data["advertiser"] is None:
            raise NotFound(_("No such organisation."))
    in_kind = data.pop("in_kind")
    specs = data.pop("deliverables")
    publish = data.pop("publish")
    campaign = briefs.save_brief(
        actor=request.user, data=data, in_kind=in_kind, deliverables=specs, pages=pages
    )
    if publish:
        campaign = briefs.move_brief(actor=request.user, campaign=campaign, action="publish")
    return Status(201, _detail(request.user, campaign, None))


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, 401: Error, 404: Error},
    summary="A brief you may read (404 for one you were not invited to)",
)
def get_campaign(request, campaign_id: int):
    campaign, engagement = casting.visible_campaign(request.user, campaign_id)
    return _detail(request.user, campaign, engagement)


def _campaign(campaign_id) -> Campaign:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(_("No such brief."))
    return campaign


def _member(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("No such member."))
    return user


class InvitationsIn(Schema):
    creators: list[str]
    note: str = ""


@router.post(
    "/campaigns/{campaign_id}/invitations",
    response={201: list[EngagementOut], 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Invite creators by user name (staff)",
)
def invite(request, campaign_id: int, payload: InvitationsIn):
    if not is_campaign_staff(request.user):
        raise NotAllowed(_("Only agency staff invite creators."))
    campaign = _campaign(campaign_id)
    users = list(get_user_model().objects.filter(username__in=payload.creators))
    if len(users) != len(set(payload.creators)):
        raise InvalidInput(_("Some of these members do not exist."))
    engagements = casting.invite(
        actor=request.user, campaign=campaign, creators=users, note=payload.note
    )
    return Status(201, [_engagement(e) for e in engagements])


class AnswerIn(Schema):
    creator: str | None = None  # staff answering a creator's application or counter-offer
    note: str = ""


@router.post(
    "/campaigns/{campaign_id}/accept",
    response={200: EngagementOut, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Accept: a creator their invitation; staff (with `creator`) an application or "
    "counter-offer",
)
def accept(request, campaign_id: int, payload: AnswerIn | None = None):
    campaign = _campaign(campaign_id)
    creator = _member(payload.creator if payload else None)
    return _engagement(casting.accept(actor=request.user, campaign=campaign, creator=creator))


@router.post(
    "/campaigns/{campaign_id}/decline",
    response={200: EngagementOut, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Decline (or withdraw): a creator; staff (with `creator`) refuse an application "
    "or counter-offer",
)
def decline(request, campaign_id: int, payload: AnswerIn | None = None):
    campaign = _campaign(campaign_id)
    creator = _member(payload.creator if payload else None)
    engagement = casting.decline(
        actor=request.user,
        campaign=campaign,
        creator=creator,
        note=payload.note if payload else "",
    )
    return _engagement(engagement)


class CounterIn(Schema):
    cash: Money = None
    deliverables: str = ""
    note: str = ""


@router.post(
    "/campaigns/{campaign_id}/counter",
    response={200: EngagementOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Answer an invitation with other terms (an amount, deliverables or both)",
)
def counter(request, campaign_id: int, payload: CounterIn):
    campaign = _campaign(campaign_id)
    engagement = casting.counter(
        actor=request.user,
        campaign=campaign,
        cash=payload.cash,
        deliverables=payload.deliverables,
        note=payload.note,
    )
    return _engagement(engagement)


class DeliverableIn(Schema):
    text: str
    platform: str = ""
    spec: int | None = None
    video_url: str = ""
    declares_retouched: bool = False
    declares_virtual: bool = False
    revises: int | None = None  # the content staff asked changes on


class DeliverableOut(Schema):
    id: int
    campaign: int
    creator: str
    platform: str
    status: str
    revision: int
    review_comment: str
    published_url: str
    url_check: str
    submitted_at: datetime


def _deliverable(d: Deliverable) -> dict:
    return {
        "id": d.pk,
        "campaign": d.engagement.campaign_id,
        "creator": d.engagement.creator.username,
        "platform": d.platform,
        "status": d.status,
        "revision": d.revision,
        "review_comment": d.review_comment,
        "published_url": d.published_url,
        "url_check": d.url_check,
        "submitted_at": d.submitted_at,
    }


@router.post(
    "/campaigns/{campaign_id}/deliverables",
    response={201: DeliverableOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Send a content for review (400 `non_compliant` without its mentions)",
)
def submit_deliverable(request, campaign_id: int, payload: DeliverableIn):
    campaign, _engagement_ = casting.visible_campaign(request.user, campaign_id)
    existing = None
    if payload.revises:
        existing = deliverables.get_deliverable_for(request.user, payload.revises)
    deliverable = deliverables.submit(
        actor=request.user,
        campaign=campaign,
        text=payload.text,
        platform=payload.platform,
        spec_id=payload.spec,
        video_url=payload.video_url,
        declares_retouched=payload.declares_retouched,
        declares_virtual=payload.declares_virtual,
        deliverable=existing,
    )
    return Status(201, _deliverable(deliverable))


class ReviewIn(Schema):
    decision: str  # approve | request_changes | reject
    comment: str = ""


@router.post(
    "/deliverables/{deliverable_id}/review",
    response={200: DeliverableOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Review a content (staff): approve, request_changes or reject; 409 with the reason "
    "when the law forbids approving it yet",
)
def review_deliverable(request, deliverable_id: int, payload: ReviewIn):
    if not is_campaign_staff(request.user):
        raise NotAllowed(_("Only agency staff review contents."))
    deliverable = deliverables.get_deliverable_for(request.user, deliverable_id)
    deliverable = deliverables.review(
        actor=request.user,
        deliverable=deliverable,
        decision=payload.decision,
        comment=payload.comment,
    )
    return _deliverable(
        Deliverable.objects.select_related("engagement__creator").get(pk=deliverable.pk)
    )


class ReportRow(Schema):
    creator: str
    status: str
    seat: str
    contents: int
    done: int
    on_time: int
    clicks: int
    reach: int
    value: str


class ReportOut(Schema):
    campaign: int
    stage: str
    creators: int
    contents: int
    done: int
    on_time: int
    clicks: int
    reach: int
    cash: str
    in_kind: str
    total: str
    cost_per_click: str | None
    cost_per_content: str | None
    rows: list[ReportRow]


@router.get(
    "/campaigns/{campaign_id}/report",
    response={200: ReportOut, 401: Error, 403: Error, 404: Error},
    summary="The brief's report (staff)",
)
def report(request, campaign_id: int):
    """Its JSON is cached with the figures (caches.REPORT_JSON): validated once, when built,
    not at each read (ninja checks 200 rows against the schema at every response)."""
    from django.http import HttpResponse
    from django.utils.translation import get_language

    from .caches import REPORT_JSON

    if not is_campaign_staff(request.user):
        raise NotAllowed(_("Reports are for agency staff."))

    def build():  # the brief is read only when the entry misses (a deletion forgets it)
        campaign = _campaign(campaign_id)
        return ReportOut.model_validate(_report_payload(campaign)).model_dump_json()

    body = REPORT_JSON.get_or_set(campaign_id, get_language(), default=build)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _report_payload(campaign) -> dict:
    from .reports import cached_report

    t = cached_report(campaign).totals
    return {
        "campaign": campaign.pk,
        "stage": campaign.stage,
        "creators": t.creators,
        "contents": t.contents,
        "done": t.done,
        "on_time": t.on_time,
        "clicks": t.clicks,
        "reach": t.reach,
        "cash": str(t.cash),
        "in_kind": str(t.in_kind),
        "total": str(t.total),
        "cost_per_click": None if t.cost_per_click is None else str(t.cost_per_click),
        "cost_per_content": None if t.cost_per_content is None else str(t.cost_per_content),
        "rows": [
            {
                "creator": r.name,
                "status": r.status,
                "seat": r.seat,
                "contents": r.contents,
                "done": r.done,
                "on_time": r.on_time,
                "clicks": r.clicks,
                "reach": r.reach,
                "value": str(r.total),
            }
            for r in t.rows
        ],
    }
