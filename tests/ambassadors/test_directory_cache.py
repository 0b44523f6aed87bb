"""The directory's and the leaderboards' caches (ambassadors.caches): the markers as a JSON
resource of their own, per viewer's level; the results and the rows per level, forgotten when
what they show changes; the viewer's own card and row added outside the cached part."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from ambassadors import selectors
from ambassadors.models import Licence, PointTotal
from ambassadors.services import licences, recognition
from tests.ambassadors.factories import ambassador
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    """One ambassador's town per visibility level."""
    return {
        visibility: ambassador(
            UserFactory(display_name=f"Ville {visibility}"),
            visibility=visibility,
            town=f"Bourg-{visibility}",
            latitude="48.69",
            longitude="-4.02",
        )
        for visibility in ("public", "members", "private")
    }


def _towns(client):
    response = client.get("/ambassadors/map.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "private" in response["Cache-Control"]
    return sorted(marker["town"] for marker in response.json())


def test_the_markers_endpoint_shows_each_viewer_their_level(client, towns):
    assert _towns(client) == ["Bourg-public"]
    client.force_login(UserFactory())
    assert _towns(client) == ["Bourg-members", "Bourg-public"]
    client.force_login(UserFactory(is_staff=True))
    assert _towns(client) == ["Bourg-members", "Bourg-private", "Bourg-public"]
    client.logout()
    assert _towns(client) == ["Bourg-public"]


def test_the_page_links_the_markers_instead_of_carrying_them(client, towns):
    html = client.get("/ambassadors/").text
    assert 'data-markers-url="/ambassadors/map.json?v=' in html
    assert "Bourg-public" not in html and "48.69" not in html


def test_no_map_without_markers(client):
    ambassador(visibility="public")
    assert "data-markers-url" not in client.get("/ambassadors/").text


def test_a_new_version_of_the_markers_gets_a_new_address(
    client, towns, django_capture_on_commit_callbacks
):
    def address():
        html = client.get("/ambassadors/").text
        return html.split('data-markers-url="', 1)[1].split('"', 1)[0]

    before = address()
    assert address() == before
    profile = towns["public"].ambassador_profile
    profile.town = "Lannion"
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    assert address() != before
    assert "Lannion" in _towns(client)


def test_the_results_are_forgotten_when_a_profile_changes(
    client, django_capture_on_commit_callbacks
):
    user = ambassador(visibility="public", headline="Guide du port")
    assert "Guide du port" in client.get("/ambassadors/").text
    profile = user.ambassador_profile
    profile.headline = "Skipper"
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    html = client.get("/ambassadors/").text
    assert "Skipper" in html and "Guide du port" not in html


def test_the_results_are_forgotten_when_a_listing_ends(client, django_capture_on_commit_callbacks):
    user = ambassador(UserFactory(display_name="Anne Révoquée"), visibility="public")
    assert "Anne Révoquée" in client.get("/ambassadors/").text
    with django_capture_on_commit_callbacks(execute=True):
        licences.revoke_licence(
            actor=UserFactory(is_staff=True), licence=Licence.objects.get(holder=user)
        )
    assert "Anne Révoquée" not in client.get("/ambassadors/").text


def test_the_results_are_forgotten_when_a_name_changes(client, django_capture_on_commit_callbacks):
    user = ambassador(UserFactory(display_name="Anne Avant"), visibility="public")
    assert "Anne Avant" in client.get("/ambassadors/").text
    user.display_name = "Anne Après"
    with django_capture_on_commit_callbacks(execute=True):
        user.save(update_fields=["display_name"])
    assert "Anne Après" in client.get("/ambassadors/").text


def test_the_owner_sees_their_own_card_whole_from_a_shared_entry(client):
    owner = ambassador(visibility="private", headline="Seulement moi")
    client.force_login(UserFactory())  # a member fills the members' entry first
    assert "Seulement moi" not in client.get("/ambassadors/").text
    client.force_login(owner)
    assert "Seulement moi" in client.get("/ambassadors/").text
    client.force_login(UserFactory())  # and the entry stayed the members' one
    assert "Seulement moi" not in client.get("/ambassadors/").text


def test_a_search_is_cached_per_level(client):
    ambassador(UserFactory(display_name="Anne Cachée"), visibility="members", town="Kerlann")
    assert "Anne Cachée" in client.get("/ambassadors/?q=Cachée").text  # a name is public
    assert "Anne Cachée" not in client.get("/ambassadors/?q=Kerlann").text
    client.force_login(UserFactory())
    assert "Anne Cachée" in client.get("/ambassadors/?q=Kerlann").text


@pytest.mark.parametrize("size", [2, 12])
def test_the_queries_stay_constant_with_the_page_size(
    client, django_assert_num_queries, monkeypatch, size
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", size)
    for _n in range(size + 1):
        ambassador(visibility="public")
    viewer = ambassador(visibility="public")
    client.force_login(viewer)
    client.get("/ambassadors/")
    # The member, and their own card on the page, read apart: the profile, its areas, its
    # badges (their licence window, for the header's menu, is cached).
    with django_assert_num_queries(4):
        assert client.get("/ambassadors/").status_code == 200
    client.force_login(UserFactory())
    client.get("/ambassadors/")
    with django_assert_num_queries(1):  # the member (their licence window is cached)
        assert client.get("/ambassadors/").status_code == 200


def _leaderboard(client, query="period=year"):
    if "_auth_user_id" not in client.session:
        client.force_login(UserFactory())  # the leaderboards are for members
    response = client.get(f"/ambassadors/leaderboard/?{query}")
    assert response.status_code == 200
    return response.text


def test_the_leaderboard_is_forgotten_when_points_are_awarded(
    client, django_capture_on_commit_callbacks
):
    first = ambassador(UserFactory(display_name="Première"))
    second = ambassador(UserFactory(display_name="Seconde"))
    recognition.award(user_id=first.pk, reason="mission", reference="m:1", points=10)
    html = _leaderboard(client)
    assert "Première" in html and "Seconde" not in html
    with django_capture_on_commit_callbacks(execute=True):
        recognition.award(user_id=second.pk, reason="mission", reference="m:2", points=30)
    html = _leaderboard(client)
    assert html.index("Seconde") < html.index("Première")


def test_the_leaderboard_is_forgotten_when_someone_opts_out(
    client, django_capture_on_commit_callbacks
):
    user = ambassador(UserFactory(display_name="Discrète"))
    recognition.award(user_id=user.pk, reason="mission", reference="m:1", points=10)
    assert "Discrète" in _leaderboard(client)
    profile = user.ambassador_profile
    profile.leaderboard_opt_out = True
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    assert "Discrète" not in _leaderboard(client)


def test_the_leaderboard_is_forgotten_when_totals_are_recounted(client):
    user = ambassador(UserFactory(display_name="Recomptée"))
    recognition.award(user_id=user.pk, reason="mission", reference="m:1", points=10)
    assert "Recomptée" in _leaderboard(client)
    PointTotal.objects.all().delete()
    recognition.recount_point_totals()
    assert "Recomptée" in _leaderboard(client)
    PointTotal.objects.filter(user=user).update(points=0)
    recognition.recount_point_totals(user_ids=[UserFactory().pk])  # someone else's
    assert "<td>0</td>" in _leaderboard(client)


def test_each_viewer_sees_their_own_row_marked_on_a_shared_entry(client, django_assert_num_queries):
    people = [ambassador() for _n in range(3)]
    for n, user in enumerate(people):
        recognition.award(user_id=user.pk, reason="mission", reference=f"m:{n}", points=10 + n)
    for user in people:
        client.force_login(user)
        html = _leaderboard(client)
        assert html.count('class="amb-me"') == 1
        mine = html.split('class="amb-me"', 1)[1].split("</tr>", 1)[0]
        assert f"/ambassadors/{user.username}/" in mine
    with django_assert_num_queries(1):  # the member; the rows and licence window are cached
        _leaderboard(client)


def test_a_leaderboard_links_its_rows_in_the_reader_s_language(client):
    person = ambassador()
    recognition.award(user_id=person.pk, reason="mission", reference="m:lang", points=5)
    client.force_login(UserFactory())
    english = client.get("/en/ambassadors/leaderboard/?period=year").content.decode()
    french = client.get("/ambassadors/leaderboard/?period=year").content.decode()
    assert f'href="/en/ambassadors/{person.username}/"' in english
    assert f'href="/ambassadors/{person.username}/"' in french


def test_a_badge_earned_in_bulk_shows_on_the_directory_card(client):
    from ambassadors.models import Badge
    from ambassadors.services import badges

    person = ambassador(visibility="public")
    Badge.objects.create(slug="bienvenue", name="Bienvenue", rule="points", threshold=1)
    client.force_login(UserFactory())
    assert "Bienvenue" not in client.get("/ambassadors/").content.decode()
    recognition.award(user_id=person.pk, reason="mission", reference="m:badge", points=5)
    badges.evaluate_badges(user_ids=[person.pk])
    assert "Bienvenue" in client.get("/ambassadors/").content.decode()


def test_a_leaderboard_follows_the_calendar(client, monkeypatch):
    # Its rows are per day (the newcomers' limit) and per month: so is its page.
    from ambassadors.models import RecognitionSettings

    today = datetime(2026, 6, 15, 12, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: today)
    settings = RecognitionSettings.load()
    settings.newcomer_days = 10  # the factory's licence started 10 days ago: a newcomer today
    settings.save()
    person = ambassador(UserFactory(display_name="Nouvelle"))
    for period in ("2026", "2026-06"):  # as an award in June would (its date is the clock's)
        PointTotal.objects.create(user=person, period=period, points=5)
    assert "Nouvelle" in _leaderboard(client, "cohort=newcomers")
    assert "Nouvelle" in _leaderboard(client, "period=month")
    monkeypatch.setattr(timezone, "now", lambda: today + timedelta(days=1))
    assert "Nouvelle" not in _leaderboard(client, "cohort=newcomers")
    monkeypatch.setattr(timezone, "now", lambda: today + timedelta(days=16))
    assert "Nouvelle" not in _leaderboard(client, "period=month")  # July's, not June's


def test_a_leaderboard_s_other_parameters_share_its_page(client, monkeypatch):
    from core import pages

    renders = []
    render = pages.render_to_string
    monkeypatch.setattr(
        pages,
        "render_to_string",
        lambda name, *a, **k: renders.append(name) or render(name, *a, **k),
    )
    for n in range(3):
        _leaderboard(client, f"period=year&utm_source=n{n}")
    assert len(renders) == 1
    _leaderboard(client, "period=month")
    assert len(renders) == 2
