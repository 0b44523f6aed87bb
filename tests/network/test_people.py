"""People: the member directory and member pages (signed-in members only), and the profile
fields they show: area, bio, interests."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.models import Area
from core.errors import InvalidInput, NotAllowed
from network.models import Follow, OrganisationMembership
from network.selectors.directory import get_person_for, list_people
from network.services import update_profile
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory, add_organisation_member
from tests.network.test_organisations import XSS_VECTORS, assert_harmless

pytestmark = pytest.mark.django_db

PEOPLE = reverse("network:people")


def person_url(person):
    return reverse("network:person", args=[person.username])


@pytest.fixture
def hugo():
    hugo = UserFactory(username="hugo", display_name="Hugo Kerbrat", bio="<p>Boulanger</p>")
    hugo.interests.set(["pain", "voile"])
    return hugo


# Who sees people -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PEOPLE, "/people/hugo/", "/en/people/", "/en/people/hugo/"])
def test_visitors_are_sent_to_the_log_in_page(client, hugo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "next=" in response["Location"]


def test_the_selectors_show_no_one_to_visitors(hugo):
    from django.contrib.auth.models import AnonymousUser

    assert not list_people(AnonymousUser())
    with pytest.raises(NotAllowed):
        get_person_for(AnonymousUser(), "hugo")


def test_a_deactivated_account_is_not_listed_and_its_page_is_a_404(auth_client, hugo):
    hugo.is_active = False
    hugo.save()
    assert hugo not in auth_client.get(PEOPLE).context["results"]
    assert auth_client.get(person_url(hugo)).status_code == 404
    assert auth_client.get("/people/nobody/").status_code == 404


def test_a_suspended_member_still_reads_the_directory(client, hugo):
    client.force_login(UserFactory(suspended_until=timezone.now() + timedelta(days=1)))
    assert client.get(PEOPLE).status_code == 200
    response = client.get(person_url(hugo))
    assert response.status_code == 200
    assert response.context["can_follow"] is False


# Directory -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "kerbrat"}, {"hugo"}),
        ({"q": "HUGO"}, {"hugo"}),
        ({"q": "voile"}, {"hugo"}),
        ({"q": "nina morel"}, {"nina"}),
        ({"tag": "voile"}, {"hugo"}),
        ({"area": "finistere"}, {"nina"}),
        ({"area": "nowhere"}, {"hugo", "nina", "member"}),
    ],
)
def test_the_directory_searches_and_filters(client, hugo, query, expected):
    finistere = Area.objects.create(name="Finistère", slug="finistere", kind="departement")
    brest = Area.objects.create(name="Brest", slug="brest", kind="commune", parent=finistere)
    UserFactory(username="nina", display_name="Nina Morel", area=brest)
    client.force_login(UserFactory(username="member"))
    response = client.get(PEOPLE, query)
    assert response.status_code == 200
    assert {p.username for p in response.context["results"]} == expected


def test_the_directory_costs_the_same_queries_for_5_or_50_members(client):
    area = Area.objects.create(name="Kerlann", slug="kerlann", kind="commune")
    viewer = UserFactory(username="viewer")
    client.force_login(viewer)

    def make(count):
        for _ in range(count):
            UserFactory(area=area).interests.set(["voile", "cuisine"])

    def count_queries():
        # The same start each time: in-process caches warm (content types), the shared
        # cache empty (the header's counters), so that only this page's queries differ.
        for _attempt in range(2):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(PEOPLE)
        assert response.status_code == 200
        return len(queries)

    make(4)
    five = count_queries()
    make(45)
    fifty = count_queries()
    # Session, user, count, page, interests of the page, areas, interest options.
    # (The site header adds a few of its own.)
    assert five == fifty <= 15


# A member's page -------------------------------------------------------------------------------


def test_a_member_page_shows_the_person_their_organisations_and_counts(client, hugo):
    area = Area.objects.create(name="Port-Morvellec", slug="port-morvellec", kind="commune")
    hugo.area = area
    hugo.save()
    boulangerie = OrganisationFactory(name="Boulangerie du Port", verified=True)
    add_organisation_member(boulangerie, hugo, role=OrganisationMembership.Role.OWNER)
    OrganisationMembership.objects.create(
        organisation=OrganisationFactory(name="Club nautique"), user=hugo, title="Trésorier"
    )
    viewer = UserFactory()
    Follow.objects.create(follower=viewer, user=hugo)
    Follow.objects.create(follower=hugo, organisation=boulangerie)
    client.force_login(viewer)
    response = client.get(person_url(hugo))
    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        "Hugo Kerbrat",
        "@hugo",
        "Port-Morvellec",
        "<p>Boulanger</p>",
        "pain",
        "voile",
        "Boulangerie du Port",
        "Club nautique",
        "Trésorier",
    ):
        assert text in content, text
    assert response.context["counts"].followers == 1
    assert response.context["counts"].following == 1
    assert response.context["is_following"] is True
    assert 'data-testid="unfollow"' in content


def test_a_member_sees_no_follow_button_on_their_own_page(client, hugo):
    client.force_login(hugo)
    response = client.get(person_url(hugo))
    assert 'data-testid="follow"' not in response.content.decode()
    assert reverse("account_profile") in response.content.decode()


# Profile fields -------------------------------------------------------------------------------


def test_a_member_sets_area_bio_and_interests_on_their_profile(auth_client, user):
    area = Area.objects.create(name="Kerlann", slug="kerlann", kind="commune")
    response = auth_client.post(
        reverse("account_profile"),
        {
            "display_name": "Maël",
            "preferred_language": "fr",
            "area": area.pk,
            "bio": "<p>Guide <strong>nature</strong></p>",
            "interests": "randonnée, oiseaux",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.area == area
    assert user.bio == "<p>Guide <strong>nature</strong></p>"
    assert sorted(user.interests.names()) == ["oiseaux", "randonnée"]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_in_the_bio_is_stored_harmless(user, vector):
    update_profile(actor=user, user=user, bio=f"<p>Bonjour</p>{vector}")
    user.refresh_from_db()
    assert_harmless(user.bio)


def test_xss_in_the_bio_is_harmless_on_the_member_page(client, user):
    update_profile(actor=user, user=user, bio='<p>Salut</p><img src=x onerror="alert(1)">')
    client.force_login(UserFactory())
    content = client.get(person_url(user)).content.decode()
    assert "<p>Salut</p>" in content
    assert "onerror" not in content


def test_too_many_interests_are_refused_and_nothing_changes(auth_client, user):
    response = auth_client.post(
        reverse("account_profile"),
        {
            "display_name": "Changed",
            "preferred_language": "fr",
            "interests": ", ".join(f"sujet{n}" for n in range(13)),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["interests"]
    user.refresh_from_db()
    assert user.display_name != "Changed"
    with pytest.raises(InvalidInput):
        update_profile(actor=user, user=user, interests=[f"s{n}" for n in range(13)])
    assert not user.interests.exists()


def test_nobody_edits_someone_else_s_profile(user):
    with pytest.raises(NotAllowed):
        update_profile(actor=UserFactory(), user=user, bio="<p>hacked</p>")
    user.refresh_from_db()
    assert user.bio == ""


def test_the_profile_page_links_to_the_member_page(auth_client, user):
    content = auth_client.get(reverse("account_profile")).content.decode()
    assert person_url(user) in content


# A member's posts ------------------------------------------------------------------------------


def test_the_member_page_shows_their_posts_but_not_a_private_group_s_to_outsiders(client, hugo):
    from network.models import Group
    from tests.network.factories import GroupFactory, PostFactory, add_member

    PostFactory(author=hugo, body="<p>Fournée du matin</p>", body_text="Fournée du matin")
    club = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(club, hugo)
    PostFactory(author=hugo, group=club, body="<p>Entre nous</p>", body_text="Entre nous")
    outsider = UserFactory()
    client.force_login(outsider)
    content = client.get(person_url(hugo)).content.decode()
    assert "Fournée du matin" in content
    assert "Entre nous" not in content
    member = UserFactory()
    add_member(club, member)
    client.force_login(member)
    assert "Entre nous" in client.get(person_url(hugo)).content.decode()


def test_a_member_writes_on_their_own_page(client, hugo):
    client.force_login(hugo)
    assert 'data-testid="composer"' in client.get(person_url(hugo)).content.decode()
    client.force_login(UserFactory())
    assert 'data-testid="composer"' not in client.get(person_url(hugo)).content.decode()


def test_a_malformed_cursor_is_a_400(auth_client, hugo):
    assert auth_client.get(person_url(hugo), {"cursor": "not-a-cursor"}).status_code == 400


def test_the_member_page_costs_the_same_queries_for_5_or_50_posts(client, hugo):
    from tests.network.factories import PostFactory

    client.force_login(UserFactory())

    def count_queries():
        # The same start each time: in-process caches warm (content types), the shared
        # cache empty (the header's counters), so that only this page's queries differ.
        for _attempt in range(2):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(person_url(hugo))
        assert response.status_code == 200
        return len(queries)

    for _ in range(5):
        PostFactory(author=hugo)
    five = count_queries()
    for _ in range(45):
        PostFactory(author=hugo)
    fifty = count_queries()
    assert five == fifty
