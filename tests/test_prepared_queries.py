"""Hot public queries compiled once per process (articles/prepared_queries.py) answer exactly as public() does.

The article page and the home page read their releases through queries compiled to SQL once
and run with the request's time, slug and language. They are built from the visibility rule
itself; these tests hold them to it at every state of a release and as time passes.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import CharField, DateTimeField, SlugField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.prepared_queries import Parameter, PreparedPages, PreparedQuery
from articles.views.public import ArticleDetailView, ArticleListView
from tests.factories import make_article

pytestmark = pytest.mark.django_db

S = Article.Status


def by_slug(slug, now=None):
    return ArticleDetailView.by_slug.run(now=now or timezone.now(), slug=slug)


@pytest.mark.parametrize(
    ("status", "offset"),
    [
        (S.PUBLISHED, timedelta(hours=-1)),
        (S.PUBLISHED, timedelta(hours=1)),  # embargoed
        (S.PUBLISHED, None),
        (S.DRAFT, timedelta(hours=-1)),
        (S.REVIEW, timedelta(hours=-1)),
        (S.WITHDRAWN, timedelta(hours=-1)),
    ],
)
def test_the_article_page_finds_a_release_exactly_when_public_does(status, offset):
    article = Article.objects.create(title="Sujet préparé", status=status,
                                     publish_at=None if offset is None else timezone.now() + offset)
    found = by_slug(article.slug)
    assert [a.pk for a in found] == list(Article.objects.public().filter(slug=article.slug).values_list("pk", flat=True))
    assert bool(found) is article.is_public()


def test_a_translation_is_found_only_while_its_original_is_public(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    original = make_article(title="Coopération", publish_at=timezone.now() + timedelta(minutes=5))
    english = Article.objects.create(title="Cooperation", language="en", translation_of=original,
                                     status=S.PUBLISHED, publish_at=original.publish_at)
    assert by_slug(english.slug) == []  # the group's time has not come
    time_machine.shift(timedelta(minutes=5))
    assert [a.pk for a in by_slug(english.slug)] == [english.pk]
    Article.objects.filter(pk=original.pk).update(status=S.WITHDRAWN)
    assert by_slug(english.slug) == []


def test_the_time_is_the_request_s_not_the_time_the_query_was_compiled(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(title="À dix heures", publish_at=timezone.now() + timedelta(minutes=10))
    assert by_slug(article.slug) == []  # compiled now, before its minute
    time_machine.shift(timedelta(minutes=10))
    assert [a.pk for a in by_slug(article.slug)] == [article.pk]


def test_a_found_release_is_the_same_object_public_gives_with_its_text_loaded_and_search_text_deferred():
    article = make_article(title="Texte « entier »", body="<p>Le corps du communiqué.</p>")
    found = by_slug(article.slug)[0]
    expected = Article.objects.public().defer("search_document").get(pk=article.pk)
    assert found.get_deferred_fields() == {"search_document"} == expected.get_deferred_fields()
    for field in ("title", "slug", "body", "publish_at", "language", "status", "version", "updated_at"):
        assert getattr(found, field) == getattr(expected, field)
    assert found._state.adding is False and found._state.db == "default"


def test_a_slug_with_quotes_and_markup_is_a_value_never_sql():
    make_article(title="Réel")
    assert by_slug("x' OR '1'='1") == []
    assert by_slug('"><script>') == []


def test_the_home_page_lists_what_public_lists_in_order_and_language(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    now = timezone.now()
    for minutes in range(1, 8):
        make_article(title=f"Publié {minutes}", publish_at=now - timedelta(minutes=minutes))
    make_article(title="Sous embargo", publish_at=now + timedelta(minutes=3))
    make_article(title="Brouillon", status=S.DRAFT)
    original = make_article(title="Original", publish_at=now - timedelta(minutes=30))
    Article.objects.create(title="English", language="en", translation_of=original, status=S.PUBLISHED,
                           publish_at=original.publish_at)
    expected = list(Article.objects.public().in_language("fr").newest_first().values_list("pk", flat=True))
    pages = PreparedPages(ArticleListView.pages, lambda: Article.objects.none(), now=timezone.now(), language="fr")
    assert [a.pk for a in pages[0:5]] + [a.pk for a in pages[5:10]] == expected
    english = PreparedPages(ArticleListView.pages, lambda: Article.objects.none(), now=timezone.now(), language="en")
    assert [a.title for a in english[0:10]] == ["English"]
    assert pages[0:0] == []
    time_machine.shift(timedelta(minutes=3))
    later = PreparedPages(ArticleListView.pages, lambda: Article.objects.none(), now=timezone.now(), language="fr")
    assert later[0:1][0].title == "Sous embargo"  # at its minute, first, without any job


def test_a_list_counts_and_reads_deep_pages_through_the_queryset_built_the_ordinary_way():
    for n in range(3):
        make_article(title=f"Communiqué {n}")
    built = []

    def build():
        built.append(True)
        return Article.objects.public().newest_first()

    pages = PreparedPages(ArticleListView.pages, build, now=timezone.now(), language="fr")
    assert len(pages[0:2]) == 2 and not built  # a page of the list: the prepared query only
    assert pages.count() == 3 and built == [True]
    assert list(pages.values_list("pk", flat=True)) == list(build().values_list("pk", flat=True))


def test_a_page_is_one_query_and_is_compiled_once():
    make_article(title="Un")
    prepared = PreparedQuery(Article, lambda: Article.objects.public(now=Parameter("now", DateTimeField()))
                             .filter(language=Parameter("language", CharField())).newest_first())
    prepared.run(rows=(0, 10), now=timezone.now(), language="fr")
    with CaptureQueriesContext(connection) as queries:
        assert len(prepared.run(rows=(0, 10), now=timezone.now(), language="fr")) == 1
    assert len(queries) == 1 and len(prepared._compiled) == 1


def test_only_a_bounded_number_of_slices_are_kept_compiled():
    prepared = PreparedQuery(Article, lambda: Article.objects.filter(language=Parameter("language", CharField()))
                             .order_by("-id"))
    starts = range(0, 10 * (PreparedQuery.MAX_SLICES + 5), 10)
    for start in starts:
        prepared.run(rows=(start, start + 10), language="fr")  # ?page=N for ever larger N
    assert len(prepared._compiled) == PreparedQuery.MAX_SLICES
    # The newest slices are kept, the oldest made room (a list's last page changes with each publication).
    assert ("default", (starts[-1], starts[-1] + 10)) in prepared._compiled
    assert ("default", (0, 10)) not in prepared._compiled
    prepared.run(rows=(0, 10), language="fr")  # compiled again, and kept
    assert ("default", (0, 10)) in prepared._compiled and len(prepared._compiled) == PreparedQuery.MAX_SLICES


def test_a_query_it_cannot_map_onto_the_model_is_refused_when_prepared():
    prepared = PreparedQuery(Article, lambda: Article.objects.select_related("translation_of")
                             .filter(slug=Parameter("slug", SlugField())))
    with pytest.raises(ValueError):
        prepared.run(slug="x")


def test_a_missing_value_is_an_error_not_a_null():
    with pytest.raises(TypeError):
        ArticleDetailView.by_slug.run(now=timezone.now())
