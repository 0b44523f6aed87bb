"""Recognition: points, levels and fair leaderboards."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassadors.models import Licence, PointEntry, RecognitionSettings
from ambassadors.selectors import leaderboard
from ambassadors.services.recognition import award, level_for
from content.models import Area
from tests.ambassadors.factories import ambassador

pytestmark = pytest.mark.django_db


def names(rows):
    return [row["user__username"] for row in rows]


def test_points_are_awarded_once_per_reference():
    user = ambassador()
    assert award(user_id=user.pk, reason="mission", reference="mission:1", points=10)
    assert not award(user_id=user.pk, reason="mission", reference="mission:1", points=10)
    assert PointEntry.objects.get().points == 10


def test_the_leaderboard_ranks_by_points_of_the_period():
    first, second = ambassador(), ambassador()
    award(user_id=second.pk, reason="mission", reference="a", points=5)
    award(user_id=first.pk, reason="mission", reference="b", points=50)
    old = ambassador()
    PointEntry.objects.create(
        user=old,
        reason="mission",
        reference="old",
        points=999,
        created_at=timezone.now() - timedelta(days=400),
    )
    assert names(leaderboard(period="month")) == [first.username, second.username]


def test_opted_out_and_expired_ambassadors_are_not_ranked():
    shown, opted_out, expired = ambassador(), ambassador(), ambassador(expired=True)
    opted_out.ambassador_profile.leaderboard_opt_out = True
    opted_out.ambassador_profile.save()
    for n, user in enumerate((shown, opted_out, expired)):
        award(user_id=user.pk, reason="mission", reference=f"m{n}", points=10)
    assert names(leaderboard()) == [shown.username]


def test_newcomers_and_veterans_are_ranked_apart():
    newcomer, veteran = ambassador(), ambassador()
    Licence.objects.filter(holder=veteran).update(
        starts_on=timezone.localdate() - timedelta(days=800)
    )
    for n, user in enumerate((newcomer, veteran)):
        award(user_id=user.pk, reason="mission", reference=f"m{n}", points=10)
    assert names(leaderboard(cohort="newcomers")) == [newcomer.username]
    assert names(leaderboard(cohort="veterans")) == [veteran.username]


def test_the_leaderboard_is_segmented_by_area():
    kerlann = Area.objects.create(name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE)
    here, elsewhere = ambassador(), ambassador()
    here.ambassador_profile.areas.add(kerlann)
    for n, user in enumerate((here, elsewhere)):
        award(user_id=user.pk, reason="mission", reference=f"m{n}", points=10)
    assert names(leaderboard(area="kerlann")) == [here.username]


@pytest.mark.parametrize("count", [1, 20])
def test_the_leaderboard_page_costs_the_same_for_1_or_20(client, django_assert_num_queries, count):
    viewer = ambassador()
    RecognitionSettings.load()  # created on first use, which would make the rows miss
    for n in range(count):
        award(user_id=ambassador().pk, reason="mission", reference=f"m{n}", points=n + 1)
    client.force_login(viewer)
    client.get("/ambassadors/leaderboard/?cohort=newcomers")  # the rows, header and footer
    # Then 1 query, whatever the number ranked: the member (the ranking, the filter's areas,
    # the viewer's licence window, the header and footer come from the cache).
    with django_assert_num_queries(1):
        assert client.get("/ambassadors/leaderboard/?cohort=newcomers").status_code == 200


def test_levels_grow_with_points():
    assert str(level_for(0)) != str(level_for(1000))
