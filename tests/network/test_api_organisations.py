"""The organisation endpoints: the public directory, an organisation, following it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Area
from network.models import Follow
from tests.network.factories import OrganisationFactory
from tests.network.test_api_helpers import API, assert_error, bearer

pytestmark = pytest.mark.django_db


def slugs(response):
    return [item["slug"] for item in response.json()["items"]]


def test_the_directory_is_public_and_sorted_by_name(client):
    OrganisationFactory(name="zèbre & co")
    OrganisationFactory(name="Atelier")
    OrganisationFactory(name="Boulangerie du Port", verified=True)
    body = client.get(f"{API}/organisations").json()
    assert [item["name"] for item in body["items"]] == [
        "Atelier",
        "Boulangerie du Port",
        "zèbre & co",
    ]
    assert body["items"][1]["verified"] is True
    assert body["next"] is None


def test_the_directory_filters(client):
    area = Area.objects.create(name="Vannes", slug="vannes", kind=Area.Kind.COMMUNE)
    bakery = OrganisationFactory(name="Boulangerie", sector="food", area=area)
    bakery.tags.add("pain")
    OrganisationFactory(name="Hôtel", sector="tourism")
    assert slugs(client.get(f"{API}/organisations", {"q": "boulang"})) == ["boulangerie"]
    assert slugs(client.get(f"{API}/organisations", {"sector": "food"})) == ["boulangerie"]
    assert slugs(client.get(f"{API}/organisations", {"area": "vannes"})) == ["boulangerie"]
    assert slugs(client.get(f"{API}/organisations", {"tag": "pain"})) == ["boulangerie"]


def test_the_directory_pages_through_every_organisation_once(client):
    for number in range(7):
        OrganisationFactory(name=f"Maison {number:02d}")
    seen, cursor = [], None
    while True:
        body = client.get(
            f"{API}/organisations", {"limit": 3, **({"cursor": cursor} if cursor else {})}
        ).json()
        seen += slugs_of(body)
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == [f"maison-{number:02d}" for number in range(7)]


def slugs_of(body):
    return [item["slug"] for item in body["items"]]


def test_the_directory_costs_the_same_for_5_and_50_organisations(client):
    def make(count):
        for _ in range(count):
            OrganisationFactory(area=area).tags.add("port")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"{API}/organisations?limit=50").status_code == 200
        return len(context)

    area = Area.objects.create(name="Lorient", slug="lorient", kind=Area.Kind.COMMUNE)
    make(5)
    few = count()
    make(45)
    # Expect 2 queries: organisations with their areas, their tags.
    assert count() == few == 2


def test_an_organisation(client):
    OrganisationFactory(name="Boulangerie du Port", website="https://example.org")
    body = client.get(f"{API}/organisations/boulangerie-du-port").json()
    assert body["website"] == "https://example.org"
    assert body["url"].endswith("/organisations/boulangerie-du-port/")


def test_following_an_organisation(client, user):
    organisation = OrganisationFactory()
    headers = bearer(user)
    url = f"{API}/organisations/{organisation.slug}/follow"
    assert client.post(url, headers=headers).json() == {"following": True}
    assert Follow.objects.filter(follower=user, organisation=organisation).exists()
    assert client.delete(url, headers=headers).json() == {"following": False}
    assert not Follow.objects.exists()


def test_following_an_organisation_needs_a_member(client):
    organisation = OrganisationFactory()
    assert_error(
        client.post(f"{API}/organisations/{organisation.slug}/follow"), 401, "unauthenticated"
    )
    assert not Follow.objects.exists()
