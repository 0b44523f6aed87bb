"""Notifications are created for each kind of event, once per recipient, never for the actor
nor for someone who cannot see what they are about; preferences "off" are respected."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from content import signals as content_signals
from content.models import PageUpdateSuggestion
from network import signals
from network.models import (
    Comment,
    Group,
    GroupMembership,
    Notification,
    NotificationKind,
    NotificationPreference,
    OrganisationMembership,
    Post,
)
from network.permissions import AGENCY_MODERATORS_GROUP
from network.services import follows, groups, posts
from network.services import notifications as service
from network.tasks import create_notifications_task
from tests.factories import UserFactory
from tests.network.factories import (
    CommentFactory,
    GroupFactory,
    OrganisationFactory,
    PostFactory,
    add_member,
    add_organisation_member,
)

pytestmark = pytest.mark.django_db
Kind = NotificationKind


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what services send after commit (signals, then the notification task)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def camille():
    return UserFactory(username="camille", display_name="Camille")


@pytest.fixture
def hugo():
    return UserFactory(username="hugo", display_name="Hugo")


@pytest.fixture
def club(camille):
    group = GroupFactory(name="Club des hôteliers")
    add_member(group, camille, role=GroupMembership.Role.OWNER)
    return group


# Each kind, once, to the right person ---------------------------------------------------------


def test_a_post_in_a_group_notifies_the_members_who_follow_it_closely(
    camille, hugo, club, on_commit
):
    close = add_member(club, hugo)
    close.follows_closely = True
    close.save()
    casual = add_member(club).user

    with on_commit():
        post = posts.create_post(actor=camille, body="Réunion jeudi à 18 h.", group=club)

    notification = Notification.objects.get(recipient=hugo)
    assert notification.kind == Kind.GROUP_POST
    assert notification.actor == camille
    assert notification.target == post
    assert notification.url == f"/posts/{post.pk}/"
    assert notification.data == {"excerpt": "Réunion jeudi à 18 h.", "group": "Club des hôteliers"}
    assert kinds_of(casual) == []
    assert kinds_of(camille) == []


def test_a_post_by_a_close_follower_does_not_notify_its_author(camille, club, on_commit):
    GroupMembership.objects.filter(group=club, user=camille).update(follows_closely=True)
    with on_commit():
        posts.create_post(actor=camille, body="Mon annonce.", group=club)
    assert kinds_of(camille) == []


def test_a_post_in_a_group_nobody_follows_closely_enqueues_nothing(
    camille, hugo, club, on_commit, monkeypatch
):
    add_member(club, hugo)
    enqueued = []
    original = create_notifications_task.apply_async

    def spy(*args, **kwargs):
        enqueued.append(kwargs["kwargs"]["event_key"])
        return original(*args, **kwargs)

    monkeypatch.setattr(create_notifications_task, "apply_async", spy)
    with on_commit():
        posts.create_post(actor=camille, body="Personne ne suit de près.", group=club)
    assert enqueued == []

    membership = GroupMembership.objects.get(group=club, user=hugo)
    membership.follows_closely = True
    membership.save()
    with on_commit():
        post = posts.create_post(actor=camille, body="Hugo suit de près.", group=club)
    assert enqueued == [f"post:{post.pk}"]


def test_a_member_who_starts_following_closely_hears_of_the_next_post(
    camille, hugo, club, on_commit
):
    add_member(club, hugo)
    with on_commit():
        posts.create_post(actor=camille, body="Avant.", group=club)
    assert kinds_of(hugo) == []  # and the cache says: nobody follows closely

    groups.set_follows_closely(actor=hugo, group=club, on=True)
    with on_commit():
        posts.create_post(actor=camille, body="Après.", group=club)

    assert kinds_of(hugo) == [Kind.GROUP_POST]


def test_the_last_close_follower_leaving_is_seen_too(camille, hugo, club, on_commit):
    membership = add_member(club, hugo)
    membership.follows_closely = True
    membership.save()
    assert service.has_close_followers(club.pk)

    groups.leave_group(actor=hugo, group=club)

    assert not service.has_close_followers(club.pk)


def test_a_group_post_nobody_follows_closely_costs_the_task_one_query(
    camille, hugo, club, django_assert_num_queries
):
    """Most groups have no close follower: the task then reads its audience only, not the
    post it is about (it ran inside the request in the embedded setup)."""
    add_member(club, hugo)
    post = PostFactory(author=camille, group=club)
    post_type = ContentType.objects.get_for_model(Post).pk
    with django_assert_num_queries(1):
        emailed = service.create_notifications(
            kind=Kind.GROUP_POST,
            recipients=service.GroupAudience(club.pk, follows_closely=True).as_json(),
            actor_id=camille.pk,
            target_type_id=post_type,
            target_id=post.pk,
            event_key=f"post:{post.pk}",
            url=post.get_absolute_url(),
            data={},
        )
    assert emailed == []
    assert not Notification.objects.exists()


def test_a_mention_notifies_the_member_named(camille, hugo, on_commit):
    with on_commit():
        post = posts.create_post(actor=camille, body="Merci @hugo pour l'accueil !")
    notification = Notification.objects.get(recipient=hugo)
    assert notification.kind == Kind.MENTION
    assert notification.event_key == f"mention:post:{post.pk}"
    assert kinds_of(camille) == []


def test_a_mention_in_a_comment_points_to_the_comment(camille, hugo, on_commit):
    post = PostFactory(author=camille)
    with on_commit():
        comment = posts.add_comment(actor=camille, post=post, body="@hugo qu'en penses-tu ?")
    notification = Notification.objects.get(recipient=hugo, kind=Kind.MENTION)
    assert notification.target == comment
    assert notification.url == f"/posts/{post.pk}/#comment-{comment.pk}"


def test_a_comment_notifies_the_posts_author(camille, hugo, on_commit):
    post = PostFactory(author=camille)
    with on_commit():
        posts.add_comment(actor=hugo, post=post, body="Superbe !")
    assert kinds_of(camille) == [Kind.COMMENT]
    assert kinds_of(hugo) == []


def test_a_reply_notifies_the_comments_author_and_the_posts_author(camille, hugo, on_commit):
    nina = UserFactory(username="nina")
    post = PostFactory(author=camille)
    parent = CommentFactory(post=post, author=nina)
    with on_commit():
        posts.add_comment(actor=hugo, post=post, body="D'accord avec toi.", parent=parent)
    assert kinds_of(nina) == [Kind.REPLY]
    assert kinds_of(camille) == [Kind.COMMENT]


def test_a_reply_on_ones_own_post_is_told_once(camille, hugo, on_commit):
    post = PostFactory(author=camille)
    parent = CommentFactory(post=post, author=camille)
    with on_commit():
        posts.add_comment(actor=hugo, post=post, body="Oui !", parent=parent)
    assert kinds_of(camille) == [Kind.REPLY]


def test_commenting_ones_own_post_notifies_nobody(camille, on_commit):
    post = PostFactory(author=camille)
    with on_commit():
        posts.add_comment(actor=camille, post=post, body="Précision : c'est gratuit.")
    assert not Notification.objects.exists()


def test_reactions_of_one_member_to_one_post_make_one_notification(camille, hugo, on_commit):
    post = PostFactory(author=camille)
    with on_commit():
        posts.react(actor=hugo, post=post, kind="like")
        posts.react(actor=hugo, post=post, kind="love")
        posts.unreact(actor=hugo, post=post, kind="like")
        posts.react(actor=hugo, post=post, kind="like")
    assert kinds_of(camille) == [Kind.REACTION]


def test_following_a_member_notifies_them(camille, hugo, on_commit):
    with on_commit():
        follows.follow_user(actor=hugo, user=camille)
    notification = Notification.objects.get(recipient=camille)
    assert notification.kind == Kind.FOLLOW
    assert notification.url == "/people/hugo/"


def test_following_an_organisation_notifies_its_owners(camille, hugo, on_commit):
    organisation = OrganisationFactory(name="Maison Kerlann")
    add_organisation_member(organisation, camille, role=OrganisationMembership.Role.OWNER)
    employee = add_organisation_member(organisation).user
    with on_commit():
        follows.follow_organisation(actor=hugo, organisation=organisation)
    notification = Notification.objects.get(recipient=camille)
    assert notification.data == {"organisation": "Maison Kerlann"}
    assert kinds_of(employee) == []


def test_a_join_request_notifies_the_groups_moderators_only(camille, hugo, club, on_commit):
    club.join_policy = Group.JoinPolicy.REQUEST
    club.save()
    moderator = add_member(club, role=GroupMembership.Role.MODERATOR).user
    member = add_member(club).user
    with on_commit():
        groups.join_group(actor=hugo, group=club, message="Je tiens un gîte.")
    assert kinds_of(camille) == [Kind.JOIN_REQUEST]
    assert kinds_of(moderator) == [Kind.JOIN_REQUEST]
    assert kinds_of(member) == []
    assert Notification.objects.get(recipient=camille).data["excerpt"] == "Je tiens un gîte."


def test_a_join_decision_notifies_the_requester(camille, hugo, club, on_commit):
    club.join_policy = Group.JoinPolicy.REQUEST
    club.save()
    with on_commit():
        request = groups.join_group(actor=hugo, group=club)
    with on_commit():
        groups.decide_join_request(actor=camille, join_request=request, approve=True)
    notification = Notification.objects.get(recipient=hugo)
    assert notification.kind == Kind.JOIN_DECISION
    assert notification.data["approved"] is True


def test_an_invitation_notifies_the_invited_member_even_to_a_secret_group(camille, hugo, on_commit):
    secret = GroupFactory(visibility=Group.Visibility.SECRET, join_policy=Group.JoinPolicy.INVITE)
    add_member(secret, camille, role=GroupMembership.Role.OWNER)
    with on_commit():
        groups.invite_to_group(actor=camille, group=secret, username="hugo")
    notification = Notification.objects.get(recipient=hugo)
    assert notification.kind == Kind.INVITATION
    assert notification.target == secret


def test_a_suggestion_decision_notifies_its_author(camille, hugo, on_commit):
    page = Page.objects.filter(depth=2).first()
    suggestion = PageUpdateSuggestion.objects.create(
        page=page, author=camille, what_is_wrong="Horaires faux.", status="declined"
    )
    suggestion.decided_by = hugo
    suggestion.decline_reason = "Déjà corrigé."
    with on_commit():
        content_signals.suggestion_decided.send(sender=PageUpdateSuggestion, suggestion=suggestion)
    notification = Notification.objects.get(recipient=camille)
    assert notification.kind == Kind.SUGGESTION_DECISION
    assert notification.actor == hugo
    assert notification.data["accepted"] is False
    with translation.override("fr"):
        assert notification.url == reverse("content:my_suggestions")


def test_a_page_due_for_review_notifies_its_maintainers(camille, hugo, on_commit):
    page = Page.objects.filter(depth=2).first().specific
    with on_commit():
        content_signals.review_due.send(sender=type(page), page=page, maintainers=[camille, hugo])
    assert kinds_of(camille) == [Kind.REVIEW_DUE]
    assert kinds_of(hugo) == [Kind.REVIEW_DUE]
    assert Notification.objects.get(recipient=hugo).actor is None
    # The content hub reminds once a day: the same day's signal again adds nothing.
    with on_commit():
        content_signals.review_due.send(sender=type(page), page=page, maintainers=[camille, hugo])
    assert Notification.objects.count() == 2


# Never to someone who cannot see it ------------------------------------------------------------


def test_a_mention_is_not_told_to_someone_who_cannot_read_the_post(camille, hugo, on_commit):
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(private, camille)
    post = PostFactory(author=camille, group=private)
    with on_commit():
        signals.members_mentioned.send(
            sender=Post, users=[hugo], post=post, comment=None, actor=camille
        )
    assert kinds_of(hugo) == []


def test_agency_moderators_may_be_told_of_a_private_groups_post(camille, hugo, on_commit):
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(private, camille)
    hugo.groups.add(AuthGroup.objects.get_or_create(name=AGENCY_MODERATORS_GROUP)[0])
    post = PostFactory(author=camille, group=private)
    with on_commit():
        signals.members_mentioned.send(
            sender=Post, users=[hugo], post=post, comment=None, actor=camille
        )
    assert kinds_of(hugo) == [Kind.MENTION]


def test_a_reply_is_not_told_to_a_former_member_of_a_private_group(camille, hugo, on_commit):
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(private, camille)
    add_member(private, hugo)
    post = PostFactory(author=camille, group=private)
    parent = CommentFactory(post=post, author=hugo)
    GroupMembership.objects.filter(group=private, user=hugo).delete()
    with on_commit():
        posts.add_comment(actor=camille, post=post, body="Réponse.", parent=parent)
    assert kinds_of(hugo) == []


def test_a_held_post_notifies_nobody(camille, hugo, club, on_commit):
    GroupMembership.objects.create(group=club, user=hugo, follows_closely=True)
    post = PostFactory(author=camille, group=club, status=Post.Status.HELD)
    with on_commit():
        signals.post_created.send(sender=Post, post=post, actor=camille)
    assert not Notification.objects.exists()


def test_a_suspended_or_inactive_recipient_gets_nothing(camille, hugo, on_commit):
    hugo.is_active = False
    hugo.save()
    with on_commit():
        posts.create_post(actor=camille, body="Bonjour @hugo")
    assert not Notification.objects.exists()


# Retries, preferences, deletions ----------------------------------------------------------------


def task_kwargs(*, kind, recipients, actor, target, event_key):
    from django.contrib.contenttypes.models import ContentType

    return {
        "kind": kind,
        "recipients": recipients,
        "actor_id": actor.pk,
        "target_type_id": ContentType.objects.get_for_model(target).pk,
        "target_id": target.pk,
        "event_key": event_key,
        "url": target.get_absolute_url(),
        "data": {},
    }


def test_a_retried_task_creates_one_notification_per_recipient(camille, hugo, club):
    members = [add_member(club).user for _ in range(3)] + [hugo]
    post = PostFactory(author=camille, group=club)
    kwargs = task_kwargs(
        kind=Kind.MENTION,
        recipients=[m.pk for m in members],
        actor=camille,
        target=post,
        event_key=f"mention:post:{post.pk}",
    )
    create_notifications_task.apply(kwargs=kwargs).get()
    create_notifications_task.apply(kwargs=kwargs).get()
    assert Notification.objects.count() == 4
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        m.pk for m in members
    )


def test_a_kind_turned_off_creates_nothing(camille, hugo, on_commit):
    NotificationPreference.objects.create(user=hugo, kind=Kind.MENTION, channel="off")
    with on_commit():
        posts.create_post(actor=camille, body="Bonjour @hugo")
    assert not Notification.objects.exists()


def test_a_deleted_post_takes_its_notifications_along(camille, hugo, on_commit):
    post = PostFactory(author=camille)
    CommentFactory(post=post, author=camille)
    with on_commit():
        posts.react(actor=hugo, post=post, kind="like")
        comment = posts.add_comment(actor=camille, post=post, body="@hugo merci")
    assert Notification.objects.count() == 2
    assert service.unread_count(camille) == 1
    post.delete()
    assert not Notification.objects.exists()
    assert service.unread_count(camille) == 0  # the header's cached count follows
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_the_fan_out_costs_the_same_queries_for_5_or_50_recipients(camille, club):
    post = PostFactory(author=camille, group=club)

    def fan_out(count, key):
        members = [add_member(club).user for _ in range(count)]
        kwargs = task_kwargs(
            kind=Kind.MENTION,
            recipients=[m.pk for m in members],
            actor=camille,
            target=post,
            event_key=key,
        )
        with CaptureQueriesContext(connection) as queries:
            service.create_notifications(**kwargs)
        return len(queries)

    assert fan_out(5, "a") == fan_out(50, "b")


def test_a_group_of_members_is_resolved_by_the_task(camille, club):
    """notify() with a GroupAudience queues ids only; the task finds the members."""
    followers = []
    for _ in range(3):
        membership = add_member(club)
        membership.follows_closely = True
        membership.save()
        followers.append(membership.user)
    post = PostFactory(author=camille, group=club)
    kwargs = task_kwargs(
        kind=Kind.GROUP_POST,
        recipients=service.GroupAudience(club.pk, follows_closely=True).as_json(),
        actor=camille,
        target=post,
        event_key=f"post:{post.pk}",
    )
    create_notifications_task.apply(kwargs=kwargs).get()
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        f.pk for f in followers
    }


def test_the_list_costs_the_same_queries_for_5_or_50_notifications(client, camille, club):
    """Each notification comes from its own post and actor: nothing groups them."""

    def add(count):
        for _ in range(count):
            actor = add_member(club).user
            post = PostFactory(author=actor, group=club)
            service.create_notifications(
                **task_kwargs(
                    kind=Kind.MENTION,
                    recipients=[camille.pk],
                    actor=actor,
                    target=post,
                    event_key=f"mention:post:{post.pk}",
                )
            )

    def queries_of(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        return len(queries)

    client.force_login(camille)
    add(5)
    client.get(reverse("network:notifications"))  # warm the per-process caches
    few = (queries_of(reverse("network:notifications")), queries_of("/api/v1/notifications"))
    add(45)
    client.get(reverse("network:notifications"))  # the header's unread count, cached again
    many = (queries_of(reverse("network:notifications")), queries_of("/api/v1/notifications"))
    assert few == many
