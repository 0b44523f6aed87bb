"""The pieces bench_network_data writes its rows with: the words and weights of its fake
network, a long-tail picker, a switch for auto_now_add, and a bulk row writer."""

import bisect
import contextlib
import itertools
from datetime import timedelta

from django.db import connection

from network.models import Reaction

PREFIX = "bench"
VIEWER_FOLLOWS = 200
VIEWER_GROUPS = {"public": 12, "private": 6, "secret": 2}
VIEWER_ORGANISATIONS = 5
YEAR = timedelta(days=365)

FIRST_NAMES = (
    "Anne Bruno Camille Denis Élise Fabien Gaëlle Hugo Inès Jules Katell Loïc Maëlle Nolwenn "
    "Olivier Pauline Quentin Rozenn Soizic Tanguy Ulysse Violaine Yann Zoé Erwan Gwen Mathilde "
    "Ronan Solène Tristan"
).split()
LAST_NAMES = (
    "Le Gall Le Goff Tanguy Kerdraon Morvan Le Bihan Guivarc'h Quéré Riou Le Roux Caradec "
    "Abgrall Jaouen Cariou Le Floc'h Salaün Prigent Nédélec Bescond Kervella"
).split(" ")
GROUP_WORDS = (
    "Club Réseau Cercle Collectif Atelier Café Rencontres Forum Ateliers Club-affaires".split()
)
GROUP_TOPICS = (
    "entrepreneurs hébergeurs artisans commerçants restaurateurs créateurs guides "
    "producteurs nautisme numérique export tourisme culture vignerons brasseurs "
    "photographes associations design mobilité énergie"
).split()
PLACES = "Kerlann Port-Louis Penmarc'h Plouzané Landéda Carhaix Morlaix Douarnenez".split()
WORDS = (
    "le la les un une des du de et à pour avec sur dans notre votre nous vous ce cette "
    "saison client accueil marché projet équipe réunion salon atelier produit local "
    "territoire visiteurs réservation groupe partenaire idée question retour merci "
    "bravo rendez-vous semaine prochaine samedi matin soir port plage sentier "
    "ouverture nouveauté offre recrutement stage formation subvention appel "
    "candidature événement conférence exposition festival marque ambassadeur "
    "photo vidéo article presse réseau contact conseil aide besoin proposition"
).split()
TAGS = (
    "tourisme gastronomie artisanat emploi événement formation numérique export "
    "nautisme culture hébergement commerce innovation recrutement patrimoine "
    "environnement mobilité agriculture marque-territoriale presse"
).split()
REACTION_KINDS = [kind for kind, _label in Reaction.Kind.choices]
REACTION_WEIGHTS = [60, 15, 12, 8, 5]  # like, love, clap, idea, laugh


@contextlib.contextmanager
def dates_as_given(*models):
    """Switch auto_now_add off so that bulk_create keeps the dates we computed (otherwise
    every row would be dated now)."""
    fields = [
        field
        for model in models
        for field in model._meta.fields
        if getattr(field, "auto_now_add", False)
    ]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


class Weighted:
    """Draw items with fixed weights quickly: cumulative weights computed once."""

    def __init__(self, items, weights, rng):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]
        self.rng = rng

    def one(self):
        return self.items[bisect.bisect(self.cumulative, self.rng.random() * self.total)]

    def distinct(self, k):
        """Up to k distinct items (fewer if the draws keep repeating)."""
        found = {}
        for _ in range(k * 3):
            item = self.one()
            found[getattr(item, "pk", item)] = item
            if len(found) >= k:
                break
        return list(found.values())


def long_tail(n, offset=10.0):
    """Weights of a Zipf-like long tail: a few very active, many occasional."""
    return [1.0 / (rank + offset) for rank in range(n)]


class RowWriter:
    """Multi-row INSERTs of plain rows, without building model instances: the columns are the
    model's own, and a column not given gets the field's default, converted for the database as
    bulk_create would (so a field added to the model later still gets a value). One statement
    per 500 rows: PostgreSQL runs that several times faster than one statement per row."""

    ROWS_PER_STATEMENT = 500

    def __init__(self, model):
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.names = [f.attname for f in self.fields]
        self.defaults = {
            f.attname: f.get_db_prep_save(f.get_default(), connection) for f in self.fields
        }
        self.datetimes = {
            f.attname for f in self.fields if f.get_internal_type() == "DateTimeField"
        }
        quote = connection.ops.quote_name
        self.head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 - names from the model
            quote(model._meta.db_table), ", ".join(quote(f.column) for f in self.fields)
        )
        self.placeholder = "(" + ", ".join(["%s"] * len(self.fields)) + ")"

    def row(self, values):
        adapt = connection.ops.adapt_datetimefield_value
        return [
            (adapt(values[name]) if name in self.datetimes else values[name])
            if name in values
            else self.defaults[name]
            for name in self.names
        ]

    def write(self, rows):
        rows = [self.row(values) for values in rows]
        step = self.ROWS_PER_STATEMENT
        with connection.cursor() as cursor:
            for start in range(0, len(rows), step):
                chunk = rows[start : start + step]
                # Table and column names come from the model; values go as parameters.
                sql = self.head + ", ".join([self.placeholder] * len(chunk))
                cursor.execute(sql, [value for row in chunk for value in row])
