"""Following members and organisations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import InvalidInput, NotAllowed, NotFound, RateLimited
from network import signals
from network.models import Follow
from network.services import follows as services
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    """The `followed` signals sent during the test."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    signals.followed.connect(receiver)
    yield calls
    signals.followed.disconnect(receiver)


@pytest.fixture
def hugo():
    return UserFactory(username="hugo", display_name="Hugo Kerbrat")


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Boulangerie du Port")


def suspended():
    return UserFactory(suspended_until=timezone.now() + timedelta(days=1))


# Services ------------------------------------------------------------------------------------


def test_following_a_member_sends_followed_after_commit(
    user, hugo, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow = services.follow_user(actor=user, user=hugo)
    assert (follow.follower, follow.user, follow.organisation) == (user, hugo, None)
    assert received == [{"signal": signals.followed, "follow": follow, "actor": user}]


def test_following_twice_keeps_one_follow_and_tells_once(
    user, hugo, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.follow_user(actor=user, user=hugo)
        second = services.follow_user(actor=user, user=hugo)
    assert first.pk == second.pk
    assert Follow.objects.count() == 1
    assert len(received) == 1


def test_following_oneself_is_invalid(user):
    with pytest.raises(InvalidInput):
        services.follow_user(actor=user, user=user)
    assert not Follow.objects.exists()


def test_a_deactivated_account_cannot_be_followed(user, hugo):
    hugo.is_active = False
    hugo.save()
    with pytest.raises(NotFound):
        services.follow_user(actor=user, user=hugo)


def test_a_suspended_member_cannot_follow_but_can_unfollow(hugo, organisation):
    member = suspended()
    Follow.objects.create(follower=member, user=hugo)
    with pytest.raises(NotAllowed):
        services.follow_organisation(actor=member, organisation=organisation)
    with pytest.raises(NotAllowed):
        services.follow_user(actor=UserFactory(suspended_until=member.suspended_until), user=hugo)
    services.unfollow_user(actor=member, user=hugo)
    assert not Follow.objects.exists()


def test_a_visitor_cannot_follow(hugo):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        services.follow_user(actor=AnonymousUser(), user=hugo)


def test_following_and_unfollowing_an_organisation(
    user, organisation, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow = services.follow_organisation(actor=user, organisation=organisation)
        services.follow_organisation(actor=user, organisation=organisation)
    assert follow.organisation == organisation and follow.user is None
    assert len(received) == 1
    services.unfollow_organisation(actor=user, organisation=organisation)
    services.unfollow_organisation(actor=user, organisation=organisation)  # idempotent
    assert not Follow.objects.exists()


def test_following_too_many_too_fast_is_limited(user):
    for _ in range(services.FOLLOW_LIMIT):
        services.follow_user(actor=user, user=UserFactory())
    with pytest.raises(RateLimited):
        services.follow_user(actor=user, user=UserFactory())
    assert Follow.objects.count() == services.FOLLOW_LIMIT


# Pages ---------------------------------------------------------------------------------------


def follow_url(hugo):
    return reverse("network:person_follow", args=[hugo.username])


def test_a_member_follows_and_unfollows_from_the_member_page(auth_client, user, hugo):
    response = auth_client.post(follow_url(hugo))
    assert response["Location"] == reverse("network:person", args=["hugo"])
    assert Follow.objects.filter(follower=user, user=hugo).exists()
    page = auth_client.get(reverse("network:person", args=["hugo"]))
    assert page.context["counts"].followers == 1
    assert 'data-testid="unfollow"' in page.content.decode()
    auth_client.post(reverse("network:person_unfollow", args=["hugo"]))
    assert not Follow.objects.exists()


def test_following_oneself_from_the_page_is_a_message(auth_client, user):
    response = auth_client.post(follow_url(user), follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not Follow.objects.exists()


def test_a_visitor_is_sent_to_log_in_and_nothing_changes(client, hugo, organisation):
    for url in (follow_url(hugo), reverse("network:organisation_follow", args=[organisation.slug])):
        response = client.post(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_a_suspended_member_gets_a_403_and_nothing_changes(client, hugo, organisation):
    client.force_login(suspended())
    assert client.post(follow_url(hugo)).status_code == 403
    assert (
        client.post(reverse("network:organisation_follow", args=[organisation.slug])).status_code
        == 403
    )
    assert not Follow.objects.exists()


def test_following_a_missing_member_or_organisation_is_a_404(auth_client):
    assert auth_client.post("/people/nobody/follow/").status_code == 404
    assert auth_client.post("/organisations/nothing/follow/").status_code == 404


def test_follow_actions_only_accept_post(auth_client, hugo):
    assert auth_client.get(follow_url(hugo)).status_code == 405
    assert not Follow.objects.exists()


def test_a_member_follows_an_organisation_from_its_page(auth_client, user, organisation):
    auth_client.post(reverse("network:organisation_follow", args=[organisation.slug]))
    page = auth_client.get(organisation.get_absolute_url())
    assert page.context["follower_count"] == 1
    assert page.context["is_following"] is True
    auth_client.post(reverse("network:organisation_unfollow", args=[organisation.slug]))
    assert not Follow.objects.exists()


def test_counts_of_followers_and_following_on_a_member_page(auth_client, hugo, organisation):
    for _ in range(3):
        Follow.objects.create(follower=UserFactory(), user=hugo)
    Follow.objects.create(follower=hugo, organisation=organisation)
    Follow.objects.create(follower=hugo, user=UserFactory())
    response = auth_client.get(reverse("network:person", args=["hugo"]))
    assert response.context["counts"].followers == 3
    assert response.context["counts"].following == 2
