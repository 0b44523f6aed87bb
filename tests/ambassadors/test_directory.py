"""/ambassadors/ and /ambassadors/<username>/: who is listed, what each viewer sees."""

import re

import pytest

from ambassadors.cache import forget_markers
from ambassadors.models import Profile
from content.models import Area
from tests.ambassadors.factories import ambassador
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_lists_holders_of_a_valid_licence_only(client):
    valid = ambassador(UserFactory(display_name="Camille Valide"))
    expired = ambassador(UserFactory(display_name="Expirée Depuis"), expired=True)
    member = UserFactory(display_name="Pas Ambassadeur")
    html = client.get("/ambassadors/").text
    assert valid.get_display_name() in html
    assert expired.get_display_name() not in html
    assert member.get_display_name() not in html


def test_nothing_beyond_the_name_is_public_by_default(client):
    user = UserFactory()
    ambassador(user, visibility="members", headline="Secret headline", town="Kerlann")
    public_html = client.get(f"/ambassadors/{user.username}/").text
    assert user.get_display_name() in public_html
    assert "Secret headline" not in public_html and "Kerlann" not in public_html
    client.force_login(UserFactory())
    assert "Secret headline" in client.get(f"/ambassadors/{user.username}/").text


def test_a_private_field_is_shown_to_its_owner_only(client):
    user = ambassador(visibility="private", headline="Only mine")
    client.force_login(UserFactory())
    assert "Only mine" not in client.get(f"/ambassadors/{user.username}/").text
    client.force_login(user)
    assert "Only mine" in client.get(f"/ambassadors/{user.username}/").text


def test_the_bio_is_sanitised(client):
    user = ambassador()
    client.force_login(user)
    client.post(
        "/ambassadors/me/profile/",
        {
            "bio": "<p>Bonjour</p><script>alert(1)</script>",
            "bio_visibility": "public",
            **{
                f"{f}_visibility": "members"
                for f in (
                    "photo",
                    "headline",
                    "areas",
                    "interests",
                    "skills",
                    "languages",
                    "organisations",
                    "town",
                    "activity",
                )
            },
        },
    )
    bio = Profile.objects.get(user=user).bio
    assert "<script>" not in bio and "Bonjour" in bio


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("area=kerlann", True),
        ("area=autre", False),
        ("tag=voile", True),
        ("tag=ski", False),
        ("language=en", True),
        ("language=de", False),
        ("q=Bretonne", True),
    ],
)
def test_the_directory_filters(client, query, found):
    Area.objects.create(name="Autre", slug="autre", kind=Area.Kind.COMMUNE)
    kerlann = Area.objects.create(name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE)
    user = ambassador(
        UserFactory(display_name="Anne Bretonne"), visibility="public", languages=",fr,en,"
    )
    profile = user.ambassador_profile
    profile.areas.add(kerlann)
    profile.interests.add("voile")
    assert ("Anne Bretonne" in client.get(f"/ambassadors/?{query}").text) is found


def test_a_filter_never_finds_a_hidden_field(client):
    user = ambassador(UserFactory(display_name="Anne Cachée"), visibility="members")
    user.ambassador_profile.interests.add("voile")
    assert "Anne Cachée" not in client.get("/ambassadors/?tag=voile").text


def test_the_directory_pages_with_a_cursor(client, monkeypatch):
    monkeypatch.setattr("ambassadors.selectors.PAGE_SIZE", 2)
    people = [ambassador(UserFactory(display_name=f"Personne {n}")) for n in range(3)]
    first = client.get("/ambassadors/").text
    cursor = re.search(r"cursor=([\w-]+)", first).group(1)
    second = client.get(f"/ambassadors/?cursor={cursor}").text
    assert people[0].get_display_name() in second and people[2].get_display_name() in first


def test_the_map_shows_towns_only_when_shown(client):
    ambassador(visibility="public", town="Kerlann", latitude="48.69412", longitude="-4.02157")
    markers = client.get("/ambassadors/map.json").text
    assert '"lat": 48.69' in markers and "48.694" not in markers


@pytest.mark.parametrize("count", [1, 20])
def test_its_queries_do_not_grow_with_the_list(client, django_assert_num_queries, count):
    area = Area.objects.create(name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE)
    for _n in range(count):
        ambassador(visibility="public").ambassador_profile.areas.add(area)
    client.get("/ambassadors/")  # the header and footer fragments and the markers, cached
    # Built (after any change): the profiles with their users, their areas, their badges, and
    # the map's markers (the same generation).
    forget_markers()
    with django_assert_num_queries(4):
        assert client.get("/ambassadors/").status_code == 200
    # Then the results, the filter's areas and the markers all come from the cache.
    with django_assert_num_queries(0):
        assert client.get("/ambassadors/").status_code == 200


def test_the_next_page_keeps_every_filter(client, monkeypatch):
    monkeypatch.setattr("ambassadors.selectors.PAGE_SIZE", 1)
    for n in range(2):
        ambassador(UserFactory(display_name=f"Guide {n}"), visibility="public")
        Profile.objects.get(user__display_name=f"Guide {n}").skills.add("photographie")
    html = client.get("/ambassadors/?skill=photographie&q=Guide").text
    more = re.search(r'class="amb-more"><a [^>]*href="([^"]+)"', html).group(1)
    assert "skill=photographie" in more and "q=Guide" in more
