"""Slice 1: creator profiles (any member), the staff's directory with its filters, and the
rules of the law as data staff edit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ambassadors.campaigns.models import ComplianceRules, CreatorProfile
from ambassadors.campaigns.services import creators
from content.models import Area
from core.errors import InvalidInput, NotAllowed
from tests.campaigns.factories import creator, staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_any_member_can_add_a_creator_profile():
    member = UserFactory()
    profile = creators.save_creator_profile(
        actor=member,
        kind="blogger",
        platforms=[
            {"platform": "blog", "handle": "lea.example", "audience": 4000},
            {"platform": "instagram", "handle": "@lea", "audience": 12000},
        ],
        niches="Food, surf, food",
        languages=["fr", "en", "xx"],
        rates="Article : 300 €",
        arpp_certified=True,
        arpp_certified_on=timezone.localdate() - timedelta(days=30),
    )
    assert profile.kind == "blogger"
    assert profile.audience_total == 16000
    assert profile.niche_list == ["food", "surf"]
    assert profile.language_codes == ["fr", "en"]
    assert profile.platforms.count() == 2
    assert profile.arpp_certified_on is not None


@pytest.mark.parametrize(
    "platforms,message",
    [
        ([], "au moins une plateforme"),
        ([{"platform": "myspace", "handle": "x"}], "plateforme"),
        ([{"platform": "instagram", "handle": "@x", "audience": -5}], "négative"),
        (
            [
                {
                    "platform": "instagram",
                    "handle": "@x",
                    "audience": 5,
                    "audience_on": timezone.localdate() + timedelta(days=2),
                }
            ],
            "passée",
        ),
    ],
)
def test_bad_profiles_are_refused(platforms, message):
    with pytest.raises(InvalidInput, match=message):
        creators.save_creator_profile(actor=UserFactory(), kind="influencer", platforms=platforms)


def test_the_directory_is_for_staff_only():
    with pytest.raises(NotAllowed):
        creators.search_creators(UserFactory())


def test_the_directory_filters_by_kind_niche_area_language_and_band():
    area = Area.objects.create(name="Port-Kerlaz", slug="port-kerlaz", kind="commune")
    small = creator(kind="blogger", audience=5_000, niches="food", languages=["fr"])
    big = creator(kind="influencer", audience=250_000, niches="surf", languages=["en"])
    CreatorProfile.objects.get(user=big).areas.add(area)
    agent = staff()

    def found(**filters):
        page, total = creators.search_creators(agent, **filters)
        assert total == len(page)
        return {p.user_id for p in page}

    assert found() == {small.pk, big.pk}
    assert found(kind="blogger") == {small.pk}
    assert found(niche="surf") == {big.pk}
    assert found(area="port-kerlaz") == {big.pk}
    assert found(language="en") == {big.pk}
    assert found(band="nano") == {small.pk}
    assert found(band="macro") == {big.pk}
    assert found(band="mega") == set()
    assert found(q=small.username) == {small.pk}


def test_the_directory_page_is_staff_only(client):
    creator()
    member = UserFactory()
    client.force_login(member)
    assert client.get("/campaigns/creators/").status_code == 403
    client.force_login(staff())
    response = client.get("/campaigns/creators/?band=micro")
    assert response.status_code == 200
    assert "@member" in response.content.decode()


def test_a_member_edits_their_profile_on_the_page(client):
    member = UserFactory()
    client.force_login(member)
    assert client.get("/campaigns/creator/").status_code == 200
    response = client.post(
        "/campaigns/creator/",
        {
            "kind": "journalist",
            "niches": "patrimoine",
            "languages": ["fr"],
            "platform_0": "press",
            "handle_0": "Le Télégramme",
            "audience_0": "80000",
            "audience_on_0": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    profile = CreatorProfile.objects.get(user=member)
    assert profile.kind == "journalist" and profile.audience_total == 80000


def test_the_rules_are_data_with_the_laws_defaults():
    rules = ComplianceRules.load()
    assert rules.mention_list == ["Publicité", "Collaboration commerciale"]
    assert rules.contract_threshold == Decimal("1000.00")
    rules.accepted_equivalents = "Partenariat rémunéré"
    rules.save()
    assert "Partenariat rémunéré" in ComplianceRules.load().mention_list


def test_a_contract_template_without_a_mandatory_clause_is_refused():
    rules = ComplianceRules.load()
    rules.contract_template = "Contrat entre {advertiser} et {creator_name}."
    with pytest.raises(ValidationError, match="creator_tax_residence"):
        rules.full_clean()
