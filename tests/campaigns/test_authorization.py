"""The campaigns' authorization matrix: every page and API operation of campaigns × every
role (a visitor, a member, a creator invited to the brief, a creator not invited, agency
staff), with the status the issue's rules require, and a check that no page or operation
is left out of it."""

import re

import pytest
from django.test import Client

from ambassadors.campaigns import urls as campaign_urls
from ambassadors.campaigns.services import briefs, casting, deliverables
from network.services.tokens import create_token
from tests.campaigns.factories import brief, creator, staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
ANON, MEMBER, INVITED, OUTSIDER, STAFF = "anonymous", "member", "invited", "outsider", "staff"
LOGIN = "login"


@pytest.fixture
def world():
    people = {
        MEMBER: UserFactory(username="z-member"),
        INVITED: creator(UserFactory(username="z-invited")),
        OUTSIDER: creator(UserFactory(username="z-outsider")),
        STAFF: staff(username="z-staff"),
    }
    campaign = brief(people[STAFF])
    casting.invite(actor=people[STAFF], campaign=campaign, creators=[people[INVITED]])
    casting.accept(actor=people[INVITED], campaign=campaign)
    content = deliverables.submit(
        actor=people[INVITED], campaign=campaign, text="Publicité · phare", platform="blog"
    )
    token = briefs.share_report(actor=people[STAFF], campaign=campaign)
    from ambassadors.campaigns.models import Contract

    world = {"people": people, "campaign": campaign, "content": content, "token": token}
    world["contract"] = Contract.objects.create(
        creator=people[INVITED],
        advertiser_key="agency",
        advertiser_name="Agence",
        year=2030,
        body="x",
        total=0,
    )
    world["web"], world["api"] = {ANON: Client()}, {ANON: Client()}
    for role, user in people.items():
        web = Client()
        web.force_login(user)
        world["web"][role] = web
        api = Client()
        api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {create_token(actor=user, name='m')[1]}"
        world["api"][role] = api
    return world


def c(w):
    return w["campaign"].pk


