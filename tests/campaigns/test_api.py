"""Slice 4: the API of issue 19 on /api/v1/, with personal access tokens as integrations use
them: the issue's bad inputs answer 400, 403, 404 and 409 with {"code", "message"}."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ambassadors.campaigns.models import Campaign, Deliverable, Engagement
from network.services.tokens import create_token
from tests.campaigns.factories import creator, staff
from tests.content.factories_pages import home
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user):
    client = Client()
    token = create_token(actor=user, name="test")[1]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def brief_body(**fields):
    today = timezone.localdate()
    body = {
        "title": "Printemps des phares",
        "objectives": "Montrer les phares au printemps",
        "stage": "affinites",
        "starts_on": (today + timedelta(days=2)).isoformat(),
        "ends_on": (today + timedelta(days=40)).isoformat(),
        "relationship": "paid",
        "cash_amount": "450.00",
        "in_kind": [{"label": "Croisière", "value": 90}],
        "deliverables": [
            {
                "platform": "instagram",
                "format": "reel",
                "count": 2,
                "due_on": (today + timedelta(days=20)).isoformat(),
            }
        ],
        "pages": [home().pk],
        "required_mentions": "#Morvellec",
        "publish": True,
    }
    body.update(fields)
    return body


@pytest.fixture
def agent():
    return staff()


@pytest.fixture
def lea():
    return creator(UserFactory(username="lea-api"))


def test_the_whole_flow_through_the_api(agent, lea):
    staff_api, lea_api = api(agent), api(lea)
    response = post(staff_api, "/campaigns", brief_body())
    assert response.status_code == 201, response.json()
    campaign = response.json()
    assert campaign["status"] == "open" and campaign["cash_amount"] == "450.00"
    assert lea_api.get(f"{API}/campaigns/{campaign['id']}").status_code == 404
    response = post(
        staff_api,
        f"/campaigns/{campaign['id']}/invitations",
        {"creators": ["lea-api"], "note": "Bienvenue"},
    )
    assert response.status_code == 201
    assert lea_api.get(f"{API}/campaigns").json()[0]["mine"] == "invited"
    assert lea_api.get(f"{API}/campaigns/{campaign['id']}").json()["engagement"]["status"] == (
        "invited"
    )
    response = post(
        lea_api, f"/campaigns/{campaign['id']}/counter", {"cash": "600", "deliverables": "3 reels"}
    )
    assert response.json()["status"] == "countered"
    response = post(staff_api, f"/campaigns/{campaign['id']}/accept", {"creator": "lea-api"})
    assert response.json() == {**response.json(), "status": "accepted", "agreed_cash": "600.00"}
    response = post(
        lea_api,
        f"/campaigns/{campaign['id']}/deliverables",
        {"text": "Superbe phare", "platform": "instagram"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "non_compliant"
    assert "Publicité" in response.json()["message"]
    response = post(
        lea_api,
        f"/campaigns/{campaign['id']}/deliverables",
        {"text": "Publicité · Superbe phare #Morvellec", "platform": "instagram"},
    )
    assert response.status_code == 201
    deliverable = response.json()
    assert (
        post(
            lea_api, f"/deliverables/{deliverable['id']}/review", {"decision": "approve"}
        ).status_code
        == 403
    )
    response = post(staff_api, f"/deliverables/{deliverable['id']}/review", {"decision": "approve"})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    report = staff_api.get(f"{API}/campaigns/{campaign['id']}/report").json()
    assert report["creators"] == 1 and report["done"] == 1 and report["total"] == "690.00"
    assert lea_api.get(f"{API}/campaigns/{campaign['id']}/report").status_code == 403


def test_409_with_the_reason_when_the_contract_is_not_signed(agent, lea):
    staff_api, lea_api = api(agent), api(lea)
    campaign = post(staff_api, "/campaigns", brief_body(cash_amount="1500")).json()
    post(staff_api, f"/campaigns/{campaign['id']}/invitations", {"creators": ["lea-api"]})
    assert post(lea_api, f"/campaigns/{campaign['id']}/accept").status_code == 200
    deliverable = post(
        lea_api,
        f"/campaigns/{campaign['id']}/deliverables",
        {"text": "Publicité #Morvellec", "platform": "instagram"},
    ).json()
    response = post(staff_api, f"/deliverables/{deliverable['id']}/review", {"decision": "approve"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "contrat" in response.json()["message"]
    assert Deliverable.objects.get().status == "waiting"


@pytest.mark.parametrize(
    "fields",
    [
        {"cash_amount": "-10"},
        {"cash_amount": "12.345"},
        {"starts_on": "2020-01-01"},
        {
            "ends_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "starts_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
        {"in_kind": [{"label": "Dîner", "value": "-3"}]},
    ],
)
def test_bad_briefs_answer_400(agent, fields):
    response = post(api(agent), "/campaigns", brief_body(**fields))
    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_members_cannot_write_briefs_or_invite(agent, lea):
    member_api = api(UserFactory())
    assert post(member_api, "/campaigns", brief_body()).status_code == 403
    campaign = post(api(agent), "/campaigns", brief_body()).json()
    assert (
        post(
            member_api, f"/campaigns/{campaign['id']}/invitations", {"creators": ["lea-api"]}
        ).status_code
        == 403
    )
    assert not Engagement.objects.exists()
    assert Client().get(f"{API}/campaigns").status_code == 401


def test_a_creator_cannot_submit_for_a_brief_they_did_not_accept(agent, lea):
    staff_api, lea_api = api(agent), api(lea)
    campaign = post(staff_api, "/campaigns", brief_body()).json()
    post(staff_api, f"/campaigns/{campaign['id']}/invitations", {"creators": ["lea-api"]})
    response = post(
        lea_api,
        f"/campaigns/{campaign['id']}/deliverables",
        {"text": "Publicité #Morvellec", "platform": "instagram"},
    )
    assert response.status_code == 403
    other = api(creator())
    response = post(
        other,
        f"/campaigns/{campaign['id']}/deliverables",
        {"text": "Publicité #Morvellec", "platform": "instagram"},
    )
    assert response.status_code == 404
