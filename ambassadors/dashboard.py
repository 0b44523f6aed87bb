"""The agency's dashboard (Wagtail admin → Ambassador dashboard): each table is one query,
whatever the number of ambassadors, and each is exported as CSV. Charts are SVG drawn here,
on the server (no script, no CDN), with a title, a description and the table beside them."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import (
    Application,
    GreeterRequest,
    Licence,
    LinkClickDay,
    Mission,
    Profile,
    Submission,
)
from .models.missions import TracerStage

EXPIRING_DAYS = 60
MONTHS = 12
LIST_LIMIT = 50


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first days of the last `months` months, oldest first."""
    first = today.replace(day=1)
    starts = []
    for _n in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return starts[::-1]


def ambassadors_by_area(today: date) -> Table:
    """Licence holders per area (a profile in several areas counts in each), by status."""
    soon = today + timedelta(days=30)
    valid = Q(
        ambassador_licence__status=Licence.Status.ACTIVE,
        ambassador_licence__starts_on__lte=today,
        ambassador_licence__expires_on__gte=today,
    )
    prefix = "user__"
    rows = (
        Profile.objects.filter(user__ambassador_licence__isnull=False)
        .values(area=Coalesce(F("areas__name"), Value("")))
        .annotate(
            valid=Count("pk", filter=_prefixed(valid, prefix)),
            expiring=Count(
                "pk",
                filter=_prefixed(valid, prefix) & Q(user__ambassador_licence__expires_on__lte=soon),
            ),
            expired=Count(
                "pk",
                filter=Q(
                    user__ambassador_licence__status=Licence.Status.ACTIVE,
                    user__ambassador_licence__expires_on__lt=today,
                ),
            ),
            suspended=Count(
                "pk",
                filter=Q(
                    user__ambassador_licence__status__in=[
                        Licence.Status.SUSPENDED,
                        Licence.Status.REVOKED,
                    ]
                ),
            ),
        )
        .order_by("-valid", "area")
    )
    return Table(
        "areas",
        _("Ambassadors by area and status"),
        [
            _("Area"),
            _("Valid licence"),
            _("Expiring within 30 days"),
            _("Expired"),
            _("Suspended or revoked"),
        ],
        [
            [
                row["area"] or _("No area"),
                row["valid"],
                row["expiring"],
                row["expired"],
                row["suspended"],
            ]
            for row in rows
        ],
    )


def _prefixed(q: Q, prefix: str) -> Q:
    return Q(**{f"{prefix}{key}": value for key, value in q.children})


def applications_waiting() -> Table:
    rows = (
        Application.objects.filter(
            status__in=[Application.Status.PENDING, Application.Status.MORE_INFO]
        )
        .select_related("applicant")
        .order_by("created_at", "pk")[:LIST_LIMIT]
    )
    return Table(
        "applications",
        _("Applications waiting"),
        [_("Applicant"), _("Sent on"), _("Status")],
        [
            [a.applicant.get_display_name(), a.created_at.date(), a.get_status_display()]
            for a in rows
        ],
    )


def licences_expiring(today: date) -> Table:
    rows = (
        Licence.objects.filter(
            status=Licence.Status.ACTIVE,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=EXPIRING_DAYS),
        )
        .select_related("holder")
        .order_by("expires_on", "pk")[:LIST_LIMIT]
    )
    return Table(
        "licences",
        _("Licences expiring within %(days)s days") % {"days": EXPIRING_DAYS},
        [_("Ambassador"), _("Expiry"), _("Reminded")],
        [
            [
                licence.holder.get_display_name(),
                licence.expires_on,
                _("yes") if licence.reminded_for == licence.expires_on else _("no"),
            ]
            for licence in rows
        ],
    )


def missions_in_progress() -> Table:
    rows = (
        Mission.objects.filter(status=Mission.Status.PUBLISHED, deadline__gt=timezone.now())
        .annotate(
            waiting=Count(
                "participations__submissions",
                filter=Q(participations__submissions__status=Submission.Status.WAITING),
            )
        )
        .order_by("deadline", "pk")[:LIST_LIMIT]
    )
    return Table(
        "missions",
        _("Missions in progress"),
        [
            _("Mission"),
            _("TRACER stage"),
            _("Taken"),
            _("Participants at most"),
            _("Proofs to review"),
            _("Deadline"),
        ],
        [
            [
                m.title,
                m.get_stage_display(),
                m.taken_count,
                m.cap if m.cap is not None else "—",
                m.waiting,
                m.deadline.date(),
            ]
            for m in rows
        ],
    )


def _per_stage_table(slug, title, counts, months) -> Table:
    """counts: {(month, stage): value} → one row per month, one column per stage."""
    return Table(
        slug,
        title,
        [_("Month")] + [str(label) for label in TracerStage.labels],
        [
            [month.strftime("%Y-%m")]
            + [counts.get((month, stage), 0) for stage in TracerStage.values]
            for month in months
        ],
    )


def _month(value) -> date:
    return value.date() if hasattr(value, "date") else value


