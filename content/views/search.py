"""Site search at /search/?q= (and /en/search/): the live public pages of the current site,
through Wagtail's search backend, ten results a page, query terms highlighted."""

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.db import connection
from django.db.models import Exists, F, IntegerField, OuterRef, TextField
from django.db.models.functions import Cast, Coalesce
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site, get_page_models
from wagtail.search.backends import get_search_backend

from content.caches import SEARCH_RESULTS, request_part
from content.french_search import french_query, french_stems, uses_stems
from content.models.pages import paginate
from core.sanitizer import clean_text

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200
EXCERPT_LENGTH = 240
MAX_HIGHLIGHTED_TERMS = 12
# What `to_hit()` reads of a page (its URL needs `url_path`), besides the specific `intro`.
RESULTS_TEMPLATE = "content/includes/search_results.html"
HIT_FIELDS = ("id", "title", "url_path", "search_description", "content_type", "path", "depth")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Your search is too long: use at most %(limit_value)d characters.")
        },
    )


@dataclass(frozen=True)
class SearchHit:
    page: Page
    url: str
    type_label: str
    title: SafeString
    excerpt: SafeString


def search_pages(*, query: str, site: Site | None):
    """The live public pages of `site` matching `query`, most relevant first."""
    # SQLite's full-text engine fails on a stray double quote (wagtail/wagtail#13227);
    # the query is plain words anyway, so quotes are dropped.
    words = " ".join(query.replace('"', " ").split())
    if words and uses_stems():
        # The pages index French stems on SQLite (content.french_search).
        words = french_query(words)
    if not words:
        return Page.objects.none()
    pages = Page.objects.live().public().exclude(depth=1)
    if site is not None:
        pages = pages.in_site(site)
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

        backend = get_search_backend()
        if isinstance(backend, SQLiteSearchBackend):
            return SQLiteRankedMatches(backend, pages.search(words, order_by_relevance=False))
    # PostgreSQL ranks with ts_rank inside the query that selects the page of results.
    return pages.specific().search(words)


class SQLiteRankedMatches:
    """Search results on SQLite, for the paginator: every match ranked in one query over the
    full-text index (its length is the count), then only the pages shown loaded.

    modelsearch (1.3) orders SQLite results by relevance through a correlated subquery that
    runs the full-text match again for every matching page: quadratic in the number of
    matches (2 s for 1,700 matches, 23 s for 7,900; docs/performance.md). Here the ranked
    query computes `bm25()` once per match, in the index's own table, with the same score
    and order as modelsearch's (score, then newest page first), and returns only (page id,
    content type id) pairs; then the pages of the requested slice are loaded in one query,
    whatever their types."""

    def __init__(self, backend, matches):
        self.backend = backend
        self.matches = matches  # the same search, unordered

    @cached_property
    def entries(self) -> list[tuple[int, int]]:
        entries = self.ranked_entries()
        return list(entries) if entries is not None else []

    def count(self):
        return len(self.entries)

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("SQLiteRankedMatches only takes slices.")
        ranked = self.entries[key]
        pages = {page.pk: page for page in hit_pages([page_id for page_id, _ in ranked])}
        return [pages[page_id] for page_id, _ in ranked if page_id in pages]

    def ranked_entries(self):
        """(page id, content type id) of the matching pages, best first; None when the query
        has nothing to match (modelsearch then matches nothing either)."""
        from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
        from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry
        from modelsearch.query import And, Or, Phrase, PlainText
        from modelsearch.utils import get_descendants_content_types_pks

        compiler = self.matches.query_compiler
        config = compiler.get_config(self.backend)
        query = normalize(compiler.query)
        if not isinstance(query, And | Or | Phrase | PlainText):
            return None
        search_query = compiler.build_search_query(query, config=config)
        if search_query is None:
            return None
        page_id = Cast("index_entry__object_id", IntegerField())
        # The pages' conditions (live, public, in the site) checked for each match by its
        # primary key: `object_id IN (SELECT id FROM pages …)` would read every page first.
        wanted = compiler.queryset.order_by().filter(pk=OuterRef("page_id"))
        # As modelsearch's SQLiteSearchQueryCompiler.search(), without the subquery per row.
        return (
            SQLiteFTSIndexEntry.objects.filter(
                MatchExpression(compiler.fields or compiler.FTS_TABLE_FIELDS, search_query)
            )
            .filter(index_entry__content_type__in=get_descendants_content_types_pks(Page))
            .annotate(page_id=page_id)
            .filter(Exists(wanted))
            .annotate(score=compiler._build_rank_expression(compiler.get_search_vectors(), config))
            .order_by("score", "-page_id")
            .values_list("page_id", "index_entry__content_type_id")
        )


def hit_pages(ids):
    """The pages `ids` with only what a search hit shows, in one query: no bodies (StreamField
    JSON to parse), no ordering (the caller orders by rank), and as `intro` the introduction of
    whichever page type each one is (a LEFT JOIN per page type that has one), so that the
    page types of a page of results cost no query each. Generic `Page` objects: a hit's URL,
    title and type label need nothing specific."""
    pages = Page.objects.filter(pk__in=ids).only(*HIT_FIELDS).order_by()
    intros = [F(f"{model._meta.model_name}__intro") for model in models_with_intro()]
    if len(intros) > 1:
        pages = pages.annotate(intro=Coalesce(*intros, output_field=TextField()))
    elif intros:
        pages = pages.annotate(intro=intros[0])
    return pages


