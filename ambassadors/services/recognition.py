"""Points, levels, badges and leaderboards."""

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from ..models import LinkClickDay, PointEntry, RecognitionSettings

LEVELS = (
    (0, _("Newcomer")),
    (50, _("Active ambassador")),
    (200, _("Confirmed ambassador")),
    (500, _("Senior ambassador")),
    (1000, _("Legend")),
)


def award(*, user_id: int, reason: str, reference: str, points: int) -> bool:
    """Add a ledger line once per reference; False when it was already there."""
    if points <= 0:
        return False
    try:
        with transaction.atomic():
            PointEntry.objects.create(
                user_id=user_id, reason=reason, reference=reference[:80], points=points
            )
    except IntegrityError:
        return False
    return True


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
            points = min(points, values.click_points_per_day)
            PointEntry.objects.update_or_create(
                user_id=owner_id,
                reference=f"clicks:{day.isoformat()}",
                defaults={"reason": PointEntry.Reason.CLICKS, "points": points},
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
