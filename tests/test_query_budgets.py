"""Public pages cost a fixed number of queries, however many photos, quotes, tags and contacts.

The numbers are exact on purpose: a new query on a public page (an N+1 in a
template, a lookup in a context processor) should fail here and be a decision.
"""

import pytest
from django.conf import settings

from articles.caching import policy as cache_policy
from articles.models import ArticlePhoto, Quote
from tests.factories import make_article, make_photo, make_speaker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _origin(settings):
    """Measure the origin: with the page cache on, a repeated request costs no query at all."""
    settings.PAGE_CACHE_SECONDS = 0


def with_photos(article, photos):
    """Place the same library photos in several articles (saving a photo is the slow part)."""
    for position, photo in enumerate(photos):
        ArticlePhoto.objects.create(article=article, photo=photo, position=position)
    return article

# Budgets are for the steady state: the page was already visited since the last change, so the
# per-change caches are warm — the next scheduled publication (cache_policy) and the list counts
# (articles/pagination.py). What the first visit after a change pays on top is stated by the
# two "first visit" tests at the end.
# Cards, and the article's page and head, are rendered once per version of their release
# (articles/caching/fragments.py): in the steady state their photos, renditions, quotes, tags and
# contacts are not read at all. What rendering one costs is stated on its own:
# a card: its photos (with photo and credit), their renditions
CARD_QUERIES = 2
# an article's page and head: photos (with photo and credit), renditions, tags, press contacts, quotes (with speaker)
ARTICLE_FRAGMENT_QUERIES = 5
# list of articles (count and cards cached)
HOME_QUERIES = 1
# the article (its page, head and related public releases cached: 1 more query for the related on a first visit)
ARTICLE_QUERIES = 1
# the tag, list of articles (count and cards cached)
TAG_QUERIES = 2
# a release's public translations (language switcher, hreflang), looked up again after the release changed
TRANSLATIONS_QUERIES = 1
# the speaker, list of quotes (with article and speaker) (count cached)
SPEAKER_QUERIES = 2
# the credit, page of photos (with credit), their renditions, their public articles (count cached)
CREDIT_QUERIES = 4


@pytest.mark.parametrize("n", [1, 20])
def test_the_home_page_costs_the_same_for_1_or_a_full_page_of_releases_with_1_or_20_photos(
    client, django_assert_num_queries, n
):
    photos = [make_photo() for _ in range(n)]
    for _ in range(min(n, settings.ARTICLES_PER_PAGE + 1)):
        with_photos(make_article(quotes=n, tags=[f"t{i}" for i in range(n)]), photos)
    assert_budget(client, django_assert_num_queries, "/", HOME_QUERIES)
    if n > settings.ARTICLES_PER_PAGE:
        assert_budget(client, django_assert_num_queries, "/?page=2", HOME_QUERIES)


@pytest.mark.parametrize("n", [1, 20])
def test_the_article_page_costs_the_same_for_1_or_20_photos_quotes_tags_and_contacts(
    client, django_assert_num_queries, n
):
    article = make_article(photos=n, quotes=n, tags=[f"mot-{i}" for i in range(n)], contacts=n)
    client.get(article.get_absolute_url())  # warm, as for every budget (see above)
    with django_assert_num_queries(ARTICLE_QUERIES) as captured:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("<blockquote") == n, captured


@pytest.mark.parametrize("n", [1, 20])
def test_the_tag_page_costs_the_same_for_1_or_20_releases(client, django_assert_num_queries, n):
    photos = [make_photo(), make_photo()]
    for _ in range(n):
        with_photos(make_article(tags=["Kyoto"]), photos)
    assert_budget(client, django_assert_num_queries, "/mots-cles/kyoto/", TAG_QUERIES)


@pytest.mark.parametrize("n", [1, 20])
def test_the_speaker_page_costs_the_same_for_1_or_20_quotes(client, django_assert_num_queries, n):
    speaker = make_speaker("Carole Delga")
    for _ in range(n):
        Quote.objects.create(article=make_article(), speaker=speaker, text="Une citation.")
    assert_budget(client, django_assert_num_queries, speaker.get_absolute_url(), SPEAKER_QUERIES)


@pytest.mark.parametrize("n", [1, 20])
def test_the_credit_page_costs_the_same_for_1_or_20_photos_each_in_several_releases(client, django_assert_num_queries, n):
    from tests.factories import make_credit

    credit = make_credit("Nicolas Datiche")
    photos = [make_photo(credit=credit) for _ in range(n)]
    for _ in range(3):
        with_photos(make_article(), photos)
    with_photos(make_article(status="draft"), photos)
    assert_budget(client, django_assert_num_queries, f"/credits/{credit.slug}/", CREDIT_QUERIES)


