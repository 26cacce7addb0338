"""When Redis fails, the site keeps serving from the database, and uses Redis again once it is back.

Each test starts a redis-server of its own on a free port (never the shared one on
6379), points the cache at it, and kills it (SIGKILL: data gone, connections
refused), freezes it (SIGSTOP: nothing answers) or cuts the line to it (a proxy of
the test's own: Redis keeps its data, writes are lost) under the running site.
Django is never restarted.
"""

import logging
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Quote
from tests.admin_posts import article_data, inline_prefixes, management
from tests.factories import make_article
from tests.processes import OwnRedis, TcpCut

pytestmark = pytest.mark.django_db

PAUSE = 0.3  # PAUSE_AFTER_ERROR in these tests: how long a failed cache is left alone
HOME = "/"


@pytest.fixture
def redis_server(settings):
    server = OwnRedis()
    server.start()
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "pressroom.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "PAUSE_AFTER_ERROR": PAUSE},
        }
    }
    yield server
    server.kill()


def public_addresses(article):
    return [
        HOME,
        article.get_absolute_url(),
        reverse("articles:tag-detail", args=["rail"]),
        reverse("articles:speaker-detail", args=[article.quotes.get().speaker.slug]),
        reverse("articles:search") + "?q=Rodez",
        reverse("articles:archive-index"),
        reverse("articles:feed-rss"),
        reverse("articles:sitemap"),
        reverse("articles:robots-txt"),
    ]


def test_a_second_visit_is_served_from_this_redis(client, redis_server):
    make_article("Le TGV arrive à Rodez")
    assert client.get(HOME)["X-Page-Cache"] == "miss"
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    assert redis_server.key_count() >= 2  # the generation and the page, really in this Redis


def test_with_redis_killed_every_public_page_and_robots_txt_answer_from_the_database(client, redis_server):
    article = make_article("Le TGV arrive à Rodez", photos=1, quotes=1, tags=["Rail"])
    for url in public_addresses(article):
        assert client.get(url).status_code == 200, url  # cached while Redis runs

    redis_server.kill()
    for url in public_addresses(article):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Page-Cache"] == "miss", url
    assert "Le TGV arrive à Rodez" in client.get(HOME).content.decode()
    assert "Sitemap:" in client.get(reverse("articles:robots-txt")).content.decode()


def test_with_redis_killed_an_editor_saves_a_release_in_the_admin_and_the_public_sees_it(admin_client, client, redis_server):
    article = make_article("Ancien titre", quotes=1)
    assert "Ancien titre" in client.get(HOME).content.decode()
    change_url = reverse("admin:articles_article_change", args=[article.pk])

    redis_server.kill()
    change = admin_client.get(change_url)
    assert change.status_code == 200
    prefixes = inline_prefixes(change)
    quote = article.quotes.get()
    paris = timezone.localtime(article.publish_at)
    data = article_data(
        title="Titre corrigé pendant la panne",
        slug=article.slug,
        status=Article.Status.PUBLISHED,
        publish_at_0=paris.strftime("%d/%m/%Y"),
        publish_at_1=paris.strftime("%H:%M:%S"),
        edit_version=change.context["adminform"].form["edit_version"].value(),
        **{k: v for model, prefix in prefixes.items() if model is not Quote for k, v in management(prefix, 0).items()},
        **management(prefixes[Quote], 1, initial=1),
        **{
            f"{prefixes[Quote]}-0-id": quote.pk,
            f"{prefixes[Quote]}-0-article": article.pk,
            f"{prefixes[Quote]}-0-speaker": quote.speaker_id,
            f"{prefixes[Quote]}-0-text": quote.text,
            f"{prefixes[Quote]}-0-position": "0",
        },
    )
    saved = admin_client.post(change_url, data)
    assert saved.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", saved.content.decode())
    assert Article.objects.get(pk=article.pk).title == "Titre corrigé pendant la panne"
    page = client.get(HOME).content.decode()
    assert "Titre corrigé pendant la panne" in page
    assert "Ancien titre" not in page


def test_once_redis_is_back_on_its_port_pages_are_cached_again_without_a_restart(client, redis_server):
    make_article("Le TGV arrive à Rodez")
    redis_server.kill()
    assert client.get(HOME)["X-Page-Cache"] == "miss"
    assert client.get(HOME)["X-Page-Cache"] == "miss"  # nowhere to keep it

    redis_server.start()  # the same port
    time.sleep(PAUSE + 0.1)
    assert client.get(HOME)["X-Page-Cache"] == "miss"
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    assert redis_server.key_count() >= 2


def test_a_release_edited_while_redis_was_cut_off_never_comes_back_in_its_old_version(client, settings, redis_server):
    """Redis kept the pages cached before the edit (a network cut, not a restart), and the edit could not retire them."""
    line = TcpCut("127.0.0.1", redis_server.port)
    line.restore()
    settings.CACHES = {**settings.CACHES}
    settings.CACHES["default"] = {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{line.port}/0"}
    article = make_article("Titre initial")
    for url in (HOME, article.get_absolute_url()):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    line.cut()
    article.title = "Titre corrigé"
    article.save()  # its new tokens cannot reach Redis: the generation retires everything on recovery
    assert "Titre corrigé" in client.get(article.get_absolute_url()).content.decode()

    line.restore()
    time.sleep(PAUSE + 0.1)
    for url in (article.get_absolute_url(), HOME):
        page = client.get(url).content.decode()
        assert "Titre corrigé" in page, url
        assert "Titre initial" not in page, url
    line.cut()


def test_a_redis_that_stops_answering_costs_one_timeout_then_is_left_alone(client, settings, redis_server):
    settings.CACHES = {"default": {**settings.CACHES["default"], "OPTIONS": {
        **settings.CACHES["default"]["OPTIONS"], "PAUSE_AFTER_ERROR": 5}}}
    make_article()
    client.get(HOME)
    redis_server.freeze()
    started = time.monotonic()
    assert client.get(HOME).status_code == 200
    first = time.monotonic() - started
    assert 0.5 <= first < 1.5  # it waited for Redis: one socket timeout (0.5 s here)
    started = time.monotonic()
    assert client.get(HOME).status_code == 200
    assert time.monotonic() - started < 0.5  # within the pause: Redis is not even asked
    redis_server.thaw()


def test_the_outage_is_logged_once_as_an_error_and_the_recovery_as_a_warning(client, redis_server, caplog):
    make_article()
    redis_server.kill()
    with caplog.at_level(logging.DEBUG, logger="pressroom.cache"):
        for _ in range(5):
            client.get(HOME)
        redis_server.start()
        time.sleep(PAUSE + 0.1)
        client.get(HOME)
    records = [r for r in caplog.records if r.name == "pressroom.cache"]
    errors = [r for r in records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "Cache indisponible" in errors[0].getMessage()
    assert [r for r in records if r.levelno == logging.WARNING and "de nouveau disponible" in r.getMessage()]
