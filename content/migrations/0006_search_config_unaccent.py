"""On PostgreSQL, a French full-text configuration that ignores accents, so "chateau" finds
"Château" as it does on SQLite (whose FTS5 tokenizer folds diacritics). `unaccent` is a
trusted extension since PostgreSQL 13: the database owner may create it."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'territory_fr') THEN
        CREATE TEXT SEARCH CONFIGURATION territory_fr (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION territory_fr
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END $$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS territory_fr;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("content", "0005_freshness_last_reminder")]
    operations = [migrations.RunPython(create, drop)]
