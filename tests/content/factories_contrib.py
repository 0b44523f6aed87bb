"""Data for the contribution tests: a destination to suggest on, people in the right groups."""

from django.contrib.auth.models import Group
from django.utils import timezone

from content.models import DestinationIndexPage, DestinationPage, HomePage, StoryIndexPage
from tests.factories import UserFactory


def home() -> HomePage:
    return HomePage.objects.get(depth=2)


def destination_index() -> DestinationIndexPage:
    index = DestinationIndexPage.objects.first()
    if index is None:
        index = home().add_child(
            instance=DestinationIndexPage(title="Destinations", slug="destinations")
        )
    return index


def story_index() -> StoryIndexPage:
    index = StoryIndexPage.objects.first()
    if index is None:
        index = home().add_child(instance=StoryIndexPage(title="Récits", slug="stories"))
    return index


def destination(
    *, title="Pointe du Raz", intro="Une pointe battue par les vents.", live=True, **fields
) -> DestinationPage:
    page = destination_index().add_child(
        instance=DestinationPage(title=title, intro=intro, live=live, **fields)
    )
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return DestinationPage.objects.get(pk=page.pk)


def person(username, *groups, **fields):
    user = UserFactory(username=username, **fields)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def contributor(username="camille", **fields):
    return person(username, "Contributors", **fields)


def moderator(username="agence", **fields):
    return person(username, "Editors", "Moderators", **fields)


def today():
    return timezone.localdate()


def ensure_migrated_data() -> None:
    """Recreate what the migrations put in the database (page tree root, home page, site,
    Wagtail's staff groups and their page permissions) when an earlier transactional test
    has flushed it all away."""
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from wagtail.models import Collection, GroupPagePermission, Locale, Page, Site

    if HomePage.objects.filter(depth=2).exists():
        return
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home_page = root.add_child(instance=HomePage(title="Accueil", slug="home", locale=locale))
    Site.objects.create(hostname="localhost", port=80, root_page=home_page, is_default_site=True)
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    page_permissions = {
        codename: Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        for codename in ["add_page", "change_page", "publish_page"]
    }
    for name, codenames in [
        ("Moderators", ["add_page", "change_page", "publish_page"]),
        ("Editors", ["add_page", "change_page"]),
    ]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=page_permissions[codename]
            )
