"""Pages kept fresh on a schedule (destinations, welcome packs) and the people who keep them."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.users.models import UserProfile

from content.models import DestinationIndexPage, DestinationPage, HomePage, WelcomePackPage
from tests.factories import UserFactory


def destination_index() -> DestinationIndexPage:
    index = DestinationIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.get(depth=2)
        index = home.add_child(instance=DestinationIndexPage(title="Destinations", slug="dest"))
    return index


def _review_fields(days_overdue, interval):
    """`days_overdue` > 0: past due by that many days; < 0: due in that many days."""
    today = timezone.localdate()
    return {
        "review_interval_days": interval,
        "last_reviewed_at": today - timedelta(days=interval + days_overdue),
    }


def make_destination(
    title, *, days_overdue=10, interval=180, maintainers=(), live=True
) -> DestinationPage:
    page = DestinationPage(title=title, live=live, **_review_fields(days_overdue, interval))
    destination_index().add_child(instance=page)
    if maintainers:
        page.maintainers.set(maintainers)
        page.save()
    revision = page.save_revision()
    if live:
        revision.publish()
    return DestinationPage.objects.get(pk=page.pk)


def make_welcome_pack(title, *, days_overdue=10, interval=180, maintainers=()) -> WelcomePackPage:
    home = HomePage.objects.get(depth=2)
    page = WelcomePackPage(title=title, **_review_fields(days_overdue, interval))
    home.add_child(instance=page)
    if maintainers:
        page.maintainers.set(maintainers)
        page.save()
    page.save_revision().publish()
    return WelcomePackPage.objects.get(pk=page.pk)


def member_of(group_name, *, admin_language="en", **kwargs):
    """A user in one of Wagtail's default groups: "Moderators" may publish any page,
    "Editors" may add and change pages but not publish them. The admin speaks
    `admin_language` to them (tests read English strings)."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = admin_language
    profile.save()
    return user