@functools.cache
def models_with_intro():
    """The page types, children of `Page`, that have an `intro` of their own."""
    return [
        model
        for model in get_page_models()
        if Page in model._meta.parents
        and any(field.name == "intro" for field in model._meta.local_fields)
    ]


# Highlighting -------------------------------------------------------------------------------
# Matching ignores case and accents ("chateau" finds "Château"), as the search does. The text
# is matched in a folded copy whose characters map back to the original, then each piece of
# the original is escaped before the <mark> tags go around it: no user text is marked safe.


def query_terms(query: str) -> list[str]:
    terms = {fold(word)[0] for word in re.findall(r"\w+", query)}
    terms = sorted((term for term in terms if len(term) >= 2), key=len, reverse=True)
    return terms[:MAX_HIGHLIGHTED_TERMS]


def highlight_terms(query: str) -> list[str]:
    """The query's words and their French stems, as both databases match on stems (a page
    found by "phares" highlights "phare")."""
    stems = {stemmed for stemmed in french_stems(query) if len(stemmed) >= 2}
    terms = sorted(set(query_terms(query)) | stems, key=len, reverse=True)
    return terms[:MAX_HIGHLIGHTED_TERMS]


def fold(text: str) -> tuple[str, Sequence[int]]:
    """`text` without accents, case-folded, and for each of its characters the index of the
    character of `text` it comes from."""
    if text.isascii():
        return text.lower(), range(len(text))
    parts = [fold_char(char) for char in text]
    folded = "".join(parts)
    if len(folded) == len(text) and all(len(part) == 1 for part in parts):
        return folded, range(len(text))
    # A character folded into none or several ("ß" into "ss"): map each back.
    origin = [index for index, part in enumerate(parts) for _ in part]
    return folded, origin


@functools.lru_cache(maxsize=2048)
def fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    if not terms or not text:
        return []
    folded, origin = fold(text)
    # A term marks the rest of its word too: "phar" (a stem) marks all of "phares".
    pattern = re.compile("|".join(re.escape(term) + r"\w*" for term in terms))
    spans = []
    for match in pattern.finditer(folded):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def highlight(text: str, terms: list[str]) -> SafeString:
    pieces, position = [], 0
    for start, end in match_spans(text, terms):
        pieces.append(escape(text[position:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308  # nosec B308 B703 - every piece is escaped above


def excerpt_around_match(text: str, terms: list[str], length: int = EXCERPT_LENGTH) -> str:
    """At most `length` characters of `text`, starting a little before the first match and
    cut at word boundaries."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    spans = match_spans(text, terms)
    start = max(0, spans[0][0] - length // 3) if spans else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + length
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def summary_text(page: Page) -> str:
    text = page.search_description or getattr(page, "intro", "") or ""
    if "<" not in text and "&" not in text:
        # Nothing for the sanitiser to strip or decode (and it costs a millisecond a text);
        # the text is escaped on output either way.
        return text.strip()
    return clean_text(text)


def to_hit(page: Page, request, terms: list[str]) -> SearchHit:
    return SearchHit(
        page=page,
        url=page.get_url(request) or "",
        type_label=capfirst(page.specific_class._meta.verbose_name),
        title=highlight(page.title, terms),
        excerpt=highlight(excerpt_around_match(summary_text(page), terms), terms),
    )


# View --------------------------------------------------------------------------------------


def search(request):
    """The results (count, hits, pager) are rendered once per query, page, site, language and
    content generation, then served from the cache until something is published (content/
    cache.py): the search and its highlighting cost more than the rest of the page."""
    form = SearchForm(request.GET)
    query, status = "", 200
    if form.is_valid():
        query = form.cleaned_data["q"]
    else:
        status = 400
    results_html = None
    if query:
        site = Site.find_for_request(request)
        results_html = SEARCH_RESULTS.get_or_set(
            site.pk if site else 0,
            request_part(request),
            default=lambda: render_results(request, form, query, site),
        )
    elif not form.errors:
        results_html = render_to_string(RESULTS_TEMPLATE, {"form": form, "results": None})
    context = {
        "form": form,
        "query": query,
        "results_html": results_html,
        "max_query_length": MAX_QUERY_LENGTH,
    }
    return TemplateResponse(request, "content/search.html", context, status=status)


def render_results(request, form, query: str, site) -> SafeString:
    results = paginate(request, search_pages(query=query, site=site), per_page=RESULTS_PER_PAGE)
    terms = highlight_terms(query)
    context = {
        "form": form,
        "query": query,
        "results": results,
        "hits": [to_hit(page, request, terms) for page in results.object_list],
    }
    # No request: the context processors (the member's unread count…) have no place in a
    # fragment that every visitor shares.
    return render_to_string(RESULTS_TEMPLATE, context)
