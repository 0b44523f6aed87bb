"""Site search at /search/?q=: live public pages, highlighted, paginated, bad input refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from content.caches import bump_content_generation
from content.models import DestinationPage
from content.views.search import excerpt_around_match, highlight, query_terms, search_pages

from .factories_feeds import (
    destination,
    destination_index,
    event,
    event_index,
    make_private,
    paragraph,
    story,
    story_index,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return destination_index()


def test_search_finds_a_destination_by_a_word_of_its_body(client, places):
    page = destination(
        places, "Phare du Men Du", body=paragraph("Cent vingt marches jusqu'à la lanterne.")
    )
    destination(places, "Plage des Sept-Îles", body=paragraph("Sable fin."))

    response = client.get("/search/", {"q": "lanterne"})

    assert response.status_code == 200
    hits = response.context["hits"]
    assert [hit.page.pk for hit in hits] == [page.pk]
    assert hits[0].type_label == "Destination"
    assert f'href="{page.url}"' in response.text


def test_search_covers_stories_and_events(client, places):
    story(story_index(), "Gardiens de phare", intro="Quarante ans de quarts.")
    event(event_index(), "Visite du phare", intro="Montée à la lanterne.")

    response = client.get("/en/search/", {"q": "phare"})

    labels = sorted(hit.type_label for hit in response.context["hits"])
    assert labels == ["Event", "Story"]
    assert '<html lang="en">' in response.text


def test_search_leaves_out_drafts_and_private_pages(client, places):
    destination(places, "Crique publique", intro="Une crique.")
    destination(places, "Crique brouillon", intro="Une crique.", live=False)
    make_private(destination(places, "Crique privée", intro="Une crique."))

    response = client.get("/search/", {"q": "crique"})

    assert [str(hit.page.title) for hit in response.context["hits"]] == ["Crique publique"]


def test_search_highlights_the_query_terms_and_escapes_the_rest(client, places):
    destination(
        places,
        "Château <b>de</b> Kerlann",
        intro="Le château & ses <script>alert(1)</script> douves.",
    )

    response = client.get("/search/", {"q": "chateau douves"})

    html = response.text
    assert "<mark>Château</mark> &lt;b&gt;de&lt;/b&gt; Kerlann" in html
    assert "Le <mark>château</mark> &amp; ses alert(1) <mark>douves</mark>." in html
    assert "<script>alert" not in html
    assert 'value="chateau douves"' in html


def test_search_query_is_escaped_in_the_page(client, places):
    response = client.get("/search/", {"q": '"><script>alert(1)</script>'})

    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;" in response.text


def test_search_paginates_ten_results_a_page(client, places):
    for n in range(13):
        destination(places, f"Sentier {n}", intro="Un sentier côtier.")

    first = client.get("/search/", {"q": "sentier"})
    second = client.get("/search/", {"q": "sentier", "page": 2})
    beyond = client.get("/search/", {"q": "sentier", "page": "x"})

    assert len(first.context["hits"]) == 10
    assert len(second.context["hits"]) == 3
    assert first.context["results"].paginator.count == 13
    assert "?q=sentier&amp;page=2" in first.text
    assert {h.page.pk for h in first.context["hits"]}.isdisjoint(
        {h.page.pk for h in second.context["hits"]}
    )
    assert beyond.status_code == 200 and len(beyond.context["hits"]) == 10


def test_search_refuses_an_overlong_query_with_a_message(client, places):
    destination(places, "Sentier", intro="Un sentier.")

    response = client.get("/search/", {"q": "sentier " * 70})

    assert response.status_code == 400
    assert response.context["results_html"] is None
    assert 'class="search-result"' not in response.text and "search-empty" not in response.text
    assert "200" in response.text
    assert 'role="alert"' in response.text


def test_search_without_a_query_shows_the_empty_state(client, places):
    response = client.get("/search/")

    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'data-testid="search-empty"' in response.text


def test_search_without_match_says_so(client, places):
    response = client.get("/search/", {"q": "introuvable"})

    assert response.status_code == 200
    assert 'data-testid="search-no-results"' in response.text


def test_search_lists_the_most_relevant_pages_first(client, places):
    destination(places, "Plage du Sillon", intro="Sable, dunes et un peu de granit.")
    best = destination(
        places, "Chaos de granit", intro="Le granit rose, le granit gris, le granit du phare."
    )
    destination(places, "Port de pêche", intro="Un quai de granit.")

    hits = client.get("/search/", {"q": "granit"}).context["hits"]

    assert len(hits) == 3
    assert hits[0].page.pk == best.pk


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's one-pass ranking")
def test_sqlite_ranking_gives_the_backend_ranking_in_one_pass(places):
    """On SQLite the view ranks a page of matches itself, in one query over the full-text
    index; the order is the search backend's (bm25, then newest page first)."""
    for n in range(14):
        destination(places, f"Lieu {n}", intro=" ".join(["granit"] * (n % 4 + 1) + ["sable"] * n))
    site = places.get_site()
    backend_order = [
        page.pk for page in Page.objects.live().public().in_site(site).search("granit")
    ]

    results = search_pages(query="granit", site=site)
    with CaptureQueriesContext(connection) as queries:
        second_page = results[10:20]

    assert results.count() == 14
    assert [page.pk for page in results[0:10] + second_page] == backend_order
    # Expect 2 queries: the ranked ids of every match, the pages shown; the count and the
    # other pages need no more.
    assert len(queries) == 2, [q["sql"] for q in queries]
    assert all(page.specific_class is DestinationPage for page in second_page)
    assert second_page[0].intro == DestinationPage.objects.get(pk=second_page[0].pk).intro


