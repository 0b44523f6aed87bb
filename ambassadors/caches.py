"""The ambassador programme's caches (core.cache.register): the directory map's markers, the
directory's results and the leaderboards' rows.

The first two are read from the same rows (who is listed, what each profile shows), so they
share the *directory generation* (ambassadors.cache): bumped, now and once the transaction
commits, when a profile, its areas, interests or skills, an area, a badge award or a
member's name, username or activity changes, and when a listing turns on or off
(services.licences.refresh_listed, which writes with update() and bumps itself). The
leaderboards' rows have a generation of their own, bumped by the same changes and by every
change of the point totals (services.recognition._add_to_totals and recount_point_totals,
which write with update() and bulk_create, so bump themselves). Timeouts only free memory.

Entries are per visibility level, never per viewer: what a viewer may see of their own
profile, and their own row's highlight, are added outside the cached part (views).
"""

import hashlib

from core.cache import Cached, register

from .cache import LEADERBOARD_GENERATION, MARKERS_GENERATION

# Every row a directory card or a marker shows or is filtered on.
_DIRECTORY_ROWS = {
    label: (lambda instance: ())
    for label in (
        "ambassadors.Profile",
        "ambassadors.ProfileInterest",
        "ambassadors.ProfileSkill",
        "ambassadors.BadgeAward",
        "ambassadors.Badge",
        "content.Area",
        "taggit.Tag",
    )
}
_DIRECTORY_M2M = {"ambassadors.Profile_areas": lambda instance, action, reverse, pk_set: ()}

# Who is ranked (listed, opted out, cohort by licence start, newcomers' length) and their points.
_LEADERBOARD_ROWS = {
    label: (lambda instance: ())
    for label in (
        "ambassadors.Profile",
        "ambassadors.Licence",
        "ambassadors.PointTotal",
        "ambassadors.RecognitionSettings",
        "content.Area",
    )
}

MARKERS = register(
    Cached(
        name="ambassadors.markers",
        key=lambda scope: f"ambassadors:markers:{scope}",
        timeout=60 * 60,
        generation=MARKERS_GENERATION,
        stale_on=_DIRECTORY_ROWS,
        stale_on_m2m=_DIRECTORY_M2M,
        gain="14.5-17.6 ms -> 0.25 ms a directory page for 500 markers (performance.md)",
    )
)

DIRECTORY_RESULTS = register(
    Cached(
        name="ambassadors.directory",
        key=lambda scope, language, request_part: (
            f"ambassadors:directory:{scope}:{language}:{request_part}"
        ),
        # Searches vary far more than pages: their entries are freed sooner.
        timeout=10 * 60,
        generation=MARKERS_GENERATION,
        stale_on=_DIRECTORY_ROWS,
        stale_on_m2m=_DIRECTORY_M2M,
        gain="the directory's query, badges and cards (performance.md, issue 18 second pass)",
    )
)

LEADERBOARD = register(
    Cached(
        name="ambassadors.leaderboard",
        key=lambda request_part: f"ambassadors:leaderboard:{request_part}",
        timeout=10 * 60,
        generation=LEADERBOARD_GENERATION,
        stale_on=_LEADERBOARD_ROWS,
        stale_on_m2m=_DIRECTORY_M2M,
        gain="a leaderboard's query and the areas (performance.md, issue 18 second pass)",
    )
)

AREA_CHOICES = register(
    Cached(
        name="ambassadors.area-choices",
        key=lambda: "ambassadors:area-choices",
        timeout=60 * 60,
        stale_on={"content.Area": lambda area: [()]},
        gain="a query on every directory and leaderboard page (performance.md, issue 18)",
    )
)


def digest(*parts) -> str:
    """A short key part for free text (a search, a tag): any length, any character."""
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:20]
