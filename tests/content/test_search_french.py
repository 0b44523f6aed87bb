"""The hub search finds the same pages on SQLite (the embedded default) as on PostgreSQL's
French configuration: plurals and other inflections stemmed, accents folded, tags and areas
indexed. The same table runs on whichever database the suite uses (PostgreSQL when
DATABASE_URL is set)."""

import pytest

from content.french_search import french_query, french_stems
from content.models import Area
from content.views.search import highlight, highlight_terms, search_pages

from .factories_feeds import (
    destination,
    destination_index,
    event,
    event_index,
    paragraph,
    story,
    story_index,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    """Four lighthouse pages, five hikes known only by their tag, an area's page."""
    places, stories, events = destination_index(), story_index(), event_index()
    kerlann = Area.objects.create(name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE)
    return {
        "men-du": destination(places, "Phare du Men Du", body=paragraph("Cent vingt marches.")),
        "gardiens": story(stories, "Gardiens de phare", intro="Quarante ans de quarts."),
        "visite": event(events, "Visite du phare", intro="Montée à la lanterne."),
        "feux": destination(places, "Les feux de la côte", intro="Trois phares et un sémaphore."),
        "sentier": destination(places, "Sentier des douaniers", tags=["randonnée"]),
        "dunes": destination(places, "Les dunes à pied", tags=["randonnée", "nature"]),
        "landes": story(stories, "Un jour dans les landes", tags=["randonnée"]),
        "balade": event(events, "Balade du dimanche", tags=["randonnée"]),
        "boucle": destination(places, "Boucle de Kerlann", tags=["Randonnée", "vélo"]),
        "parcs": destination(places, "Parcs à huîtres", area=kerlann, intro="Dégustation."),
        "halles": destination(places, "Halles du port", intro="Le marché couvert."),
    }


QUERIES = [
    ("phare", {"men-du", "gardiens", "visite", "feux"}),
    ("phares", {"men-du", "gardiens", "visite", "feux"}),
    ("PHARES", {"men-du", "gardiens", "visite", "feux"}),
    ("randonnée", {"sentier", "dunes", "landes", "balade", "boucle"}),
    ("randonnees", {"sentier", "dunes", "landes", "balade", "boucle"}),
    ("huitre", {"parcs"}),
    ("kerlann", {"parcs", "boucle"}),
    ("marchés", {"halles", "men-du"}),
    ("dégustations", {"parcs"}),
    ("des", set()),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_the_hub_search_is_french_aware(hub, query, expected):
    names = {page.pk: name for name, page in hub.items()}

    found = search_pages(query=query, site=None)[:50]

    assert {names[page.pk] for page in found if page.pk in names} == expected


def test_the_search_page_shows_the_lighthouses_for_the_plural(client, hub):
    response = client.get("/search/", {"q": "phares"})

    assert len(response.context["hits"]) == 4
    assert "<mark>Phare</mark> du Men Du" in response.text


@pytest.mark.parametrize(
    ("text", "stems"),
    [
        ("Phares", ["phar"]),
        ("la randonnée", ["randonne"]),
        ("Randonnées des dunes", ["randonne", "dun"]),
        ("l'île aux huîtres", ["ile", "huitr"]),
    ],
)
def test_words_are_folded_then_stemmed_and_stop_words_dropped(text, stems):
    assert french_stems(text) == stems
    assert french_query(text) == " ".join(stems)


def test_a_stemmed_match_is_highlighted_to_the_end_of_the_word():
    assert highlight("Trois phares", highlight_terms("phare")) == "Trois <mark>phares</mark>"
