"""Badges: awarded by the rules the agency tunes (models.Badge), given by hand for the
MANUAL ones, shown on profiles, directory cards and the API."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict, NotAllowed

from ..cache import forget_markers
from ..models import (
    Badge,
    BadgeAward,
    BadgeRule,
    GreeterRequest,
    Licence,
    LinkClickDay,
    Participation,
    PointEntry,
    Profile,
)
from ..permissions import is_programme_staff

NOTIFICATION_KIND = "ambassador_badge"


def register_notification_kind() -> None:
    from network.registries import NotificationKindSpec
    from network.registries import register_notification_kind as register

    register(
        NotificationKindSpec(
            key=NOTIFICATION_KIND,
            label=gettext_lazy("Badges earned in the ambassador programme"),
            default_channel="site",
            sentence=gettext_lazy("You earned the badge “%(badge)s”."),
        )
    )


def _counts(rule: str, user_ids: list[int]) -> dict[int, int]:
    """{user_id: the member's count for `rule`}, in one query."""
    if rule == BadgeRule.MISSIONS:
        rows = (
            Participation.objects.filter(
                ambassador_id__in=user_ids, status=Participation.Status.APPROVED
            )
            .values_list("ambassador_id")
            .annotate(n=Count("pk"))
        )
    elif rule == BadgeRule.CLICKS:
        rows = (
            LinkClickDay.objects.filter(link__owner_id__in=user_ids, link__source="ambassador")
            .values_list("link__owner_id")
            .annotate(n=Sum("clicks"))
        )
    elif rule == BadgeRule.STORIES:
        from content.models import StoryPage

        rows = (
            StoryPage.objects.live()
            .filter(author_id__in=user_ids)
            .values_list("author_id")
            .annotate(n=Count("pk"))
        )
    elif rule == BadgeRule.VETERAN:
        today = timezone.localdate()
        return {
            holder: (today - starts).days
            for holder, starts in Licence.objects.filter(holder_id__in=user_ids).values_list(
                "holder_id", "starts_on"
            )
        }
    elif rule == BadgeRule.GREETER:
        rows = Profile.objects.filter(user_id__in=user_ids, greeter=True).values_list(
            "user_id", "greeter"
        )
    elif rule == BadgeRule.GREETINGS:
        rows = (
            GreeterRequest.objects.filter(
                greeter_id__in=user_ids,
                status=GreeterRequest.Status.MATCHED,
                date_from__lte=timezone.localdate(),
            )
            .values_list("greeter_id")
            .annotate(n=Count("pk"))
        )
    elif rule == BadgeRule.POINTS:
        rows = (
            PointEntry.objects.filter(user_id__in=user_ids)
            .values_list("user_id")
            .annotate(n=Sum("points"))
        )
    else:
        return {}
    return {user_id: int(value or 0) for user_id, value in rows}


def evaluate_badges(user_ids=None) -> list[BadgeAward]:
    """Award every active badge whose rule the members reach (`user_ids`, or every holder of
    a valid licence). A badge once earned stays. Returns the new awards."""
    badges = list(Badge.objects.filter(active=True).exclude(rule=BadgeRule.MANUAL))
    if not badges:
        return []
    holders = Licence.objects.filter(Licence.valid_q(), holder__is_active=True)
    if user_ids is not None:
        holders = holders.filter(holder_id__in=list(user_ids))
    ids = list(holders.values_list("holder_id", flat=True))
    if not ids:
        return []
    held = set(
        BadgeAward.objects.filter(user_id__in=ids, badge__in=badges).values_list(
            "user_id", "badge_id"
        )
    )
    counts = {rule: _counts(rule, ids) for rule in {badge.rule for badge in badges}}
    new = [
        BadgeAward(user_id=user_id, badge=badge)
        for badge in badges
        for user_id, value in counts[badge.rule].items()
        if value >= badge.threshold and (user_id, badge.pk) not in held
    ]
    if not new:
        return []
    BadgeAward.objects.bulk_create(new, ignore_conflicts=True)
    # bulk_create sends no post_save: the directory's cards show badges.
    forget_markers()
    _tell(new)
    return new


def _tell(awards) -> None:
    from network.services.notifications import notify

    for award in awards:
        notify(
            kind=NOTIFICATION_KIND,
            recipients=[award.user_id],
            actor=None,
            target=award.badge,
            event_key=f"badge:{award.badge_id}:{award.user_id}",
            url="/ambassadors/me/",
            data={"badge": award.badge.name},
        )


@transaction.atomic
def award_badge(*, actor, user, badge: Badge) -> BadgeAward:
    """Staff give a badge by hand (any rule: a MANUAL one, or one earned off the site)."""
    if not is_programme_staff(actor):
        raise NotAllowed(_("Only agency staff give badges."))
    award, created = BadgeAward.objects.get_or_create(
        user=user, badge=badge, defaults={"awarded_by": actor}
    )
    if not created:
        raise Conflict(_("This member already has this badge."))
    _tell([award])
    return award


def badges_of(user_ids) -> dict[int, list[Badge]]:
    """{user_id: [badges, in the agency's order]} in one query."""
    found = defaultdict(list)
    for award in (
        BadgeAward.objects.filter(user_id__in=list(user_ids), badge__active=True)
        .select_related("badge")
        .order_by("badge__sort_order", "badge_id")
    ):
        found[award.user_id].append(award.badge)
    return found


def attach_badges(profiles, viewer) -> None:
    """Sets `profile.badges` on each profile whose activity `viewer` may see (one query for
    the whole list); `profile.shown` must be set, or is computed here."""
    showing = []
    for profile in profiles:
        if not hasattr(profile, "shown"):
            profile.shown = profile.shown_to(viewer)
        profile.badges = []
        if "activity" in profile.shown:
            showing.append(profile)
    if showing:
        found = badges_of(profile.user_id for profile in showing)
        for profile in showing:
            profile.badges = found.get(profile.user_id, [])
