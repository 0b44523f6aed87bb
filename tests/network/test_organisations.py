"""Organisation services: creating, editing, members and roles, the agency's badge."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.utils import timezone, translation

from content.models import Area
from core.errors import Conflict, InvalidInput, NotAllowed, RateLimited
from network.models import Organisation, OrganisationMembership
from network.services import organisations as services
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory, add_organisation_member

pytestmark = pytest.mark.django_db

Role = OrganisationMembership.Role

# OWASP filter-evasion vectors: none may leave a script, an event handler or a dangerous URL.
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<svg/onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<<SCRIPT>alert(1);//<</SCRIPT>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<body onload=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
]


def assert_harmless(html: str):
    lowered = html.lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "vbscript:",
        "data:",
        "<iframe",
        "<svg",
        "style=",
    ):
        assert needle not in lowered, (needle, html)


def suspended_member():
    return UserFactory(suspended_until=timezone.now() + timedelta(days=3))


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def organisation(owner):
    organisation = OrganisationFactory(name="Boulangerie du Port")
    add_organisation_member(organisation, owner, role=Role.OWNER)
    return organisation


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


# Creating ---------------------------------------------------------------------------------


def test_a_member_creates_an_organisation_and_becomes_its_owner(user):
    area = Area.objects.create(name="Port-Morvellec", slug="port-morvellec", kind="commune")
    organisation = services.create_organisation(
        actor=user,
        name="Hôtel des Dunes",
        sector="tourism",
        area=area,
        description="<p>Face à la mer.</p>",
        website="https://hoteldesdunes.example",
        latitude=Decimal("48.69410"),
        longitude=Decimal("-4.02150"),
        tags=["mer", "hébergement", "mer"],
    )
    assert organisation.slug == "hotel-des-dunes"
    assert organisation.area == area
    assert organisation.verified is False
    assert sorted(t.name for t in organisation.tags.all()) == ["hébergement", "mer"]
    assert organisation.memberships.get().user == user
    assert organisation.memberships.get().role == Role.OWNER


def test_two_organisations_with_the_same_name_get_different_addresses(user):
    first = services.create_organisation(actor=user, name="Atelier", sector="retail")
    second = services.create_organisation(actor=user, name="Atelier", sector="retail")
    assert (first.slug, second.slug) == ("atelier", "atelier-2")


def test_an_organisation_named_new_does_not_hide_the_creation_page(user):
    organisation = services.create_organisation(actor=user, name="New", sector="retail")
    assert organisation.slug != "new"


def test_a_suspended_member_cannot_create_an_organisation():
    with pytest.raises(NotAllowed):
        services.create_organisation(actor=suspended_member(), name="X", sector="food")
    assert not Organisation.objects.exists()


def test_creating_organisations_too_fast_is_limited(user):
    for number in range(services.CREATE_LIMIT):
        services.create_organisation(actor=user, name=f"Maison {number}", sector="food")
    with pytest.raises(RateLimited):
        services.create_organisation(actor=user, name="One too many", sector="food")
    assert Organisation.objects.count() == services.CREATE_LIMIT


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_in_the_description_is_stored_harmless(user, vector):
    organisation = services.create_organisation(
        actor=user, name="Maison", sector="food", description=f"<p>Bonjour</p>{vector}"
    )
    organisation.refresh_from_db()
    assert_harmless(organisation.description)


def test_links_in_the_description_get_a_safe_rel(user):
    organisation = services.create_organisation(
        actor=user, name="Maison", sector="food", description='<a href="https://ok.example">ok</a>'
    )
    assert 'rel="nofollow ugc noopener"' in organisation.description


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "sector": "food"}, "name"),
        ({"name": "<b></b>", "sector": "food"}, "name"),
        ({"name": "x" * 121, "sector": "food"}, "too long"),
        ({"name": "X", "sector": "weapons"}, "sector"),
        ({"name": "X", "sector": "food", "website": "javascript:alert(1)"}, "https://"),
        ({"name": "X", "sector": "food", "website": "ftp://files.example"}, "https://"),
        ({"name": "X", "sector": "food", "email": "not-an-address"}, "e-mail"),
        ({"name": "X", "sector": "food", "latitude": "91", "longitude": "0"}, "latitude"),
        ({"name": "X", "sector": "food", "latitude": "0", "longitude": "-181"}, "longitude"),
        ({"name": "X", "sector": "food", "latitude": "abc", "longitude": "1"}, "number"),
        ({"name": "X", "sector": "food", "latitude": "48.7"}, "both"),
        ({"name": "X", "sector": "food", "tags": [f"t{n}" for n in range(11)]}, "tags"),
        ({"name": "X", "sector": "food", "description": "x" * 5001}, "too long"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_created(user, fields, message):
    with translation.override("en"), pytest.raises(InvalidInput) as error:
        services.create_organisation(actor=user, **fields)
    assert message in str(error.value.message)
    assert not Organisation.objects.exists()


def test_verified_is_not_a_field_members_can_set(user):
    with pytest.raises(ValueError):
        services.create_organisation(actor=user, name="X", sector="food", verified=True)


# Editing -------------------------------------------------------------------------------------


def test_an_owner_edits_the_organisation_and_its_address_stays(organisation, owner):
    services.update_organisation(
        actor=owner,
        organisation=organisation,
        name="Boulangerie du Vieux Port",
        description="<p>Pain <em>au levain</em><script>x</script></p>",
        tags=["pain"],
    )
    organisation.refresh_from_db()
    assert organisation.name == "Boulangerie du Vieux Port"
    assert organisation.slug == "boulangerie-du-port"
    assert organisation.description == "<p>Pain <em>au levain</em>x</p>"
    assert [t.name for t in organisation.tags.all()] == ["pain"]


@pytest.mark.parametrize("who", ["plain member", "organisation member", "suspended owner"])
def test_only_active_owners_edit_and_nothing_changes_otherwise(organisation, owner, who):
    if who == "plain member":
        actor = UserFactory()
    elif who == "organisation member":
        actor = add_organisation_member(organisation).user
    else:
        actor = owner
        actor.suspended_until = timezone.now() + timedelta(days=1)
        actor.save()
    with pytest.raises(NotAllowed):
        services.update_organisation(actor=actor, organisation=organisation, name="Pirated")
    organisation.refresh_from_db()
    assert organisation.name == "Boulangerie du Port"


def test_agency_moderators_may_edit_any_organisation(organisation):
    moderator = UserFactory()
    moderator.groups.add(AuthGroup.objects.get_or_create(name="Moderators")[0])
    services.update_organisation(actor=moderator, organisation=organisation, phone="02 98 00 00 00")
    organisation.refresh_from_db()
    assert organisation.phone == "02 98 00 00 00"


def test_clearing_the_coordinates_needs_both(organisation, owner):
    services.update_organisation(
        actor=owner, organisation=organisation, latitude="48.7", longitude="-3.9"
    )
    with pytest.raises(InvalidInput):
        services.update_organisation(actor=owner, organisation=organisation, latitude=None)
    services.update_organisation(
        actor=owner, organisation=organisation, latitude=None, longitude=None
    )
    organisation.refresh_from_db()
    assert organisation.latitude is None and organisation.longitude is None


# The agency's badge -------------------------------------------------------------------------


def test_staff_verify_an_organisation(organisation, staff):
    services.set_verified(actor=staff, organisation=organisation, verified=True)
    organisation.refresh_from_db()
    assert organisation.verified is True
    services.set_verified(actor=staff, organisation=organisation, verified=False)
    organisation.refresh_from_db()
    assert organisation.verified is False


def test_an_owner_cannot_verify_their_own_organisation(organisation, owner):
    with pytest.raises(NotAllowed):
        services.set_verified(actor=owner, organisation=organisation, verified=True)
    organisation.refresh_from_db()
    assert organisation.verified is False


# Members ------------------------------------------------------------------------------------


def test_an_owner_adds_a_member_by_username_who_may_belong_to_several(organisation, owner):
    nina = UserFactory(username="nina")
    other = OrganisationFactory(name="Hôtel des Dunes")
    add_organisation_member(other, nina, role=Role.OWNER)
    membership = services.add_organisation_member(
        actor=owner, organisation=organisation, username="NINA", title="Vendeuse"
    )
    assert membership.user == nina and membership.role == Role.MEMBER
    assert membership.title == "Vendeuse"
    assert set(nina.organisations.values_list("name", flat=True)) == {
        "Boulangerie du Port",
        "Hôtel des Dunes",
    }


def test_adding_an_unknown_or_existing_member_is_refused(organisation, owner):
    with pytest.raises(InvalidInput):
        services.add_organisation_member(actor=owner, organisation=organisation, username="ghost")
    with pytest.raises(Conflict):
        services.add_organisation_member(
            actor=owner, organisation=organisation, username=owner.username
        )


def test_a_member_cannot_add_members(organisation):
    member = add_organisation_member(organisation).user
    outsider = UserFactory()
    with pytest.raises(NotAllowed):
        services.add_organisation_member(
            actor=member, organisation=organisation, username=outsider.username
        )
    assert not organisation.memberships.filter(user=outsider).exists()


def test_an_owner_promotes_a_member_and_the_last_owner_cannot_step_down(organisation, owner):
    member = add_organisation_member(organisation).user
    with pytest.raises(Conflict):
        services.set_organisation_member_role(
            actor=owner, organisation=organisation, user=owner, role=Role.MEMBER
        )
    services.set_organisation_member_role(
        actor=owner, organisation=organisation, user=member, role=Role.OWNER
    )
    services.set_organisation_member_role(
        actor=owner, organisation=organisation, user=owner, role=Role.MEMBER
    )
    roles = dict(organisation.memberships.values_list("user_id", "role"))
    assert roles == {member.pk: Role.OWNER, owner.pk: Role.MEMBER}


def test_a_member_leaves_but_the_last_owner_cannot(organisation, owner):
    member = add_organisation_member(organisation).user
    services.remove_organisation_member(actor=member, organisation=organisation, user=member)
    assert not organisation.memberships.filter(user=member).exists()
    with pytest.raises(Conflict):
        services.remove_organisation_member(actor=owner, organisation=organisation, user=owner)
    assert organisation.memberships.filter(user=owner).exists()


def test_a_member_cannot_remove_another(organisation, owner):
    member = add_organisation_member(organisation).user
    with pytest.raises(NotAllowed):
        services.remove_organisation_member(actor=member, organisation=organisation, user=owner)
    assert organisation.memberships.count() == 2
