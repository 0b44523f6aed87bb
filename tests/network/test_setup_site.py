"""`manage.py setup_site`: a fresh database after `migrate` gets the pages every menu and
footer link needs, the Site's public name and the moderators group, without the demo."""

from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Page, Site

from content.models import (
    AccessibilityStatementPage,
    Area,
    CommunityRulesPage,
    DestinationIndexPage,
    DestinationPage,
    EventIndexPage,
    StoryIndexPage,
    ToolkitPage,
)
from network.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    """The site's own links in the page's header and footer."""

    def __init__(self):
        super().__init__()
        self.hrefs, self._depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"header", "footer"}:
            self._depth += 1
        href = dict(attrs).get("href")
        if tag == "a" and self._depth and href and href.startswith("/"):
            self.hrefs.append(urlsplit(href).path)

    def handle_endtag(self, tag):
        if tag in {"header", "footer"}:
            self._depth -= 1


def setup_site(*args):
    out = StringIO()
    call_command("setup_site", "--host", "territory.example", *args, stdout=out)
    return out.getvalue()


def links_of(response) -> list[str]:
    parser = Links()
    parser.feed(response.content.decode())
    return list(dict.fromkeys(parser.hrefs))


def test_every_menu_and_footer_link_answers_200_for_a_visitor(client):
    setup_site()
    home = client.get("/")
    assert home.status_code == 200
    links = links_of(home)
    assert {"/destinations/", "/stories/", "/events/", "/community-rules/"} <= set(links)

    answers = {link: client.get(link, follow=True).status_code for link in links}
    assert answers == dict.fromkeys(links, 200)
    assert client.get(ToolkitPage.objects.get().url).status_code == 200


def test_every_menu_link_answers_200_for_the_admin(client):
    setup_site("--admin", "admin@territory.example")
    admin = User.objects.get(email="admin@territory.example")
    client.force_login(admin)
    links = links_of(client.get("/"))
    assert {reverse("network:feed"), reverse("network:moderation_queue")} <= set(links)

    answers = {link: client.get(link, follow=True).status_code for link in links}
    assert answers == dict.fromkeys(links, 200)


def test_it_points_the_site_at_the_public_host():
    setup_site("--port", "443", "--name", "Presqu'île de Morvellec")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.site_name) == (
        "territory.example",
        443,
        "Presqu'île de Morvellec",
    )
    assert site.root_url == "https://territory.example"


def test_it_creates_the_first_pages_without_demo_data():
    setup_site()
    for model in (DestinationIndexPage, StoryIndexPage, EventIndexPage, ToolkitPage):
        assert model.objects.live().count() == 1
    assert CommunityRulesPage.objects.get().url_path.endswith("/community-rules/")
    assert not DestinationPage.objects.exists()
    assert not Area.objects.exists()
    assert not User.objects.exists()


def test_a_second_run_creates_nothing_and_keeps_what_staff_edited():
    setup_site()
    stories = StoryIndexPage.objects.get()
    stories.title = "Histoires"
    stories.save_revision().publish()
    pages = Page.objects.count()

    output = setup_site()

    assert Page.objects.count() == pages
    assert StoryIndexPage.objects.get().title == "Histoires"
    assert "page created" not in output


def test_it_recreates_a_missing_moderators_group():
    Group.objects.filter(name="Moderators").delete()
    setup_site()
    assert Group.objects.filter(name="Moderators").exists()


def test_admin_creates_a_superuser_with_a_verified_address_and_no_usable_password():
    output = setup_site("--admin", "Admin@Territory.example")
    admin = User.objects.get()
    assert admin.is_superuser and admin.is_staff
    assert not admin.has_usable_password()
    assert "changepassword" in output
    address = EmailAddress.objects.get(user=admin)
    assert address.verified and address.primary


def test_admin_promotes_an_existing_account_and_verifies_its_address():
    member = UserFactory(username="gwen", email="gwen@territory.example")
    EmailAddress.objects.filter(user=member).update(verified=False)
    setup_site("--admin", "gwen@territory.example")
    member.refresh_from_db()
    assert member.is_superuser and member.has_usable_password()
    assert EmailAddress.objects.get(user=member).verified


@pytest.mark.parametrize(
    "args, message",
    [
        (["--host", "https://territory.example"], "host name only"),
        (["--host", "territory.example", "--port", "0"], "between 1 and 65535"),
        (["--host", "territory.example", "--admin", "not-an-address"], "--admin"),
    ],
)
def test_bad_arguments_are_refused_before_anything_changes(args, message):
    pages = Page.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("setup_site", *args, stdout=StringIO())
    assert Page.objects.count() == pages
    assert Site.objects.get().hostname == "localhost"


def test_it_publishes_an_accessibility_statement_the_footer_links_to(client):
    output = setup_site("--name", "Presqu'île <de> Morvellec")
    statement = AccessibilityStatementPage.objects.live().get()
    assert statement.compliance == AccessibilityStatementPage.Compliance.NONE
    assert "« Presqu&#x27;île &lt;de&gt; Morvellec »" in statement.intro
    assert "page created: Déclaration d'accessibilité" in output
    assert statement.url in links_of(client.get("/"))
    assert client.get(statement.url).status_code == 200

    setup_site()
    assert AccessibilityStatementPage.objects.count() == 1
