"""@<group>: a group's moderator names the group in one of its posts, and every member is
told once (as Discourse's group mentions)."""

import pytest
from django.utils import translation

from network.models import GroupMembership, Notification
from network.services.notifications import describe
from network.services.posts import create_post
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    group = GroupFactory(slug="club-des-entrepreneurs", name="Club des entrepreneurs")
    return group


def test_a_moderator_mentions_the_group_and_every_member_is_told_once(
    club, django_capture_on_commit_callbacks
):
    moderator = add_member(club, role=GroupMembership.Role.MODERATOR).user
    hugo = add_member(club, UserFactory(username="hugo")).user
    others = [add_member(club).user for _ in range(3)]
    outsider = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post = create_post(
            actor=moderator,
            body="Assemblée jeudi, @club-des-entrepreneurs ! @hugo, tu présentes ?",
            group=club,
        )
    told = Notification.objects.filter(kind="mention", event_key=f"mention:post:{post.pk}")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        user.pk for user in (hugo, *others)
    )  # hugo, named twice over, once; the moderator and the outsider not at all
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert f'href="{club.get_absolute_url()}"' in post.body
    with translation.override("en"):
        note = told.get(recipient=others[0])
        assert "mentioned you" in describe(note.kind, actor_name="M", data=note.data)


def test_a_plain_member_naming_the_group_summons_nobody(club, django_capture_on_commit_callbacks):
    author = add_member(club).user
    members = [add_member(club).user for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        post = create_post(actor=author, body="Bonjour @club-des-entrepreneurs", group=club)
    assert not Notification.objects.filter(recipient__in=members, kind="mention").exists()
    assert "<a " not in post.body


def test_naming_another_group_summons_nobody(club, django_capture_on_commit_callbacks):
    other = GroupFactory(slug="randonneurs")
    members = [add_member(other).user for _ in range(2)]
    moderator = add_member(club, role=GroupMembership.Role.MODERATOR).user
    add_member(other, moderator, role=GroupMembership.Role.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        create_post(actor=moderator, body="Salut @randonneurs", group=club)
    assert not Notification.objects.filter(recipient__in=members).exists()
