"""Organisation pages: the directory with its filters and map, an organisation's page,
creating and editing one, managing members, and the staff's admin screen."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.models import Area
from network.models import Group, Organisation, OrganisationMembership
from tests.factories import UserFactory
from tests.network.factories import (
    GroupFactory,
    OrganisationFactory,
    PostFactory,
    add_member,
    add_organisation_member,
)

pytestmark = pytest.mark.django_db

Role = OrganisationMembership.Role
INDEX = reverse("network:organisations")


@pytest.fixture
def owner():
    return UserFactory(username="hugo", display_name="Hugo Kerbrat")


@pytest.fixture
def organisation(owner):
    organisation = OrganisationFactory(
        name="Boulangerie du Port",
        sector="food",
        description="<p>Pain au levain</p>",
        latitude=Decimal("48.71320"),
        longitude=Decimal("-3.96710"),
        website="https://boulangerie.example",
    )
    organisation.tags.set(["pain"])
    add_organisation_member(organisation, owner, role=Role.OWNER)
    return organisation


def edit_url(organisation):
    return reverse("network:organisation_edit", args=[organisation.slug])


def form_data(**overrides):
    data = {
        "name": "Hôtel des Dunes",
        "sector": "tourism",
        "area": "",
        "description": "<p>Face à la mer</p>",
        "website": "https://dunes.example",
        "email": "",
        "phone": "",
        "latitude": "48.69410",
        "longitude": "-4.02150",
        "tags": "mer, hébergement",
    }
    data.update(overrides)
    return data


# Directory -----------------------------------------------------------------------------------


def test_the_directory_is_public_and_lists_organisations_with_a_map(client, organisation):
    OrganisationFactory(name="Atelier sans carte")
    response = client.get(INDEX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Boulangerie du Port" in content and "Atelier sans carte" in content
    assert "Pain au levain" in content
    markers = json.loads(
        re.search(r'<script id="org-map-markers"[^>]*>(.*?)</script>', content).group(1)
    )
    assert markers == [
        {
            "name": "Boulangerie du Port",
            "url": organisation.get_absolute_url(),
            "lat": 48.7132,
            "lng": -3.9671,
        }
    ]
    assert "js/map.js" in content


def test_maps_draw_the_vendored_outline_when_no_tile_server_is_set(client, organisation, settings):
    settings.MAP_TILE_URL = ""
    content = client.get(INDEX).content.decode()

    assert 'data-outline="/static/geo/morvellec.geojson"' in content
    assert 'data-tile-url=""' in content


def test_maps_use_the_tile_server_when_one_is_set(client, organisation, settings):
    settings.MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    content = client.get(INDEX).content.decode()

    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in content
    assert "data-outline" not in content


def test_the_tile_server_is_openstreetmap_by_default_and_allowed_by_the_csp():
    from config.settings import base

    assert base.OSM_TILE_URL == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in base.OSM_ATTRIBUTION
    assert base.csp_source_for(base.OSM_TILE_URL) == "https://tile.openstreetmap.org"


def _member_markers(content):
    found = re.search(r'<script id="member-map-markers"[^>]*>(.*?)</script>', content)
    return json.loads(found.group(1)) if found else []


def test_the_members_map_counts_those_who_show_their_town_never_the_others(client, organisation):
    town = Area.objects.create(
        name="Kerlann", slug="kerlann", kind="commune", latitude=47.612, longitude=-3.21
    )
    UserFactory(area=town, show_town_on_map=True)
    UserFactory(area=town, show_town_on_map=True)
    UserFactory(area=town, show_town_on_map=False)
    client.force_login(UserFactory())

    markers = _member_markers(client.get(INDEX).content.decode())

    assert markers == [
        {
            "name": "Kerlann",
            "url": "/people/?area=kerlann",
            "label": "2 membres",
            "lat": 47.612,
            "lng": -3.21,
        }
    ]


def test_visitors_who_are_not_signed_in_get_no_members_map(client, organisation):
    town = Area.objects.create(
        name="Kerlann", slug="kerlann", kind="commune", latitude=47.612, longitude=-3.21
    )
    UserFactory(area=town, show_town_on_map=True)

    assert _member_markers(client.get(INDEX).content.decode()) == []


def test_a_member_chooses_to_show_their_town_in_their_profile(client):
    member = UserFactory()
    client.force_login(member)

    client.post(
        "/accounts/profile/",
        {"display_name": "Maëlle", "preferred_language": "fr", "show_town_on_map": "on"},
    )

    member.refresh_from_db()
    assert member.show_town_on_map is True


def test_the_map_data_cannot_break_out_of_its_script(client):
    OrganisationFactory(
        name="</script><script>alert(1)</script>", slug="evil", latitude=1, longitude=1
    )
    content = client.get(INDEX).content.decode()
    assert "<script>alert(1)" not in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "boulangerie"}, {"Boulangerie du Port"}),
        ({"q": "levain"}, {"Boulangerie du Port"}),
        ({"q": "pain port"}, {"Boulangerie du Port"}),
        ({"sector": "tourism"}, {"Hôtel des Dunes"}),
        ({"tag": "pain"}, {"Boulangerie du Port"}),
        ({"area": "finistere"}, {"Hôtel des Dunes"}),
        ({"area": "saint-aven"}, {"Hôtel des Dunes"}),
        ({"area": "nowhere", "sector": "bogus"}, {"Boulangerie du Port", "Hôtel des Dunes"}),
    ],
)
def test_the_directory_searches_and_filters(client, organisation, query, expected):
    finistere = Area.objects.create(name="Finistère", slug="finistere", kind="departement")
    commune = Area.objects.create(
        name="Saint-Aven", slug="saint-aven", kind="commune", parent=finistere
    )
    OrganisationFactory(name="Hôtel des Dunes", sector="tourism", area=commune)
    response = client.get(INDEX, query)
    assert response.status_code == 200
    assert {o.name for o in response.context["results"]} == expected


def test_the_directory_costs_the_same_queries_for_5_or_50_organisations(client):
    area = Area.objects.create(name="Kerlann", slug="kerlann", kind="commune")

    def make(count):
        for _ in range(count):
            organisation = OrganisationFactory(area=area, latitude=48, longitude=-4)
            organisation.tags.set(["artisanat", "mer"])

    def count_queries():
        # The same start each time: in-process caches warm (content types), the shared
        # cache empty (the header's counters), so that only this page's queries differ.
        for _attempt in range(2):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(INDEX)
        assert response.status_code == 200
        return len(queries)

    make(5)
    five = count_queries()
    make(45)
    fifty = count_queries()
    # Count, page, tags of the page, map markers, areas, tag options.
    # (The site header adds a few of its own.)
    assert five == fifty <= 15


# An organisation's page ------------------------------------------------------------------------


def test_the_page_shows_the_organisation_its_members_and_badge(client, organisation, owner):
    organisation.verified = True
    organisation.save()
    OrganisationMembership.objects.create(
        organisation=organisation, user=UserFactory(display_name="Nina Morel"), title="Vendeuse"
    )
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Verified by the agency" in content or "Vérifié" in content
    assert "Hugo Kerbrat" in content and "Nina Morel" in content and "Vendeuse" in content
    assert 'data-lat="48.71320"' in content
    # Visitors see members' names but member pages are for signed-in members.
    assert reverse("network:person", args=["hugo"]) not in content


def test_an_unverified_organisation_has_no_badge(client, organisation):
    response = client.get(organisation.get_absolute_url())
    assert response.context["organisation"].verified is False
    assert "verified-badge" not in response.content.decode()


def test_an_unknown_organisation_is_a_404(client):
    assert client.get(reverse("network:organisation", args=["nope"])).status_code == 404


def test_the_page_shows_recent_public_posts_of_members_never_private_ones(
    client, organisation, owner
):
    PostFactory(author=owner, body_text="Fournée du matin")
    public = GroupFactory(visibility=Group.Visibility.PUBLIC)
    PostFactory(author=owner, group=public, body_text="Dans le groupe public")
    for visibility in (Group.Visibility.PRIVATE, Group.Visibility.SECRET):
        group = GroupFactory(visibility=visibility)
        add_member(group, owner)
        PostFactory(author=owner, group=group, body_text=f"Confidentiel {visibility}")
    PostFactory(author=owner, body_text="Retenu", status="held")
    PostFactory(body_text="Quelqu'un d'autre")

    client.force_login(owner)  # even the author's own view shows only public posts here
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "Fournée du matin" in content and "Dans le groupe public" in content
    assert "Confidentiel" not in content
    assert "Retenu" not in content and "Quelqu&#x27;un d&#x27;autre" not in content


def test_the_description_is_shown_as_sanitised_html(client, organisation, owner):
    client.force_login(owner)
    client.post(edit_url(organisation), form_data(description="<p>ok</p><script>alert(1)</script>"))
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "<p>ok</p>alert(1)" in content
    assert "<script>alert(1)" not in content


# Creating ------------------------------------------------------------------------------------


def test_creating_needs_a_log_in(client):
    response = client.get(reverse("network:organisation_create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_member_creates_an_organisation_from_the_form(auth_client, user):
    response = auth_client.post(reverse("network:organisation_create"), form_data())
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.memberships.get().user == user
    assert organisation.latitude == Decimal("48.69410")
    assert sorted(organisation.tags.names()) == ["hébergement", "mer"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"sector": "weapons"},
        {"website": "javascript:alert(1)"},
        {"latitude": "95"},
        {"longitude": ""},
        {"tags": ", ".join(f"t{n}" for n in range(11))},
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_created(auth_client, overrides):
    response = auth_client.post(reverse("network:organisation_create"), form_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Organisation.objects.exists()


def test_a_suspended_member_cannot_open_the_creation_page(client):
    client.force_login(UserFactory(suspended_until=timezone.now() + timedelta(days=1)))
    assert client.get(reverse("network:organisation_create")).status_code == 403
    assert client.post(reverse("network:organisation_create"), form_data()).status_code == 403
    assert not Organisation.objects.exists()


# Editing -------------------------------------------------------------------------------------


def test_an_owner_edits_the_organisation(client, organisation, owner):
    client.force_login(owner)
    assert client.get(edit_url(organisation)).status_code == 200
    response = client.post(edit_url(organisation), form_data(name="Boulangerie du Vieux Port"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Boulangerie du Vieux Port"
    assert organisation.slug == "boulangerie-du-port"


@pytest.mark.parametrize("who", ["anonymous", "non-owner", "organisation member"])
def test_a_non_owner_cannot_edit_and_nothing_changes(client, organisation, who):
    if who == "non-owner":
        client.force_login(UserFactory())
    elif who == "organisation member":
        client.force_login(add_organisation_member(organisation).user)
    get = client.get(edit_url(organisation))
    post = client.post(edit_url(organisation), form_data(name="Pirated"))
    if who == "anonymous":
        assert get.status_code == post.status_code == 302
    else:
        assert get.status_code == post.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Boulangerie du Port"


def test_an_owner_cannot_set_the_verified_badge(client, organisation, owner):
    client.force_login(owner)
    response = client.get(edit_url(organisation))
    assert "verified" not in response.context["form"].fields
    client.post(edit_url(organisation), form_data(verified="on"))
    organisation.refresh_from_db()
    assert organisation.verified is False


def test_staff_set_the_verified_badge_from_the_edit_page(client, organisation):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(edit_url(organisation), form_data(verified="on"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified is True


# Members -------------------------------------------------------------------------------------


def test_an_owner_adds_and_removes_a_member(client, organisation, owner):
    nina = UserFactory(username="nina")
    client.force_login(owner)
    client.post(
        reverse("network:organisation_member_add", args=[organisation.slug]),
        {"username": "nina", "role": "member", "title": "Vendeuse"},
    )
    assert organisation.memberships.filter(user=nina, title="Vendeuse").exists()
    client.post(
        reverse("network:organisation_member_role", args=[organisation.slug, nina.pk]),
        {"role": "owner"},
    )
    assert organisation.memberships.get(user=nina).role == Role.OWNER
    client.post(reverse("network:organisation_member_remove", args=[organisation.slug, nina.pk]))
    assert not organisation.memberships.filter(user=nina).exists()


def test_an_unknown_username_is_a_message_not_an_error(client, organisation, owner):
    client.force_login(owner)
    response = client.post(
        reverse("network:organisation_member_add", args=[organisation.slug]),
        {"username": "ghost", "role": "member"},
        follow=True,
    )
    assert response.status_code == 200
    assert organisation.memberships.count() == 1
    assert list(response.context["messages"])


def test_a_non_owner_cannot_manage_members(client, organisation, owner):
    outsider = UserFactory()
    client.force_login(outsider)
    add = client.post(
        reverse("network:organisation_member_add", args=[organisation.slug]),
        {"username": outsider.username, "role": "owner"},
    )
    remove = client.post(
        reverse("network:organisation_member_remove", args=[organisation.slug, owner.pk])
    )
    assert add.status_code == remove.status_code == 403
    assert list(organisation.memberships.values_list("user_id", "role")) == [(owner.pk, "owner")]


def test_a_member_leaves_from_the_page(client, organisation):
    member = add_organisation_member(organisation).user
    client.force_login(member)
    page = client.get(organisation.get_absolute_url()).content.decode()
    leave_url = reverse("network:organisation_member_remove", args=[organisation.slug, member.pk])
    assert leave_url in page
    response = client.post(leave_url)
    assert response["Location"] == organisation.get_absolute_url()
    assert not organisation.memberships.filter(user=member).exists()


# The staff's admin screen ----------------------------------------------------------------------


def test_staff_verify_an_organisation_in_the_wagtail_admin(client, organisation):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("wagtailsnippets_network_organisation:edit", args=[organisation.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": organisation.name,
            "slug": organisation.slug,
            "verified": "on",
            "sector": "food",
            "area": "",
            "description": '<p>ok</p><img src=x onerror="alert(1)">',
            "tags": "pain",
            "website": "",
            "email": "",
            "phone": "",
            "latitude": "48.71320",
            "longitude": "-3.96710",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.verified is True
    assert organisation.description == "<p>ok</p>"


def test_the_admin_list_of_organisations_opens(client, organisation):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("wagtailsnippets_network_organisation:list"))
    assert response.status_code == 200
    assert "Boulangerie du Port" in response.content.decode()


def test_the_organisation_page_costs_the_same_queries_for_5_or_50_members(client, organisation):
    client.force_login(UserFactory())

    def count_queries():
        # The same start each time: in-process caches warm (content types), the shared
        # cache empty (the header's counters), so that only this page's queries differ.
        for _attempt in range(2):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(organisation.get_absolute_url())
        assert response.status_code == 200
        return len(queries)

    def make(count):
        for _ in range(count):
            member = add_organisation_member(organisation).user
            PostFactory(author=member)

    make(4)
    five = count_queries()
    make(45)
    fifty = count_queries()
    assert five == fifty
