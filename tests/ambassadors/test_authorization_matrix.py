"""The ambassador programme's authorization matrix: every role × every page and API
operation of the programme, with the status the issue's rules require and, for each write,
the proof that it changed something (allowed) or nothing at all (refused).

Roles: a visitor, a member without licence, an ambassador (valid licence), an ambassador
whose licence expired (no rights until renewed), agency staff. The API rows use each role's
personal access token, as integrations do."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from ambassadors import urls as ambassador_urls
from ambassadors.links.services import make_link
from ambassadors.models import (
    Application,
    Badge,
    Briefing,
    GreeterProposal,
    GreeterRequest,
    Participation,
    Submission,
)
from ambassadors.services import briefings, greeters, missions
from network.models import Case, Decision
from network.services.tokens import create_token
from tests.ambassadors.factories import ambassador, charter, mission, staff
from tests.content.factories_pages import home
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
ANON, MEMBER, AMB, EXPIRED, STAFF = "anonymous", "member", "ambassador", "expired", "staff"
ROLES = (ANON, MEMBER, AMB, EXPIRED, STAFF)


@pytest.fixture
def world():
    charter(1)
    people = {
        MEMBER: UserFactory(username="m-member"),
        AMB: ambassador(UserFactory(username="m-amb")),
        EXPIRED: ambassador(UserFactory(username="m-expired"), expired=True),
        STAFF: staff(username="m-staff"),
    }
    other = ambassador(UserFactory(username="m-other"))
    page = home()
    w = {"people": people, "page": page}
    w["open"] = mission(title="Ouverte")
    w["full"] = mission(title="Pleine", cap=1)
    missions.take_mission(actor=other, mission=w["full"])
    w["taken"] = mission(title="Prise")
    missions.take_mission(actor=people[AMB], mission=w["taken"])
    missions.take_mission(actor=other, mission=w["taken"])
    w["submission"] = missions.submit_proof(actor=other, mission=w["taken"], text="Fait !")
    w["own_link"] = make_link(owner=people[AMB], page=page)
    w["other_link"] = make_link(owner=other, page=page)
    w["application"] = Application.objects.create(
        applicant=UserFactory(username="m-applicant"), motivation="x" * 30, charter_version=1
    )
    w["briefing"] = Briefing.objects.create(title="Infos", body="<p>x</p>")
    briefings.send_briefing(actor=people[STAFF], briefing=w["briefing"])
    w["draft"] = Briefing.objects.create(title="Brouillon", body="<p>x</p>")
    today = timezone.localdate()
    visit = {"visitor_name": "Ana", "visitor_email": "ana@example.org", "languages": ",en,"}
    w["unconfirmed"] = GreeterRequest.objects.create(
        date_from=today + timedelta(days=5),
        date_to=today + timedelta(days=6),
        group_size=2,
        **visit,
    )
    w["greet"] = GreeterRequest.objects.create(
        date_from=today + timedelta(days=5),
        date_to=today + timedelta(days=6),
        group_size=2,
        status=GreeterRequest.Status.OPEN,
        **visit,
    )
    w["met"] = GreeterRequest.objects.create(
        date_from=today,
        date_to=today + timedelta(days=1),
        group_size=2,
        status=GreeterRequest.Status.MATCHED,
        greeter=people[AMB],
        **visit,
    )
    for request in (w["greet"], w["met"]):
        GreeterProposal.objects.create(request=request, greeter=people[AMB])
    w["clients"], w["tokens"] = {ANON: Client()}, {}
    for role, user in people.items():
        client = Client()
        client.force_login(user)
        w["clients"][role] = client
        w["tokens"][role] = create_token(actor=user, name="matrix")[1]
    return w


def snapshot():
    models = [*apps.get_app_config("ambassadors").get_models(), Case, Decision]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def changed(before, after):
    return {name for name in before if before[name] != after[name]}


LOGIN = "login"


# name: (method, path(w), data(w) or None, {role: (status, changes)}, api)
def _all(status, changes=False, **overrides):
    table = {role: (status, changes) for role in ROLES}
    table.update(overrides)
    return table


def _amb_only(ok, changes=False, web=True):
    refused = 403
    return {
        ANON: (LOGIN if web else 401, False),
        MEMBER: (refused, False),
        AMB: (ok, changes),
        EXPIRED: (refused, False),
        STAFF: (refused, False),
    }


def _staff_only(ok, changes=False, web=True):
    return {
        ANON: (LOGIN if web else 401, False),
        MEMBER: (403, False),
        AMB: (403, False),
        EXPIRED: (403, False),
        STAFF: (ok, changes),
    }


def _programme(ok, web=True):
    """Ambassadors and staff read it."""
    table = _amb_only(ok, web=web)
    table[STAFF] = (ok, False)
    return table


APPLY = {
    "motivation": "J'aime ce territoire et je veux le faire connaître.",
    "charter_version": "1",
    "accept_charter": "on",
}

GREETER_FORM = {
    "name": "Ana",
    "email": "ana@example.org",
    "date_from": "2099-01-01",
    "date_to": "2099-01-02",
    "group_size": "2",
    "languages": ["en"],
}

OPS = {
    "GET /ambassadors/": ("get", lambda w: "/ambassadors/", None, _all(200), False),
    # The map's markers: everyone, each at their level (test_directory_cache.py).
    "GET /ambassadors/map.json": ("get", lambda w: "/ambassadors/map.json", None, _all(200), False),
    "GET /ambassadors/<ambassador>/": (
        "get",
        lambda w: "/ambassadors/m-amb/",
        None,
        _all(200),
        False,
    ),
    "GET /ambassadors/<member>/": (
        "get",
        lambda w: "/ambassadors/m-member/",
        None,
        _all(404),
        False,
    ),
    "GET /ambassadors/apply/": (
        "get",
        lambda w: "/ambassadors/apply/",
        None,
        _all(200, **{ANON: (LOGIN, False)}),
        False,
    ),
    "POST /ambassadors/apply/": (
        "post",
        lambda w: "/ambassadors/apply/",
        lambda w: APPLY,
        _all(302, True, **{ANON: (LOGIN, False), AMB: (200, False)}),
        False,
    ),
    "GET /ambassadors/charter/": (
        "get",
        lambda w: "/ambassadors/charter/",
        None,
        _all(200, **{ANON: (LOGIN, False)}),
        False,
    ),
    "POST /ambassadors/charter/": (
        "post",
        lambda w: "/ambassadors/charter/",
        lambda w: {"version": "1"},
        _all(302, **{ANON: (LOGIN, False), MEMBER: (403, False), STAFF: (403, False)}),
        False,
    ),
    "GET /ambassadors/me/": (
        "get",
        lambda w: "/ambassadors/me/",
        None,
        _all(302, **{ANON: (LOGIN, False), AMB: (200, False)}),
        False,
    ),
    "GET /ambassadors/me/profile/": (
        "get",
        lambda w: "/ambassadors/me/profile/",
        None,
        _amb_only(200),
        False,
    ),
    "GET /ambassadors/applications/": (
        "get",
        lambda w: "/ambassadors/applications/",
        None,
        _staff_only(200),
        False,
    ),
    "GET /ambassadors/applications/<id>/": (
        "get",
        lambda w: f"/ambassadors/applications/{w['application'].pk}/",
        None,
        _staff_only(200),
        False,
    ),
    "POST /ambassadors/applications/<id>/": (
        "post",
        lambda w: f"/ambassadors/applications/{w['application'].pk}/",
        lambda w: {"decision": "approve"},
        _staff_only(302, True),
        False,
    ),
    "GET /ambassadors/briefings/": (
        "get",
        lambda w: "/ambassadors/briefings/",
        None,
        _programme(200),
        False,
    ),
    "GET /ambassadors/briefings/<id>/": (
        "get",
        lambda w: f"/ambassadors/briefings/{w['briefing'].pk}/",
        None,
        {**_programme(200), MEMBER: (404, False), EXPIRED: (404, False)},
        False,
    ),
    "POST /ambassadors/briefings/<id>/read/": (
        "post",
        lambda w: f"/ambassadors/briefings/{w['briefing'].pk}/read/",
        None,
        {**_amb_only(302, True), EXPIRED: (403, False)},
        False,
    ),
    "POST /ambassadors/briefings/<id>/send/": (
        "post",
        lambda w: f"/ambassadors/briefings/{w['draft'].pk}/send/",
        None,
        _staff_only(302, True),
        False,
    ),
    "GET /ambassadors/leaderboard/": (
        "get",
        lambda w: "/ambassadors/leaderboard/",
        None,
        _all(200, **{ANON: (LOGIN, False)}),
        False,
    ),
    "GET /ambassadors/missions/": (
        "get",
        lambda w: "/ambassadors/missions/",
        None,
        _programme(200),
        False,
    ),
    "GET /ambassadors/missions/<id>/": (
        "get",
        lambda w: f"/ambassadors/missions/{w['open'].pk}/",
        None,
        _programme(200),
        False,
    ),
    "POST /ambassadors/missions/<id>/take/": (
        "post",
        lambda w: f"/ambassadors/missions/{w['open'].pk}/take/",
        None,
        _amb_only(302, True),
        False,
    ),
    "POST /ambassadors/missions/<full>/take/": (
        "post",
        lambda w: f"/ambassadors/missions/{w['full'].pk}/take/",
        None,
        _amb_only(302),
        False,
    ),
    "POST /ambassadors/missions/<id>/proof/": (
        "post",
        lambda w: f"/ambassadors/missions/{w['taken'].pk}/proof/",
        lambda w: {"link": "https://social.example/p"},
        _amb_only(302, True),
        False,
    ),
    "POST /ambassadors/proofs/<id>/review/": (
        "post",
        lambda w: f"/ambassadors/proofs/{w['submission'].pk}/review/",
        lambda w: {"decision": "approve"},
        _staff_only(302, True),
        False,
    ),
    "GET /ambassadors/links/": (
        "get",
        lambda w: "/ambassadors/links/",
        None,
        _amb_only(200),
        False,
    ),
    "POST /ambassadors/links/new/": (
        "post",
        lambda w: "/ambassadors/links/new/",
        lambda w: {"page": w["page"].pk},
        _amb_only(302),
        False,
    ),
    "GET /ambassadors/share/<page>/": (
        "get",
        lambda w: f"/ambassadors/share/{w['page'].pk}/",
        None,
        _amb_only(200),
        False,
    ),
    "POST /ambassadors/<ambassador>/badges/": (
        "post",
        lambda w: "/ambassadors/m-amb/badges/",
        lambda w: {"badge": Badge.objects.get(slug="conteur").pk},
        _staff_only(302, True),
        False,
    ),
    "GET /greeters/": ("get", lambda w: "/greeters/", None, _all(200), False),
    "POST /greeters/ (no stamp)": (
        "post",
        lambda w: "/greeters/",
        lambda w: GREETER_FORM,
        _all(200),
        False,
    ),
    "GET /greeters/sent/": ("get", lambda w: "/greeters/sent/", None, _all(200), False),
    "GET /greeters/confirm/<token>/": (
        "get",
        lambda w: f"/greeters/confirm/{greeters.link_token(w['unconfirmed'], 'confirm')}/",
        None,
        _all(200),
        False,
    ),
    "POST /greeters/confirm/<token>/": (
        "post",
        lambda w: f"/greeters/confirm/{greeters.link_token(w['unconfirmed'], 'confirm')}/",
        None,
        _all(200, True),
        False,
    ),
    "GET /greeters/confirm/<feedback token>/": (
        "get",
        lambda w: f"/greeters/confirm/{greeters.link_token(w['unconfirmed'], 'feedback')}/",
        None,
        _all(404),
        False,
    ),
    "GET /greeters/feedback/<token>/": (
        "get",
        lambda w: f"/greeters/feedback/{greeters.link_token(w['met'], 'feedback')}/",
        None,
        _all(200),
        False,
    ),
    "POST /greeters/feedback/<token>/": (
        "post",
        lambda w: f"/greeters/feedback/{greeters.link_token(w['met'], 'feedback')}/",
        lambda w: {"text": "Merci pour la balade !"},
        _all(200, True),
        False,
    ),
    "GET /ambassadors/me/greeter/": (
        "get",
        lambda w: "/ambassadors/me/greeter/",
        None,
        _amb_only(200),
        False,
    ),
    "POST /ambassadors/me/greeter/": (
        "post",
        lambda w: "/ambassadors/me/greeter/",
        lambda w: {"active": "on", "languages": ["fr"]},
        _amb_only(302, True),
        False,
    ),
    "GET /ambassadors/greeters/": (
        "get",
        lambda w: "/ambassadors/greeters/",
        None,
        _amb_only(200),
        False,
    ),
    "GET /ambassadors/greeters/waiting/": (
        "get",
        lambda w: "/ambassadors/greeters/waiting/",
        None,
        _staff_only(200),
        False,
    ),
    "GET /ambassadors/greeters/<id>/": (
        "get",
        lambda w: f"/ambassadors/greeters/{w['greet'].pk}/",
        None,
        {**_programme(200), EXPIRED: (403, False)},
        False,
    ),
    "POST /ambassadors/greeters/<id>/accept/": (
        "post",
        lambda w: f"/ambassadors/greeters/{w['greet'].pk}/accept/",
        None,
        _amb_only(302, True),
        False,
    ),
    "POST /ambassadors/greeters/<met>/feedback/": (
        "post",
        lambda w: f"/ambassadors/greeters/{w['met'].pk}/feedback/",
        lambda w: {"text": "Super rencontre."},
        _amb_only(302, True),
        False,
    ),
    "GET /r/<code>": ("get", lambda w: f"/r/{w['own_link'].code}", None, _all(302), False),
    "GET /r/<unknown>": ("get", lambda w: "/r/unknown1", None, _all(404), False),
    # API
    "GET /ambassadors": ("get", lambda w: f"{API}/ambassadors", None, _all(200), True),
    "GET /ambassadors/{username}": (
        "get",
        lambda w: f"{API}/ambassadors/m-amb",
        None,
        _all(200),
        True,
    ),
    "GET /ambassadors/{member}": (
        "get",
        lambda w: f"{API}/ambassadors/m-member",
        None,
        _all(404),
        True,
    ),
    "GET /missions": ("get", lambda w: f"{API}/missions", None, _programme(200, web=False), True),
    "POST /missions/{id}/take": (
        "post",
        lambda w: f"{API}/missions/{w['open'].pk}/take",
        None,
        _amb_only(201, True, web=False),
        True,
    ),
    "POST /missions/{full}/take": (
        "post",
        lambda w: f"{API}/missions/{w['full'].pk}/take",
        None,
        _amb_only(409, web=False),
        True,
    ),
    "POST /missions/{id}/submissions": (
        "post",
        lambda w: f"{API}/missions/{w['taken'].pk}/submissions",
        lambda w: {"link": "https://social.example/p"},
        _amb_only(201, True, web=False),
        True,
    ),
    "POST /submissions/{id}/review": (
        "post",
        lambda w: f"{API}/submissions/{w['submission'].pk}/review",
        lambda w: {"decision": "approve"},
        _staff_only(200, True, web=False),
        True,
    ),
    "POST /links": (
        "post",
        lambda w: f"{API}/links",
        lambda w: {"page": w["page"].pk},
        _amb_only(200, web=False),
        True,
    ),
    "GET /briefings": ("get", lambda w: f"{API}/briefings", None, _amb_only(200, web=False), True),
    "POST /briefings/{id}/read": (
        "post",
        lambda w: f"{API}/briefings/{w['briefing'].pk}/read",
        None,
        _amb_only(200, True, web=False),
        True,
    ),
    "GET /links/{code}/stats own": (
        "get",
        lambda w: f"{API}/links/{w['own_link'].code}/stats",
        None,
        {**_programme(200, web=False)},
        True,
    ),
    "GET /links/{code}/stats others'": (
        "get",
        lambda w: f"{API}/links/{w['other_link'].code}/stats",
        None,
        {**_staff_only(200, web=False)},
        True,
    ),
}
ROWS = [
    pytest.param(name, role, *OPS[name][3][role], id=f"{name}-{role}")
    for name in OPS
    for role in ROLES
]


def _call(world, name, role):
    method, path, data, _table, api = OPS[name]
    data = data(world) if data else None
    if api:
        client = world["clients"][ANON]
        headers = {"Authorization": f"Bearer {world['tokens'][role]}"} if role != ANON else {}
        if data is None:
            return client.generic(method.upper(), path(world), headers=headers)
        return getattr(client, method)(
            path(world), data, content_type="application/json", headers=headers
        )
    client = world["clients"][role]
    if method == "post":
        return client.post(path(world), data or {})
    return client.get(path(world), HTTP_USER_AGENT="")


@pytest.mark.parametrize(("name", "role", "status", "changes"), ROWS)
def test_ambassador_authorization_matrix(world, name, role, status, changes):
    before = snapshot()
    response = _call(world, name, role)
    after = snapshot()
    if status == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == status, response.content[:300]
    if changes:
        assert changed(before, after), "answered as done but changed nothing"
    else:
        assert not changed(before, after), f"changed {changed(before, after)}"
    if OPS[name][4] and status not in (200, 201, LOGIN):
        assert response.json()["code"]


def test_the_matrix_covers_every_programme_page_and_api_operation(world):
    """A page or an endpoint added later without its rows fails here."""
    pages = {f"ambassadors:{pattern.name}" for pattern in ambassador_urls.urlpatterns}
    pages.add("tracked_link")
    in_matrix = {resolve(OPS[name][1](world)).view_name for name in OPS if not OPS[name][4]}
    assert pages - in_matrix == set()
    schema = Client().get(f"{API}/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
        if "ambassadors" in spec.get("tags", ())
    }
    covered = set()
    for _name, (method, path, _data, _table, api) in OPS.items():
        if not api:
            continue
        called = path(world)[len(API) :]
        for op_method, op_path in operations:
            template = "^" + re.sub(r"\{[^/]+\}", "[^/]+", op_path.removeprefix(API)) + "$"
            if op_method == method.upper() and re.match(template, called):
                covered.add((op_method, op_path))
    assert operations - covered == set()


def test_an_expired_licence_loses_its_rights_until_renewed(world):
    expired = world["people"][EXPIRED]
    client = world["clients"][EXPIRED]
    assert client.post(f"/ambassadors/missions/{world['open'].pk}/take/").status_code == 403
    from ambassadors.models import Licence

    licence = Licence.objects.get(holder=expired)
    licence.expires_on = timezone.localdate() + timedelta(days=30)
    licence.save(update_fields=["expires_on"])  # as renew_licence() does
    assert client.post(f"/ambassadors/missions/{world['open'].pk}/take/").status_code == 302
    assert Participation.objects.filter(ambassador=expired).exists()
    assert Submission.objects.count() == 1