# name: (method, path, expected status per role: anonymous, member, invited, outsider, staff)
PAGES = {
    "campaigns": ("get", lambda w: "/campaigns/", (LOGIN, 200, 200, 200, 200)),
    "campaign_new": ("get", lambda w: "/campaigns/new/", (LOGIN, 403, 403, 403, 200)),
    "creator_profile": ("get", lambda w: "/campaigns/creator/", (LOGIN, 200, 200, 200, 200)),
    "creators": ("get", lambda w: "/campaigns/creators/", (LOGIN, 403, 403, 403, 200)),
    "campaign": ("get", lambda w: f"/campaigns/{c(w)}/", (LOGIN, 404, 200, 404, 200)),
    "campaign_edit": ("get", lambda w: f"/campaigns/{c(w)}/edit/", (LOGIN, 403, 403, 403, 200)),
    "campaign_invite": (
        "post",
        lambda w: f"/campaigns/{c(w)}/invite/",
        (LOGIN, 403, 403, 403, 302),
    ),
    "campaign_move": (
        "post",
        lambda w: f"/campaigns/{c(w)}/nowhere/move/",
        (LOGIN, 403, 403, 403, 404),
    ),
    "campaign_answer": (
        "post",
        lambda w: f"/campaigns/{c(w)}/answer/nothing/",
        (LOGIN, 404, 404, 404, 404),
    ),
    "deliverable_new": (
        "get",
        lambda w: f"/campaigns/{c(w)}/contents/new/",
        (LOGIN, 404, 200, 404, 403),
    ),
    "deliverable_revise": (
        "get",
        lambda w: f"/campaigns/{c(w)}/contents/{w['content'].pk}/revise/",
        (LOGIN, 404, 200, 404, 403),
    ),
    "deliverable": (
        "get",
        lambda w: f"/campaigns/contents/{w['content'].pk}/",
        (LOGIN, 404, 200, 404, 200),
    ),
    "deliverable_review": (
        "post",
        lambda w: f"/campaigns/contents/{w['content'].pk}/review/",
        (LOGIN, 404, 302, 404, 302),
    ),
    "deliverable_publish": (
        "post",
        lambda w: f"/campaigns/contents/{w['content'].pk}/publish/",
        (LOGIN, 404, 302, 404, 403),
    ),
    "campaign_report": ("get", lambda w: f"/campaigns/{c(w)}/report/", (LOGIN, 403, 403, 403, 200)),
    "campaign_report_csv": (
        "get",
        lambda w: f"/campaigns/{c(w)}/report.csv",
        (LOGIN, 403, 403, 403, 200),
    ),
    "campaign_share": (
        "post",
        lambda w: f"/campaigns/{c(w)}/report/share/",
        (LOGIN, 403, 403, 403, 302),
    ),
    "campaign_shared": (
        "get",
        lambda w: f"/campaigns/shared/{w['token']}/",
        (200, 200, 200, 200, 200),
    ),
    "campaign_stages": ("get", lambda w: "/campaigns/stages/", (LOGIN, 403, 403, 403, 200)),
    "campaign_ledger": ("get", lambda w: "/campaigns/ledger/", (LOGIN, 403, 403, 403, 200)),
    "contract": (
        "get",
        lambda w: f"/campaigns/contracts/{w['contract'].pk}/",
        (LOGIN, 403, 403, 403, 200),
    ),
    "contract_sign": (
        "post",
        lambda w: f"/campaigns/contracts/{w['contract'].pk}/sign/",
        (LOGIN, 403, 403, 403, 302),
    ),
}
API_OPS = {
    "list": ("get", lambda w: "/campaigns", None, (401, 200, 200, 200, 200)),
    "create": ("post", lambda w: "/campaigns", "brief", (401, 403, 403, 403, 201)),
    "detail": ("get", lambda w: f"/campaigns/{c(w)}", None, (401, 404, 200, 404, 200)),
    "invite": (
        "post",
        lambda w: f"/campaigns/{c(w)}/invitations",
        {"creators": ["z-outsider"]},
        (401, 403, 403, 403, 201),
    ),
    "accept": ("post", lambda w: f"/campaigns/{c(w)}/accept", {}, (401, 404, 409, 404, 404)),
    "decline": (
        "post",
        lambda w: f"/campaigns/{c(w)}/decline",
        {"creator": "z-outsider"},
        (401, 403, 403, 404, 404),
    ),
    "counter": (
        "post",
        lambda w: f"/campaigns/{c(w)}/counter",
        {"cash": "10"},
        (401, 404, 409, 404, 404),
    ),
    "deliverables": (
        "post",
        lambda w: f"/campaigns/{c(w)}/deliverables",
        {"text": "Publicité"},
        (401, 404, 400, 404, 403),
    ),
    "review": (
        "post",
        lambda w: f"/deliverables/{w['content'].pk}/review",
        {"decision": "reject"},
        (401, 403, 403, 403, 400),
    ),
    "report": ("get", lambda w: f"/campaigns/{c(w)}/report", None, (401, 403, 403, 403, 200)),
}
ROLES = (ANON, MEMBER, INVITED, OUTSIDER, STAFF)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages(world, name):
    method, path, statuses = PAGES[name]
    for role, status in zip(ROLES, statuses, strict=True):
        response = getattr(world["web"][role], method)(path(world))
        if status == LOGIN:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == status, (name, role, response.status_code)


@pytest.mark.parametrize("name", sorted(API_OPS))
def test_api(world, name):
    method, path, body, statuses = API_OPS[name]
    for role, status in zip(ROLES, statuses, strict=True):
        client = world["api"][role]
        if body == "brief":
            from tests.campaigns.test_api import brief_body

            body = brief_body(pages=[], publish=False)
        if method == "get":
            response = client.get(API + path(world))
        else:
            response = client.post(API + path(world), body or {}, content_type="application/json")
        assert response.status_code == status, (name, role, response.content[:200])
        if status >= 400:
            assert response.json()["code"]


def test_the_matrix_covers_every_campaign_page_and_api_operation(world):
    """A page or an endpoint added later without its rows fails here."""
    assert {p.name for p in campaign_urls.urlpatterns} == set(PAGES)
    schema = Client().get(f"{API}/openapi.json").json()
    operations = {
        (method.upper(), path.removeprefix(API))
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
        if "campaigns" in spec.get("tags", ())
    }
    covered = set()
    for method, path, _body, _statuses in API_OPS.values():
        called = path(world)
        for op_method, op_path in operations:
            template = "^" + re.sub(r"\{[^/]+\}", "[^/]+", op_path) + "$"
            if op_method == method.upper() and re.match(template, called):
                covered.add((op_method, op_path))
    assert operations - covered == set()
