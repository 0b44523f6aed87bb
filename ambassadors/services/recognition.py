"""Points, levels, badges and leaderboards."""

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..cache import LEADERBOARD_GENERATION
from ..models import LinkClickDay, PointEntry, PointTotal, RecognitionSettings
from ..models.recognition import period_keys

LEVELS = (
    (0, _("Newcomer")),
    (50, _("Active ambassador")),
    (200, _("Confirmed ambassador")),
    (500, _("Senior ambassador")),
    (1000, _("Legend")),
)


def _add_to_totals(user_id: int, when, points: int) -> None:
    """Add `points` to the member's totals of the year and the month of `when`. Called in
    the transaction that writes the ledger line, so that both commit or neither. The
    leaderboards' cached rows miss (an update() sends no signal)."""
    LEADERBOARD_GENERATION.bump()
    for period in period_keys(when):
        row = PointTotal.objects.filter(user_id=user_id, period=period)
        if row.update(points=F("points") + points):
            continue
        try:
            with transaction.atomic():
                PointTotal.objects.create(user_id=user_id, period=period, points=points)
        except IntegrityError:  # created meanwhile by a concurrent award
            row.update(points=F("points") + points)


def award(*, user_id: int, reason: str, reference: str, points: int) -> bool:
    """Add a ledger line once per reference, and its points to the member's totals of the
    year and the month; False when the line was already there."""
    if points <= 0:
        return False
    try:
        with transaction.atomic():
            entry = PointEntry.objects.create(
                user_id=user_id, reason=reason, reference=reference[:80], points=points
            )
            _add_to_totals(user_id, entry.created_at, points)
    except IntegrityError:
        return False
    return True


def _set_entry(*, user_id: int, reference: str, reason: str, points: int) -> None:
    """Create or correct the ledger line of `reference`, moving the totals by the
    difference (in the periods of the line's date)."""
    with transaction.atomic():
        entry = (
            PointEntry.objects.select_for_update()
            .filter(user_id=user_id, reference=reference)
            .first()
        )
        if entry is None:
            try:
                with transaction.atomic():
                    entry = PointEntry.objects.create(
                        user_id=user_id, reference=reference, reason=reason, points=points
                    )
            except IntegrityError:  # written meanwhile by a concurrent flush
                entry = PointEntry.objects.select_for_update().get(
                    user_id=user_id, reference=reference
                )
            else:
                _add_to_totals(user_id, entry.created_at, points)
                return
        if entry.points != points or entry.reason != reason:
            PointEntry.objects.filter(pk=entry.pk).update(points=points, reason=reason)
            if entry.points != points:
                _add_to_totals(user_id, entry.created_at, points - entry.points)


def recount_point_totals(*, user_ids=None) -> int:
    """Rebuild the totals from the ledger (all members, or those of `user_ids`): for lines
    written without the services (a bulk import, a hand edit). Returns the rows written."""
    entries = PointEntry.objects.all()
    totals = PointTotal.objects.all()
    if user_ids is not None:
        entries = entries.filter(user_id__in=user_ids)
        totals = totals.filter(user_id__in=user_ids)
    sums: dict[tuple[int, str], int] = {}
    months = (
        entries.annotate(month=TruncMonth("created_at", tzinfo=timezone.get_default_timezone()))
        .values_list("user_id", "month")
        .annotate(total=Sum("points"))
        .order_by()
    )
    for user_id, month, total in months:
        for period in period_keys(month):
            sums[(user_id, period)] = sums.get((user_id, period), 0) + total
    with transaction.atomic():
        totals.delete()
        PointTotal.objects.bulk_create(
            [PointTotal(user_id=u, period=p, points=total) for (u, p), total in sums.items()],
            batch_size=2000,
        )
        LEADERBOARD_GENERATION.bump()  # bulk_create and delete() send no signal per row
    return len(sums)


def award_click_points(days) -> None:
    """Points for the visitors links brought on `days`, capped per link and day and per
    ambassador and day (nothing to farm). Recomputed for the whole day each time: the entry
    of (ambassador, day) is updated in place."""
    values = RecognitionSettings.load()
    owners: set[int] = set()
    for day in days:
        rows = LinkClickDay.objects.filter(day=day, link__source="ambassador").values_list(
            "link__owner_id", "clicks"
        )
        per_owner: dict[int, int] = {}
        for owner_id, clicks in rows:
            per_link = min(clicks * values.points_per_click, values.click_points_per_link_per_day)
            per_owner[owner_id] = per_owner.get(owner_id, 0) + per_link
        owners.update(per_owner)
        for owner_id, points in per_owner.items():
            _set_entry(
                user_id=owner_id,
                reference=f"clicks:{day.isoformat()}",
                reason=PointEntry.Reason.CLICKS,
                points=min(points, values.click_points_per_day),
            )
    if owners:
        from .badges import evaluate_badges

        evaluate_badges(owners)


def points_of(user) -> int:
    return PointEntry.objects.filter(user=user).aggregate(total=Sum("points"))["total"] or 0


def level_for(points: int):
    name = LEVELS[0][1]
    for threshold, label in LEVELS:
        if points >= threshold:
            name = label
    return name