@pytest.mark.parametrize("query", ['"', '"phare', 'phare"', "AND", "NOT (", "*", "a:b", "'"])
def test_search_survives_query_syntax_characters(client, places, query):
    destination(places, "Phare", intro="Un phare.")

    assert client.get("/search/", {"q": query}).status_code == 200


def test_search_refuses_a_null_character(client, places):
    assert client.get("/search/", {"q": "phare\x00"}).status_code == 400


@pytest.mark.parametrize("count", [3, 25])
def test_search_query_count_does_not_grow_with_results(client, places, count):
    """Nor with the page types among the results."""
    story(story_index(), "Paludiers", intro="Le marais au petit matin.")
    event(event_index(), "Récolte du sel", intro="Visite du marais.")
    for n in range(count):
        destination(places, f"Marais {n}", intro="Un marais salant.")
    # Content types and the site root paths are cached after the first request; the results
    # are cached too, so the generation is bumped to measure a search that builds them.
    client.get("/search/", {"q": "marais"})
    bump_content_generation()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "marais"})

    assert len(response.context["hits"]) == min(count + 2, 10)
    # Expect 4 queries on SQLite: the site, the view restrictions, every match ranked (its
    # length is the count), the pages shown whatever their types. PostgreSQL counts the
    # matches, ranks the page of results, then loads their specific rows, one query per page
    # type among them.
    types = len({hit.page.specific_class for hit in response.context["hits"]})
    expected = 4 if connection.vendor == "sqlite" else 4 + types
    assert len(queries) == expected, [q["sql"] for q in queries]


# Highlighting ---------------------------------------------------------------------------


def test_highlight_ignores_case_and_accents_and_keeps_the_original_text():
    assert highlight("Le CHÂTEAU d'Été", query_terms("chateau ete")) == (
        "Le <mark>CHÂTEAU</mark> d&#x27;<mark>Été</mark>"
    )


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("Straße du port", "strasse", "<mark>Straße</mark> du port"),
        ("Cafe\u0301 du port", "port", "Cafe\u0301 du <mark>port</mark>"),
        ("L'ŒUVRE du Château", "oeuvre chateau", "L&#x27;ŒUVRE du <mark>Château</mark>"),
        ("plain ascii Port", "port", "plain ascii <mark>Port</mark>"),
    ],
)
def test_highlight_maps_folded_characters_back_to_the_original(text, query, expected):
    """A character that folds into several ("ß") or none (a combining accent) keeps the
    marks on the original characters."""
    assert highlight(text, query_terms(query)) == expected


