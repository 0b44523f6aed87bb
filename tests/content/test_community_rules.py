"""The community rules page: seeded once at /community-rules/, numbered clauses, linked from
the footer of every page."""

import io

import pytest
from wagtail.models import Page

from content.demo.rules import CLAUSES, seed_rules
from content.models import CommunityRulesPage, HomePage


@pytest.fixture
def rules(db):
    seed_rules(home=HomePage.objects.get(depth=2), stdout=io.StringIO())
    return CommunityRulesPage.objects.get()


def test_the_rules_are_at_community_rules_with_numbered_clauses(client, rules):
    response = client.get("/community-rules/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Règles de la communauté" in html
    for number, (title, _text) in enumerate(CLAUSES, start=1):
        assert f'id="clause-{number}"' in html
        assert title in html


def test_seeding_twice_keeps_one_page(rules):
    seed_rules(home=HomePage.objects.get(depth=2), stdout=io.StringIO())

    assert CommunityRulesPage.objects.count() == 1


def test_the_footer_links_to_the_rules(client, rules):
    response = client.get("/en/community-rules/")

    assert response.status_code == 200
    assert 'href="/en/community-rules/"' in response.content.decode()


def test_only_one_rules_page_under_the_home_page(rules):
    assert not CommunityRulesPage.can_create_at(Page.objects.get(depth=2))
