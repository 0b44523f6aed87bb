"""The directory's `listed` flag: true exactly while the member's licence is valid, through
approval, expiry, renewal, revocation and erasure; and the directory it serves finds what the
query on the licences found."""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from ambassadors import selectors
from ambassadors.models import Licence, Profile
from ambassadors.personal_data import erase_personal_data
from ambassadors.services import licences
from ambassadors.tasks import refresh_listed_task
from content.models import Area
from core.errors import Conflict, NotAllowed
from tests.ambassadors.factories import ambassador, charter, staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def listed(user) -> bool:
    return Profile.objects.get(user=user).listed


def valid(user) -> bool:
    return Licence.objects.get(holder=user).is_valid()


def test_an_approved_application_lists_its_member():
    charter(1)
    applicant = UserFactory()
    application = licences.submit_application(
        actor=applicant,
        motivation="J'aime la presqu'île et je veux la faire connaître.",
        charter_version=1,
    )
    licences.decide_application(actor=staff(), application=application, decision="approve")
    assert listed(applicant)
    assert selectors.get_profile_for(None, applicant.username) is not None


def test_the_daily_task_unlists_expired_licences_and_lists_started_ones():
    expiring, starting, staying = ambassador(), ambassador(), ambassador()
    Licence.objects.filter(holder=expiring).update(expires_on=TODAY() - timedelta(days=1))
    Licence.objects.filter(holder=starting).update(starts_on=TODAY() + timedelta(days=1))
    Profile.objects.filter(user=starting).update(listed=False)
    assert refresh_listed_task.delay().get() == 1  # the expired one; the other starts tomorrow
    assert [listed(u) for u in (expiring, starting, staying)] == [False, False, True]
    assert licences.refresh_listed(today=TODAY() + timedelta(days=1)) == 1
    assert listed(starting)
    for user in (expiring, starting, staying):
        assert listed(user) == Licence.objects.get(holder=user).is_valid(
            TODAY() + timedelta(days=1)
        )


def test_renewing_an_expired_licence_lists_its_member_again():
    user = ambassador(expired=True)
    licence = Licence.objects.get(holder=user)
    assert not listed(user)
    renewed = licences.renew_licence(actor=staff(), licence=licence)
    assert renewed.expires_on == TODAY() + timedelta(days=licences.licence_days())
    assert renewed.starts_on == licence.starts_on  # still a veteran
    assert listed(user) and valid(user)


def test_renewing_a_running_licence_extends_it_from_its_expiry():
    user = ambassador()
    licence = Licence.objects.get(holder=user)
    renewed = licences.renew_licence(actor=staff(), licence=licence)
    assert renewed.expires_on == licence.expires_on + timedelta(days=licences.licence_days())
    assert listed(user)


def test_revoking_unlists_at_once_and_a_revoked_licence_is_not_renewed():
    user = ambassador()
    licence = Licence.objects.get(holder=user)
    licences.revoke_licence(actor=staff(), licence=licence)
    assert not listed(user) and not valid(user)
    assert selectors.get_profile_for(None, user.username) is None
    with pytest.raises(Conflict):
        licences.renew_licence(actor=staff(), licence=licence)
    with pytest.raises(Conflict):
        licences.revoke_licence(actor=staff(), licence=licence)
    assert not listed(user)


@pytest.mark.parametrize("service", ["revoke_licence", "renew_licence"])
@pytest.mark.parametrize("who", ["member", "ambassador", "holder"])
def test_only_other_staff_revoke_or_renew(service, who):
    holder = ambassador()
    if who == "holder":
        holder.is_staff = True
        holder.save(update_fields=["is_staff"])
    actor = {"member": UserFactory, "ambassador": ambassador, "holder": lambda: holder}[who]()
    licence = Licence.objects.get(holder=holder)
    with pytest.raises(NotAllowed):
        getattr(licences, service)(actor=actor, licence=licence)
    assert Licence.objects.get(pk=licence.pk).expires_on == licence.expires_on
    assert listed(holder)


def test_erasing_a_member_takes_their_listing_with_them():
    user = ambassador()
    erase_personal_data(user)
    assert not Profile.objects.filter(user=user).exists()
    assert selectors.search_ambassadors(None)[0] == []


# The directory against the query it replaced ------------------------------------------------


def licence_query(viewer, *, q="", area="", tag="", skill="", language=""):
    """The directory's query before the flag: a join on the licence, joins on the tags,
    DISTINCT; every match, newest first."""
    levels = selectors.visible_levels(viewer)

    def shown(field):
        return Q() if levels is None else Q(**{f"{field}_visibility__in": levels})

    profiles = Profile.objects.filter(
        Licence.valid_q("user__ambassador_licence__"), user__is_active=True
    )
    if q:
        profiles = profiles.filter(
            Q(user__display_name__icontains=q)
            | Q(user__username__icontains=q)
            | (Q(headline__icontains=q) & shown("headline"))
            | (Q(town__icontains=q) & shown("town"))
        )
    if area:
        found = Area.objects.filter(slug=area).first()
        ids = found.descendant_ids() if found else []
        profiles = profiles.filter(Q(areas__in=ids) & shown("areas"))
    if tag:
        profiles = profiles.filter(
            (Q(interests__name__iexact=tag) & shown("interests"))
            | (Q(skills__name__iexact=tag) & shown("skills"))
        )
    if skill:
        profiles = profiles.filter(Q(skills__name__iexact=skill) & shown("skills"))
    if language:
        profiles = profiles.filter(Q(languages__contains=f",{language},") & shown("languages"))
    return list(profiles.distinct().order_by("-pk").values_list("pk", flat=True))


