"""The site's navigation and footer are rendered once per language and kind of visitor
(templates/includes/header.html, footer.html): what differs between visitors never leaks."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _nav(client, language="fr") -> str:
    with translation.override(language):
        url = reverse("network:groups")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return page[page.index('class="site-nav__list"') : page.index('class="site-nav__account"')]


def test_each_kind_of_visitor_gets_its_own_navigation_from_a_warm_cache(client):
    feed_link = f'href="{reverse("network:feed")}"'
    moderation_link = f'href="{reverse("network:moderation_queue")}"'

    anonymous = _nav(client)
    assert feed_link not in anonymous

    member = UserFactory()
    client.force_login(member)
    as_member = _nav(client)
    assert feed_link in as_member
    assert moderation_link not in as_member

    client.force_login(UserFactory(is_staff=True))
    assert moderation_link in _nav(client)

    client.force_login(member)
    assert _nav(client) == as_member
    client.logout()
    assert _nav(client) == anonymous


def test_each_language_gets_its_own_navigation_and_footer(client):
    french = client.get(reverse("network:groups"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("en"):
        url = reverse("network:groups")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Agenda<" in french
    assert ">Events<" in english
    assert ">Agenda<" not in english
    assert "Règles de la communauté" in french
    assert "Community rules" in english
