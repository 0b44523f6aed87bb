"""The programme's endpoints on /api/v1/ (added to the network's NinjaAPI in ready()). They
call the same services and selectors as the pages; domain errors map to {"code","message"}."""

from datetime import datetime

from django.db.models import Sum
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from core.errors import NotAllowed, NotFound
from network.api.auth import ANYONE, OPTIONAL_AUTH
from network.api.errors import Error

from . import selectors
from .links.services import check_owner
from .models import Briefing, LinkClickDay, Mission, Submission, TrackedLink
from .permissions import is_ambassador
from .services import briefings, missions
from .services.badges import attach_badges
from .services.links import link_for_page

router = Router()


class BadgeOut(Schema):
    slug: str
    name: str
    symbol: str
    description: str


class AmbassadorOut(Schema):
    username: str
    name: str
    headline: str | None = None
    areas: list[str] | None = None
    town: str | None = None
    languages: list[str] | None = None
    badges: list[BadgeOut] | None = None


class AmbassadorPage(Schema):
    items: list[AmbassadorOut]
    next: str | None


class AmbassadorFilters(Schema):
    q: str = ""
    area: str = ""
    tag: str = ""
    skill: str = ""
    language: str = ""
    cursor: str | None = None


def _ambassador(profile, viewer) -> dict:
    shown = profile.shown_to(viewer)
    return {
        "username": profile.user.username,
        "name": profile.user.get_display_name(),
        "headline": profile.headline if "headline" in shown else None,
        "areas": [a.name for a in profile.areas.all()] if "areas" in shown else None,
        "town": profile.town if "town" in shown else None,
        "languages": profile.language_codes if "languages" in shown else None,
        "badges": [
            {
                "slug": badge.slug,
                "name": badge.label,
                "symbol": badge.symbol,
                "description": badge.explanation,
            }
            for badge in profile.badges
        ]
        if "activity" in shown
        else None,
    }


@router.get(
    "/ambassadors",
    response={200: AmbassadorPage, 400: Error},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="The ambassador directory",
)
def list_ambassadors(request, filters: Query[AmbassadorFilters]):
    data = filters.dict()
    cursor = data.pop("cursor")
    data = {k: (v or "")[:100] for k, v in data.items()}
    items, next_cursor = selectors.search_ambassadors(request.user, cursor=cursor, **data)
    attach_badges(items, request.user)
    return {"items": [_ambassador(p, request.user) for p in items], "next": next_cursor}


@router.get(
    "/ambassadors/{username}",
    response={200: AmbassadorOut, 404: Error},
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    summary="An ambassador",
)
def get_ambassador(request, username: str):
    profile = selectors.get_profile_for(request.user, username)
    if profile is None:
        raise NotFound()
    attach_badges([profile], request.user)
    return _ambassador(profile, request.user)


class MissionOut(Schema):
    id: int
    title: str
    stage: str
    type: str
    points: int
    deadline: datetime
    cap: int | None
    taken: int
    mine: str | None


@router.get(
    "/missions", response={200: list[MissionOut], 401: Error, 403: Error}, summary="Open missions"
)
def list_missions(request):
    if not selectors.can_see_programme(request.user):
        raise NotAllowed(_("Only ambassadors see the missions."))
    return [
        {
            "id": m.pk,
            "title": m.title,
            "stage": m.stage,
            "type": m.type,
            "points": m.points,
            "deadline": m.deadline,
            "cap": m.cap,
            "taken": m.taken_count,
            "mine": m.mine[0].status if getattr(m, "mine", None) else None,
        }
        for m in selectors.missions_for(request.user)[:100]
    ]


class ParticipationOut(Schema):
    mission: int
    status: str