# Discovery surfaces (search, archives, feeds, sitemap). Each is measured on its second
# request: the first one also fills per-minute caches (the next scheduled publication),
# which a visitor almost never pays.
# search: the page of results (text only: no photo), with its count (within the newest 1,000 matches)
# in the same query; the filter choices (tags, speakers, years) are kept per content generation (3 more
# on a first visit)
SEARCH_QUERIES = 1
# filters without words: the page of results only (its count is kept per content generation)
SEARCH_FILTER_QUERIES = 1
# archive index: the grouped count by month is kept per content generation (1 on a first visit)
ARCHIVE_INDEX_QUERIES = 0
# month or year: list (count, cards and a year's month counts cached)
ARCHIVE_MONTH_QUERIES = 1
ARCHIVE_YEAR_QUERIES = 1
# feed: articles, their tags, photos (with credit), large renditions; per tag or speaker: + that tag or speaker
FEED_QUERIES = 4
FILTERED_FEED_QUERIES = 5
# sitemap index: the newest change of each section (pages, articles, tags, speakers); the sections'
# counts (their number of pages) are kept per content generation (3 more on a first visit)
SITEMAP_INDEX_QUERIES = 4
# a page of the releases' sitemap: list, photos, large renditions, the page's groups of translations
# (xhtml:link alternates) (count cached); whatever page, whatever N
SITEMAP_ARTICLES_PAGE_QUERIES = 4
# speakers (each with its newest public change in a subquery), pages (their newest change)
SITEMAP_SECTION_QUERIES = 1
# tags (each with its newest public change per language in subqueries), their names in every
# language for the page's English and Japanese addresses (issue #14)
SITEMAP_TAGS_QUERIES = 2


def discovery_press_room(n):
    """n public releases sharing two library photos, a tag and a speaker, plus hidden ones."""
    photos = [make_photo(), make_photo()]
    speaker = make_speaker("Carole Delga")
    for _ in range(n):
        article = with_photos(make_article("Kyoto et l'Occitanie", tags=["Kyoto", "Économie"]), photos)
        Quote.objects.create(article=article, speaker=speaker, text="Une citation.")
    make_article("Kyoto brouillon", status="draft", tags=["Kyoto"])
    return speaker


def assert_budget(client, django_assert_num_queries, url, budget, status=200):
    """The cost of a visit in the steady state: a first visit warms the per-change caches."""
    client.get(url)
    cache_policy.next_scheduled_publication()  # already warm after that visit; said for the reader
    with django_assert_num_queries(budget):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize("n", [1, 20])
def test_search_costs_the_same_for_1_or_20_results(client, django_assert_num_queries, n):
    discovery_press_room(n)
    assert_budget(client, django_assert_num_queries, "/recherche/?q=kyoto", SEARCH_QUERIES)
    assert_budget(client, django_assert_num_queries, "/recherche/?q=kyoto&tag=kyoto&speaker=carole-delga", SEARCH_QUERIES)


@pytest.mark.parametrize("n", [1, 20])
def test_filtering_without_words_costs_the_same_for_1_or_20_results(client, django_assert_num_queries, n):
    speaker = discovery_press_room(n)
    assert_budget(client, django_assert_num_queries, "/recherche/?tag=kyoto", SEARCH_FILTER_QUERIES)
    assert_budget(client, django_assert_num_queries, f"/recherche/?tag=kyoto&speaker={speaker.slug}", SEARCH_FILTER_QUERIES)


def test_a_refused_search_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/recherche/", {"q": "x" * 10_000}).status_code == 400


@pytest.mark.parametrize("n", [1, 20])
def test_archives_cost_the_same_for_1_or_20_releases(client, django_assert_num_queries, n):
    discovery_press_room(n)
    from django.utils import timezone

    month = timezone.localtime(timezone.now())
    assert_budget(client, django_assert_num_queries, "/archives/", ARCHIVE_INDEX_QUERIES)
    assert_budget(client, django_assert_num_queries, f"/archives/{month:%Y}/", ARCHIVE_YEAR_QUERIES)
    assert_budget(client, django_assert_num_queries, f"/archives/{month:%Y/%m}/", ARCHIVE_MONTH_QUERIES)


@pytest.mark.parametrize("n", [1, 20])
def test_feeds_cost_the_same_for_1_or_20_releases(client, django_assert_num_queries, n):
    speaker = discovery_press_room(n)
    for fmt in ("rss", "atom"):
        assert_budget(client, django_assert_num_queries, f"/flux/{fmt}/", FEED_QUERIES)
        assert_budget(client, django_assert_num_queries, f"/mots-cles/kyoto/flux/{fmt}/", FILTERED_FEED_QUERIES)
        assert_budget(client, django_assert_num_queries, f"/intervenants/{speaker.slug}/flux/{fmt}/", FILTERED_FEED_QUERIES)


