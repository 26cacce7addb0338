"""Review of issue #17's origin work, as an attacker: what a visitor can send at the new pieces.

The page cache, before Django's handler (hits.py) as in its middleware, decides from the address
which query parameters a page reads; the prepared queries read the home page's slices; neither
may answer a hostile `?page=` with a 500, nor depend on what the same thread served before.
"""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from articles.caching import page_cache
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.mark.parametrize("path", ["/?page=2", "/en/?page=2", "/recherche/?q=budget", "/en/search/?q=budget"])
@pytest.mark.parametrize("thread_language", ["fr", "en", "ja"])
def test_a_page_read_with_its_parameters_is_cacheable_whatever_the_thread_served_last(cache_on, path, thread_language):
    # Under gunicorn's threads the page cache runs before LocaleMiddleware (and hits.py before
    # Django's handler): the thread's active language is the previous request's. The address
    # alone decides a page's language (page_language), so it alone must decide which view it
    # is and which parameters it reads; else /en/?page=2 is never cached after a French page.
    request = RequestFactory().get(path)
    with translation.override(thread_language):
        found = page_cache.find(request)
    assert found.key is not None


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "2e3", "99999999999999999999", "9" * 5000, "last", ""])
def test_a_hostile_page_number_is_a_page_or_a_404_never_a_500(client, page):
    for n in range(3):
        make_article(f"Page {n}")
    response = client.get("/", {"page": page})
    assert response.status_code in (200, 404)


def test_an_embargoed_release_is_on_no_page_of_the_home_list(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for n in range(12):
        make_article(f"Public {n}")
    secret = make_article("Fusion secrète", publish_at=timezone.now() + timedelta(minutes=5))
    for page in ("1", "2", "last"):
        assert "Fusion secrète" not in client.get("/", {"page": page}).content.decode()
    time_machine.shift(timedelta(minutes=5))
    assert secret.title in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_query_compiled_by_one_thread_answers_in_another_with_its_own_connection():
    # gunicorn gthread: the first request of a process compiles, any thread runs it afterwards.
    import threading

    from django.db import connections
    from django.db.models import DateTimeField, SlugField

    from articles.models import Article
    from articles.prepared_queries import Parameter, PreparedQuery

    article = make_article("Fil partagé")
    embargoed = make_article("Fil sous embargo", publish_at=timezone.now() + timedelta(hours=1))
    query = PreparedQuery(Article, lambda: Article.objects.public(now=Parameter("now", DateTimeField()))
                          .filter(slug=Parameter("slug", SlugField())))
    assert [a.pk for a in query.run(now=timezone.now(), slug=article.slug)] == [article.pk]
    answers = {}

    def other_thread():
        try:
            answers["public"] = [(a.pk, a.publish_at) for a in query.run(now=timezone.now(), slug=article.slug)]
            answers["embargoed"] = query.run(now=timezone.now(), slug=embargoed.slug)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert answers == {"public": [(article.pk, Article.objects.get(pk=article.pk).publish_at)], "embargoed": []}


def test_a_page_number_spelt_another_way_is_the_same_entry_not_another_copy(client, cache_on):
    # int() is how the Paginator reads ?page=: each spelling it accepts is the same page, and was
    # stored once more per spelling (a visitor could fill the cache with ?page=0…02).
    for n in range(12):
        make_article(f"Épelé {n}")
    assert client.get("/", {"page": "2"})["X-Page-Cache"] == "miss"
    for spelling in ("02", "0002", "+2", " 2", "0_2", "2 "):
        response = client.get("/", {"page": spelling})
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit", spelling
