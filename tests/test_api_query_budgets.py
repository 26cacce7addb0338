"""The API costs a fixed number of queries, however many photos, quotes, tags and contacts
a release has and however many releases a page holds (tests/test_query_budgets.py's style)."""

import pytest

from articles.api.models import ApiToken
from articles.models import ArticlePhoto, Quote
from tests.factories import make_article, make_credit, make_photo, make_speaker
from tests.test_query_budgets import assert_budget

pytestmark = pytest.mark.django_db

# the releases, their photos (with photo and credit), renditions, tags, press contacts, quotes (with speaker),
# their public translations
RELEASE_LIST_QUERIES = 7
# a filter by slug (tag, speaker, credit) first finds its id
SLUG_FILTER_QUERIES = 1
# the same for one release
RELEASE_QUERIES = 7
# a withdrawn or unknown release: the public lookup, then the notice's lookup
HIDDEN_RELEASE_QUERIES = 2
# the tag (speaker, credit), then a page of its releases as above
VOCABULARY_RELEASES_QUERIES = 8
# a page of tags (speakers, credits)
VOCABULARY_LIST_QUERIES = 1
# releases in other languages (issue #14): their tags' names in those languages, one query for the page
TAG_NAMES_QUERIES = 1
# a partner's token is one more lookup (its last use is written at most once an hour)
TOKEN_QUERIES = 1


def press_room(n):
    photos = [make_photo(credit=make_credit(f"Studio {i}")) for i in range(n)]
    speakers = [make_speaker(f"Personne {i}") for i in range(n)]
    articles = []
    for _ in range(n):
        article = make_article(tags=[f"t{i}" for i in range(n)], contacts=n)
        for position, photo in enumerate(photos):
            ArticlePhoto.objects.create(article=article, photo=photo, position=position)
        for position, speaker in enumerate(speakers):
            Quote.objects.create(article=article, speaker=speaker, text="Oui.", position=position)
        articles.append(article)
    return articles


@pytest.mark.parametrize("n", [1, 12])
def test_release_lists_cost_the_same_for_1_or_12_releases_photos_quotes_tags_and_contacts(
    client, django_assert_num_queries, n
):
    articles = press_room(n)
    assert_budget(client, django_assert_num_queries, "/api/v1/releases", RELEASE_LIST_QUERIES)
    assert_budget(client, django_assert_num_queries, "/api/v1/releases?limit=5&tag=t0&language=fr",
                  RELEASE_LIST_QUERIES + SLUG_FILTER_QUERIES)
    assert_budget(client, django_assert_num_queries, f"/api/v1/releases/{articles[0].pk}", RELEASE_QUERIES)
    for kind, slug in (("tags", "t0"), ("speakers", "personne-0"), ("credits", "studio-0")):
        assert_budget(client, django_assert_num_queries, f"/api/v1/{kind}", VOCABULARY_LIST_QUERIES)
        assert_budget(client, django_assert_num_queries, f"/api/v1/{kind}/{slug}/releases", VOCABULARY_RELEASES_QUERIES)


@pytest.mark.parametrize("n", [1, 12])
def test_translations_name_their_tags_in_their_language_in_one_query_for_1_or_12_tags(
    client, django_assert_num_queries, n
):
    from articles.models import TagTranslation

    for original in press_room(n):
        translated = make_article(language="en", translation_of=original, tags=[f"t{i}" for i in range(n)])
        for placement in original.article_photos.all():  # a translation shows its original's photos
            ArticlePhoto.objects.create(article=translated, photo=placement.photo, position=placement.position)
    for tag in translated.tags.all():
        TagTranslation.objects.create(tag=tag, language="en", name=f"{tag.name} (en)")
    assert_budget(client, django_assert_num_queries, "/api/v1/releases?language=en",
                  RELEASE_LIST_QUERIES + TAG_NAMES_QUERIES)
    assert_budget(client, django_assert_num_queries, "/api/v1/releases", RELEASE_LIST_QUERIES + TAG_NAMES_QUERIES)
    assert_budget(client, django_assert_num_queries, f"/api/v1/releases/{translated.pk}", RELEASE_QUERIES + TAG_NAMES_QUERIES)
    assert {t["name"] for t in client.get(f"/api/v1/releases/{translated.pk}").json()["tags"]} == {
        f"t{i} (en)" for i in range(n)}


def test_a_page_after_a_cursor_costs_what_the_first_costs(client, django_assert_num_queries):
    press_room(3)
    following = client.get("/api/v1/releases?limit=1").json()["next"]
    assert_budget(client, django_assert_num_queries, following, RELEASE_LIST_QUERIES)


def test_an_unknown_release_and_a_partner_token(client, django_assert_num_queries):
    article = press_room(1)[0]
    assert_budget(client, django_assert_num_queries, "/api/v1/releases/987654", HIDDEN_RELEASE_QUERIES, status=404)
    _token, raw = ApiToken.issue(name="Partenaire")
    client.get("/api/v1/releases", HTTP_AUTHORIZATION=f"Bearer {raw}")  # writes its first use
    with django_assert_num_queries(RELEASE_QUERIES + TOKEN_QUERIES):
        client.get(f"/api/v1/releases/{article.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
