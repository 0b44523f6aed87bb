"""Campaign reports: per brief and per TRACER stage. Creators, contents on time, clicks on
the tracked links (flushed counts, the programme's link machinery), declared reach, costs per
click and per content, ledger totals. A fixed number of queries whatever the number of
creators, contents or clicks: every figure is a grouped aggregate. `cached_report` keeps a
brief's figures under the reports generation (caches.py): what the page, the API and the CSV
read."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import get_language

from ..models import LinkClickDay, TrackedLink
from ..models.missions import TracerStage
from .caches import REPORT_DATA
from .models import Campaign, CreatorPlatform, Deliverable, Engagement, LedgerLine, euros

DONE = (Deliverable.Status.APPROVED, Deliverable.Status.PUBLISHED)
ON_TIME = Q(spec__isnull=False, submitted_at__date__lte=F("spec__due_on")) | Q(
    spec__isnull=True, submitted_at__date__lte=F("engagement__campaign__ends_on")
)


@dataclass
class Row:
    name: str
    status: str
    seat: str = ""
    contents: int = 0
    done: int = 0
    on_time: int = 0
    clicks: int = 0
    reach: int = 0
    cash: Decimal = Decimal(0)
    in_kind: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.cash + self.in_kind


@dataclass
class Totals:
    creators: int = 0
    invited: int = 0
    contents: int = 0
    done: int = 0
    on_time: int = 0
    clicks: int = 0
    reach: int = 0
    cash: Decimal = Decimal(0)
    in_kind: Decimal = Decimal(0)
    rows: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.cash + self.in_kind

    @property
    def cost_per_click(self):
        return (self.total / self.clicks).quantize(Decimal("0.01")) if self.clicks else None

    @property
    def cost_per_content(self):
        return (self.total / self.done).quantize(Decimal("0.01")) if self.done else None


def _reach(deliverables) -> dict:
    """{creator_id: declared audience on the platforms they delivered on}."""
    pairs = set(
        deliverables.filter(status__in=DONE)
        .values_list("engagement__creator_id", "platform")
        .distinct()
    )
    if not pairs:
        return {}
    creators = {creator for creator, _platform in pairs}
    reach: dict = {}
    for creator, platform, audience in CreatorPlatform.objects.filter(
        profile__user_id__in=creators
    ).values_list("profile__user_id", "platform", "audience"):
        if (creator, platform) in pairs:
            reach[creator] = reach.get(creator, 0) + audience
    return reach


def campaign_report(campaign: Campaign) -> Totals:
    totals = Totals()
    # Plain values, not model instances: the rows only need these few columns.
    engagements = list(
        Engagement.objects.filter(campaign=campaign)
        .exclude(status__in=(Engagement.Status.DECLINED, Engagement.Status.REFUSED))
        .order_by("pk")
        .values_list(
            "pk",
            "creator_id",
            "status",
            "seat",
            "creator__display_name",
            "creator__first_name",
            "creator__last_name",
            "creator__username",
        )
    )
    deliverables = Deliverable.objects.filter(engagement__campaign=campaign)
    counts = {
        row["engagement_id"]: row
        for row in deliverables.values("engagement_id").annotate(
            contents=Count("pk"),
            done=Count("pk", filter=Q(status__in=DONE)),
            on_time=Count("pk", filter=Q(status__in=DONE) & ON_TIME),
        )
    }
    clicks = dict(
        TrackedLink.objects.filter(source="campaign", reference=campaign.reference)
        .values("owner_id")
        .annotate(total=Sum("clicks"))
        .values_list("owner_id", "total")
    )
    reach = _reach(deliverables)
    money: dict = {}
    for creator_id, kind, amount in (
        LedgerLine.objects.filter(campaign=campaign)
        .values("creator_id", "kind")
        .annotate(amount=Sum("amount"))
        .values_list("creator_id", "kind", "amount")
    ):
        money[(creator_id, kind)] = euros(amount)
    # Labels translated once, not once per row (a lazy label costs a lookup at each use).
    statuses = {value: str(label) for value, label in Engagement.Status.choices}
    seats = {value: str(label) for value, label in Engagement.Seat.choices}
    zero = Decimal(0)
    for pk, creator_id, status, seat, display, first, last, username in engagements:
        count = counts.get(pk, {})
        row = Row(
            name=display or f"{first} {last}".strip() or username,
            status=statuses.get(status, status),
            seat=seats[seat] if seat else "",
            contents=count.get("contents", 0),
            done=count.get("done", 0),
            on_time=count.get("on_time", 0),
            clicks=clicks.get(creator_id, 0) or 0,
            reach=reach.get(creator_id, 0),
            cash=money.get((creator_id, LedgerLine.Kind.CASH), zero),
            in_kind=money.get((creator_id, LedgerLine.Kind.IN_KIND), zero),
        )
        totals.rows.append(row)
        if status == Engagement.Status.ACCEPTED:
            totals.creators += 1
        if status == Engagement.Status.INVITED:
            totals.invited += 1
        for name in ("contents", "done", "on_time", "clicks", "reach", "cash", "in_kind"):
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    return totals


@dataclass
class Report:
    totals: Totals
    days: list  # [(day, clicks)]


def cached_report(campaign: Campaign) -> Report:
    """The brief's figures and clicks per day, from the cache or built (and kept)."""
    return REPORT_DATA.get_or_set(
        campaign.pk,
        get_language(),
        default=lambda: Report(campaign_report(campaign), clicks_per_day(campaign)),
    )


