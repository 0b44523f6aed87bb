"""Trust levels: computed from tenure, approved contributions and upheld reports, lifted by a
staff grant, and what each level unlocks as staff set it (TrustSettings)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import NotAllowed
from network import trust
from network.models import Case, Post, TrustSettings
from network.permissions import can_create_group, can_post_links
from network.services import moderation
from network.services.groups import create_group
from network.services.posts import create_post
from tests.factories import UserFactory
from tests.network.factories import PostFactory
from tests.network.test_posts import image_upload

pytestmark = pytest.mark.django_db


def set_trust(**values) -> TrustSettings:
    settings = TrustSettings.load()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def warm_rules() -> None:
    """As on a running site: the settings' rows exist (a first load creates the row, which
    bumps the rules' generation) and the rules are cached."""
    TrustSettings.load()
    moderation.ModerationSettings.load()
    trust.rules()


def member(days=0, posts=0, **fields):
    user = UserFactory(date_joined=timezone.now() - timedelta(days=days, hours=1), **fields)
    for _number in range(posts):
        PostFactory(author=user)
    return user


def upheld_decision_against(user, *, reversed_=False):
    staff = UserFactory(is_staff=True)
    post = PostFactory(author=user)
    moderation.report(actor=UserFactory(), target=post, reason="spam", explanation="Pub")
    decision = moderation.decide(
        actor=staff,
        case=Case.objects.get(target_id=post.pk),
        action="remove",
        facts="f",
        ground="g",
    )
    if reversed_:
        type(decision).objects.filter(pk=decision.pk).update(reversed_at=timezone.now())
    return decision


# Levels ------------------------------------------------------------------------------------------


def test_a_new_member_is_level_0():
    assert trust.trust_level(member()) == 0


@pytest.mark.parametrize(
    ("days", "posts", "level"),
    [(0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, 1), (15, 9, 1), (15, 10, 2), (60, 50, 3)],
)
def test_the_level_follows_tenure_and_approved_contributions(days, posts, level):
    assert trust.trust_level(member(days, posts)) == level


def test_held_or_hidden_posts_do_not_count():
    user = member(days=2)
    PostFactory(author=user, status=Post.Status.HELD)
    PostFactory(author=user, status=Post.Status.HIDDEN)

    assert trust.trust_level(user) == 0


def test_the_thresholds_are_the_settings_staff_chose():
    set_trust(level1_days=0, level1_posts=0)

    assert trust.trust_level(member()) == 1


def test_an_upheld_report_holds_the_member_back_and_a_reversed_one_does_not():
    held_back, cleared = member(days=20, posts=12), member(days=20, posts=12)
    upheld_decision_against(held_back)
    upheld_decision_against(cleared, reversed_=True)

    assert trust.trust_levels([held_back, cleared]) == {held_back.pk: 0, cleared.pk: 2}


def test_a_staff_grant_lifts_a_member_but_never_lowers_them():
    lifted = member(trust_level_granted=4)
    earned = member(days=20, posts=12, trust_level_granted=1)

    assert trust.trust_levels([lifted, earned]) == {lifted.pk: 4, earned.pk: 2}


def test_agency_staff_are_level_4():
    assert trust.trust_level(UserFactory(is_staff=True)) == 4


def test_a_registered_source_counts_as_approved_contributions():
    """How ambassadors' approved missions plug in, without network importing ambassadors."""
    user, other = member(days=1), member(days=1)
    trust.register_trust_source("tests.missions", lambda user_ids: {user.pk: 1})
    try:
        assert trust.trust_levels([user, other]) == {user.pk: 1, other.pk: 0}
    finally:
        trust.unregister_trust_source("tests.missions")


def test_levels_of_one_member_or_twenty_cost_the_same_queries(django_assert_num_queries):
    one, twenty = [member(days=2)], [member(days=2) for _number in range(20)]
    warm_rules()

    # Published posts per author, upheld decisions per member, and one query per source other
    # apps register (the ambassadors' approved missions): the same for one member or twenty.
    expected = 2 + len(trust._sources)
    with django_assert_num_queries(expected):
        trust.trust_levels(one)
    with django_assert_num_queries(expected):
        trust.trust_levels(twenty)


def test_saving_the_settings_forgets_the_cached_rules():
    assert trust.rules()["links_level"] == 0

    set_trust(links_level=2)

    assert trust.rules()["links_level"] == 2


# What levels unlock ------------------------------------------------------------------------------


def test_with_the_default_settings_everyone_may_post_links_and_images_without_a_level_query(
    django_assert_num_queries,
):
    user = member()
    warm_rules()

    with django_assert_num_queries(0):
        assert can_post_links(user)
        assert can_create_group(user)


@pytest.mark.parametrize(
    ("body", "images"),
    [
        ("Voir https://example.org/ ici", ()),
        ('<a href="https://example.org/">le site</a>', ()),
        ("Vue du phare", "image"),
    ],
)
def test_a_level_0_member_may_not_post_links_or_images_when_they_need_level_1(body, images):
    set_trust(links_level=1, images_level=1)
    newcomer = member()
    images = [image_upload()] if images else []

    with pytest.raises(NotAllowed):
        create_post(actor=newcomer, body=body, images=images)
    assert not Post.objects.filter(author=newcomer).exists()


def test_a_level_1_member_posts_links_and_images():
    set_trust(links_level=1, images_level=1)
    regular = member(days=2, posts=1)

    post = create_post(actor=regular, body="Voir https://example.org/", images=[image_upload()])

    assert post.status == Post.Status.PUBLISHED and post.images.count() == 1


def test_a_post_without_links_needs_no_level():
    set_trust(links_level=3)

    assert create_post(actor=member(), body="Bonjour à tous").status == Post.Status.PUBLISHED


def test_creating_a_group_needs_the_level_staff_chose():
    set_trust(create_group_level=2)

    with pytest.raises(NotAllowed):
        create_group(
            actor=member(days=2, posts=1), name="Club", visibility="public", join_policy="open"
        )
    group = create_group(
        actor=member(trust_level_granted=2), name="Club", visibility="public", join_policy="open"
    )
    assert group.pk


def test_members_at_the_unheld_level_skip_the_first_posts_hold():
    moderation_settings = moderation.ModerationSettings.load()
    moderation_settings.held_first_posts = 3
    moderation_settings.save()
    set_trust(unheld_level=1)

    newcomer_post = create_post(actor=member(), body="Bonjour")
    known_post = create_post(actor=member(trust_level_granted=1), body="Bonjour")

    assert newcomer_post.status == Post.Status.HELD
    assert known_post.status == Post.Status.PUBLISHED


def test_a_trusted_members_report_weighs_more():
    """Three members' reports hide a post; a trusted member's counts for two."""
    set_trust(heavy_flag_level=3, heavy_flag_weight=2)
    post = PostFactory(author=member())

    moderation.report(actor=member(), target=post, reason="spam", explanation="Pub")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    moderation.report(actor=member(trust_level_granted=3), target=post, reason="spam")
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN


# What the member sees ----------------------------------------------------------------------------


def test_the_account_page_shows_the_level_and_what_the_next_one_needs(client):
    user = member(days=3, posts=1)
    set_trust(links_level=2)
    client.force_login(user)

    response = client.get(reverse("account_profile"), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="trust-level"' in page
    assert response.context["trust"]["level"] == 1
    assert response.context["trust"]["next"] == 2
    assert [need["met"] for need in response.context["trust"]["needs"]] == [False, False, True]
    assert ("links", 2) in response.context["trust"]["locked"]
