"""Shared pages (core/pages.py): a page rendered once for every viewer with the same roles,
the viewer's own parts filled in at each request. Tried on the ambassadors' directory, which
serves every viewer this way (their own card put in afterwards)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ambassadors.caches import DIRECTORY_PAGE
from core import pages
from core.pages import csrf_placeholder, marker
from network.models import Notification
from tests.ambassadors.factories import ambassador
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/ambassadors/"


@pytest.fixture(autouse=True)
def listed():
    return ambassador(UserFactory(display_name="Annick Listée"), visibility="public")


def _name(html):
    return re.search(r'data-testid="account-link">([^<]*)<', html).group(1)


def _page(client, path=DIRECTORY):
    response = client.get(path)
    assert response.status_code == 200
    return response.text


def test_each_member_sees_their_own_account_on_the_shared_page(client):
    client.force_login(UserFactory(display_name="Maël Premier"))
    assert _name(_page(client)) == "Maël Premier"
    client.force_login(UserFactory(display_name="Solène Seconde"))
    _page(client)  # their own facts (roles, badge, licence) read once, then cached
    with CaptureQueriesContext(connection) as queries:
        html = _page(client)
    assert _name(html) == "Solène Seconde"
    assert "Maël Premier" not in html
    # Served from the shared entry: the session and the member only.
    assert len(queries) <= 2, [query["sql"] for query in queries]
    assert "Annick Listée" in html


def test_the_csrf_token_is_the_viewers_own_and_works(client):
    member = UserFactory()
    client.force_login(UserFactory())
    _page(client)  # the shared entry, made by someone else
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    html = _page(browser)
    assert csrf_placeholder() not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session


def test_viewers_with_other_roles_get_other_pages(client):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    client.force_login(moderator)
    assert "/moderation/" in _page(client)
    client.force_login(UserFactory())
    assert "/moderation/" not in _page(client)
    client.logout()
    html = _page(client)
    assert 'data-testid="account-link"' not in html and "/accounts/login/" in html


def test_the_account_menu_follows_what_it_shows(client):
    member = UserFactory(display_name="Avant")
    client.force_login(member)
    html = _page(client)
    assert 'data-testid="notifications-unread"' not in html
    assert "/stories/propose/" not in html and "/admin/" not in html

    Notification.objects.create(recipient=member, kind="follow", event_key="follow:1")
    assert 'data-testid="notifications-unread"' in _page(client)

    member.display_name = "Après"
    member.save()
    client.force_login(member)
    assert _name(_page(client)) == "Après"

    member.groups.add(Group.objects.get_or_create(name="Contributors")[0])
    html = _page(client)
    assert re.search(r'href="[^"]*propose[^"]*"', html)

    member.is_superuser = True
    member.save()
    client.force_login(member)
    assert 'href="/admin/"' in _page(client)


def test_the_language_switch_names_the_page_asked(client):
    client.force_login(UserFactory())
    _page(client)
    html = _page(client, f"{DIRECTORY}?area=nowhere")
    assert 'name="next" value="/ambassadors/?area=nowhere"' in html


def test_a_name_written_like_a_marker_stays_text(client):
    client.force_login(UserFactory(display_name=str(marker("includes/header_account.html"))))
    html = _page(client)
    assert html.count('class="account-menu__summary"') == 1
    assert "&lt;!--" in _name(html)


def test_a_flash_message_is_shown_to_its_member_only(client, password):
    member = UserFactory()
    member.set_password(password)
    member.save()
    response = client.post(
        "/accounts/login/", {"login": member.username, "password": password, "next": DIRECTORY}
    )
    assert response.status_code == 302
    html = _page(client)
    assert 'class="messages container"' in html
    other = Client()
    other.force_login(UserFactory())
    assert 'class="messages container"' not in _page(other)


def test_a_change_to_what_the_page_shows_forgets_it(client, listed):
    client.force_login(UserFactory())
    assert "Annick Listée" in _page(client)
    listed.display_name = "Annick Renommée"
    listed.save()
    html = _page(client)
    assert "Annick Renommée" in html and "Annick Listée" not in html


def test_the_shared_entry_is_per_language(client):
    client.force_login(UserFactory())
    assert '<html lang="fr">' in _page(client)
    assert '<html lang="en">' in _page(client, f"/en{DIRECTORY}")
    assert DIRECTORY_PAGE.generation is not None


def _count_renders(monkeypatch) -> list:
    """The shared pages rendered from here on (a hit renders none)."""
    renders = []
    render = pages.render_to_string

    def counted(template_name, *args, **kwargs):
        renders.append(template_name)
        return render(template_name, *args, **kwargs)

    monkeypatch.setattr(pages, "render_to_string", counted)
    return renders


def test_parameters_the_page_does_not_read_share_its_entry(client, monkeypatch):
    # A link's utm_source, a cache-buster: not a new entry each (anyone could fill the cache
    # with pages by varying them), and the language switch still names the page asked.
    renders = _count_renders(monkeypatch)
    for n in range(3):
        html = _page(client, f"{DIRECTORY}?utm_source=n{n}&q=")
        assert f'name="next" value="{DIRECTORY}?utm_source=n{n}&amp;q="' in html
    assert len(renders) == 1
    assert "Annick Listée" in html
    assert "Annick Listée" not in _page(client, f"{DIRECTORY}?q=Personne")
    assert len(renders) == 2


def test_a_flash_message_does_not_cost_the_member_their_own_card(client, password):
    owner = ambassador(visibility="private", headline="Seulement moi")
    owner.set_password(password)
    owner.save()
    response = client.post(
        "/accounts/login/", {"login": owner.username, "password": password, "next": DIRECTORY}
    )
    assert response.status_code == 302
    html = _page(client)
    assert 'class="messages container"' in html  # rendered for them alone
    assert "Seulement moi" in html
