"""Lists are not recounted on every visit, and no public page costs more with more releases."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import ArticlePhoto, Quote
from tests.factories import make_article, make_credit, make_photo, make_speaker

pytestmark = pytest.mark.django_db

PER_PAGE = settings.ARTICLES_PER_PAGE


@pytest.fixture(autouse=True)
def _origin(settings):
    """Measure the origin: the page cache would answer a repeated visit with no query at all."""
    settings.PAGE_CACHE_SECONDS = 0


def sql_of(client, url, **params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def counts(queries) -> list[str]:
    return [q for q in queries if "COUNT(" in q.upper()]


def releases(n, **kwargs):
    return [
        make_article(f"Communiqué {i:03d}", publish_at=timezone.now() - timedelta(hours=1, minutes=i), **kwargs)
        for i in range(n)
    ]


def test_the_home_page_counts_its_releases_once_per_change_not_per_visit(client):
    releases(PER_PAGE + 1)
    assert counts(sql_of(client, "/"))
    assert not counts(sql_of(client, "/"))
    assert not counts(sql_of(client, "/", page=2))
    make_article("Un de plus")
    assert counts(sql_of(client, "/"))


def test_the_cached_count_follows_a_new_release_and_a_withdrawal(client):
    from articles.publishing import workflow
    from tests.factories import make_editor

    articles = releases(PER_PAGE)
    assert "Page 1 sur 2" not in client.get("/").content.decode()
    extra = make_article("Le onzième")
    assert "Page 1 sur 2" in client.get("/").content.decode()
    workflow.withdraw(article=extra, user=make_editor("Publication"), reason="Doublon.")
    assert "Page 1 sur 2" not in client.get("/").content.decode()
    assert client.get("/", {"page": 2}).status_code == 404
    assert len(articles) == PER_PAGE


def test_a_scheduled_release_is_counted_from_its_minute(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    releases(PER_PAGE)
    make_article("Sous embargo", publish_at=timezone.now() + timedelta(minutes=5))
    assert "Page 1 sur 2" not in client.get("/").content.decode()
    time_machine.shift(timedelta(minutes=5))
    home = client.get("/").content.decode()
    assert "Sous embargo" in home
    assert "Page 1 sur 2" in home
    assert "Communiqué 009" in client.get("/", {"page": 2}).content.decode()


def test_page_addresses_keep_working_and_a_page_too_far_is_404(client):
    releases(2 * PER_PAGE + 1)
    last = client.get("/", {"page": 3}).content.decode()
    assert "Communiqué 020" in last
    assert "Page 3 sur 3" in last
    assert client.get("/", {"page": "last"}).status_code == 200
    assert client.get("/", {"page": 4}).status_code == 404
    assert client.get("/", {"page": "abc"}).status_code == 404


def test_each_list_has_its_own_count(client):
    releases(PER_PAGE + 1, tags=["Rail"])
    make_article("Autre sujet", tags=["Vigne"])
    assert "Page 1 sur 2" in client.get("/mots-cles/rail/").content.decode()
    assert "Page 1 sur 2" not in client.get("/mots-cles/vigne/").content.decode()
    assert "Page 1 sur 2" in client.get("/mots-cles/rail/").content.decode()
    assert client.get("/mots-cles/inconnu/").status_code == 404


def test_a_tag_whose_last_public_release_goes_is_404_at_once(client):
    article = make_article(tags=["Rail"])
    assert client.get("/mots-cles/rail/").status_code == 200
    article.tags.clear()
    assert client.get("/mots-cles/rail/").status_code == 404


# --- Flat with N --------------------------------------------------------------------------------

# Frozen mid-month so that "this month" and "this year" hold every release.
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def press_room(n, shared):
    """n public releases, each with the shared tag, speaker and photos, plus a draft."""
    for i in range(n):
        article = make_article(f"Kyoto {i}", publish_at=NOW - timedelta(hours=1, minutes=i), tags=["Kyoto", f"t{i % 7}"])
        for position, photo in enumerate(shared["photos"]):
            ArticlePhoto.objects.create(article=article, photo=photo, position=position)
        Quote.objects.create(article=article, speaker=shared["speaker"], text=f"Citation {i}.")
    make_article("Kyoto brouillon", status="draft", tags=["Kyoto"])


def public_pages(shared, total):
    last_home = -(-total // PER_PAGE)
    return {
        "home": "/",
        "deep home page": f"/?page={last_home}",
        "article": "/communiques/kyoto-0/",
        "tag": "/mots-cles/kyoto/",
        "deep tag page": f"/mots-cles/kyoto/?page={last_home}",
        "speaker": shared["speaker"].get_absolute_url(),
        "credit": f"/credits/{shared['credit'].slug}/",
        "search": "/recherche/?q=kyoto",
        "archive index": "/archives/",
        "archive year": "/archives/2026/",
        "archive month": "/archives/2026/03/",
        "RSS feed": "/flux/rss/",
        "Atom feed": "/flux/atom/",
        "tag feed": "/mots-cles/kyoto/flux/rss/",
        "speaker feed": f"/intervenants/{shared['speaker'].slug}/flux/rss/",
        "sitemap": "/sitemap.xml",
    }


def steady_costs(client, pages) -> dict[str, int]:
    costs = {}
    for label, url in pages.items():
        client.get(url)  # the steady state: per-change caches (counts, next publication) are warm
        costs[label] = len(sql_of(client, url))
    return costs


def test_every_public_page_costs_the_same_with_11_or_200_releases(client, time_machine):
    """11 rather than 10: the deep pages need a second page to exist at the small size too."""
    time_machine.move_to(NOW, tick=False)
    credit = make_credit("Studio Kyoto")
    shared = {"photos": [make_photo(credit=credit), make_photo(credit=credit)], "speaker": make_speaker("Carole Delga"),
              "credit": credit}
    press_room(11, shared)
    small = steady_costs(client, public_pages(shared, 11))

    for i in range(11, 200):
        article = make_article(f"Kyoto {i}", publish_at=NOW - timedelta(hours=1, minutes=i), tags=["Kyoto", f"t{i % 7}"])
        for position, photo in enumerate(shared["photos"]):
            ArticlePhoto.objects.create(article=article, photo=photo, position=position)
        Quote.objects.create(article=article, speaker=shared["speaker"], text=f"Citation {i}.")
    large = steady_costs(client, public_pages(shared, 200))

    assert large == small
    assert max(small.values()) <= 9, small  # the sitemap, with its four sections, is the dearest


def test_a_deep_page_shows_the_same_releases_as_an_offset_would(client, monkeypatch):
    from articles.caching import pagination
    from articles.models import Article

    for _ in range(25):
        make_article()
    expected = list(Article.objects.public().newest_first().values_list("title", flat=True))[20:25]
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 10)  # pages from the 2nd on take the deep path
    html = client.get("/?page=3").content.decode()
    positions = [html.index(f">{title}<") for title in expected]
    assert positions == sorted(positions)
    for title in Article.objects.public().newest_first().values_list("title", flat=True)[:20]:
        assert f">{title}<" not in html
