"""What the origin (page cache off) does once instead of on every request (issue #17), seen by a visitor.

The site's frame (header, menu, search box, footer, feed links) is rendered once per process and
language; the cached parts of a page (fragments, counts, alternates) are read with their tokens
in one round trip to the cache each. None of it may show a visitor another page's, another
language's or another setting's frame, nor keep what a visitor typed.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.factories import make_article

pytestmark = pytest.mark.django_db

HOME = "/"


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def origin(settings):
    settings.PAGE_CACHE_SECONDS = 0  # the origin: every request is built by the view


def test_the_current_menu_entry_is_the_page_s_own_on_every_page(client, origin):
    article = make_article("Le frame")
    home = text(client.get(HOME))
    assert '<a href="/" aria-current="page">' in home
    archives = text(client.get("/archives/"))
    assert 'aria-current="page">Archives' in archives and '<a href="/" aria-current="page">' not in archives
    page = text(client.get(article.get_absolute_url()))
    assert 'aria-current="page">Communiqués' not in page and 'aria-current="page">Archives' not in page
    assert '<a href="/" aria-current="page">' in text(client.get(HOME))  # the home page's own, still


def test_the_search_box_keeps_what_was_searched_and_no_other_page_shows_it(client, origin):
    make_article("Coopération avec Kyoto")
    searched = text(client.get("/recherche/", {"q": "kyoto<script>"}))
    assert 'value="kyoto&lt;script&gt;"' in searched and "kyoto<script>" not in searched
    assert 'value="kyoto' not in text(client.get(HOME))
    assert 'value="thermalisme"' in text(client.get("/recherche/", {"q": "thermalisme"}))


def test_each_language_has_its_own_frame(client, origin):
    original = make_article("Coopération")
    from articles.models import Article

    Article.objects.create(title="Cooperation", language="en", translation_of=original,
                           status=Article.Status.PUBLISHED, publish_at=original.publish_at)
    french, english = text(client.get(HOME)), text(client.get("/en/"))
    assert "Aller au contenu" in french and "Aller au contenu" not in english
    assert 'action="/en/' in english and 'action="/recherche/"' in french
    assert "Aller au contenu" in text(client.get(HOME))


def test_a_new_site_name_shows_at_once(client, origin):
    make_article("Nom du site")
    with override_settings(SITE_NAME="Région Occitanie — presse"):
        assert "Région Occitanie — presse" in text(client.get(HOME))
    with override_settings(SITE_NAME="Salle de presse du Gers"):
        page = text(client.get(HOME))
        assert "Salle de presse du Gers" in page and "Région Occitanie — presse" not in page


class CountingCache:
    """Counts the round trips to the cache (get_many) of the requests made while it is installed."""

    def __init__(self, monkeypatch):
        self.calls = 0
        real = cache.get_many

        def counted(keys, *args, **kwargs):
            self.calls += 1
            return real(keys, *args, **kwargs)

        monkeypatch.setattr(cache, "get_many", counted)


def test_an_article_page_reads_the_cache_in_two_round_trips_once_warm(client, origin, monkeypatch):
    """Its fragments (head, article, related, canonical, hreflang, switcher) with all their tokens; the next
    publication time (how long browsers may keep the page)."""
    article = make_article("Trois allers-retours")
    for _ in range(2):
        assert client.get(article.get_absolute_url()).status_code == 200
    counter = CountingCache(monkeypatch)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "Trois allers-retours" in text(response)
    assert counter.calls <= 2


def test_a_fragment_read_in_one_round_trip_still_sees_an_edit(client, origin):
    article = make_article("Avant correction")
    url = article.get_absolute_url()
    for _ in range(2):
        client.get(url)
    article.title = "Après correction"
    article.save()
    page = text(client.get(url))
    assert "Après correction" in page and "Avant correction" not in page
    cache.delete(f"deps:release:{article.pk}")  # a token the cache lost: rendered again, never the old one
    assert "Après correction" in text(client.get(url))
