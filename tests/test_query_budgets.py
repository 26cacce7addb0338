"""Public pages cost a fixed number of queries, however many photos, quotes, tags and contacts.

The numbers are exact on purpose: a new query on a public page (an N+1 in a
template, a lookup in a context processor) should fail here and be a decision.
"""

import pytest
from django.conf import settings

from articles.models import ArticlePhoto, Quote
from tests.factories import make_article, make_photo, make_speaker

pytestmark = pytest.mark.django_db


def with_photos(article, photos):
    """Place the same library photos in several articles (saving a photo is the slow part)."""
    for position, photo in enumerate(photos):
        ArticlePhoto.objects.create(article=article, photo=photo, position=position)
    return article

# count, list of articles, their photos (with photo and credit), the photos' renditions
HOME_QUERIES = 4
# the article, its photos (with photo and credit), renditions, tags, press contacts, quotes (with speaker)
ARTICLE_QUERIES = 6
# the tag, count, list of articles, their photos, renditions
TAG_QUERIES = 5
# the speaker, count, list of quotes (with article and speaker)
SPEAKER_QUERIES = 3


@pytest.mark.parametrize("n", [1, 20])
def test_the_home_page_costs_the_same_for_1_or_a_full_page_of_releases_with_1_or_20_photos(
    client, django_assert_num_queries, n
):
    photos = [make_photo() for _ in range(n)]
    for _ in range(min(n, settings.ARTICLES_PER_PAGE + 1)):
        with_photos(make_article(quotes=n, tags=[f"t{i}" for i in range(n)]), photos)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
    if n > settings.ARTICLES_PER_PAGE:
        with django_assert_num_queries(HOME_QUERIES):
            assert client.get("/?page=2").status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_the_article_page_costs_the_same_for_1_or_20_photos_quotes_tags_and_contacts(
    client, django_assert_num_queries, n
):
    article = make_article(photos=n, quotes=n, tags=[f"mot-{i}" for i in range(n)], contacts=n)
    with django_assert_num_queries(ARTICLE_QUERIES) as captured:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("<blockquote") == n, captured


@pytest.mark.parametrize("n", [1, 20])
def test_the_tag_page_costs_the_same_for_1_or_20_releases(client, django_assert_num_queries, n):
    photos = [make_photo(), make_photo()]
    for _ in range(n):
        with_photos(make_article(tags=["Kyoto"]), photos)
    with django_assert_num_queries(TAG_QUERIES):
        assert client.get("/mots-cles/kyoto/").status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_the_speaker_page_costs_the_same_for_1_or_20_quotes(client, django_assert_num_queries, n):
    speaker = make_speaker("Carole Delga")
    for _ in range(n):
        Quote.objects.create(article=make_article(), speaker=speaker, text="Une citation.")
    with django_assert_num_queries(SPEAKER_QUERIES):
        assert client.get(speaker.get_absolute_url()).status_code == 200
