"""The group services: creation, joining, leaving, join requests, invitations and the
moderators' tools. Every refusal leaves the database as it was."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from content.models import Area
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound, RateLimited
from network import signals
from network.models import (
    Group,
    GroupBan,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
    Sector,
)
from network.services import groups as services
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, add_member

pytestmark = pytest.mark.django_db

Role = GroupMembership.Role
Visibility = Group.Visibility
Policy = Group.JoinPolicy


@pytest.fixture
def received():
    """Signals sent by the services, as (signal name, kwargs) in order."""
    caught = []
    receivers = {}
    for name in (
        "join_requested",
        "join_request_decided",
        "member_invited",
        "member_joined",
    ):

        def receiver(sender, _name=name, **kwargs):
            kwargs.pop("signal", None)
            caught.append((_name, kwargs))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver, weak=False)
    yield caught
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def fresh(user):
    """The same member without the per-request membership cache."""
    return type(user).objects.get(pk=user.pk)


def member_count(group):
    group.refresh_from_db()
    return group.member_count


def suspended_user():
    return UserFactory(suspended_until=timezone.now() + timedelta(days=3))


# Creating and editing ------------------------------------------------------------------------


def test_the_creator_becomes_owner_and_the_count_starts_at_one(
    django_capture_on_commit_callbacks, received
):
    creator = UserFactory()
    area = Area.objects.create(name="Morvellec", slug="morvellec", kind="commune")
    with django_capture_on_commit_callbacks(execute=True):
        group = services.create_group(
            actor=creator,
            name="Club des entrepreneurs",
            description="<p>Pour <strong>entreprendre</strong></p>",
            visibility=Visibility.PRIVATE,
            join_policy=Policy.REQUEST,
            area=area,
            sector=Sector.SERVICES,
            tags=["réseau", "entreprise"],
        )
    assert group.slug == "club-des-entrepreneurs"
    assert group.member_count == 1
    assert group.memberships.get().user == creator
    assert group.memberships.get().role == Role.OWNER
    assert sorted(group.tags.names()) == ["entreprise", "réseau"]
    assert group.created_by == creator
    assert [name for name, _kwargs in received] == ["member_joined"]


def test_group_description_is_sanitised():
    group = services.create_group(
        actor=UserFactory(),
        name="XSS",
        description=(
            '<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">l</a></p>'
        ),
        visibility=Visibility.PUBLIC,
        join_policy=Policy.OPEN,
    )
    assert "script" not in group.description
    assert "onclick" not in group.description
    assert "javascript:" not in group.description


def test_slugs_stay_unique_and_avoid_the_directory_pages():
    actor = UserFactory()
    first = services.create_group(
        actor=actor, name="Tourisme", visibility="public", join_policy="open"
    )
    second = services.create_group(
        actor=actor, name="Tourisme", visibility="public", join_policy="open"
    )
    reserved = services.create_group(
        actor=actor, name="New", visibility="public", join_policy="open"
    )
    assert (first.slug, second.slug) == ("tourisme", "tourisme-2")
    assert reserved.slug not in services.RESERVED_SLUGS


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"name": "<b></b>"},
        {"name": "x" * 121},
        {"visibility": "everyone"},
        {"join_policy": "whoever"},
        {"sector": "mining"},
        {"tags": [f"t{i}" for i in range(11)]},
        {"description": "x" * 5001},
    ],
)
def test_bad_group_fields_are_refused(fields):
    values = {"name": "Groupe", "visibility": "public", "join_policy": "open", **fields}
    with pytest.raises(InvalidInput):
        services.create_group(actor=UserFactory(), **values)
    assert not Group.objects.exists()


@pytest.mark.parametrize("kind", ["anonymous", "suspended", "inactive"])
def test_only_members_in_good_standing_create_groups(kind):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "anonymous": AnonymousUser,
        "suspended": suspended_user,
        "inactive": lambda: UserFactory(is_active=False),
    }[kind]()
    with pytest.raises(NotAllowed):
        services.create_group(actor=actor, name="G", visibility="public", join_policy="open")
    assert not Group.objects.exists()


def test_creating_groups_is_rate_limited(monkeypatch):
    monkeypatch.setattr(services.common, "CREATE_LIMIT", 2)
    actor = UserFactory()
    for number in range(2):
        services.create_group(
            actor=actor, name=f"G{number}", visibility="public", join_policy="open"
        )
    with pytest.raises(RateLimited):
        services.create_group(actor=actor, name="G3", visibility="public", join_policy="open")
    assert Group.objects.count() == 2


def test_owners_and_staff_update_a_group():
    group = GroupFactory()
    owner = add_member(group, role=Role.OWNER).user
    services.update_group(actor=owner, group=group, name="Nouveau nom", tags=["a"])
    services.update_group(actor=UserFactory(is_staff=True), group=group, join_policy="request")
    group.refresh_from_db()
    assert (group.name, group.join_policy, group.tags.names()[0]) == ("Nouveau nom", "request", "a")


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.MEMBER, None])
def test_other_members_cannot_update_a_group(role):
    group = GroupFactory(name="Avant")
    actor = add_member(group, role=role).user if role else UserFactory()
    with pytest.raises(NotAllowed):
        services.update_group(actor=actor, group=group, name="Après")
    group.refresh_from_db()
    assert group.name == "Avant"


def test_update_refuses_unknown_fields():
    group = GroupFactory()
    owner = add_member(group, role=Role.OWNER).user
    with pytest.raises(InvalidInput):
        services.update_group(actor=owner, group=group, member_count=999)


def test_a_secret_group_is_not_found_by_outsiders_who_try_to_update_it():
    group = GroupFactory(visibility=Visibility.SECRET)
    with pytest.raises(NotFound):
        services.update_group(actor=UserFactory(), group=group, name="x")


# Joining -------------------------------------------------------------------------------------


def test_joining_an_open_group_makes_a_member(django_capture_on_commit_callbacks, received):
    group = GroupFactory()
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.join_group(actor=user, group=group)
    assert membership.role == Role.MEMBER
    assert member_count(group) == 1
    assert received == [("member_joined", {"membership": membership, "actor": user})]


def test_joining_an_on_request_group_creates_a_pending_request(
    django_capture_on_commit_callbacks, received
):
    group = GroupFactory(join_policy=Policy.REQUEST)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        join_request = services.join_group(actor=user, group=group, message="<b>Bonjour</b>")
    assert isinstance(join_request, JoinRequest)
    assert join_request.status == JoinRequest.Status.PENDING
    assert join_request.message == "Bonjour"
    assert not group.memberships.exists()
    assert received == [("join_requested", {"join_request": join_request})]


def test_only_one_pending_request_per_member():
    group = GroupFactory(join_policy=Policy.REQUEST)
    user = UserFactory()
    services.join_group(actor=user, group=group)
    with pytest.raises(Conflict):
        services.join_group(actor=user, group=group)
    assert JoinRequest.objects.count() == 1


def test_an_invite_only_group_refuses_to_be_joined_without_invitation():
    group = GroupFactory(join_policy=Policy.INVITE)
    with pytest.raises(NotAllowed):
        services.join_group(actor=UserFactory(), group=group)
    assert member_count(group) == 0


def test_an_invited_member_joins_an_invite_only_group():
    group = GroupFactory(join_policy=Policy.INVITE, visibility=Visibility.SECRET)
    moderator = add_member(group, role=Role.MODERATOR).user
    guest = UserFactory()
    invitation, _token = services.invite_to_group(
        actor=moderator, group=group, username=guest.username
    )
    services.join_group(actor=guest, group=group)
    invitation.refresh_from_db()
    assert invitation.used_by == guest
    assert group.memberships.filter(user=guest).exists()


def test_an_invitation_by_email_counts_for_a_verified_address():
    group = GroupFactory(join_policy=Policy.INVITE)
    moderator = add_member(group, role=Role.MODERATOR).user
    guest = UserFactory(email="guest@example.org")
    services.invite_to_group(actor=moderator, group=group, email="Guest@Example.org")
    services.join_group(actor=guest, group=group)
    assert group.memberships.filter(user=guest).exists()


def test_joining_twice_is_a_conflict():
    group = GroupFactory()
    user = add_member(group).user
    with pytest.raises(Conflict):
        services.join_group(actor=fresh(user), group=group)
    assert member_count(group) == 1


def test_a_banned_member_cannot_join():
    group = GroupFactory()
    user = UserFactory()
    GroupBan.objects.create(group=group, user=user)
    with pytest.raises(NotAllowed):
        services.join_group(actor=user, group=group)
    assert not group.memberships.exists()


def test_a_secret_group_is_not_found_by_outsiders_who_try_to_join():
    group = GroupFactory(visibility=Visibility.SECRET)
    with pytest.raises(NotFound):
        services.join_group(actor=UserFactory(), group=group)
    assert not group.memberships.exists()


def test_a_suspended_member_cannot_join():
    group = GroupFactory()
    with pytest.raises(NotAllowed):
        services.join_group(actor=suspended_user(), group=group)
    assert not group.memberships.exists()


def test_a_join_message_that_is_too_long_is_refused():
    group = GroupFactory(join_policy=Policy.REQUEST)
    with pytest.raises(InvalidInput):
        services.join_group(actor=UserFactory(), group=group, message="x" * 1001)
    assert not JoinRequest.objects.exists()


def test_joining_is_rate_limited(monkeypatch):
    monkeypatch.setattr(services.common, "JOIN_LIMIT", 2)
    user = UserFactory()
    for _number in range(2):
        services.join_group(actor=user, group=GroupFactory())
    with pytest.raises(RateLimited):
        services.join_group(actor=user, group=GroupFactory())
    assert GroupMembership.objects.filter(user=user).count() == 2


def test_a_requester_withdraws_their_request():
    group = GroupFactory(join_policy=Policy.REQUEST)
    user = UserFactory()
    services.join_group(actor=user, group=group)
    services.withdraw_join_request(actor=user, group=group)
    assert not JoinRequest.objects.exists()
    with pytest.raises(Conflict):
        services.withdraw_join_request(actor=user, group=group)


# Leaving -------------------------------------------------------------------------------------


def test_a_member_leaves():
    group = GroupFactory()
    user = add_member(group).user
    add_member(group, role=Role.OWNER)
    services.leave_group(actor=fresh(user), group=group)
    assert not group.memberships.filter(user=user).exists()
    assert member_count(group) == 1


def test_the_last_owner_cannot_leave():
    group = GroupFactory()
    owner = add_member(group, role=Role.OWNER).user
    add_member(group)
    with pytest.raises(Conflict):
        services.leave_group(actor=owner, group=group)
    assert group.memberships.filter(user=owner, role=Role.OWNER).exists()
    assert member_count(group) == 2


def test_an_owner_may_leave_when_another_owner_remains():
    group = GroupFactory()
    owner = add_member(group, role=Role.OWNER).user
    add_member(group, role=Role.OWNER)
    services.leave_group(actor=owner, group=group)
    assert member_count(group) == 1


def test_leaving_a_group_one_is_not_in_is_a_conflict():
    with pytest.raises(Conflict):
        services.leave_group(actor=UserFactory(), group=GroupFactory())


def test_a_suspended_member_may_still_leave():
    group = GroupFactory()
    user = suspended_user()
    add_member(group, user)
    services.leave_group(actor=fresh(user), group=group)
    assert member_count(group) == 0


# Join requests -------------------------------------------------------------------------------


@pytest.fixture
def request_group():
    group = GroupFactory(join_policy=Policy.REQUEST)
    moderator = add_member(group, role=Role.MODERATOR).user
    requester = UserFactory()
    join_request = services.join_group(actor=requester, group=group, message="Bonjour")
    return group, moderator, requester, join_request


def test_a_moderator_approves_a_request(
    request_group, django_capture_on_commit_callbacks, received
):
    group, moderator, requester, join_request = request_group
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide_join_request(
            actor=moderator, join_request=join_request, approve=True
        )
    assert decided.status == JoinRequest.Status.APPROVED
    assert decided.decided_by == moderator
    assert group.memberships.filter(user=requester, role=Role.MEMBER).exists()
    assert member_count(group) == 2
    names = [name for name, _kwargs in received]
    assert names == ["member_joined", "join_request_decided"]
    assert received[1][1]["approved"] is True


def test_a_moderator_declines_a_request_with_a_reason(
    request_group, django_capture_on_commit_callbacks, received
):
    group, moderator, requester, join_request = request_group
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_join_request(
            actor=moderator, join_request=join_request, approve=False, reason="<i>Complet</i>"
        )
    join_request.refresh_from_db()
    assert (join_request.status, join_request.reason) == (JoinRequest.Status.DECLINED, "Complet")
    assert not group.memberships.filter(user=requester).exists()
    assert received == [
        (
            "join_request_decided",
            {"join_request": join_request, "actor": moderator, "approved": False},
        )
    ]


def test_a_declined_member_may_ask_again(request_group):
    group, moderator, requester, join_request = request_group
    services.decide_join_request(actor=moderator, join_request=join_request, approve=False)
    again = services.join_group(actor=requester, group=group)
    assert again.status == JoinRequest.Status.PENDING


@pytest.mark.parametrize("who", ["member", "outsider", "requester", "suspended_moderator"])
def test_only_moderators_decide_requests(request_group, who):
    group, _moderator, requester, join_request = request_group
    if who == "member":
        actor = add_member(group).user
    elif who == "outsider":
        actor = UserFactory()
    elif who == "requester":
        actor = requester
    else:
        actor = add_member(group, suspended_user(), role=Role.MODERATOR).user
    with pytest.raises(NotAllowed):
        services.decide_join_request(actor=actor, join_request=join_request, approve=True)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING
    assert not group.memberships.filter(user=requester).exists()


def test_staff_decide_requests_of_any_group(request_group):
    group, _moderator, requester, join_request = request_group
    services.decide_join_request(
        actor=UserFactory(is_staff=True), join_request=join_request, approve=True
    )
    assert group.memberships.filter(user=requester).exists()


def test_a_request_is_decided_once(request_group):
    _group, moderator, _requester, join_request = request_group
    services.decide_join_request(actor=moderator, join_request=join_request, approve=False)
    with pytest.raises(Conflict):
        services.decide_join_request(actor=moderator, join_request=join_request, approve=True)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED


def test_a_reason_that_is_too_long_is_refused(request_group):
    _group, moderator, _requester, join_request = request_group
    with pytest.raises(InvalidInput):
        services.decide_join_request(
            actor=moderator, join_request=join_request, approve=False, reason="x" * 1001
        )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


# Invitations ---------------------------------------------------------------------------------


@pytest.fixture
def invite_group():
    group = GroupFactory(join_policy=Policy.INVITE, visibility=Visibility.PRIVATE)
    moderator = add_member(group, role=Role.MODERATOR).user
    return group, moderator


def test_an_invitation_stores_only_the_hash_of_its_token(
    invite_group, django_capture_on_commit_callbacks, received
):
    group, moderator = invite_group
    guest = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw_token = services.invite_to_group(
            actor=moderator, group=group, username=guest.username
        )
    assert len(raw_token) >= 40
    assert invitation.token_hash == services.hash_token(raw_token)
    assert raw_token not in invitation.token_hash
    assert not GroupInvitation.objects.filter(token_hash=raw_token).exists()
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert invitation.invitee == guest
    assert received == [("member_invited", {"invitation": invitation, "actor": moderator})]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [guest.email]
    assert raw_token in mail.outbox[0].body


def test_an_invitation_by_email_sends_the_link(invite_group, django_capture_on_commit_callbacks):
    group, moderator = invite_group
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw_token = services.invite_to_group(
            actor=moderator, group=group, email="New.Person@Example.org"
        )
    assert invitation.email == "new.person@example.org"
    assert invitation.invitee is None
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert services.invitation_url(raw_token) in mail.outbox[0].body


def test_tokens_are_random(invite_group):
    group, moderator = invite_group
    tokens = {
        services.invite_to_group(actor=moderator, group=group, email=f"p{i}@example.org")[1]
        for i in range(5)
    }
    assert len(tokens) == 5


@pytest.mark.parametrize(
    ("username", "email", "error"),
    [
        (None, None, InvalidInput),
        ("someone", "someone@example.org", InvalidInput),
        (None, "not-an-address", InvalidInput),
        ("nobody-has-this-name", None, NotFound),
    ],
)
def test_bad_invitations_are_refused(invite_group, username, email, error):
    group, moderator = invite_group
    UserFactory(username="someone")
    with pytest.raises(error):
        services.invite_to_group(actor=moderator, group=group, username=username, email=email)
    assert not GroupInvitation.objects.exists()


def test_inviting_a_member_or_a_banned_user_is_a_conflict(invite_group):
    group, moderator = invite_group
    member = add_member(group).user
    banned = UserFactory()
    GroupBan.objects.create(group=group, user=banned)
    for user in (member, banned):
        with pytest.raises(Conflict):
            services.invite_to_group(actor=moderator, group=group, username=user.username)
    assert not GroupInvitation.objects.exists()


@pytest.mark.parametrize("who", ["member", "outsider", "suspended_moderator"])
def test_only_moderators_invite(invite_group, who):
    group, _moderator = invite_group
    actor = {
        "member": lambda: add_member(group).user,
        "outsider": UserFactory,
        "suspended_moderator": lambda: (
            add_member(group, suspended_user(), role=Role.MODERATOR).user
        ),
    }[who]()
    with pytest.raises(NotAllowed):
        services.invite_to_group(actor=actor, group=group, email="a@example.org")
    assert not GroupInvitation.objects.exists()


def test_inviting_is_rate_limited(invite_group, monkeypatch):
    group, moderator = invite_group
    monkeypatch.setattr(services.common, "INVITE_LIMIT", 2)
    for number in range(2):
        services.invite_to_group(actor=moderator, group=group, email=f"p{number}@example.org")
    with pytest.raises(RateLimited):
        services.invite_to_group(actor=moderator, group=group, email="p3@example.org")
    assert GroupInvitation.objects.count() == 2


def test_a_new_invitation_replaces_the_older_one(invite_group):
    group, moderator = invite_group
    guest = UserFactory()
    _first, old_token = services.invite_to_group(
        actor=moderator, group=group, username=guest.username
    )
    services.invite_to_group(actor=moderator, group=group, username=guest.username)
    with pytest.raises(Conflict):
        services.accept_invitation(actor=guest, raw_token=old_token)


def test_accepting_an_invitation_makes_a_member_once(invite_group):
    group, moderator = invite_group
    _invitation, raw_token = services.invite_to_group(
        actor=moderator, group=group, email="x@example.org"
    )
    first = UserFactory()
    membership = services.accept_invitation(actor=first, raw_token=raw_token)
    assert membership.user == first
    assert member_count(group) == 2
    with pytest.raises(Conflict):
        services.accept_invitation(actor=UserFactory(), raw_token=raw_token)
    assert member_count(group) == 2


def test_an_expired_invitation_is_refused(invite_group):
    group, moderator = invite_group
    invitation, raw_token = services.invite_to_group(
        actor=moderator, group=group, email="x@example.org"
    )
    GroupInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(Conflict):
        services.accept_invitation(actor=UserFactory(), raw_token=raw_token)
    assert member_count(group) == 1


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 300])
def test_a_wrong_token_is_not_found(token):
    with pytest.raises(NotFound):
        services.accept_invitation(actor=UserFactory(), raw_token=token)


def test_an_invitation_to_a_username_works_only_for_that_member(invite_group):
    group, moderator = invite_group
    guest = UserFactory()
    _invitation, raw_token = services.invite_to_group(
        actor=moderator, group=group, username=guest.username
    )
    with pytest.raises(NotAllowed):
        services.accept_invitation(actor=UserFactory(), raw_token=raw_token)
    assert member_count(group) == 1
    services.accept_invitation(actor=guest, raw_token=raw_token)
    assert member_count(group) == 2


def test_accepting_closes_a_pending_request():
    group = GroupFactory(join_policy=Policy.REQUEST)
    moderator = add_member(group, role=Role.MODERATOR).user
    guest = UserFactory()
    services.join_group(actor=guest, group=group)
    _invitation, raw_token = services.invite_to_group(
        actor=moderator, group=group, username=guest.username
    )
    services.accept_invitation(actor=guest, raw_token=raw_token)
    assert JoinRequest.objects.get().status == JoinRequest.Status.APPROVED


def test_a_banned_or_suspended_member_cannot_accept(invite_group):
    group, moderator = invite_group
    _invitation, raw_token = services.invite_to_group(
        actor=moderator, group=group, email="x@example.org"
    )
    banned = UserFactory()
    GroupBan.objects.create(group=group, user=banned)
    for actor in (banned, suspended_user()):
        with pytest.raises(NotAllowed):
            services.accept_invitation(actor=actor, raw_token=raw_token)
    assert member_count(group) == 1
    assert GroupInvitation.objects.get().used_at is None


# Removing, banning, roles --------------------------------------------------------------------


@pytest.fixture
def crew():
    group = GroupFactory()
    return {
        "group": group,
        "owner": add_member(group, role=Role.OWNER).user,
        "moderator": add_member(group, role=Role.MODERATOR).user,
        "member": add_member(group).user,
    }


def test_a_moderator_removes_a_member(crew):
    services.remove_member(actor=crew["moderator"], group=crew["group"], user=crew["member"])
    assert not crew["group"].memberships.filter(user=crew["member"]).exists()
    assert member_count(crew["group"]) == 2


def test_a_moderator_cannot_remove_an_owner(crew):
    with pytest.raises(NotAllowed):
        services.remove_member(actor=crew["moderator"], group=crew["group"], user=crew["owner"])
    assert member_count(crew["group"]) == 3


def test_an_owner_removes_another_owner_but_never_the_last(crew):
    group = crew["group"]
    second = add_member(group, role=Role.OWNER).user
    services.remove_member(actor=crew["owner"], group=group, user=second)
    assert member_count(group) == 3
    with pytest.raises(Conflict):
        services.remove_member(actor=UserFactory(is_staff=True), group=group, user=crew["owner"])
    assert group.memberships.filter(user=crew["owner"]).exists()


def test_staff_remove_an_owner_when_another_remains(crew):
    group = crew["group"]
    add_member(group, role=Role.OWNER)
    services.remove_member(actor=UserFactory(is_staff=True), group=group, user=crew["owner"])
    assert not group.memberships.filter(user=crew["owner"]).exists()


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_and_outsiders_cannot_remove(crew, who):
    actor = crew["member"] if who == "member" else UserFactory()
    target = crew["moderator"]
    with pytest.raises(NotAllowed):
        services.remove_member(actor=actor, group=crew["group"], user=target)
    assert member_count(crew["group"]) == 3


def test_removing_someone_who_is_not_a_member_is_not_found(crew):
    with pytest.raises(NotFound):
        services.remove_member(actor=crew["owner"], group=crew["group"], user=UserFactory())


def test_nobody_removes_themselves(crew):
    with pytest.raises(Conflict):
        services.remove_member(actor=crew["moderator"], group=crew["group"], user=crew["moderator"])


def test_a_ban_removes_the_member_and_keeps_them_out(crew):
    group, member = crew["group"], crew["member"]
    ban = services.ban_member(
        actor=crew["moderator"], group=group, user=member, reason="<b>Spam</b>"
    )
    assert ban.reason == "Spam"
    assert member_count(group) == 2
    with pytest.raises(NotAllowed):
        services.join_group(actor=fresh(member), group=group)
    with pytest.raises(Conflict):
        services.ban_member(actor=crew["moderator"], group=group, user=member)


def test_banning_declines_a_pending_request_and_voids_invitations():
    group = GroupFactory(join_policy=Policy.REQUEST)
    moderator = add_member(group, role=Role.MODERATOR).user
    requester = UserFactory()
    services.join_group(actor=requester, group=group)
    _invitation, raw_token = services.invite_to_group(
        actor=moderator, group=group, username=requester.username
    )
    services.ban_member(actor=moderator, group=group, user=requester)
    assert JoinRequest.objects.get().status == JoinRequest.Status.DECLINED
    with pytest.raises(Conflict):
        services.accept_invitation(actor=requester, raw_token=raw_token)


def test_a_moderator_cannot_ban_an_owner(crew):
    with pytest.raises(NotAllowed):
        services.ban_member(actor=crew["moderator"], group=crew["group"], user=crew["owner"])
    assert not GroupBan.objects.exists()


def test_a_member_cannot_ban(crew):
    with pytest.raises(NotAllowed):
        services.ban_member(actor=crew["member"], group=crew["group"], user=crew["moderator"])
    assert not GroupBan.objects.exists()


def test_lifting_a_ban_lets_the_member_join_again(crew):
    group, member = crew["group"], crew["member"]
    services.ban_member(actor=crew["moderator"], group=group, user=member)
    services.unban_member(actor=crew["moderator"], group=group, user=member)
    services.join_group(actor=fresh(member), group=group)
    assert group.memberships.filter(user=member).exists()


def test_an_owner_names_several_moderators(crew):
    group = crew["group"]
    services.set_member_role(
        actor=crew["owner"], group=group, user=crew["member"], role=Role.MODERATOR
    )
    assert group.memberships.filter(role=Role.MODERATOR).count() == 2


@pytest.mark.parametrize("who", ["moderator", "member"])
def test_only_owners_and_staff_change_roles(crew, who):
    with pytest.raises(NotAllowed):
        services.set_member_role(
            actor=crew[who], group=crew["group"], user=crew["member"], role=Role.OWNER
        )
    assert crew["group"].memberships.get(user=crew["member"]).role == Role.MEMBER


def test_staff_change_roles(crew):
    services.set_member_role(
        actor=UserFactory(is_staff=True), group=crew["group"], user=crew["member"], role=Role.OWNER
    )
    assert crew["group"].memberships.get(user=crew["member"]).role == Role.OWNER


def test_the_last_owner_cannot_be_demoted(crew):
    with pytest.raises(Conflict):
        services.set_member_role(
            actor=UserFactory(is_staff=True),
            group=crew["group"],
            user=crew["owner"],
            role=Role.MEMBER,
        )
    assert crew["group"].memberships.get(user=crew["owner"]).role == Role.OWNER


def test_an_unknown_role_or_a_non_member_is_refused(crew):
    with pytest.raises(InvalidInput):
        services.set_member_role(
            actor=crew["owner"], group=crew["group"], user=crew["member"], role="king"
        )
    with pytest.raises(NotFound):
        services.set_member_role(
            actor=crew["owner"], group=crew["group"], user=UserFactory(), role=Role.MEMBER
        )


def test_a_demoted_moderator_loses_moderation_at_once(crew):
    group, moderator = crew["group"], crew["moderator"]
    services.set_member_role(actor=crew["owner"], group=group, user=moderator, role=Role.MEMBER)
    with pytest.raises(NotAllowed):
        services.remove_member(actor=fresh(moderator), group=group, user=crew["member"])
