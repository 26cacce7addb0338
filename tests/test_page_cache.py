"""The page cache: anonymous visitors get whole pages from the cache, and never an outdated one.

Every test runs on the configured cache: local memory by default, Redis when
REDIS_URL is set (as in CI).
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.caching import page_cache
from articles.models import Article, ArticlePhoto, EmbargoVisit
from articles.publishing import embargo, workflow
from tests.factories import login_verified, make_article, make_credit, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

HOME = "/"
FEED = reverse("articles:feed-rss")


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PUBLIC_CACHE_MAX_AGE = 300


def text(response) -> str:
    return response.content.decode()


def directives(response) -> dict[str, str]:
    return dict(part.strip().partition("=")[::2] for part in response["Cache-Control"].split(","))


# --- Hits ---------------------------------------------------------------------------------------


def test_a_second_anonymous_visit_is_served_from_the_cache_without_any_query(client, django_assert_num_queries):
    article = make_article("Le TGV arrive à Rodez", photos=1, quotes=1, tags=["Rail"])
    for url in (HOME, article.get_absolute_url(), "/mots-cles/rail/", FEED):
        first = client.get(url)
        assert first["X-Page-Cache"] == "miss", url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second["X-Page-Cache"] == "hit", url
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]


def test_a_cached_page_tells_browsers_and_cdns_how_long_to_keep_it(client):
    make_article()
    client.get(HOME)
    hit = client.get(HOME)
    assert hit["X-Page-Cache"] == "hit"
    cc = directives(hit)
    assert "public" in cc
    assert 0 < int(cc["max-age"]) <= 300
    assert int(cc["s-maxage"]) == min(int(cc["max-age"]), settings.SHARED_CACHE_MAX_AGE)  # nginx, CDNs: briefly


def test_a_matching_etag_gets_304_from_the_cache_and_from_the_origin(client, settings, django_assert_num_queries):
    make_article(photos=1)
    etag = client.get(HOME)["ETag"]
    with django_assert_num_queries(0):
        not_modified = client.get(HOME, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert client.get(HOME, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200

    settings.PAGE_CACHE_SECONDS = 0  # without the page cache, the origin still answers 304
    with django_assert_num_queries(1):  # the list (its cards are kept per release): the origin, not the page cache
        assert client.get(HOME, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_each_language_has_its_own_entry(client):
    make_article()
    client.get(HOME, HTTP_ACCEPT_LANGUAGE="fr")
    # The language comes from the address (issue #14): the browser's asks for nothing else.
    french_again = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en")
    assert french_again["X-Page-Cache"] == "hit" and french_again["Content-Language"] == "fr"
    english = client.get("/en/")
    assert english["X-Page-Cache"] == "miss"
    assert english["Content-Language"] == "en"
    assert client.get("/en/")["X-Page-Cache"] == "hit"


def test_each_page_of_a_list_has_its_own_entry(client):
    for i in range(settings.ARTICLES_PER_PAGE + 1):
        make_article(f"Communiqué numéro {i:02d}", publish_at=timezone.now() - timedelta(hours=1, minutes=i))
    client.get(HOME)
    page_2 = client.get(HOME, {"page": 2})
    assert page_2["X-Page-Cache"] == "miss"
    assert "Communiqué numéro 10" in text(page_2)


def test_pages_are_kept_in_the_configured_cache(client):
    """The entry lives in Django's default cache (Redis when REDIS_URL is set), under the current generation."""
    make_article()
    client.get(HOME)
    request = RequestFactory().get(HOME)
    request.LANGUAGE_CODE = "fr"
    entry = cache.get(page_cache.cache_key(request))
    assert entry is not None and entry["status"] == 200
    assert entry["generation"] == page_cache.generation()
    assert type(caches["default"]).__name__ == ("ResilientRedisCache" if settings.REDIS_URL else "LocMemCache")


# --- Exact invalidation ---------------------------------------------------------------------------


def test_an_edit_is_visible_to_the_next_anonymous_visitor(client):
    article = make_article("Titre initial")
    assert "Titre initial" in text(client.get(article.get_absolute_url()))
    assert "Titre initial" in text(client.get(HOME))
    article.title = "Titre corrigé"
    article.save()
    for url in (article.get_absolute_url(), HOME, FEED):
        response = client.get(url)
        assert "Titre corrigé" in text(response), url
        assert "Titre initial" not in text(response), url


