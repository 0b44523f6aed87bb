"""Reads shared by pages and the API, each with its visibility filter and its prefetches."""

import base64

from django.db.models import F, Prefetch, Q
from django.utils import timezone
from taggit.models import Tag

from content.models import Area

from .cache import levels_scope
from .caches import AREA_CHOICES, MARKERS
from .models import (
    Mission,
    Participation,
    Profile,
    ProfileInterest,
    ProfileSkill,
    TrackedLink,
    Visibility,
)
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
    """Profiles of active members holding a valid licence: `listed`, which the licence
    services and the daily task keep equal to the licence's validity (services.licences.
    refresh_listed), so that the index on (listed, -id) gives the directory's order."""
    return Profile.objects.filter(listed=True, user__is_active=True)


# The filters on areas and tags are "id IN (subquery)" on the link tables' indexes: SQLite
# then reads the page's profiles by id in the order asked, from the list of matching ids, and
# stops once the page is full (a join would need DISTINCT and a sort of every match; a
# correlated EXISTS would read the link table once per profile).


def _tag_ids(name: str) -> list[int]:
    return list(Tag.objects.filter(name__iexact=name).values_list("pk", flat=True)[:20])


def _tagged(model, field: str, tag_ids, levels):
    """Ids of the profiles carrying one of `tag_ids` through `model` and showing `field`
    (interests or skills) to a viewer of `levels`."""
    rows = model.objects.filter(tag_id__in=tag_ids)
    if levels is not None:
        rows = rows.filter(**{f"content_object__{field}_visibility__in": levels})
    return rows.values("content_object_id")


def _area_ids(slug: str) -> list[int]:
    """The area of `slug` and those inside it."""
    found = Area.objects.filter(slug=slug).first()
    return found.descendant_ids() if found else []


def _in_areas(area_ids):
    """Ids of the profiles in one of `area_ids`."""
    return Profile.areas.through.objects.filter(area_id__in=area_ids).values("profile_id")


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
        area_ids = _area_ids(area)
        if not area_ids:
            return [], None
        profiles = profiles.filter(Q(pk__in=_in_areas(area_ids)) & _shown("areas", levels))
    for name, fields in ((tag, ("interests", "skills")), (skill, ("skills",))):
        if not name:
            continue
        tag_ids = _tag_ids(name)
        if not tag_ids:
            return [], None
        models = {"interests": ProfileInterest, "skills": ProfileSkill}
        found = [_tagged(models[field], field, tag_ids, levels) for field in fields]
        profiles = profiles.filter(pk__in=found[0].union(*found[1:]) if found[1:] else found[0])
    if language:
        profiles = profiles.filter(
            Q(languages__contains=f",{language},") & _shown("languages", levels)
        )
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
    """Town-level positions of the ambassadors who show their town to `viewer`: the same
    for every viewer of a visibility level, so cached per level (ambassadors.caches)."""
    levels = visible_levels(viewer)
    return MARKERS.get_or_set(levels_scope(levels), default=lambda: _read_markers(levels))


def _read_markers(levels) -> list[dict]:
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


def area_choices() -> list[dict]:
    """The filter bars' areas, [{slug, name}], the same for everyone (ambassadors.caches)."""
    return AREA_CHOICES.get_or_set(
        default=lambda: list(Area.objects.order_by("name", "pk").values("slug", "name"))
    )


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


def leaderboard(*, period: str = "month", area: str = "", cohort: str = "all", limit: int = 20):
    """[{user_id, user__username, user__display_name, total}] of the period, in one query
    over the members' totals of the period (PointTotal, kept by the award services), walked
    in the order of its index. Only listed members (a valid licence), never those who opted
    out; newcomers are in their first RecognitionSettings.newcomer_days."""
    from .models import PointTotal, RecognitionSettings
    from .models.recognition import period_keys

    year, month = period_keys(timezone.now())
    totals = PointTotal.objects.filter(
        period=year if period == "year" else month,
        user__is_active=True,
        user__ambassador_profile__listed=True,
        user__ambassador_profile__leaderboard_opt_out=False,
    )
    if area:
        area_ids = _area_ids(area)
        if not area_ids:
            return []
        in_area = Profile.objects.filter(pk__in=_in_areas(area_ids)).values("user_id")
        totals = totals.filter(user_id__in=in_area)
    if cohort in ("newcomers", "veterans"):
        today = timezone.localdate()
        newcomer_since = today - timezone.timedelta(days=RecognitionSettings.load().newcomer_days)
        lookup = {"user__ambassador_licence__starts_on__gte": newcomer_since}
        totals = totals.filter(**lookup) if cohort == "newcomers" else totals.exclude(**lookup)
    return list(
        totals.values("user_id", "user__username", "user__display_name")
        .annotate(total=F("points"))
        .order_by("-points", "user_id")[:limit]
    )


def briefings_of(user):
    """The briefings sent to `user`, newest first, with their own read mark."""
    from .models import Briefing, BriefingRecipient

    return (
        Briefing.objects.filter(recipients__user=user)
        .prefetch_related(
            Prefetch(
                "recipients", queryset=BriefingRecipient.objects.filter(user=user), to_attr="mine"
            )
        )
        .order_by("-sent_at", "-pk")
    )