@pytest.mark.parametrize("n", [1, 20])
def test_each_sitemap_page_costs_the_same_for_1_or_20_releases(client, django_assert_num_queries, monkeypatch, n):
    from articles.discovery.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 5)  # 20 releases: four pages, as 20,000 would be at 5,000
    discovery_press_room(n)
    assert_budget(client, django_assert_num_queries, "/sitemap.xml", SITEMAP_INDEX_QUERIES)
    for page in range(1, (n + 4) // 5 + 1):
        assert_budget(client, django_assert_num_queries, f"/sitemap-articles.xml?p={page}", SITEMAP_ARTICLES_PAGE_QUERIES)
    assert_budget(client, django_assert_num_queries, "/sitemap-tags.xml", SITEMAP_TAGS_QUERIES)
    for section in ("speakers", "pages"):
        assert_budget(client, django_assert_num_queries, f"/sitemap-{section}.xml", SITEMAP_SECTION_QUERIES)


def test_the_first_visit_after_a_change_also_looks_up_the_next_publication(client, django_assert_num_queries):
    """The cold cost, stated once: after an edit, + 1 query (cache_policy's next scheduled publication) and the
    edited release's page rendered again; after a new publication, + 2 more (related releases, which it may join);
    after either, + 1 for the release's public translations (a new publication may be one of them)."""
    article = make_article(photos=1, quotes=1, tags=["Kyoto"], contacts=1)
    client.get(article.get_absolute_url())
    article.save()  # an edit: the next publication is forgotten, the release's page and head rendered again
    with django_assert_num_queries(ARTICLE_QUERIES + 1 + ARTICLE_FRAGMENT_QUERIES + TRANSLATIONS_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200
    make_article(tags=["Kyoto"])  # a new publication: what is related may have changed; this release did not
    # the related releases (the release's tags, the ranking) and its translations
    with django_assert_num_queries(ARTICLE_QUERIES + 1 + 2 + TRANSLATIONS_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200
    with django_assert_num_queries(ARTICLE_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_rendering_the_page_of_a_release_costs_the_same_for_1_or_20_photos_quotes_tags_and_contacts(
    client, django_assert_num_queries, n
):
    article = make_article(photos=n, quotes=n, tags=[f"mot-{i}" for i in range(n)], contacts=n)
    client.get(article.get_absolute_url())
    article.save()
    client.get("/")  # the next publication, looked up again after the edit
    with django_assert_num_queries(ARTICLE_QUERIES + ARTICLE_FRAGMENT_QUERIES + TRANSLATIONS_QUERIES) as captured:
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count("<blockquote") == n, captured


def test_the_first_visit_of_a_list_after_a_change_also_counts_it(client, django_assert_num_queries):
    """A list's cold cost: after an edit, + 1 for the next publication and the edited card rendered again;
    after a new publication, + 1 for the count and the new card rendered."""
    article = make_article(photos=1)
    make_article(photos=1)
    client.get("/")
    article.save()  # an edit: the count is the same, one card is rendered again
    with django_assert_num_queries(HOME_QUERIES + 1 + CARD_QUERIES):
        assert client.get("/").status_code == 200
    make_article(photos=3)
    with django_assert_num_queries(HOME_QUERIES + 2 + CARD_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


# A translated page (issue #14): its tags' names in its language, for all its tags at once.
TAG_NAMES_QUERIES = 1


@pytest.mark.parametrize("n", [1, 20])
def test_a_translation_costs_the_same_for_1_or_20_translated_captions_and_tag_names(client, django_assert_num_queries, n):
    from articles.models import TagTranslation

    original = make_article(photos=n, quotes=n, tags=[f"mot-{i}" for i in range(n)], contacts=n)
    english = make_article(language="en", translation_of=original, tags=[f"mot-{i}" for i in range(n)], contacts=n)
    for placement in original.article_photos.all():
        ArticlePhoto.objects.create(article=english, photo=placement.photo, position=placement.position,
                                    caption=f"Caption {placement.position}", alt_text="An image")
    for i in range(n):
        Quote.objects.create(article=english, speaker=make_speaker(), text=f"Quote {i}", position=i)
    for tag in original.tags.all():
        TagTranslation.objects.create(tag=tag, language="en", name=f"Tag {tag.name}")
    client.get(english.get_absolute_url())
    english.save()
    client.get("/en/")  # the next publication, looked up again after the edit
    with django_assert_num_queries(ARTICLE_QUERIES + ARTICLE_FRAGMENT_QUERIES + TAG_NAMES_QUERIES + TRANSLATIONS_QUERIES):
        response = client.get(english.get_absolute_url())
    html = response.content.decode()
    assert html.count('<span class="caption">Caption ') == n and html.count(">Tag mot-") == n
    assert_budget(client, django_assert_num_queries, english.get_absolute_url(), ARTICLE_QUERIES)


@pytest.mark.parametrize("n", [1, 20])
def test_an_english_tag_page_costs_the_same_for_1_or_20_releases(client, django_assert_num_queries, n):
    from taggit.models import Tag

    from articles.models import TagTranslation

    photos = [make_photo(), make_photo()]
    for _ in range(n):
        with_photos(make_article(language="en", tags=["Économie"]), photos)
    TagTranslation.objects.create(tag=Tag.objects.get(name="Économie"), language="en", name="Economy")
    assert_budget(client, django_assert_num_queries, "/en/tags/economy/", TAG_QUERIES)