def test_an_edit_retires_a_page_this_process_has_already_served_from_the_cache(client):
    """A hit reads the tokens it last needed with the entry (one round trip): an edit still retires it."""
    article = make_article("Titre initial")
    for url in (article.get_absolute_url(), HOME):
        states = [client.get(url)["X-Page-Cache"] for _ in range(3)]
        assert states == ["miss", "hit", "hit"], url
    article.title = "Titre corrigé"
    article.save()
    for url in (article.get_absolute_url(), HOME):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss" and "Titre corrigé" in text(response), url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    cache.delete(f"deps:release:{article.pk}")  # a token the cache lost: never a hit on the old one
    assert client.get(HOME)["X-Page-Cache"] == "miss"


def _rename_tag(article):
    tag = article.tags.get()
    tag.name = "Mot-clé renommé"
    tag.save()


def _rename_speaker(article):
    speaker = article.quotes.get().speaker
    speaker.name = "Intervenant renommé"
    speaker.save()


def _rename_credit(article):
    credit = article.photos.get().credit
    credit.name = "Crédit renommé"
    credit.save()


def _recaption_photo(article):
    photo = article.photos.get()
    photo.caption = "Légende renommée"
    photo.save()


def _add_a_tag(article):
    article.tags.add("Mot-clé renommé")


def _add_a_quote(article):
    from articles.models import Quote

    Quote.objects.create(article=article, speaker=make_speaker("Intervenant renommé"), text="Une nouvelle citation.")


def _place_a_photo(article):
    place(article, make_photo(caption="Légende renommée"))


def _add_a_contact(article):
    from articles.models import PressContact

    article.press_contacts.add(PressContact.objects.create(name="Contact renommé", email="nouveau@example.org"))


@pytest.mark.parametrize(
    "change, expected",
    [
        (_rename_tag, "Mot-clé renommé"),
        (_rename_speaker, "Intervenant renommé"),
        (_rename_credit, "Crédit renommé"),
        (_recaption_photo, "Légende renommée"),
        (_add_a_tag, "Mot-clé renommé"),
        (_add_a_quote, "Intervenant renommé"),
        (_place_a_photo, "Légende renommée"),
        (_add_a_contact, "Contact renommé"),
    ],
)
def test_changing_what_an_article_shows_refreshes_its_page(client, change, expected):
    article = make_article(photos=1, quotes=1, tags=["Mot-clé d'origine"])
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    change(Article.objects.get(pk=article.pk))
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert expected in text(response)


def test_withdrawing_or_publishing_refreshes_every_list(client):
    publisher = make_editor("Publication")
    live = make_article("Communiqué bientôt retiré")
    draft = make_article("Communiqué bientôt publié", status=Article.Status.DRAFT)
    for url in (HOME, FEED):
        assert "bientôt retiré" in text(client.get(url))
    workflow.withdraw(article=live, user=publisher, reason="Erreur de date.")
    workflow.publish(article=draft, user=publisher)
    for url in (HOME, FEED):
        response = client.get(url)
        assert "bientôt retiré" not in text(response), url
        assert "bientôt publié" in text(response), url


def test_a_photo_taken_out_of_its_only_release_leaves_every_page(client):
    article = make_article(photos=1)
    photo = article.photos.get()
    credit_url = f"/credits/{photo.credit.slug}/"
    assert photo.caption in text(client.get(credit_url))
    assert photo.caption in text(client.get(article.get_absolute_url()))
    ArticlePhoto.objects.get(photo=photo).delete()
    assert client.get(credit_url).status_code == 404
    assert photo.caption not in text(client.get(article.get_absolute_url()))


def test_a_lost_generation_never_brings_back_an_old_page(client):
    """The generation is a random token: if the cache evicts it, old entries are orphaned, not revived."""
    make_article()
    client.get(HOME)
    old = page_cache.generation()
    cache.delete(page_cache.GENERATION_KEY)
    assert client.get(HOME)["X-Page-Cache"] == "miss"
    assert page_cache.generation() != old