def clicks_per_day(campaign: Campaign) -> list:
    return list(
        LinkClickDay.objects.filter(link__source="campaign", link__reference=campaign.reference)
        .values("day")
        .annotate(clicks=Sum("clicks"))
        .order_by("day")
        .values_list("day", "clicks")
    )


def stage_report(campaigns=None) -> list[tuple[str, str, Totals]]:
    """[(stage, label, totals)] over the briefs that are not drafts, in TRACER order."""
    campaigns = campaigns if campaigns is not None else Campaign.objects.exclude(status="draft")
    stage_of = dict(campaigns.values_list("pk", "stage"))
    by_stage = {value: Totals() for value in TracerStage.values}
    for campaign_id, count in (
        Engagement.objects.filter(campaign_id__in=list(stage_of), status="accepted")
        .values("campaign_id")
        .annotate(count=Count("pk"))
        .values_list("campaign_id", "count")
    ):
        by_stage[stage_of[campaign_id]].creators += count
    deliverables = Deliverable.objects.filter(engagement__campaign_id__in=list(stage_of))
    for row in deliverables.values("engagement__campaign_id").annotate(
        contents=Count("pk"),
        done=Count("pk", filter=Q(status__in=DONE)),
        on_time=Count("pk", filter=Q(status__in=DONE) & ON_TIME),
    ):
        totals = by_stage[stage_of[row["engagement__campaign_id"]]]
        totals.contents += row["contents"]
        totals.done += row["done"]
        totals.on_time += row["on_time"]
    for reference, clicks in (
        TrackedLink.objects.filter(
            source="campaign", reference__in=[f"campaign:{pk}" for pk in stage_of]
        )
        .values("reference")
        .annotate(total=Sum("clicks"))
        .values_list("reference", "total")
    ):
        by_stage[stage_of[int(reference.split(":")[1])]].clicks += clicks or 0
    pairs = set(
        deliverables.filter(status__in=DONE)
        .values_list("engagement__campaign_id", "engagement__creator_id", "platform")
        .distinct()
    )
    audiences = {
        (creator, platform): audience
        for creator, platform, audience in CreatorPlatform.objects.filter(
            profile__user_id__in={creator for _c, creator, _p in pairs}
        ).values_list("profile__user_id", "platform", "audience")
    }
    for campaign_id, creator, platform in pairs:
        by_stage[stage_of[campaign_id]].reach += audiences.get((creator, platform), 0)
    for campaign_id, kind, amount in (
        LedgerLine.objects.filter(campaign_id__in=list(stage_of))
        .values("campaign_id", "kind")
        .annotate(amount=Sum("amount"))
        .values_list("campaign_id", "kind", "amount")
    ):
        totals = by_stage[stage_of[campaign_id]]
        if kind == LedgerLine.Kind.CASH:
            totals.cash += euros(amount)
        else:
            totals.in_kind += euros(amount)
    return [(value, label, by_stage[value]) for value, label in TracerStage.choices]


def report_csv(campaign: Campaign, totals: Totals) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "creator",
            "status",
            "seat",
            "contents",
            "approved_or_published",
            "on_time",
            "clicks",
            "declared_reach",
            "cash_eur",
            "in_kind_eur",
            "total_eur",
        ]
    )
    for row in totals.rows:
        writer.writerow(
            [
                _safe(row.name),
                row.status,
                row.seat,
                row.contents,
                row.done,
                row.on_time,
                row.clicks,
                row.reach,
                row.cash,
                row.in_kind,
                row.total,
            ]
        )
    writer.writerow(
        [
            "TOTAL",
            "",
            "",
            totals.contents,
            totals.done,
            totals.on_time,
            totals.clicks,
            totals.reach,
            totals.cash,
            totals.in_kind,
            totals.total,
        ]
    )
    writer.writerow(["cost_per_click_eur", totals.cost_per_click or ""])
    writer.writerow(["cost_per_content_eur", totals.cost_per_content or ""])
    return out.getvalue()


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
