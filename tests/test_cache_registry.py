"""Every declared cache (core.cache.register) misses once any model it names is saved or
deleted: one parametrized test over the registry, so a cache declared with a model this file
cannot make fails here (add its maker below)."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from wagtail.images import get_image_model_string
from wagtail.images.tests.utils import get_image_model, get_test_image_file
from wagtail.models import Page, PageViewRestriction, Site

from core.cache import _as_args, registered
from network.models import (
    BlockedWord,
    Follow,
    ModerationSettings,
    Notification,
    PostImage,
    TrustSettings,
)
from tests.campaigns import factories as campaign_factories
from tests.factories import UserFactory
from tests.network.factories import (
    GroupFactory,
    OrganisationFactory,
    PostFactory,
    add_member,
    add_organisation_member,
)


def _auth_group():
    group = AuthGroup.objects.create(name="Relecteurs")
    UserFactory().groups.add(group)
    return group


def _tagged_post():
    post = PostFactory()
    post.tags.add("granit")
    return post


def _page():
    return Page.get_first_root_node().add_child(instance=Page(title="Plage", slug="plage"))


def _organisation_membership():
    organisation = OrganisationFactory()
    Follow.objects.create(follower=UserFactory(), organisation=organisation)
    add_organisation_member(organisation, UserFactory())
    return organisation.memberships.get()


def _area():
    from content.models import Area

    return Area.objects.create(name="Kerlann", slug="kerlann", kind="commune")


def _tracked_link():
    from ambassadors.models import TrackedLink

    return TrackedLink.objects.create(
        code="Plage123", owner=UserFactory(), page=_page(), target="/plage/?utm_source=x"
    )


def _ambassador_profile():
    from tests.ambassadors.factories import ambassador

    return ambassador().ambassador_profile


def _tagged_profile(field):
    profile = _ambassador_profile()
    getattr(profile, field).add("voile")
    return getattr(profile, field).through.objects.get(content_object=profile)


def _badge():
    from ambassadors.models import Badge

    return Badge.objects.create(slug="pionnier", name="Pionnier", rule="manual")


def _badge_award():
    from ambassadors.models import BadgeAward

    return BadgeAward.objects.create(user=_ambassador_profile().user, badge=_badge())


def _point_total():
    from ambassadors.models import PointTotal

    return PointTotal.objects.create(user=_ambassador_profile().user, period="2026", points=3)


def _recognition_settings():
    from ambassadors.models import RecognitionSettings

    return RecognitionSettings.load()


def _engagement(accepted=False):
    from ambassadors.campaigns.services import casting

    agent, person = campaign_factories.staff(), campaign_factories.creator()
    campaign = campaign_factories.brief(agent)
    (engagement,) = casting.invite(actor=agent, campaign=campaign, creators=[person])
    if accepted:
        return casting.accept(actor=person, campaign=campaign)
    return engagement


def _deliverable():
    from ambassadors.campaigns.models import Deliverable

    return Deliverable.objects.create(
        engagement=_engagement(), platform="instagram", text="Publicité · phare"
    )


# An instance of each model a cache names, with what its change makes stale in place (the
# members of a group, the posts with a tag, the followers of an organisation).
MAKERS = {
    "auth.Group": _auth_group,
    "network.Follow": lambda: Follow.objects.create(follower=UserFactory(), user=UserFactory()),
    "network.GroupMembership": lambda: add_member(GroupFactory(), UserFactory()),
    "network.OrganisationMembership": _organisation_membership,
    "taggit.TaggedItem": lambda: _tagged_post().tagged_items.get(),
    "taggit.Tag": lambda: _tagged_post().tags.get(),
    "network.PostImage": lambda: PostImage.objects.create(
        post=PostFactory(), image="posts/vue.jpg", width=4, height=3
    ),
    "network.Notification": lambda: Notification.objects.create(
        recipient=UserFactory(), kind="follow", event_key="follow:1"
    ),
    "network.BlockedWord": lambda: BlockedWord.objects.create(pattern="arnaque"),
    "network.ModerationSettings": ModerationSettings.load,
    "network.TrustSettings": TrustSettings.load,
    "wagtailcore.Page": _page,
    "wagtailcore.PageViewRestriction": lambda: PageViewRestriction.objects.create(
        page=_page(), restriction_type=PageViewRestriction.LOGIN
    ),
    "content.Area": _area,
    "ambassadors.Profile": _ambassador_profile,
    "ambassadors.ProfileInterest": lambda: _tagged_profile("interests"),
    "ambassadors.ProfileSkill": lambda: _tagged_profile("skills"),
    "ambassadors.Badge": _badge,
    "ambassadors.BadgeAward": _badge_award,
    "ambassadors.Licence": lambda: _ambassador_profile().user.ambassador_licence,
    "ambassadors.PointTotal": _point_total,
    "ambassadors.RecognitionSettings": _recognition_settings,
    get_image_model_string(): lambda: get_image_model().objects.create(
        title="Vue", file=get_test_image_file(size=(8, 8))
    ),
    "ambassadors.Campaign": lambda: campaign_factories.brief(),
    "ambassadors.DeliverableSpec": lambda: campaign_factories.brief().deliverable_specs.get(),
    "ambassadors.Engagement": _engagement,
    "ambassadors.Deliverable": _deliverable,
    "ambassadors.LedgerLine": lambda: _engagement(accepted=True).ledger_lines.first(),
    "ambassadors.CreatorPlatform": lambda: (
        campaign_factories.creator().creator_profile.platforms.get()
    ),
    "ambassadors.TrackedLink": _tracked_link,
    "wagtailcore.Site": lambda: Site.objects.create(
        hostname="ailleurs.example", root_page=Page.get_first_root_node()
    ),
}
# A generation cache's entries are all abandoned at once: any entry shows it.
PROBES = {
    "content.listings": (1, "fr:Europe/Paris:probe"),
    "network.moderation-rules": (),
    "ambassadors.markers": ("public",),
    "ambassadors.directory": ("public/public", "fr", "probe"),
    "ambassadors.leaderboard": ("probe",),
    "ambassadors.directory-page": ("probe",),
    "ambassadors.leaderboard-page": ("probe",),
    "campaigns.report-data": (1, "fr"),
}

CASES = [
    pytest.param(cached, label, id=f"{cached.name}:{label}")
    for cached in registered()
    for label in cached.stale_on
]


def _entries(cached, label, instance) -> list[tuple]:
    if cached.generation is not None:
        return [PROBES[cached.name]]
    entries = [_as_args(args) for args in cached.stale_on[label](instance)]
    assert entries, "the maker must give the change something to make stale"
    return entries


def _cache_then(cached, entries, change, capture) -> None:
    for args in entries:
        cached.set("before", *args)
        assert cached.get(*args) == "before"
    with capture(execute=True):
        change()
    for args in entries:
        assert cached.get(*args) is None, f"{cached.name} kept {args}"


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize(("cached", "label"), CASES)
def test_a_save_and_a_delete_make_the_declared_cache_miss(
    cached, label, django_capture_on_commit_callbacks
):
    instance = MAKERS[label]()
    entries = _entries(cached, label, instance)
    _cache_then(cached, entries, instance.save, django_capture_on_commit_callbacks)
    _cache_then(cached, entries, instance.delete, django_capture_on_commit_callbacks)


@pytest.mark.django_db
def test_joining_and_leaving_a_group_make_the_role_names_miss(django_capture_on_commit_callbacks):
    from core.caches import ROLE_NAMES

    member, group = UserFactory(), AuthGroup.objects.create(name="Relecteurs")
    for change in (
        lambda: member.groups.add(group),
        lambda: group.user_set.remove(member),
        lambda: group.user_set.add(member),
        lambda: member.groups.clear(),
    ):
        _cache_then(ROLE_NAMES, [(member.pk,)], change, django_capture_on_commit_callbacks)


def test_every_cache_is_declared_once_with_a_reason_to_be_kept():
    names = [cached.name for cached in registered()]
    assert len(names) == len(set(names))
    assert all(cached.gain for cached in registered())
    # Those whose changes come through models are the ones the test above covers.
    assert {"roles.names", "network.unread-counts", "content.listings"} <= set(names)
