"""A member's programme data in their export, and gone with their account."""

import json

import pytest

from ambassadors.links.services import make_link
from ambassadors.models import Licence, PointEntry, Profile, Submission, TrackedLink
from ambassadors.personal_data import erase_personal_data, export_personal_data
from ambassadors.services import missions
from ambassadors.services.recognition import award
from network.models import Case
from tests.ambassadors.factories import ambassador, mission
from tests.content.factories_pages import home

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_ambassador():
    user = ambassador(headline="Guide à Kerlann")
    quest = mission()
    missions.take_mission(actor=user, mission=quest)
    missions.submit_proof(actor=user, mission=quest, link="https://social.example/p")
    make_link(owner=user, page=home())
    award(user_id=user.pk, reason="mission", reference="x", points=3)
    return user


def test_the_export_holds_the_profile_missions_links_and_points(busy_ambassador):
    data = json.loads(json.dumps(export_personal_data(busy_ambassador)))
    assert data["profile"]["headline"] == "Guide à Kerlann"
    assert data["missions"][0]["proofs"][0]["link"] == "https://social.example/p"
    assert len(data["links"]) == 1 and data["points"][0]["points"] == 3
    assert data["licence"]["status"] == "active"


def test_erasing_leaves_nothing_of_the_member(busy_ambassador):
    erase_personal_data(busy_ambassador)
    for model, field in (
        (Profile, "user"),
        (Licence, "holder"),
        (TrackedLink, "owner"),
        (PointEntry, "user"),
        (Submission, "participation__ambassador"),
    ):
        assert not model.objects.filter(**{field: busy_ambassador}).exists()
    assert not Case.objects.filter(kind="mission_proof").exists()
