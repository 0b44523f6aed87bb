"""The directory, its map's markers and the leaderboards: pages read by every member, so
their costly parts are cached per visibility level (ambassadors.caches), never per viewer,
and the pages themselves are shared by every viewer with the same roles (core.pages: the
header's account menu and the CSRF token filled in per request). The viewer's own card
(which shows them all their fields) and their own row's highlight are put in afterwards."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core.pages import render_shared

from . import selectors
from .cache import MARKERS_GENERATION, levels_scope
from .caches import DIRECTORY_PAGE, DIRECTORY_RESULTS, LEADERBOARD, LEADERBOARD_PAGE, digest
from .models import Visibility
from .models.licences import LANGUAGE_CHOICES
from .models.recognition import period_keys
from .services import badges

FILTERS = ("q", "area", "tag", "skill", "language")
# The markers' URL names their generation: a browser keeps them until any of them changes.
MARKERS_MAX_AGE = 60 * 60


def _card_levels(viewer):
    """The levels a card is rendered for, as Profile.shown_to has them for someone else's
    profile (None: every field, as staff see them)."""
    if not viewer.is_authenticated:
        return [Visibility.PUBLIC]
    return None if viewer.is_staff else [Visibility.PUBLIC, Visibility.MEMBERS]


def _cards(profiles, viewer, card_levels) -> list[str]:
    template = get_template("ambassadors/includes/card.html")
    for profile in profiles:
        profile.shown = profile.shown_at(card_levels)
    badges.attach_badges(profiles, viewer)
    return [template.render({"profile": profile}) for profile in profiles]


def _results(viewer, filters, cursor, card_levels) -> dict:
    """The page's cards as a viewer of these levels sees them, and what comes next."""
    profiles, next_cursor = selectors.search_ambassadors(viewer, cursor=cursor, **filters)
    return {
        "user_ids": [profile.user_id for profile in profiles],
        "cards": _cards(profiles, viewer, card_levels),
        "next_cursor": next_cursor,
    }


def _own_card(viewer) -> str | None:
    """The viewer's own card, with every field they show (theirs to see); None if they left
    the directory since the entry was made."""
    own = selectors.get_profile_for(viewer, viewer.username)
    if own is None:
        return None
    own.shown = own.shown_to(viewer)
    badges.attach_badges([own], viewer)
    return get_template("ambassadors/includes/card.html").render({"profile": own})


def directory(request):
    viewer = request.user
    filters = {name: request.GET.get(name, "").strip()[:100] for name in FILTERS}
    cursor = request.GET.get("cursor", "")[:40]
    search_levels = selectors.visible_levels(viewer)
    card_levels = _card_levels(viewer)
    scope = f"{levels_scope(search_levels)}/{levels_scope(card_levels)}"
    query = digest(sorted(filters.items()), cursor, selectors.PAGE_SIZE)
    results = DIRECTORY_RESULTS.get_or_set(
        scope,
        get_language(),
        query,
        default=lambda: _results(viewer, filters, cursor, card_levels),
    )

    def context(cards):
        return {
            "cards": cards,
            "next_cursor": results["next_cursor"],
            "filters": filters,
            "areas": selectors.area_choices(),
            "languages": LANGUAGE_CHOICES,
            "has_markers": bool(selectors.map_markers(viewer)),
            "markers_version": MARKERS_GENERATION.current(),
        }

    personalise = None
    if viewer.is_authenticated and viewer.pk in results["user_ids"]:
        # Their own card shows them every field they fill in, in place of the shared one.
        shared_card = results["cards"][results["user_ids"].index(viewer.pk)]

        def personalise(html):
            return html.replace(shared_card, _own_card(viewer) or "", 1)

    return render_shared(
        request,
        "ambassadors/directory.html",
        lambda: context(results["cards"]),
        cached=DIRECTORY_PAGE,
        scope=scope,
        query=query,
        personalise=personalise,
    )


@require_GET
def map_markers(request):
    """The directory map's markers for this viewer's level, fetched by static/js/map.js: out
    of the page, so that a browser fetches them once per generation (`v`, in the URL) rather
    than with every page of results. Private: a member's markers are not an anonymous
    visitor's."""
    response = JsonResponse(selectors.map_markers(request.user), safe=False)
    response["Cache-Control"] = f"private, max-age={MARKERS_MAX_AGE}"
    patch_vary_headers(response, ["Cookie"])
    return response


def _ranked(period, area, cohort) -> list[dict]:
    rows = selectors.leaderboard(period=period, area=area, cohort=cohort)
    # Each row's profile address with the rows (cached), not reversed again on every page.
    for row in rows:
        row["url"] = reverse("ambassadors:profile", args=[row["user__username"]])
    return rows


@login_required
def leaderboard(request):
    get = request.GET
    period = get.get("period") if get.get("period") in selectors.PERIODS else "month"
    cohort = get.get("cohort") if get.get("cohort") in selectors.COHORTS else "all"
    area = get.get("area", "")[:120]
    # The period's key and today's date (the newcomers' limit) move with the clock.
    year, month = period_keys(timezone.now())
    calendar = (year if period == "year" else month, timezone.localdate())

    def context():  # read only when the shared page misses
        return {
            "rows": LEADERBOARD.get_or_set(
                # The rows carry their profile's address, which names the language (/en/…).
                digest(*calendar, cohort, area, get_language()),
                default=lambda: _ranked(period, area, cohort),
            ),
            "filters": {"period": period, "cohort": cohort, "area": area},
            "areas": selectors.area_choices(),
        }

    own_row = f'<tr data-member="{request.user.pk}">'
    return render_shared(
        request,
        "ambassadors/leaderboard.html",
        context,
        cached=LEADERBOARD_PAGE,
        # Its rows move with the calendar; its address matters by its filters alone.
        scope=digest(*calendar),
        query=digest(period, cohort, area),
        # Their own row is highlighted.
        personalise=lambda html: html.replace(
            own_row, f'<tr data-member="{request.user.pk}" class="amb-me">', 1
        ),
    )
