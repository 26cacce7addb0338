"""The benchmark's seeder (bench/seed.py) makes what the benchmark says it measures: realistic releases, bulk-inserted."""

import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.discovery.search import document_for
from articles.models import Article, ArticlePhoto, Photo, Quote, Rendition, Speaker, TaggedArticle
from articles.photos.files import SPECS
from articles.sanitize import sanitize_html
from bench.seed import Command

pytestmark = pytest.mark.django_db

N = 30


@pytest.fixture
def seeded():
    # Three small real photos keep the test quick; 10 % non-public gives 3 drafts/scheduled/withdrawn.
    call_command(Command(), count=N, pool=3, photo_size="600x400", non_public_share=0.1, chunk=7, verbosity=0)


def per_article(model, field="article"):
    return list(model.objects.values(field).annotate(n=Count("id")).values_list("n", flat=True))


def test_seeding_n_makes_n_articles_of_which_a_few_are_not_public(seeded):
    assert Article.objects.count() == N
    assert Article.objects.public().count() == N - 3
    statuses = set(Article.objects.exclude(pk__in=Article.objects.public()).values_list("status", flat=True))
    assert statuses <= {"draft", "published", "withdrawn"}  # "published" ones are scheduled in the future


def test_every_article_has_1_to_3_photos_2_to_4_quotes_5_to_10_tags_and_a_press_contact(seeded):
    photos, quotes = per_article(ArticlePhoto), per_article(Quote)
    tags = per_article(TaggedArticle, "content_object")
    assert len(photos) == len(quotes) == len(tags) == N
    assert min(photos) >= 1 and max(photos) <= 3
    assert min(quotes) >= 2 and max(quotes) <= 4
    assert min(tags) >= 5 and max(tags) <= 10
    assert not Article.objects.filter(press_contacts=None).exists()


def test_bodies_are_about_2300_characters_of_french_already_sanitised(seeded):
    lengths = []
    for article in Article.objects.all():
        assert sanitize_html(article.body) == article.body  # bulk_create skips save(): it must not matter
        lengths.append(len(re.sub(r"<[^>]+>", "", article.body)))
    assert 1800 <= min(lengths) and max(lengths) <= 3200
    assert 2000 <= sum(lengths) / len(lengths) <= 2700
    assert len({a.body for a in Article.objects.all()}) == N  # no two releases alike


def test_the_search_document_is_what_refresh_search_document_would_store(seeded):
    for article in Article.objects.all():
        assert article.search_document
        assert sorted(article.search_document.split()) == sorted(document_for(article).split())


def test_tags_come_from_a_pool_of_500_and_speakers_are_shared(seeded):
    from taggit.models import Tag

    assert Tag.objects.count() == 500
    assert Speaker.objects.annotate(n=Count("quotes")).filter(n__gt=1).exists()


def test_every_photo_has_every_rendition_and_the_real_ones_have_files(seeded):
    assert not Photo.objects.annotate(n=Count("renditions")).exclude(n=len(SPECS)).exists()
    assert Rendition.objects.count() == Photo.objects.count() * len(SPECS)
    for rendition in Rendition.objects.all()[:30]:
        assert default_storage.exists(rendition.file.name)
    for photo in Photo.objects.all():
        assert default_storage.exists(photo.image.name)
        assert photo.width == 600 and photo.height == 400


def test_every_public_page_renders_for_a_seeded_article(seeded, client):
    article = Article.objects.public().newest_first().first()
    tag = article.tags.first()
    speaker = article.quotes.first().speaker
    for url in ["/", "/?page=2", article.get_absolute_url(), f"/mots-cles/{tag.slug}/", speaker.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.get(article.get_absolute_url())
    assert article.title in response.content.decode()
    assert response.content.decode().count("<blockquote") == article.quotes.count()


def test_it_refuses_a_database_that_already_has_articles(seeded):
    with pytest.raises(CommandError):
        call_command(Command(), count=1, pool=1, photo_size="60x40", verbosity=0)