def clicks_per_stage(today: date) -> Table:
    """Visitors brought by ambassadors' links, per month and TRACER stage: a link counts
    under the stage of the latest mission that shares its page, else Engagement (sharing
    is the funnel's engagement step)."""
    months = month_starts(today)
    stage = Subquery(
        Mission.objects.filter(page_id=OuterRef("link__page_id"))
        .order_by("-created_at", "-pk")
        .values("stage")[:1]
    )
    rows = (
        LinkClickDay.objects.filter(day__gte=months[0], link__source="ambassador")
        .annotate(
            month=TruncMonth("day"), stage=Coalesce(stage, Value(TracerStage.ENGAGEMENT.value))
        )
        .values("month", "stage")
        .annotate(total=Sum("clicks"))
        .order_by()
    )
    counts = {(_month(r["month"]), r["stage"]): r["total"] or 0 for r in rows}
    return _per_stage_table("stage-clicks", _("Visitors brought per TRACER stage"), counts, months)


def approved_missions_per_stage(today: date) -> Table:
    months = month_starts(today)
    start = timezone.make_aware(timezone.datetime(months[0].year, months[0].month, 1))
    rows = (
        Submission.objects.filter(status=Submission.Status.APPROVED, reviewed_at__gte=start)
        .annotate(month=TruncMonth("reviewed_at"), stage=F("participation__mission__stage"))
        .values("month", "stage")
        .annotate(total=Count("pk"))
        .order_by()
    )
    counts = {(_month(r["month"]), r["stage"]): r["total"] for r in rows}
    return _per_stage_table(
        "stage-missions", _("Approved missions per TRACER stage"), counts, months
    )


def greeters_waiting_count() -> int:
    return GreeterRequest.objects.filter(
        status=GreeterRequest.Status.OPEN, greeter__isnull=True, date_to__gte=timezone.localdate()
    ).count()


TABLES = {
    "areas": lambda today: ambassadors_by_area(today),
    "applications": lambda today: applications_waiting(),
    "licences": lambda today: licences_expiring(today),
    "missions": lambda today: missions_in_progress(),
    "stage-clicks": lambda today: clicks_per_stage(today),
    "stage-missions": lambda today: approved_missions_per_stage(today),
}


# Charts -------------------------------------------------------------------------------------------

# One colour per TRACER stage, distinguishable by people with the common colour-vision
# deficiencies (Okabe–Ito), each with a contrast of at least 3:1 on white.
STAGE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9"]


def stacked_columns(table: Table, *, chart_id: str, description: str) -> str:
    """A stacked column chart of a per-stage table (first column: the month). The SVG is
    named by its title and description; the same figures are in the table beside it."""
    width, height, left, bottom, top = 720, 260, 44, 36, 12
    series = table.columns[1:]
    totals = [sum(row[1:]) for row in table.rows]
    peak = max(totals + [1])
    scale = _nice_ceiling(peak)
    plot_h = height - bottom - top
    step = (width - left - 8) / max(len(table.rows), 1)
    bar = step * 0.7
    parts = [
        f'<svg class="amb-chart" viewBox="0 0 {width} {height + 28 * ((len(series) + 2) // 3)}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(table.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for tick in range(5):
        value = scale * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" '
            f'class="amb-chart__grid"/><text x="{left - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end" class="amb-chart__axis">{value:g}</text>'
        )
    for index, row in enumerate(table.rows):
        x = left + index * step + (step - bar) / 2
        y = top + plot_h
        for colour, value in zip(STAGE_COLOURS, row[1:], strict=False):
            if not value:
                continue
            h = plot_h * value / scale
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'class="amb-chart__axis">{escape(str(row[0])[2:])}</text>'
        )
    for index, (colour, name) in enumerate(zip(STAGE_COLOURS, series, strict=False)):
        x = left + (index % 3) * 220
        y = height + 4 + 28 * (index // 3)
        parts.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{x + 20}" y="{y + 12}" class="amb-chart__legend">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - every text above is escaped


def horizontal_bars(table: Table, *, chart_id: str, description: str, column: int = 1) -> str:
    """A bar per row (its label and the value of `column`)."""
    rows = table.rows[:15]
    width, bar_h, gap, label_w = 720, 18, 8, 200
    height = max(len(rows), 1) * (bar_h + gap) + 8
    peak = max([row[column] for row in rows] + [1])
    parts = [
        f'<svg class="amb-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(table.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, row in enumerate(rows):
        y = 4 + index * (bar_h + gap)
        w = (width - label_w - 60) * row[column] / peak
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" class="amb-chart__legend">'
            f"{escape(str(row[0])[:28])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" '
            f'fill="{STAGE_COLOURS[0]}"/><text x="{label_w + w + 6:.1f}" y="{y + 13}" '
            f'class="amb-chart__axis">{row[column]}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - every text above is escaped


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^n at or above `value` (round axis ticks)."""
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= value:
            return factor * magnitude
    return 10 * magnitude
