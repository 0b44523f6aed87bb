"""The ambassador programme's caches (core.cache.register): the directory map's markers, the
directory's results, the leaderboards' rows, the licence windows and the link targets here;
the campaign reports' in ambassadors/campaigns/caches.py, registered by importing it below.

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

A member's licence window (status, start, expiry), read on every signed-in page: the header
asks whether the member may contribute. It decides powers, so it is forgotten on every save or
delete of the licence, now and on commit, and kept a minute at most, as the role names are.

A tracked link's target, by its code, read on every `/r/<code>` redirect: a target never
changes (an internal path and its UTM query), so the entry is dropped only when its link is
saved or deleted. The redirect also keeps it a minute in the process's memory
(links.services.resolve), so a deleted link may still redirect there for that minute.
"""

import hashlib

from core.cache import Cached, register

from .cache import LEADERBOARD_GENERATION, MARKERS_GENERATION
from .campaigns.caches import (  # noqa: F401 - registers them
    REPORT_CSV,
    REPORT_DATA,
    REPORT_HTML,
    REPORT_JSON,
    REPORT_PAGE,
)

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

# Whole pages (core.pages.render_shared), per viewer roles, levels, language and address,
# under the same generations as the rows they show.
DIRECTORY_PAGE = register(
    Cached(
        name="ambassadors.directory-page",
        key=lambda page_key: f"ambassadors:directory-page:{page_key}",
        timeout=10 * 60,
        generation=MARKERS_GENERATION,
        local=True,
        stale_on=_DIRECTORY_ROWS,
        stale_on_m2m=_DIRECTORY_M2M,
        gain="the directory's page around its cards (performance.md, issue 18 third pass)",
    )
)

LEADERBOARD_PAGE = register(
    Cached(
        name="ambassadors.leaderboard-page",
        key=lambda page_key: f"ambassadors:leaderboard-page:{page_key}",
        timeout=10 * 60,
        generation=LEADERBOARD_GENERATION,
        local=True,
        stale_on=_LEADERBOARD_ROWS,
        stale_on_m2m=_DIRECTORY_M2M,
        gain="a leaderboard's page around its rows (performance.md, issue 18 third pass)",
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


LINK_CACHE_TIMEOUT = 60 * 60

LINK_TARGETS = register(
    Cached(
        name="ambassadors.link-targets",
        key=lambda code: f"link:{code}",
        timeout=LINK_CACHE_TIMEOUT,
        stale_on={"ambassadors.TrackedLink": lambda link: [link.code]},
        gain="/r/<code> reads no row: 1.20-1.30x a bare redirect (performance.md, tracked links)",
    )
)

LICENCE_WINDOWS = register(
    Cached(
        name="ambassadors.licence-windows",
        key=lambda user_id: f"ambassadors:licence-window:{user_id}",
        timeout=60,
        stale_on={"ambassadors.Licence": lambda licence: [licence.holder_id]},
        gain="one query fewer on every signed-in page (performance.md, issue 15 A/B)",
    )
)


def digest(*parts) -> str:
    """A short key part for free text (a search, a tag): any length, any character."""
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:20]
