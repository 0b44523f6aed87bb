"""French-aware search on SQLite, matching PostgreSQL's `territory_fr` configuration (content
migration 0006: accents removed, then the Snowball French stemmer, PostgreSQL's French stop
words dropped).

SQLite's full-text engine (FTS5) folds case and accents but does not stem: "phares" did not
find "phare". Its tokenizers cannot be written in Python, so the stemming happens on both
sides instead: each page indexes the stems of its searchable text (`search_stems`, empty on
PostgreSQL, which stems by itself), and the query is reduced to the same stems
(`french_query`). The stemmer is the same algorithm PostgreSQL's `french_stem` runs."""

import functools
import re
import threading
import unicodedata

import snowballstemmer
from django.db import connection
from django.utils.html import strip_tags
from wagtail.search import index

# PostgreSQL's tsearch_data/french.stop (the Snowball project's list).
STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes
    suis es est sommes êtes sont serai seras sera serons serez seront serais serait serions
    seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons
    soyez soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue
    eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions
    auriez auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons
    ayez aient eusse eusses eût eussions eussiez eussent""".split()
)
WORD = re.compile(r"\w+")
STEMS_FIELD = "search_stems"

_stemmer = snowballstemmer.stemmer("french")
_stemmer_lock = threading.Lock()  # a Snowball stemmer keeps its state between calls


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """As PostgreSQL's `territory_fr`: the lower-case word, unaccented, then stemmed (the stop
    list is read after unaccenting, so "à" is kept as "a" and "été" as "ete")."""
    folded = fold(word)
    if folded in STOP_WORDS:
        return ""
    with _stemmer_lock:
        return _stemmer.stemWord(folded)


def french_stems(text: str) -> list[str]:
    return [stemmed for word in WORD.findall(text) if (stemmed := stem(word))]


def french_query(query: str) -> str:
    """The words of `query` as the stems the pages index, in the same order."""
    return " ".join(french_stems(query))


def uses_stems() -> bool:
    return connection.vendor == "sqlite"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_text(item) for item in value)
    text = str(value)
    return strip_tags(text) if "<" in text else text


def searchable_text(obj) -> str:
    """Every text the search indexes for `obj`: its search fields, and the search fields of
    its related objects (tags, area)."""
    parts = []
    for field in obj.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != STEMS_FIELD:
            parts.append(_text(field.get_value(obj)))
        elif isinstance(field, index.RelatedFields):
            related = field.get_value(obj)
            items = related.all() if hasattr(related, "all") else [related] if related else []
            for item in items:
                for subfield in field.fields:
                    if isinstance(subfield, index.SearchField):
                        parts.append(_text(subfield.get_value(item)))
    return " ".join(part for part in parts if part)


class FrenchSearchMixin:
    """Gives a page its `search_stems` field; add `french_search_fields()` to its
    `search_fields`."""

    def search_stems(self) -> str:
        if not uses_stems():
            return ""
        return " ".join(french_stems(searchable_text(self)))


def french_search_fields(*, tags: bool = False, area: bool = False) -> list:
    """The tags' and area's names, and the stems field (see the module's docstring)."""
    fields = [index.SearchField(STEMS_FIELD)]
    if tags:
        fields.append(index.RelatedFields("tags", [index.SearchField("name")]))
    if area:
        fields.append(index.RelatedFields("area", [index.SearchField("name")]))
    return fields
