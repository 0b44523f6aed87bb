"""The group pages: who sees what (every role × every page × public, private and secret
groups), and the POSTed actions, which answer 403/404 when refused and change nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import NotFound
from network.models import (
    Group,
    GroupBan,
    GroupEvent,
    GroupEventRSVP,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
)
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, add_member

pytestmark = pytest.mark.django_db

Role = GroupMembership.Role
ROLES = ["anonymous", "outsider", "member", "moderator", "owner", "staff", "suspended"]
VISIBILITIES = [Group.Visibility.PUBLIC, Group.Visibility.PRIVATE, Group.Visibility.SECRET]


class World:
    """A group of the given visibility (on request) with a member of every role, a pending
    join request and an event."""

    def __init__(self, visibility):
        self.group = GroupFactory(visibility=visibility, join_policy=Group.JoinPolicy.REQUEST)
        self.users = {
            "anonymous": None,
            "outsider": UserFactory(),
            "member": add_member(self.group).user,
            "moderator": add_member(self.group, role=Role.MODERATOR).user,
            "owner": add_member(self.group, role=Role.OWNER).user,
            "staff": UserFactory(is_staff=True),
            "suspended": add_member(
                self.group, UserFactory(suspended_until=timezone.now() + timedelta(days=5))
            ).user,
        }
        self.target = add_member(self.group).user
        self.requester = UserFactory()
        self.join_request = JoinRequest.objects.create(group=self.group, user=self.requester)
        self.event = GroupEvent.objects.create(
            group=self.group,
            title="Afterwork",
            starts_at=timezone.now() + timedelta(days=3),
            capacity=10,
        )

    def url(self, name, *args):
        return reverse(f"network:{name}", args=[self.group.slug, *args])

    def login(self, client, role):
        client.logout()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def snapshot(self):
        group = Group.objects.get(pk=self.group.pk)
        return (
            group.name,
            group.member_count,
            sorted(self.group.memberships.values_list("user_id", "role")),
            list(GroupBan.objects.values_list("user_id", flat=True)),
            list(JoinRequest.objects.values_list("user_id", "status")),
            GroupInvitation.objects.count(),
            GroupEvent.objects.count(),
            list(GroupEventRSVP.objects.values_list("user_id", "status")),
        )


@pytest.fixture(params=VISIBILITIES)
def world(request):
    return World(request.param)


# Reading: every role × every page × every visibility -----------------------------------------

READ_PAGES = {
    "group": lambda w: w.url("group"),
    "members": lambda w: w.url("group_members"),
    "events": lambda w: w.url("group_events"),
    "event": lambda w: w.url("group_event", w.event.pk),
    "requests": lambda w: w.url("group_requests"),
    "invite": lambda w: w.url("group_invite"),
    "new_event": lambda w: w.url("group_event_create"),
    "settings": lambda w: w.url("group_settings"),
}
SIGNED_IN_PAGES = {"requests", "invite", "new_event", "settings"}
MODERATOR_PAGES = {"requests", "invite", "new_event"}
MEMBERS = {"member", "moderator", "owner", "suspended"}


def expected_read_status(page, visibility, role):
    if page in SIGNED_IN_PAGES and role == "anonymous":
        return 302  # to the log-in page, for every slug: nothing leaks
    hidden = visibility == Group.Visibility.SECRET and role not in MEMBERS | {"staff"}
    if hidden:
        return 404
    if page == "group":
        return 200
    if page in MODERATOR_PAGES:
        return 200 if role in {"moderator", "owner", "staff"} else 403
    if page == "settings":
        return 200 if role in {"owner", "staff"} else 403
    closed = visibility != Group.Visibility.PUBLIC and role not in MEMBERS | {"staff"}
    return 403 if closed else 200


@pytest.mark.parametrize("page", READ_PAGES)
def test_who_sees_which_page(client, world, page):
    url = READ_PAGES[page](world)
    got, wanted = {}, {}
    for role in ROLES:
        got[role] = world.login(client, role).get(url).status_code
        wanted[role] = expected_read_status(page, world.group.visibility, role)
    assert got == wanted


def test_a_missing_group_is_a_404(client):
    assert client.get(reverse("network:group", args=["nope"])).status_code == 404


@pytest.mark.parametrize("visibility", [Group.Visibility.PRIVATE])
def test_a_private_group_shows_a_members_only_notice_to_outsiders(client, visibility):
    world = World(visibility)
    page = world.login(client, "outsider").get(world.url("group"))
    assert 'data-testid="members-only"' in page.text
    page = world.login(client, "member").get(world.url("group"))
    assert 'data-testid="members-only"' not in page.text


def test_the_secret_group_answers_like_a_missing_one(client):
    world = World(Group.Visibility.SECRET)
    world.login(client, "outsider")
    secret = client.get(world.url("group"))
    missing = client.get(reverse("network:group", args=["does-not-exist"]))
    assert secret.status_code == missing.status_code == 404
    assert world.group.name not in secret.text


# Buttons by state ----------------------------------------------------------------------------


def test_the_header_offers_the_right_action(client):
    world = World(Group.Visibility.PUBLIC)
    cases = {
        "anonymous": reverse("account_login"),
        "outsider": world.url("group_join"),
        "member": world.url("group_leave"),
        "suspended": world.url("group_leave"),
    }
    for role, action in cases.items():
        assert action in world.login(client, role).get(world.url("group")).text, role
    requester = world.login(client, "outsider")
    requester.force_login(world.requester)
    assert world.url("group_withdraw_request") in requester.get(world.url("group")).text


def test_moderators_see_moderation_tools_and_members_do_not(client):
    world = World(Group.Visibility.PUBLIC)
    remove = world.url("group_member_remove", world.target.pk)
    role = world.url("group_member_role", world.target.pk)
    member_page = world.login(client, "member").get(world.url("group_members")).text
    assert remove not in member_page
    moderator_page = world.login(client, "moderator").get(world.url("group_members")).text
    assert remove in moderator_page
    assert role not in moderator_page  # roles are for owners
    owner_page = world.login(client, "owner").get(world.url("group_members")).text
    assert role in owner_page
    assert world.url("group_requests") in moderator_page
    assert world.url("group_requests") not in member_page


def test_the_members_page_lists_roles(client):
    world = World(Group.Visibility.PUBLIC)
    page = world.login(client, "member").get(world.url("group_members")).text
    assert f'data-testid="member-{world.users["owner"].username}"' in page
    assert "role-badge--owner" in page and "role-badge--moderator" in page


# Acting: refused actions change nothing ------------------------------------------------------


def _action(world, name):
    """(url, data, roles allowed to do it) for each POSTed action."""
    target = world.target
    return {
        "remove": (
            world.url("group_member_remove", target.pk),
            {},
            {"moderator", "owner", "staff"},
        ),
        "ban": (
            world.url("group_member_ban", target.pk),
            {"reason": "x"},
            {"moderator", "owner", "staff"},
        ),
        "role": (
            world.url("group_member_role", target.pk),
            {"role": Role.MODERATOR},
            {"owner", "staff"},
        ),
        "decide": (
            world.url("group_request_decide", world.join_request.pk),
            {"decision": "approve"},
            {"moderator", "owner", "staff"},
        ),
        "invite": (
            world.url("group_invite"),
            {"email": "new@example.org"},
            {"moderator", "owner", "staff"},
        ),
        "settings": (
            world.url("group_settings"),
            {"name": "Renamed", "visibility": world.group.visibility, "join_policy": "request"},
            {"owner", "staff"},
        ),
        "new_event": (
            world.url("group_event_create"),
            {
                "title": "Atelier",
                "starts_at": (timezone.now() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
                "guests_allowed": 1,
            },
            {"moderator", "owner", "staff"},
        ),
        "rsvp": (
            world.url("group_event_rsvp", world.event.pk),
            {"guests": 0},
            {"member", "moderator", "owner"},
        ),
    }[name]


def expected_refusal(visibility, role):
    if role == "anonymous":
        return 302
    if visibility == Group.Visibility.SECRET and role == "outsider":
        return 404
    return 403


ACTIONS = ["remove", "ban", "role", "decide", "invite", "settings", "new_event", "rsvp"]


@pytest.mark.parametrize("action", ACTIONS)
def test_refused_actions_answer_403_or_404_and_change_nothing(client, world, action):
    url, data, allowed = _action(world, action)
    before = world.snapshot()
    for role in ROLES:
        if role in allowed:
            continue
        response = world.login(client, role).post(url, data)
        wanted = expected_refusal(world.group.visibility, role)
        assert response.status_code == wanted, (role, response.status_code)
        if wanted == 302:
            assert response.url.startswith(reverse("account_login"))
        assert world.snapshot() == before, role
    # The least powerful allowed role succeeds, which proves the refusals were not accidents.
    role = next(role for role in ROLES if role in allowed)
    response = world.login(client, role).post(url, data)
    assert response.status_code in (200, 302)
    assert world.snapshot() != before


def test_posts_need_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"])
    before = world.snapshot()
    assert client.post(world.url("group_member_remove", world.target.pk)).status_code == 403
    assert client.post(world.url("group_settings"), {"name": "x"}).status_code == 403
    assert world.snapshot() == before


def test_actions_refuse_get(client, world):
    world.login(client, "owner")
    for name in ("group_join", "group_leave", "group_withdraw_request"):
        assert client.get(world.url(name)).status_code == 405
    assert client.get(world.url("group_member_remove", world.target.pk)).status_code == 405


# Joining, leaving, requests through the pages ------------------------------------------------


def test_joining_an_open_group_from_its_page(client):
    group = GroupFactory()
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("network:group_join", args=[group.slug]))
    assert response.status_code == 302
    assert group.memberships.filter(user=user).exists()


def test_asking_to_join_and_being_approved(client):
    world = World(Group.Visibility.PUBLIC)
    asker = UserFactory()
    client.force_login(asker)
    client.post(world.url("group_join"), {"message": "Je tiens une crêperie."})
    join_request = JoinRequest.objects.get(user=asker)
    assert join_request.message == "Je tiens une crêperie."
    world.login(client, "moderator")
    page = client.get(world.url("group_requests"))
    assert "Je tiens une crêperie." in page.text
    client.post(world.url("group_request_decide", join_request.pk), {"decision": "approve"})
    assert world.group.memberships.filter(user=asker).exists()


def test_declining_with_a_reason_shows_it_to_the_requester(client):
    world = World(Group.Visibility.PUBLIC)
    world.login(client, "moderator").post(
        world.url("group_request_decide", world.join_request.pk),
        {"decision": "decline", "reason": "Réservé aux hôteliers"},
    )
    client.force_login(world.requester)
    assert "Réservé aux hôteliers" in client.get(world.url("group")).text


def test_a_bad_decision_value_changes_nothing(client):
    world = World(Group.Visibility.PUBLIC)
    before = world.snapshot()
    response = world.login(client, "moderator").post(
        world.url("group_request_decide", world.join_request.pk), {"decision": "maybe"}
    )
    assert response.status_code == 302
    assert world.snapshot() == before


def test_a_request_of_another_group_is_not_found(client):
    world = World(Group.Visibility.PUBLIC)
    other = World(Group.Visibility.PUBLIC)
    before = other.snapshot()
    response = world.login(client, "moderator").post(
        world.url("group_request_decide", other.join_request.pk), {"decision": "approve"}
    )
    assert response.status_code == 404
    assert other.snapshot() == before


def test_the_last_owner_is_told_they_cannot_leave(client):
    world = World(Group.Visibility.PUBLIC)
    before = world.snapshot()
    response = world.login(client, "owner").post(world.url("group_leave"), follow=True)
    assert response.status_code == 200
    assert "message--error" in response.text
    assert world.snapshot() == before


def test_joining_too_fast_answers_429(client, monkeypatch):
    from network.services import groups as services

    monkeypatch.setattr(services.common, "JOIN_LIMIT", 1)
    client.force_login(UserFactory())
    first, second = GroupFactory(), GroupFactory()
    assert client.post(reverse("network:group_join", args=[first.slug])).status_code == 302
    assert client.post(reverse("network:group_join", args=[second.slug])).status_code == 429
    assert not second.memberships.exists()


# Creating and settings -----------------------------------------------------------------------


def test_a_member_creates_a_group(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("network:group_create"),
        {
            "name": "Tourisme & hébergement",
            "description": "<p>Les <em>hébergeurs</em></p><script>x</script>",
            "visibility": "public",
            "join_policy": "open",
            "tags": "tourisme, hôtels",
        },
    )
    group = Group.objects.get()
    assert response.status_code == 302
    assert response.url == group.get_absolute_url()
    assert group.memberships.get().user == user
    assert "script" not in group.description
    assert sorted(group.tags.names()) == ["hôtels", "tourisme"]


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "visibility": "public", "join_policy": "open"},
        {"name": "G", "visibility": "nobody", "join_policy": "open"},
        {"name": "G", "visibility": "public", "join_policy": "sometimes"},
        {"name": "x" * 121, "visibility": "public", "join_policy": "open"},
    ],
)
def test_a_bad_group_form_is_shown_again_with_errors(client, data):
    client.force_login(UserFactory())
    response = client.post(reverse("network:group_create"), data)
    assert response.status_code == 200
    assert "field--error" in response.text
    assert not Group.objects.exists()


def test_anonymous_and_suspended_visitors_cannot_create(client):
    url = reverse("network:group_create")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(suspended_until=timezone.now() + timedelta(days=1)))
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"name": "G", "visibility": "public", "join_policy": "open"}).status_code
        == 403
    )
    assert not Group.objects.exists()


def test_an_owner_changes_the_settings(client):
    world = World(Group.Visibility.PUBLIC)
    world.login(client, "owner").post(
        world.url("group_settings"),
        {"name": "Nouveau nom", "visibility": "private", "join_policy": "invite", "tags": "a, b"},
    )
    group = Group.objects.get(pk=world.group.pk)
    assert (group.name, group.visibility, group.join_policy) == ("Nouveau nom", "private", "invite")
    assert group.slug == world.group.slug


# Invitations ---------------------------------------------------------------------------------


def _invite(client, world, **data):
    response = world.login(client, "moderator").post(world.url("group_invite"), data)
    assert response.status_code == 200
    link = response.context["invitation_link"]
    return link[link.index("/groups/") :] if link else None


def test_a_moderator_gets_an_invitation_link_once(client, mailoutbox):
    world = World(Group.Visibility.SECRET)
    path = _invite(client, world, email="friend@example.org")
    assert path
    assert GroupInvitation.objects.get().token_hash not in path
    # Listed afterwards without its link: only the hash is kept.
    page = client.get(world.url("group_invite")).text
    assert "friend@example.org" in page
    assert path not in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "someone", "email": "a@example.org"},
        {"email": "nope"},
        {"username": "ghost"},
    ],
)
def test_bad_invitations_are_form_errors(client, data):
    world = World(Group.Visibility.PUBLIC)
    UserFactory(username="someone")
    response = world.login(client, "moderator").post(world.url("group_invite"), data)
    assert response.status_code == 200
    assert not response.context["invitation_link"]
    assert not GroupInvitation.objects.exists()


def test_accepting_an_invitation_through_its_link(client):
    world = World(Group.Visibility.SECRET)
    path = _invite(client, world, email="friend@example.org")
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and world.group.name in page.text
    response = client.post(path)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    guest = UserFactory()
    client.force_login(guest)
    response = client.post(path)
    assert response.status_code == 302 and response.url == world.group.get_absolute_url()
    assert world.group.memberships.filter(user=guest).exists()
    assert client.get(world.url("group")).status_code == 200
    # Used: the link now explains itself, for anyone.
    client.force_login(UserFactory())
    used = client.get(path)
    assert used.status_code == 410
    assert 'data-testid="invitation-error"' in used.text
    assert client.post(path).status_code == 410


def test_a_wrong_invitation_link_is_a_clear_404(client):
    response = client.get(reverse("network:group_invitation", args=["made-up-token"]))
    assert response.status_code == 404
    assert 'data-testid="invitation-error"' in response.text


def test_an_expired_invitation_link_is_refused(client):
    world = World(Group.Visibility.PUBLIC)
    path = _invite(client, world, email="late@example.org")
    GroupInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(UserFactory())
    assert client.post(path).status_code == 410
    assert not GroupMembership.objects.filter(user__email="late@example.org").exists()
    assert GroupInvitation.objects.get().used_at is None


def test_an_invitation_for_another_member_is_refused(client):
    world = World(Group.Visibility.PUBLIC)
    invited = UserFactory()
    path = _invite(client, world, username=invited.username)
    intruder = UserFactory()
    client.force_login(intruder)
    assert client.post(path).status_code == 403
    assert not world.group.memberships.filter(user=intruder).exists()


def test_an_invited_member_sees_an_accept_button_on_the_group_page(client):
    world = World(Group.Visibility.PRIVATE)
    invited = UserFactory()
    _invite(client, world, username=invited.username)
    client.force_login(invited)
    page = client.get(world.url("group")).text
    assert world.url("group_join") in page
    client.post(world.url("group_join"))
    assert world.group.memberships.filter(user=invited).exists()


# Events through the pages --------------------------------------------------------------------


def test_replying_double_submitting_and_cancelling(client):
    world = World(Group.Visibility.PRIVATE)
    GroupEvent.objects.filter(pk=world.event.pk).update(capacity=2, guests_allowed=1)
    rsvp_url = world.url("group_event_rsvp", world.event.pk)
    event_url = world.url("group_event", world.event.pk)

    world.login(client, "member").post(rsvp_url, {"guests": 1})
    client.post(rsvp_url, {"guests": 1})  # double submit
    assert GroupEventRSVP.objects.filter(user=world.users["member"]).count() == 1

    world.login(client, "moderator").post(rsvp_url, {"guests": 0})
    page = client.get(event_url)
    assert page.context["my_position"] == 1
    assert 'data-testid="rsvp-status"' in page.text

    world.login(client, "member").post(world.url("group_event_cancel", world.event.pk))
    rsvp = GroupEventRSVP.objects.get(user=world.users["moderator"])
    assert rsvp.status == GroupEventRSVP.Status.GOING


@pytest.mark.parametrize("guests", ["", "two", "-1", "9"])
def test_a_bad_guest_count_changes_nothing(client, guests):
    world = World(Group.Visibility.PUBLIC)
    response = world.login(client, "member").post(
        world.url("group_event_rsvp", world.event.pk), {"guests": guests}
    )
    assert response.status_code == 302
    assert not GroupEventRSVP.objects.exists()


def test_an_event_of_another_group_is_not_found(client):
    world = World(Group.Visibility.PUBLIC)
    other = World(Group.Visibility.PUBLIC)
    world.login(client, "member")
    assert client.get(world.url("group_event", other.event.pk)).status_code == 404
    assert (
        client.post(world.url("group_event_rsvp", other.event.pk), {"guests": 0}).status_code == 404
    )
    assert not GroupEventRSVP.objects.exists()


def test_the_events_page_lists_coming_and_past_events(client):
    world = World(Group.Visibility.PUBLIC)
    GroupEvent.objects.create(
        group=world.group, title="Déjà passé", starts_at=timezone.now() - timedelta(days=2)
    )
    page = client.get(world.url("group_events"))
    assert "Afterwork" in page.text and "Déjà passé" in page.text
    assert [e.title for e in page.context["upcoming"]] == ["Afterwork"]


# The group's feed ----------------------------------------------------------------------------


def test_members_get_the_composer_and_the_feed(client):
    from tests.network.factories import PostFactory

    world = World(Group.Visibility.PRIVATE)
    PostFactory(group=world.group, author=world.users["member"], body="<p>Réunion jeudi</p>")
    page = world.login(client, "member").get(world.url("group")).text
    assert 'data-testid="composer"' in page
    assert "Réunion jeudi" in page
    for role in ("outsider", "anonymous"):
        page = world.login(client, role).get(world.url("group")).text
        assert "Réunion jeudi" not in page
        assert 'data-testid="composer"' not in page
    # A suspended member reads but does not get the composer.
    page = world.login(client, "suspended").get(world.url("group")).text
    assert "Réunion jeudi" in page and 'data-testid="composer"' not in page


def test_a_malformed_feed_cursor_answers_400(client):
    world = World(Group.Visibility.PUBLIC)
    response = world.login(client, "member").get(world.url("group"), {"cursor": "%%%not-a-cursor"})
    assert response.status_code == 400


def _queries_for_group_page(client, world, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.network.factories import CommentFactory, PostFactory

    authors = [UserFactory() for _number in range(3)]
    for author in authors:
        add_member(world.group, author)
    for number in range(count):
        post = PostFactory(group=world.group, author=authors[number % 3])
        post.tags.set([f"t{number % 4}"])
        CommentFactory(post=post, author=authors[(number + 1) % 3])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(world.url("group"))
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def test_the_group_page_query_count_does_not_grow_with_the_posts(client):
    """5 posts and 50 posts (a feed page shows 20) cost the same queries."""
    world = World(Group.Visibility.PRIVATE)
    world.login(client, "member")
    client.get(world.url("group"))  # warm the per-process caches (content types)
    with_five = _queries_for_group_page(client, world, 5)
    with_fifty = _queries_for_group_page(client, world, 45)
    assert len(with_five) == len(with_fifty), set(with_five) ^ set(with_fifty)


def test_a_member_invited_by_username_finds_the_secret_group_and_joins_it(client):
    from network.models import Group
    from network.services.groups import invite_to_group
    from tests.factories import UserFactory
    from tests.network.factories import GroupFactory, add_member

    group = GroupFactory(visibility=Group.Visibility.SECRET, join_policy=Group.JoinPolicy.INVITE)
    owner = add_member(group, role="owner").user
    guest = UserFactory()
    client.force_login(guest)
    assert client.get(f"/groups/{group.slug}/").status_code == 404

    invite_to_group(actor=owner, group=group, username=guest.username)

    assert client.get(f"/groups/{group.slug}/").status_code == 200
    client.post(f"/groups/{group.slug}/join/")
    assert group.memberships.filter(user=guest).exists()


def test_a_members_group_comes_with_their_membership_in_one_query(django_assert_num_queries):
    """Posting in a group asks for the group and the poster's membership: a member's group
    is read through the membership, which the permission checks then reuse."""
    from network.permissions import can_post_in_group, can_see_group, membership_of
    from network.selectors.groups import get_group_for

    member, outsider = UserFactory(), UserFactory()
    group = GroupFactory(visibility=Group.Visibility.SECRET)
    add_member(group, member, role=GroupMembership.Role.MODERATOR)
    with django_assert_num_queries(1):
        found = get_group_for(member, group.slug)
        assert found == group and can_see_group(member, found)
        assert membership_of(member, found).role == GroupMembership.Role.MODERATOR
        assert can_post_in_group(member, found)
    # Anyone else gets the secret group's usual answer: missing.
    with pytest.raises(NotFound):
        get_group_for(outsider, group.slug)
