"""Translations of a release (issue #14): `Article.translation_of` (one group per original, one
translation per language), Japanese among the languages, and on PostgreSQL a search per language.

PostgreSQL: the stored search vector (0006) takes the configuration of the release's language,
`english` (stemming) for English and `french_unaccent` otherwise; Japanese has no spaces between
words, so `simple` would make one token of a whole sentence: Japanese releases are searched by
substring instead, served by a trigram index (pg_trgm) on their search text alone. On other
databases the RunPython does nothing.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FORWARDS = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DROP INDEX IF EXISTS article_search_vector;
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector;
ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector(CASE language WHEN 'en' THEN 'english'::regconfig ELSE 'french_unaccent'::regconfig END,
                search_document)) STORED;
CREATE INDEX article_search_vector ON articles_article USING GIN (search_vector);
CREATE INDEX IF NOT EXISTS article_search_ja_trigram ON articles_article
    USING GIN (search_document gin_trgm_ops) WHERE language = 'ja';
"""
BACKWARDS = """
DROP INDEX IF EXISTS article_search_ja_trigram;
DROP INDEX IF EXISTS article_search_vector;
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector;
ALTER TABLE articles_article ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('french_unaccent'::regconfig, search_document)) STORED;
CREATE INDEX article_search_vector ON articles_article USING GIN (search_vector);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_article_pending_credit'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='translation_of',
            field=models.ForeignKey(blank=True, help_text='Le communiqué original : une traduction est publiée, programmée, retirée et supprimée avec lui.', limit_choices_to={'translation_of__isnull': True}, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='articles.article', verbose_name='traduction de'),
        ),
        migrations.AlterField(
            model_name='article',
            name='language',
            field=models.CharField(choices=[('fr', 'Français'), ('en', 'Anglais'), ('ja', 'Japonais')], default='fr', max_length=8, verbose_name='langue'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.UniqueConstraint(fields=('translation_of', 'language'), name='one_translation_per_language'),
        ),
        # The alerts' language fields (issue #13) offer every language of settings.LANGUAGES, Japanese now too.
        migrations.AlterField(
            model_name='journalist',
            name='language',
            field=models.CharField(choices=[('fr', 'Français'), ('en', 'Anglais'), ('ja', 'Japonais')], default='fr', max_length=8, verbose_name='langue'),
        ),
        migrations.AlterField(
            model_name='subscriber',
            name='language',
            field=models.CharField(blank=True, choices=[('fr', 'Français'), ('en', 'Anglais'), ('ja', 'Japonais')], help_text='Vide : les communiqués dans toutes les langues.', max_length=8, verbose_name='langue'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