def test_highlight_merges_overlapping_terms():
    assert highlight("crêperie", query_terms("crep creperie")) == "<mark>crêperie</mark>"


def test_highlight_escapes_text_without_terms():
    assert highlight("<b>x</b>", []) == "&lt;b&gt;x&lt;/b&gt;"


def test_query_terms_skip_single_letters_and_syntax():
    assert query_terms('l\'île "de" a*') == ["ile", "de"]


def test_excerpt_starts_near_the_first_match():
    text = "début " + "mot " * 100 + "lanterne au bout " + "fin " * 100

    excerpt = excerpt_around_match(text, ["lanterne"], length=120)

    assert "lanterne" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) <= 122


# The cache of results ------------------------------------------------------------------------

SEARCH_TABLES = ("sqlitefts", "modelsearch", "indexentry", "content_destinationpage")


def results_of(response) -> str:
    """The results section of a search page (the page around it carries a CSRF token)."""
    return response.text.split('class="container search-results"', 1)[1].split("</section>")[0]


def test_a_cached_search_runs_no_search_query(client, places):
    destination(places, "Phare du Men Ruz", intro="Un phare.")
    first = client.get("/search/", {"q": "phare"})

    with CaptureQueriesContext(connection) as queries:
        second = client.get("/search/", {"q": "phare"})

    assert results_of(second) == results_of(first) and "Men Ruz" in results_of(second)
    searching = [q["sql"] for q in queries if any(t in q["sql"].lower() for t in SEARCH_TABLES)]
    assert searching == []
    # The site only (the view restrictions are read by the search that builds the results).
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_each_page_and_query_of_results_is_cached_apart(client, places):
    for n in range(13):
        destination(places, f"Dolmen {n:02}", intro="Un dolmen.")
    destination(places, "Menhir", intro="Un menhir.")

    first = results_of(client.get("/search/", {"q": "dolmen"}))
    second = results_of(client.get("/search/", {"q": "dolmen", "page": 2}))
    other = results_of(client.get("/search/", {"q": "menhir"}))

    assert first.count('class="search-result"') == 10
    assert second.count('class="search-result"') == 3
    assert other.count('class="search-result"') == 1 and "Dolmen" not in other
    # Served again from the cache, each keeps its own results.
    assert results_of(client.get("/search/", {"q": "dolmen", "page": 2})) == second
    assert results_of(client.get("/search/", {"q": "menhir"})) == other


def test_a_publication_shows_in_the_results_at_once(
    client, places, django_capture_on_commit_callbacks
):
    destination(places, "Phare du Men Ruz", intro="Un phare.")
    client.get("/search/", {"q": "phare"})

    with django_capture_on_commit_callbacks(execute=True):
        new = destination(places, "Phare de Kerlann", intro="Un autre phare.")

    assert "Kerlann" in results_of(client.get("/search/", {"q": "phare"}))

    with django_capture_on_commit_callbacks(execute=True):
        new.unpublish()

    assert "Kerlann" not in results_of(client.get("/search/", {"q": "phare"}))


def test_a_page_made_private_leaves_the_cached_results(
    client, places, django_capture_on_commit_callbacks
):
    secret = destination(places, "Crique de Port-Blanc", intro="Une crique.")
    assert "Port-Blanc" in results_of(client.get("/search/", {"q": "crique"}))

    with django_capture_on_commit_callbacks(execute=True):
        make_private(secret)

    assert "Port-Blanc" not in results_of(client.get("/search/", {"q": "crique"}))


def test_results_are_cached_per_language(client, places):
    destination(places, "Phare du Men Ruz", intro="Un phare.")

    french = client.get("/search/", {"q": "phare"})
    english = client.get("/en/search/", {"q": "phare"})

    assert french.status_code == english.status_code == 200
    assert french.headers["Content-Language"] == "fr"
    assert english.headers["Content-Language"] == "en"
    assert results_of(french) != results_of(english)
