"""e-PR's authorization matrix: every role × every press page, with the status the rules
require and, for each write, the proof that it changed something (allowed) or nothing at all
(refused). Press contacts are people who never signed up: only agency staff see them.

Roles: a visitor, a member, a contributor to the content hub, an ambassador (valid licence),
agency staff (the Moderators group, as the demo's `agence`)."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve

from ambassadors.press import urls as press_urls
from ambassadors.press.services import contacts, releases
from tests.ambassadors.factories import ambassador
from tests.content import factories_contrib as f
from tests.factories import UserFactory

from .factories import contact, published_story, segment

pytestmark = pytest.mark.django_db
ANON, MEMBER, CONTRIB, AMB, STAFF = "anonymous", "member", "contributor", "ambassador", "staff"
ROLES = (ANON, MEMBER, CONTRIB, AMB, STAFF)
LOGIN = "login"


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    people = {
        MEMBER: UserFactory(username="p-member"),
        CONTRIB: f.contributor("p-contrib"),
        AMB: ambassador(UserFactory(username="p-amb")),
        STAFF: f.moderator("p-staff"),
    }
    regional = segment()
    w = {"people": people, "segment": regional, "story": published_story()}
    w["contact"] = contact(segments=[regional], email="c@media.example")
    w["other"] = contact(segments=[regional], email="o@media.example")
    w["draft"] = releases.save_release(
        actor=people[STAFF], story=w["story"], segment=regional, subject="S", pitch="<p>x</p>"
    )
    w["sent"] = releases.save_release(
        actor=people[STAFF], story=w["story"], segment=regional, subject="T", pitch="<p>x</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        releases.send_release(actor=people[STAFF], release=w["sent"])
    w["token"] = contacts.unsubscribe_token(w["other"])
    w["clients"] = {ANON: Client()}
    for role, user in people.items():
        client = Client()
        client.force_login(user)
        w["clients"][role] = client
    return w


def snapshot():
    from ambassadors.press import models as press_models

    models = [
        model
        for model in apps.get_app_config("ambassadors").get_models()
        if model.__module__ == press_models.__name__ or model.__name__ == "TrackedLink"
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def changed(before, after):
    return {name for name in before if before[name] != after[name]}


def _staff_only(ok, changes=False):
    return {
        ANON: (LOGIN, False),
        MEMBER: (403, False),
        CONTRIB: (403, False),
        AMB: (403, False),
        STAFF: (ok, changes),
    }


def _everyone(status, changes=False):
    return {role: (status, changes) for role in ROLES}


def _csv():
    return {
        "file": SimpleUploadedFile(
            "c.csv", b"email,name\nnew@media.example,New\n", content_type="text/csv"
        )
    }


CONTACT = {
    "name": "Anne",
    "email": "anne@media.example",
    "consent_basis": "consent",
    "consent_date": "2026-01-02",
    "status": "active",
}
# name: (method, path(w), data(w) or None, {role: (status, changes)})
OPS = {
    "GET /press/": ("get", lambda w: "/press/", None, _staff_only(200)),
    "GET /press/releases/new/": ("get", lambda w: "/press/releases/new/", None, _staff_only(200)),
    "POST /press/releases/new/": (
        "post",
        lambda w: "/press/releases/new/",
        lambda w: {
            "story": w["story"].pk,
            "segment": w["segment"].pk,
            "subject": "Nouveau",
            "pitch": "<p>Bonjour</p>",
        },
        _staff_only(302, True),
    ),
    "GET /press/releases/<draft>/": (
        "get",
        lambda w: f"/press/releases/{w['draft'].pk}/",
        None,
        _staff_only(200),
    ),
    "GET /press/releases/<sent>/": (
        "get",
        lambda w: f"/press/releases/{w['sent'].pk}/",
        None,
        _staff_only(200),
    ),
    "GET /press/releases/<draft>/edit/": (
        "get",
        lambda w: f"/press/releases/{w['draft'].pk}/edit/",
        None,
        _staff_only(200),
    ),
    "POST /press/releases/<draft>/edit/": (
        "post",
        lambda w: f"/press/releases/{w['draft'].pk}/edit/",
        lambda w: {
            "story": w["story"].pk,
            "segment": w["segment"].pk,
            "subject": "Changé",
            "pitch": "<p>Bonjour</p>",
        },
        _staff_only(302, True),
    ),
    "POST /press/releases/<draft>/send/": (
        "post",
        lambda w: f"/press/releases/{w['draft'].pk}/send/",
        None,
        _staff_only(302, True),
    ),
    "POST /press/releases/<sent>/send/": (
        "post",
        lambda w: f"/press/releases/{w['sent'].pk}/send/",
        None,
        _staff_only(302),
    ),
    "GET /press/contacts/": ("get", lambda w: "/press/contacts/", None, _staff_only(200)),
    "GET /press/contacts/new/": ("get", lambda w: "/press/contacts/new/", None, _staff_only(200)),
    "POST /press/contacts/new/": (
        "post",
        lambda w: "/press/contacts/new/",
        lambda w: CONTACT,
        _staff_only(302, True),
    ),
    "GET /press/contacts/import/": (
        "get",
        lambda w: "/press/contacts/import/",
        None,
        _staff_only(200),
    ),
    "POST /press/contacts/import/": (
        "post",
        lambda w: "/press/contacts/import/",
        lambda w: _csv(),
        _staff_only(200, True),
    ),
    "GET /press/contacts/<id>/": (
        "get",
        lambda w: f"/press/contacts/{w['contact'].pk}/",
        None,
        _staff_only(200),
    ),
    "POST /press/contacts/<id>/": (
        "post",
        lambda w: f"/press/contacts/{w['contact'].pk}/",
        lambda w: {**CONTACT, "email": "changed@media.example"},
        _staff_only(302, True),
    ),
    "GET /press/contacts/<id>/export/": (
        "get",
        lambda w: f"/press/contacts/{w['contact'].pk}/export/",
        None,
        _staff_only(200),
    ),
    "POST /press/contacts/<id>/erase/": (
        "post",
        lambda w: f"/press/contacts/{w['contact'].pk}/erase/",
        None,
        _staff_only(302, True),
    ),
    # The contact's own link: no account needed, the signed token is the proof.
    "GET /press/unsubscribe/<token>/": (
        "get",
        lambda w: f"/press/unsubscribe/{w['token']}/",
        None,
        _everyone(200),
    ),
    "POST /press/unsubscribe/<token>/": (
        "post",
        lambda w: f"/press/unsubscribe/{w['token']}/",
        None,
        _everyone(200, True),
    ),
    "POST /press/unsubscribe/<forged>/": (
        "post",
        lambda w: "/press/unsubscribe/forged/",
        None,
        _everyone(400),
    ),
}
ROWS = [
    pytest.param(name, role, *OPS[name][3][role], id=f"{name}-{role}")
    for name in OPS
    for role in ROLES
]


@pytest.mark.parametrize(("name", "role", "status", "changes"), ROWS)
def test_press_authorization_matrix(world, name, role, status, changes):
    method, path, data, _table = OPS[name]
    client = world["clients"][role]
    before = snapshot()
    if method == "post":
        response = client.post(path(world), data(world) if data else {})
    else:
        response = client.get(path(world))
    after = snapshot()
    if status == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == status, response.content[:300]
    if changes:
        assert changed(before, after), "answered as done but changed nothing"
    else:
        assert not changed(before, after), f"changed {changed(before, after)}"


def test_the_matrix_covers_every_press_page(world):
    """A page added later without its rows fails here."""
    pages = {f"press:{pattern.name}" for pattern in press_urls.urlpatterns}
    in_matrix = {resolve(OPS[name][1](world)).view_name for name in OPS}
    assert pages - in_matrix == set()


@pytest.mark.parametrize("role", [MEMBER, CONTRIB, AMB])
def test_the_services_refuse_non_staff(world, role):
    from core.errors import NotAllowed

    actor = world["people"][role]
    with pytest.raises(NotAllowed):
        releases.send_release(actor=actor, release=world["draft"])
    with pytest.raises(NotAllowed):
        contacts.export_contact(actor=actor, contact=world["contact"])
    with pytest.raises(NotAllowed):
        contacts.erase_contact(actor=actor, contact=world["contact"])