@router.post(
    "/missions/{mission_id}/take",
    response={201: ParticipationOut, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Take a mission",
)
def take_mission(request, mission_id: int):
    mission = Mission.objects.filter(pk=mission_id).first()
    if mission is None:
        raise NotFound()
    participation = missions.take_mission(actor=request.user, mission=mission)
    return Status(201, {"mission": mission.pk, "status": participation.status})


class ProofIn(Schema):
    link: str = ""
    text: str = ""


class SubmissionOut(Schema):
    id: int
    status: str


@router.post(
    "/missions/{mission_id}/submissions",
    response={201: SubmissionOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Send a proof (link or text; photos through the page)",
)
def submit_proof(request, mission_id: int, payload: ProofIn):
    mission = Mission.objects.filter(pk=mission_id).first()
    if mission is None:
        raise NotFound()
    submission = missions.submit_proof(
        actor=request.user, mission=mission, link=payload.link, text=payload.text
    )
    return Status(201, {"id": submission.pk, "status": submission.status})


class ReviewIn(Schema):
    decision: str  # approve | reject | request_changes
    reason: str = ""


@router.post(
    "/submissions/{submission_id}/review",
    response={200: SubmissionOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Review a proof (staff)",
)
def review_submission(request, submission_id: int, payload: ReviewIn):
    submission = Submission.objects.select_related("participation").filter(pk=submission_id).first()
    if submission is None:
        raise NotFound()
    submission = missions.review_submission(
        actor=request.user, submission=submission, decision=payload.decision, reason=payload.reason
    )
    return {"id": submission.pk, "status": submission.status}


class LinkIn(Schema):
    page: int


class LinkOut(Schema):
    code: str
    url: str
    page: int


@router.post(
    "/links",
    response={200: LinkOut, 401: Error, 403: Error, 404: Error},
    summary="My tracked link to a page",
)
def make_link(request, payload: LinkIn):
    link = link_for_page(actor=request.user, page_id=payload.page)
    return {
        "code": link.code,
        "url": request.build_absolute_uri(f"/r/{link.code}"),
        "page": link.page_id,
    }


class DayOut(Schema):
    day: str
    clicks: int


class LinkStatsOut(Schema):
    code: str
    total: int
    days: list[DayOut]


@router.get(
    "/links/{code}/stats",
    response={200: LinkStatsOut, 401: Error, 403: Error, 404: Error},
    summary="Clicks of one of my links, per day",
)
def link_stats(request, code: str):
    link = TrackedLink.objects.filter(code=code).first()
    if link is None:
        raise NotFound()
    check_owner(request.user, link)
    days = LinkClickDay.objects.filter(link=link).order_by("-day")[:400]
    total = LinkClickDay.objects.filter(link=link).aggregate(total=Sum("clicks"))["total"] or 0
    return {
        "code": link.code,
        "total": total,
        "days": [{"day": d.day.isoformat(), "clicks": d.clicks} for d in days],
    }


class BriefingOut(Schema):
    id: int
    title: str
    sent_at: datetime | None
    read: bool


@router.get(
    "/briefings",
    response={200: list[BriefingOut], 401: Error, 403: Error},
    summary="My briefings",
)
def list_briefings(request):
    if not is_ambassador(request.user):
        raise NotAllowed(_("Only ambassadors receive briefings."))
    return [
        {"id": b.pk, "title": b.title, "sent_at": b.sent_at, "read": bool(b.mine[0].read_at)}
        for b in selectors.briefings_of(request.user)[:100]
    ]


@router.post(
    "/briefings/{briefing_id}/read",
    response={200: BriefingOut, 401: Error, 403: Error, 404: Error},
    summary="Acknowledge a briefing (lu)",
)
def read_briefing(request, briefing_id: int):
    briefing = Briefing.objects.filter(pk=briefing_id).first()
    if briefing is None:
        raise NotFound()
    recipient = briefings.mark_read(actor=request.user, briefing=briefing)
    return {
        "id": briefing.pk,
        "title": briefing.title,
        "sent_at": briefing.sent_at,
        "read": bool(recipient.read_at),
    }
