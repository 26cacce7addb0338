"""French full-text search on PostgreSQL: unaccent + French stemming, and a GIN index.

On other databases this migration does nothing: search falls back to the
accent-folded `search_document` column (see articles/search.py).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS article_search_fr
    ON articles_article USING GIN (to_tsvector('french_unaccent'::regconfig, search_document));
"""
DROP = "DROP INDEX IF EXISTS article_search_fr;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_editorial_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