def test_a_scheduled_release_appears_at_its_minute_on_a_home_page_and_feed_cached_just_before(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_article("Communiqué déjà public")
    make_article("Communiqué sous embargo", publish_at=timezone.now() + timedelta(seconds=90))
    for url in (HOME, FEED):
        assert "sous embargo" not in text(client.get(url))
    time_machine.shift(timedelta(seconds=89))
    for url in (HOME, FEED):
        cached = client.get(url)
        assert cached["X-Page-Cache"] == "hit", url
        assert "sous embargo" not in text(cached)
        assert int(directives(cached)["max-age"]) <= 1
    time_machine.shift(timedelta(seconds=1))
    for url in (HOME, FEED):
        response = client.get(url)
        assert "sous embargo" in text(response), url
        assert "déjà public" in text(response), url


# --- Never cached ---------------------------------------------------------------------------------


def test_an_editor_never_receives_a_cached_page_and_never_fills_the_cache(client, django_assert_num_queries):
    article = make_article("Titre initial")
    client.get(HOME)  # the anonymous copy
    # A change the signals do not see (a bulk update): the cache still holds the old title.
    Article.objects.filter(pk=article.pk).update(title="Titre vu par la rédaction")
    editor = client_for(make_editor("Rédaction"))
    response = editor.get(HOME)
    assert "Titre vu par la rédaction" in text(response)
    assert response["X-Page-Cache"] == "bypass"
    assert response["Cache-Control"] == "private, no-cache"  # no shared cache keeps an editor's copy
    assert "Titre initial" in text(client.get(HOME))  # anonymous visitors still get the stored copy

    cache.clear()
    editor.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"  # the editor's visit stored nothing


def client_for(user):
    from django.test import Client

    c = Client()
    login_verified(c, user)
    return c


def test_a_visitor_with_pending_messages_is_not_served_from_the_cache(client):
    make_article()
    client.get(HOME)
    client.cookies["messages"] = "anything"
    assert client.get(HOME)["X-Page-Cache"] == "bypass"


def test_previews_and_embargo_links_are_never_stored_nor_served(client, django_assert_max_num_queries):
    article = make_article("Communiqué confidentiel", publish_at=timezone.now() + timedelta(days=1))
    publisher = make_editor("Publication")
    link = embargo.create_link(article=article, user=publisher, recipient_name="Journaliste",
                               expires_at=timezone.now() + timedelta(days=2))
    path = embargo.link_path(link)
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"] == "no-store, private"
    assert EmbargoVisit.objects.filter(link=link).count() == 2  # each visit reached the view and was logged

    editor = client_for(publisher)
    preview = reverse("articles:article-preview", args=[article.pk])
    for _ in range(2):
        response = editor.get(preview)
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"] == "no-store, private"


@pytest.mark.parametrize("path", ["/apercu/1/", "/communiques/x/embargo/abc/", "/admin/", "/admin/login/"])
def test_private_addresses_are_never_cacheable(path):
    assert not page_cache.request_is_cacheable(RequestFactory().get(path))


def test_only_anonymous_reads_are_cacheable():
    factory = RequestFactory()
    assert page_cache.request_is_cacheable(factory.get("/"))
    assert page_cache.request_is_cacheable(factory.head("/"))
    assert not page_cache.request_is_cacheable(factory.post("/"))
    with_session = factory.get("/")
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    assert not page_cache.request_is_cacheable(with_session)


def test_responses_for_one_visitor_are_never_stored():
    from django.http import HttpResponse

    def public():
        response = HttpResponse("page")
        response["Cache-Control"] = "public, max-age=60"
        return response

    request = RequestFactory().get("/")
    assert page_cache.response_is_storable(request, public())
    with_cookie = public()
    with_cookie.set_cookie("x", "y")
    assert not page_cache.response_is_storable(request, with_cookie)
    for cc in ("no-store, private", "private, max-age=60", "max-age=60"):
        response = public()
        response["Cache-Control"] = cc
        assert not page_cache.response_is_storable(request, response), cc
    varies = public()
    varies["Vary"] = "Accept-Encoding"
    assert not page_cache.response_is_storable(request, varies)
    request.META["CSRF_COOKIE_USED"] = True
    assert not page_cache.response_is_storable(request, public())


def test_a_page_cache_of_zero_seconds_turns_it_off(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    make_article()
    client.get(HOME)
    response = client.get(HOME)
    assert response["X-Page-Cache"] == "bypass"
    assert "public" in response["Cache-Control"]


def test_the_credit_page_and_its_photo_list_follow_edits(client):
    credit = make_credit("Studio Sud")
    article = make_article(photos=0)
    place(article, make_photo(credit=credit, caption="Première photo"))
    url = f"/credits/{credit.slug}/"
    assert "Première photo" in text(client.get(url))
    place(article, make_photo(credit=credit, caption="Seconde photo"))
    assert "Seconde photo" in text(client.get(url))
