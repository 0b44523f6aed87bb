"""Reads shared by pages and the API, each with its visibility filter and its prefetches."""

import base64

from django.db.models import Prefetch, Q
from django.utils import timezone

from content.models import Area

from .models import Licence, Mission, Participation, Profile, TrackedLink, Visibility
from .permissions import is_ambassador, is_programme_staff

PAGE_SIZE = 24
MAP_LIMIT = 500


def visible_levels(viewer) -> list[str] | None:
    """The visibility levels `viewer` may read on others' profiles (None: all of them)."""
    if is_programme_staff(viewer):
        return None
    if viewer is not None and viewer.is_authenticated:
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


def _shown(field: str, levels) -> Q:
    return Q() if levels is None else Q(**{f"{field}_visibility__in": levels})


def ambassadors():
    """Profiles of members holding a valid licence."""
    return Profile.objects.filter(
        Licence.valid_q("user__ambassador_licence__"), user__is_active=True
    )


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, UnicodeDecodeError):
        return None


def search_ambassadors(
    viewer,
    *,
    q: str = "",
    area: str = "",
    tag: str = "",
    skill: str = "",
    language: str = "",
    cursor: str | None = None,
    limit: int | None = None,
):
    """(profiles, next cursor). Newest first, keyset on the profile id. A filter only matches
    what the viewer may see of each profile, so a private field is never found by searching."""
    limit = limit or PAGE_SIZE
    levels = visible_levels(viewer)
    profiles = ambassadors()
    if q:
        name = Q(user__display_name__icontains=q) | Q(user__username__icontains=q)
        profiles = profiles.filter(
            name
            | (Q(headline__icontains=q) & _shown("headline", levels))
            | (Q(town__icontains=q) & _shown("town", levels))
        )
    if area:
        found = Area.objects.filter(slug=area).first()
        ids = found.descendant_ids() if found else []
        profiles = profiles.filter(Q(areas__in=ids) & _shown("areas", levels))
    if tag:
        profiles = profiles.filter(
            (Q(interests__name__iexact=tag) & _shown("interests", levels))
            | (Q(skills__name__iexact=tag) & _shown("skills", levels))
        )
    if skill:
        profiles = profiles.filter(Q(skills__name__iexact=skill) & _shown("skills", levels))
    if language:
        profiles = profiles.filter(
            Q(languages__contains=f",{language},") & _shown("languages", levels)
        )
    if area or tag or skill:
        profiles = profiles.distinct()
    after = decode_cursor(cursor)
    if after is not None:
        profiles = profiles.filter(pk__lt=after)
    page = list(
        profiles.select_related("user")
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.only("pk", "name", "slug")),
        )
        .order_by("-pk")[: limit + 1]
    )
    next_cursor = encode_cursor(page[limit - 1].pk) if len(page) > limit else None
    return page[:limit], next_cursor


def map_markers(viewer) -> list[dict]:
    """Town-level positions of the ambassadors who show their town to `viewer`."""
    levels = visible_levels(viewer)
    rows = (
        ambassadors()
        .filter(_shown("town", levels), latitude__isnull=False, longitude__isnull=False)
        .values_list("user__username", "user__display_name", "town", "latitude", "longitude")
        .order_by("-pk")[:MAP_LIMIT]
    )
    return [
        {
            "name": display or username,
            "url": f"/ambassadors/{username}/",
            "town": town,
            "lat": float(lat),
            "lng": float(lng),
        }
        for username, display, town, lat, lng in rows
    ]


def get_profile_for(viewer, username: str) -> Profile | None:
    return (
        ambassadors()
        .select_related("user")
        .prefetch_related("areas")
        .filter(user__username=username)
        .first()
    )


def missions_for(viewer):
    missions = Mission.objects.filter(
        status=Mission.Status.PUBLISHED, deadline__gt=timezone.now()
    ).select_related("page", "segment_area")
    if viewer is not None and viewer.is_authenticated:
        missions = missions.prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(ambassador=viewer),
                to_attr="mine",
            )
        )
    return missions.order_by("deadline", "pk")


def links_of(user):
    return TrackedLink.objects.filter(owner=user, source="ambassador").select_related("page")


def can_see_programme(user) -> bool:
    return is_ambassador(user) or is_programme_staff(user)


PERIODS = ("month", "year")
COHORTS = ("all", "newcomers", "veterans")


def period_start(period: str, today=None):
    today = today or timezone.localdate()
    start = today.replace(day=1) if period == "month" else today.replace(month=1, day=1)
    return timezone.make_aware(timezone.datetime(start.year, start.month, start.day))


def leaderboard(*, period: str = "month", area: str = "", cohort: str = "all", limit: int = 20):
    """[{user_id, username, name, total}] of the period, in one query. Only valid licences,
    never those who opted out; newcomers are in their first RecognitionSettings.newcomer_days."""
    from django.db.models import Sum

    from .models import PointEntry, RecognitionSettings

    today = timezone.localdate()
    entries = PointEntry.objects.filter(
        Licence.valid_q("user__ambassador_licence__", today=today),
        created_at__gte=period_start(period if period in PERIODS else "month", today),
        user__is_active=True,
        user__ambassador_profile__leaderboard_opt_out=False,
    )
    if area:
        found = Area.objects.filter(slug=area).first()
        entries = entries.filter(
            user__ambassador_profile__areas__in=found.descendant_ids() if found else []
        )
    if cohort in ("newcomers", "veterans"):
        newcomer_since = today - timezone.timedelta(days=RecognitionSettings.load().newcomer_days)
        lookup = {"user__ambassador_licence__starts_on__gte": newcomer_since}
        entries = entries.filter(**lookup) if cohort == "newcomers" else entries.exclude(**lookup)
    return list(
        entries.values("user_id", "user__username", "user__display_name")
        .annotate(total=Sum("points"))
        .order_by("-total", "user_id")[:limit]
    )