def all_pages(viewer, **filters):
    """Every profile the directory shows, page after page by cursor."""
    found, cursor = [], None
    while True:
        page, cursor = selectors.search_ambassadors(viewer, cursor=cursor, limit=3, **filters)
        found += [profile.pk for profile in page]
        if cursor is None:
            return found


@pytest.fixture
def varied_directory():
    """Members in every state a licence and a profile can be in."""
    coast = Area.objects.create(name="Côte", slug="cote", kind=Area.Kind.COMMUNE)
    kerlann = Area.objects.create(
        name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE, parent=coast
    )
    inland = Area.objects.create(name="Argoat", slug="argoat", kind=Area.Kind.COMMUNE)
    visibilities = ["public", "members", "private"]
    people = []
    for n in range(18):
        user = ambassador(
            UserFactory(display_name=f"Nom{n} Breton" if n % 4 else f"Nom{n} Gallo"),
            visibility=visibilities[n % 3],
            headline="Guide de la côte" if n % 5 == 0 else "",
            town="Kerlann" if n % 2 else "Lannion",
            languages=",fr,en," if n % 3 == 1 else ",fr,",
            interests_visibility=visibilities[(n + 1) % 3],
        )
        profile = user.ambassador_profile
        profile.areas.add([coast, kerlann, inland][n % 3])
        if n % 7 == 0:
            profile.areas.add(coast)  # an area and, for some, one inside it
        profile.interests.add("Voile" if n % 2 else "voile", "cuisine")
        if n % 4 == 1:
            profile.skills.add("voile")
        people.append(user)
    admin = staff()
    licences.revoke_licence(actor=admin, licence=Licence.objects.get(holder=people[2]))
    Licence.objects.filter(holder=people[3]).update(expires_on=TODAY() - timedelta(days=2))
    Licence.objects.filter(holder=people[4]).update(status=Licence.Status.SUSPENDED)
    Licence.objects.filter(holder=people[5]).update(starts_on=TODAY() + timedelta(days=3))
    licences.refresh_listed()
    licences.renew_licence(actor=admin, licence=Licence.objects.get(holder=people[3]))
    people[6].is_active = False
    people[6].save(update_fields=["is_active"])
    ambassador(UserFactory(display_name="Nom99 Expiré"), expired=True)
    return {"people": people, "staff": admin}


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"q": "breton"},
        {"q": "guide"},
        {"q": "kerlann"},
        {"area": "cote"},
        {"area": "kerlann"},
        {"area": "argoat"},
        {"area": "inconnue"},
        {"tag": "voile"},
        {"tag": "VOILE"},
        {"tag": "cuisine"},
        {"tag": "ski"},
        {"skill": "voile"},
        {"language": "en"},
        {"area": "cote", "tag": "voile", "language": "fr"},
        {"q": "nom1", "area": "cote"},
    ],
)
@pytest.mark.parametrize("viewer", ["anonymous", "member", "staff"])
def test_the_directory_finds_what_the_licence_query_found(varied_directory, filters, viewer):
    viewer = {
        "anonymous": None,
        "member": UserFactory(),
        "staff": varied_directory["staff"],
    }[viewer]
    assert all_pages(viewer, **filters) == licence_query(viewer, **filters)


def test_the_map_markers_are_cached_and_forgotten_when_a_profile_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    user = ambassador(visibility="public", town="Kerlann", latitude="48.69", longitude="-4.02")
    assert [m["town"] for m in selectors.map_markers(None)] == ["Kerlann"]
    with django_assert_num_queries(0):
        assert [m["town"] for m in selectors.map_markers(None)] == ["Kerlann"]
    profile = user.ambassador_profile
    profile.town = "Lannion"
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    assert [m["town"] for m in selectors.map_markers(None)] == ["Lannion"]
    with django_capture_on_commit_callbacks(execute=True):
        licences.revoke_licence(actor=staff(), licence=Licence.objects.get(holder=user))
    assert selectors.map_markers(None) == []


def test_a_change_of_name_reaches_the_map(django_capture_on_commit_callbacks):
    user = ambassador(visibility="public", town="Kerlann", latitude="48.69", longitude="-4.02")
    selectors.map_markers(None)
    user.display_name = "Anne Nouvelle"
    with django_capture_on_commit_callbacks(execute=True):
        user.save(update_fields=["display_name"])
    assert selectors.map_markers(None)[0]["name"] == "Anne Nouvelle"
