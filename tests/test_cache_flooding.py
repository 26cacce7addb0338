"""Tracking parameters cannot flood the cache: a page is kept once, under the parameters it reads.

`?utm_source=<random>` on every request used to store one more copy of the home page
per value. Now the key holds only what the page reads (page_cache.QUERY_PARAMETERS).
"""

import secrets

import pytest
from django.core.cache import cache
from django.urls import get_resolver, reverse

from articles.caching import page_cache
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def count_page_keys() -> int:
    """Pages in the cache, whatever the backend: local memory in tests, or Redis in CI."""
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):  # LocMemCache
        return sum(":pages:page:" in key for key in backend)
    client = cache._cache.get_client(None)  # Redis: this run's own prefix
    return sum(1 for _ in client.scan_iter(f"{cache.key_prefix}:*:pages:page:*"))


def test_a_thousand_random_tracking_parameters_store_the_home_page_once(client):
    make_article("Le TGV arrive à Rodez")
    assert client.get("/")["X-Page-Cache"] == "miss"
    before = count_page_keys()
    for _ in range(1000):
        response = client.get("/", {"utm_x": secrets.token_hex(8)})
        assert response["X-Page-Cache"] == "hit"
    assert count_page_keys() == before


def test_the_parameters_a_page_reads_still_have_their_own_entries(client, settings):
    for i in range(settings.ARTICLES_PER_PAGE + 1):
        make_article(f"Communiqué numéro {i:02d} sur Rodez")
    client.get("/")
    page_2 = client.get("/", {"page": 2, "utm_source": "lettre"})
    assert page_2["X-Page-Cache"] == "miss"
    assert client.get("/", {"page": 2, "fbclid": "abc"})["X-Page-Cache"] == "hit"
    search = client.get(reverse("articles:search"), {"q": "Rodez", "utm_campaign": "x"})
    assert search["X-Page-Cache"] == "miss"
    assert client.get(reverse("articles:search"), {"q": "Rodez"})["X-Page-Cache"] == "hit"
    assert client.get(reverse("articles:search"), {"q": "TGV"})["X-Page-Cache"] == "miss"


def test_a_tracking_parameter_never_finds_its_way_into_a_cached_page(client, settings):
    for i in range(settings.ARTICLES_PER_PAGE + 1):
        make_article(f"Communiqué numéro {i:02d} sur Rodez")
    first = client.get(reverse("articles:search"), {"q": "Rodez", "utm_source": "espion"})
    assert "espion" not in first.content.decode()
    assert "q=Rodez" in first.content.decode()  # the next page keeps the query


def test_every_public_address_says_which_parameters_it_reads():
    """A new public page must be declared, or it is cached only without a query string."""
    def articles_resolver(patterns):
        # Under i18n_patterns (issue #14) the app's include sits inside the language prefix.
        for p in patterns:
            if getattr(p, "namespace", None) == "articles":
                return p
            if hasattr(p, "url_patterns") and (found := articles_resolver(p.url_patterns)):
                return found
        return None

    names = {f"articles:{p.name}" for p in articles_resolver(get_resolver().url_patterns).url_patterns if p.name}
    never_cached = {"articles:article-preview", "articles:embargo-detail", "articles:embargo-press-kit", "articles:embargo-photo",
                    "articles:embargo-pdf", "articles:embargo-vcards", "articles:embargo-contact-vcard",
                    "articles:preview-vcards", "articles:preview-contact-vcard"}
    never_cached |= {f"articles:subscription-{name}" for name in ("subscribe", "sent", "confirm", "manage", "unsubscribe")}
    streamed = {"articles:press-kit", "articles:photo-download", "articles:release-pdf"}  # streamed: never stored
    assert names - never_cached - streamed == set(page_cache.QUERY_PARAMETERS)


def test_an_undeclared_address_with_a_query_string_is_not_cached(client):
    photo_download = reverse("articles:photo-download", args=[1])
    request = client.get(photo_download, {"utm_x": "1"}).wsgi_request
    assert not page_cache.request_is_cacheable(request)


@pytest.mark.parametrize("language", ["fr", "en", "ja"])
def test_previews_embargo_links_and_subscriptions_are_never_cached_in_any_language(rf, language):
    """Their path words are translated (/en/preview/…): each address is still recognised as never cached."""
    from django.utils import translation

    from articles.caching import page_cache

    with translation.override(language):
        addresses = [
            reverse("articles:article-preview", args=[1]),
            reverse("articles:embargo-detail", args=["kyoto", "jeton"]),
            reverse("articles:embargo-press-kit", args=["kyoto", "jeton"]),
            reverse("articles:subscription-subscribe"),
            reverse("articles:subscription-manage", args=["jeton"]),
        ]
    for address in addresses:
        assert not page_cache.is_anonymous_read(rf.get(address)), address
    assert page_cache.is_anonymous_read(rf.get(reverse("articles:article-list")))
