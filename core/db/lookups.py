"""`field__one_of=ids`: the field is one of these integers, sent as a single value.

The feed matches posts against a member's sources, a list of a few hundred ids. With `__in`
Django walks, checks and binds each id on its own, which cost the feed page 2-3 ms per list
(more than the database spent on the query); this lookup sends them as one value: an array
literal on PostgreSQL (`= ANY('{1,2,3}'::bigint[])`, which is what PostgreSQL makes of an IN
list anyway) and a JSON array parameter on SQLite (`IN (SELECT value FROM json_each(%s))`).

On PostgreSQL the array is written into the SQL as a literal of integers rather than bound:
queries are prepared once they repeat on a connection (config/settings/base.py), and a
prepared statement's generic plan is made without its parameters' values. For the feed that
plan walks the date index for everyone, which reads most of it for a member with few sources.
With the ids in the text, a member's own repeated query is what gets prepared, planned with
their ids.

Pass the ids as a set or a frozenset: the ORM walks a list or a tuple value item by item
looking for expressions before any lookup sees it."""

import json

from django.db.models import IntegerField, Lookup
from django.db.models.fields.related import ForeignObject
from django.db.models.lookups import In


class OneOf(Lookup):
    lookup_name = "one_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        # Sorted, so that the same ids make the same SQL (and the same cache entries).
        return sorted({int(value) for value in self.rhs})

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            # Integers only (get_prep_lookup), so the literal cannot carry anything else.
            ids = ",".join(str(value) for value in self.rhs)
            return f"{lhs} = ANY('{{{ids}}}'::bigint[])", lhs_params
        if connection.vendor == "sqlite":
            # lhs is the column's SQL made by Django's compiler; the ids are a parameter.
            sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608  # nosec B608
            return sql, (*lhs_params, json.dumps(self.rhs))
        # Another database: Django's own IN.
        return In(self.lhs, self.rhs).as_sql(compiler, connection)


IntegerField.register_lookup(OneOf)
ForeignObject.register_lookup(OneOf)
