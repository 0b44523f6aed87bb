"""Point totals per member and period, kept by the award services in the ledger's
transaction, and the leaderboards that read them: the same rankings as the sum of the ledger
they replaced."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from ambassadors import selectors
from ambassadors.links.services import make_link
from ambassadors.models import (
    Licence,
    LinkClickDay,
    PointEntry,
    PointTotal,
    Profile,
    RecognitionSettings,
)
from ambassadors.models.recognition import period_keys
from ambassadors.personal_data import erase_personal_data
from ambassadors.services import licences
from ambassadors.services.recognition import award, award_click_points, recount_point_totals
from content.models import Area
from tests.ambassadors.factories import ambassador, staff
from tests.content.factories_pages import destination, destination_index, home
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def totals_of(user) -> dict[str, int]:
    return dict(PointTotal.objects.filter(user=user).values_list("period", "points"))


def all_totals() -> set[tuple[int, str, int]]:
    return set(PointTotal.objects.values_list("user_id", "period", "points"))


def test_an_award_adds_to_the_totals_of_its_year_and_month():
    user = ambassador()
    year, month = period_keys(timezone.now())
    assert award(user_id=user.pk, reason="mission", reference="m1", points=10)
    assert award(user_id=user.pk, reason="mission", reference="m2", points=5)
    assert not award(user_id=user.pk, reason="mission", reference="m1", points=10)
    assert totals_of(user) == {year: 15, month: 15}


def test_click_points_recounted_move_the_totals_by_the_difference():
    user = ambassador()
    link = make_link(owner=user, page=home())
    today = timezone.localdate()
    day = LinkClickDay.objects.create(link=link, day=today, clicks=3)
    award_click_points({today})
    year, month = period_keys(timezone.now())
    assert totals_of(user) == {year: 3, month: 3}
    LinkClickDay.objects.filter(pk=day.pk).update(clicks=500)
    award_click_points({today})  # the next flush of the day: capped per link and day
    assert totals_of(user) == {year: 10, month: 10}
    award_click_points({today})  # nothing new: nothing moves
    assert totals_of(user) == {year: 10, month: 10}
    second = make_link(owner=user, page=destination(destination_index(), "Plage"))
    LinkClickDay.objects.create(link=second, day=today, clicks=500)
    RecognitionSettings.objects.update(click_points_per_day=15)
    award_click_points({today})  # two capped links, capped per ambassador and day
    assert totals_of(user) == {year: 15, month: 15}
    assert PointEntry.objects.get(user=user).points == 15


def test_erasing_a_member_takes_their_totals_with_them():
    user = ambassador()
    award(user_id=user.pk, reason="mission", reference="m1", points=10)
    erase_personal_data(user)
    assert totals_of(user) == {}


def test_the_recount_gives_the_totals_the_services_kept():
    users = [ambassador() for _n in range(3)]
    for n, user in enumerate(users):
        award(user_id=user.pk, reason="mission", reference=f"m{n}", points=n + 4)
    kept = all_totals()
    PointTotal.objects.all().delete()
    assert recount_point_totals() == 6
    assert all_totals() == kept


# The leaderboards against the query they replaced ---------------------------------------------


def ledger_query(*, period="month", area="", cohort="all", limit=20):
    """The leaderboard before the totals: the sum of the period's ledger lines of members
    with a valid licence, at each request. The area goes through an id list so that a member
    in an area and in one inside it counts once (the former join counted them twice)."""
    today = timezone.localdate()
    start = today.replace(day=1) if period == "month" else today.replace(month=1, day=1)
    entries = PointEntry.objects.filter(
        Licence.valid_q("user__ambassador_licence__", today=today),
        created_at__gte=timezone.make_aware(timezone.datetime(start.year, start.month, 1)),
        user__is_active=True,
        user__ambassador_profile__leaderboard_opt_out=False,
    )
    if area:
        found = Area.objects.filter(slug=area).first()
        ids = found.descendant_ids() if found else []
        in_area = Profile.areas.through.objects.filter(area_id__in=ids).values("profile_id")
        entries = entries.filter(user__ambassador_profile__in=in_area)
    if cohort in ("newcomers", "veterans"):
        since = today - timedelta(days=RecognitionSettings.load().newcomer_days)
        lookup = {"user__ambassador_licence__starts_on__gte": since}
        entries = entries.filter(**lookup) if cohort == "newcomers" else entries.exclude(**lookup)
    return list(
        entries.values("user_id", "user__username", "user__display_name")
        .annotate(total=Sum("points"))
        .order_by("-total", "user_id")[:limit]
    )


@pytest.fixture
def varied_ledger():
    """Members in every state, with points this month, earlier this year and last year,
    from missions and from capped clicks."""
    coast = Area.objects.create(name="Côte", slug="cote", kind=Area.Kind.COMMUNE)
    kerlann = Area.objects.create(
        name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE, parent=coast
    )
    inland = Area.objects.create(name="Argoat", slug="argoat", kind=Area.Kind.COMMUNE)
    today = timezone.localdate()
    now = timezone.now()
    people = [ambassador() for _n in range(16)]
    for n, user in enumerate(people):
        user.ambassador_profile.areas.add([coast, kerlann, inland][n % 3])
        if n % 5 == 0:
            user.ambassador_profile.areas.add(coast)
        if n % 2:
            Licence.objects.filter(holder=user).update(starts_on=today - timedelta(days=700))
    # Lines written before the totals existed (the migration's case), dated in the past.
    earlier = [now - timedelta(days=days) for days in (40, 75, 200, 400)]
    for n, user in enumerate(people):
        for k, when in enumerate(earlier):
            PointEntry.objects.create(
                user=user,
                reason="mission",
                reference=f"old:{k}",
                points=(n * 7 + k * 3) % 11 + 1,
                created_at=when,
            )
    recount_point_totals()
    # Then the services: missions and clicks.
    for n, user in enumerate(people):
        award(user_id=user.pk, reason="mission", reference="now", points=(n * 5) % 13 + 1)
    page = home()
    for n, user in enumerate(people[:8]):
        link = make_link(owner=user, page=page)
        LinkClickDay.objects.create(link=link, day=today, clicks=n * 3)
    award_click_points({today})
    LinkClickDay.objects.filter(link__owner=people[0]).update(clicks=40)
    award_click_points({today})
    admin = staff()
    Profile.objects.filter(user=people[1]).update(leaderboard_opt_out=True)
    licences.revoke_licence(actor=admin, licence=Licence.objects.get(holder=people[2]))
    Licence.objects.filter(holder=people[3]).update(expires_on=today - timedelta(days=1))
    licences.refresh_listed()
    people[4].is_active = False
    people[4].save(update_fields=["is_active"])
    Licence.objects.filter(holder=people[5]).update(expires_on=today - timedelta(days=1))
    licences.refresh_listed()
    licences.renew_licence(actor=admin, licence=Licence.objects.get(holder=people[5]))
    erase_personal_data(people[6])
    outsider = UserFactory()  # points, no licence
    award(user_id=outsider.pk, reason="mission", reference="now", points=50)
    return people


@pytest.mark.parametrize("period", ["month", "year"])
@pytest.mark.parametrize("area", ["", "cote", "kerlann", "argoat", "inconnue"])
@pytest.mark.parametrize("cohort", ["all", "newcomers", "veterans"])
def test_the_leaderboards_rank_as_the_ledger_query_did(varied_ledger, period, area, cohort):
    expected = ledger_query(period=period, area=area, cohort=cohort)
    assert expected or area == "inconnue"  # the dataset ranks someone everywhere else
    assert selectors.leaderboard(period=period, area=area, cohort=cohort) == expected
    assert selectors.leaderboard(period=period, area=area, cohort=cohort, limit=3) == (expected[:3])


def test_the_totals_kept_are_the_ledger_recounted(varied_ledger):
    kept = all_totals()
    recount_point_totals()
    assert all_totals() == kept


def test_a_member_in_an_area_and_one_inside_it_counts_once():
    coast = Area.objects.create(name="Côte", slug="cote", kind=Area.Kind.COMMUNE)
    kerlann = Area.objects.create(
        name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE, parent=coast
    )
    user = ambassador()
    user.ambassador_profile.areas.add(coast, kerlann)
    award(user_id=user.pk, reason="mission", reference="m", points=10)
    assert [row["total"] for row in selectors.leaderboard(area="cote")] == [10]
