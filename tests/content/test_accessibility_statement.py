"""The accessibility statement (RGAA 4.1): a page staff edit in Wagtail, seeded for the demo,
linked from every page's footer with its conformity level."""

import io

import pytest
from django.core.cache import caches

from content.demo.accessibility import seed_accessibility
from content.models import AccessibilityStatementPage, HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    caches["local"].clear()  # the footer is a cached fragment
    seed_accessibility(home=HomePage.objects.get(depth=2), stdout=io.StringIO())
    return AccessibilityStatementPage.objects.get()


def test_the_statement_says_the_level_the_gaps_the_contact_and_the_recourse(client, statement):
    response = client.get("/accessibilite/")

    assert response.status_code == 200
    text = response.text
    assert "partiellement conforme" in text
    assert "RGAA" in text and "4.1" in text
    assert "Non-conformités" in text
    assert "mailto:accessibilite@morvellec.example" in text
    assert "Défenseur des droits" in text and "Libre réponse 71120" in text


def test_the_statement_is_in_english_under_en(client, statement):
    response = client.get("/en/accessibilite/")

    assert "partially compliant" in response.text
    assert "Recourse" in response.text


def test_every_page_links_to_the_statement_with_its_level(client, statement):
    response = client.get("/")

    assert 'href="/accessibilite/"' in response.text
    assert "Accessibilité : partiellement conforme" in response.text


def test_the_level_staff_choose_is_the_one_shown(client, statement):
    statement.compliance = AccessibilityStatementPage.Compliance.FULL
    statement.save_revision().publish()

    assert "totalement conforme" in client.get("/accessibilite/").text


def test_the_statement_is_not_a_section_card_on_the_home_page(client, statement):
    response = client.get("/")

    assert statement.pk not in [page.pk for page in response.context["sections"]]


def test_seeding_twice_keeps_one_statement(statement):
    seed_accessibility(home=HomePage.objects.get(depth=2), stdout=io.StringIO())

    assert AccessibilityStatementPage.objects.count() == 1
