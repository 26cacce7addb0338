"""Page-cache hits answered by pressroom.wsgi before Django's handler (articles/caching/hits.py).

The requests here go to the production WSGI application as gunicorn sends them (an environ
and start_response), not through Django's test client, which enters below it. A request that
reached Django's handler is seen by its request_started signal: a hit must not send it.
Every test runs on the configured cache (local memory, or Redis with REDIS_URL), and the last
ones on a Redis of their own that is killed under the running site.
"""

import io
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from articles.caching import page_cache
from pressroom.wsgi import application
from tests.factories import login_verified, make_article, make_editor
from tests.processes import OwnRedis

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PUBLIC_CACHE_MAX_AGE = 300


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes, reached_django: bool):
        self.status_code = int(status.split()[0])
        self.status = status
        self.header_list = headers
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body
        self.reached_django = reached_django

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]


def wsgi(path: str = HOME, method: str = "GET", host: str = "testserver", **headers: str) -> Answer:
    """One request to pressroom.wsgi.application, as a WSGI server sends it."""
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path.partition("?")[0], "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": host,
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    started, answer = [], []
    receiver = lambda **kwargs: started.append(True)  # noqa: E731
    # As Django's test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.connect(receiver)
    try:
        body_parts = application(environ, lambda status, headers, exc_info=None: answer.append((status, headers)))
        body = b"".join(body_parts)
        if hasattr(body_parts, "close"):
            body_parts.close()  # as a WSGI server does: request_finished
    finally:
        request_started.disconnect(receiver)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    (status, header_list), = answer
    return Answer(status, header_list, body, reached_django=bool(started))


# --- Hits ---------------------------------------------------------------------------------------


def test_a_second_visit_is_answered_before_django_with_the_same_page_and_headers(client, django_assert_num_queries):
    article = make_article("Le TGV arrive à Rodez", photos=1, quotes=1, tags=["Rail"])
    for url in (HOME, article.get_absolute_url(), "/mots-cles/rail/", "/en/"):
        first = wsgi(url)
        assert (first.status_code, first["X-Page-Cache"], first.reached_django) == (200, "miss", True), url
        with django_assert_num_queries(0):
            second = wsgi(url)
        assert (second.status_code, second["X-Page-Cache"], second.reached_django) == (200, "hit", False), url
        assert second.body == first.body
        # Every header of the page built by Django, security headers included, replayed as it was.
        assert second.headers == first.headers | {"x-page-cache": "hit", "cache-control": second["Cache-Control"]}
        assert second["Cache-Control"].startswith("public, max-age=")
        # The same answer the middleware gives to a hit reaching Django (Django's test client).
        through_django = client.get(url)
        assert through_django["X-Page-Cache"] == "hit" and through_django.content == second.body
        assert {k.lower(): v for k, v in through_django.items()} == second.headers


def test_a_head_gets_the_headers_of_the_page_and_no_body():
    wsgi(HOME)
    head = wsgi(HOME, method="HEAD")
    page = wsgi(HOME)
    assert (head.status_code, head["X-Page-Cache"], head.reached_django) == (200, "hit", False)
    assert head.body == b""
    assert head["Content-Length"] == page["Content-Length"] == str(len(page.body))
    assert head["ETag"] == page["ETag"]


def test_a_matching_etag_gets_304_before_django_and_another_gets_the_page():
    make_article()
    etag = wsgi(HOME)["ETag"]
    not_modified = wsgi(HOME, if_none_match=etag)
    assert (not_modified.status, not_modified.body, not_modified.reached_django) == ("304 Not Modified", b"", False)
    assert not_modified["ETag"] == etag
    changed = wsgi(HOME, if_none_match='"something-else"')
    assert (changed.status_code, changed["X-Page-Cache"]) == (200, "hit") and changed.body


def test_a_miss_asks_the_cache_once(monkeypatch):
    """What hits.py found travels to the middleware: no second round trip on a miss."""
    calls = []
    real_lookup = page_cache.lookup
    monkeypatch.setattr(page_cache, "lookup", lambda key: calls.append(key) or real_lookup(key))
    make_article()
    assert wsgi(HOME)["X-Page-Cache"] == "miss"
    assert len(calls) == 1
    assert wsgi(HOME)["X-Page-Cache"] == "hit"
    assert len(calls) == 2


def test_a_failure_before_django_is_reported_and_the_page_still_served(monkeypatch, caplog):
    """A bug in hits.py costs the shortcut, never the page: Django answers, and the team is told."""
    from articles.caching import hits

    make_article("Le TGV arrive à Rodez")
    wsgi(HOME)

    def broken(environ):
        raise RuntimeError("a bug")

    monkeypatch.setattr(hits, "WSGIRequest", broken)
    answer = wsgi(HOME)
    assert (answer.status_code, answer["X-Page-Cache"], answer.reached_django) == (200, "hit", True)
    assert "Le TGV arrive à Rodez" in answer.body.decode()
    assert [r.levelname for r in caplog.records if r.name == "pressroom.cache"] == ["ERROR"]


# --- Never before Django --------------------------------------------------------------------------


def test_a_host_that_is_not_allowed_gets_django_s_400_never_a_cached_page(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    make_article("Communiqué")
    wsgi(HOME)
    assert wsgi(HOME)["X-Page-Cache"] == "hit"
    refused = wsgi(HOME, host="evil.example")
    assert (refused.status_code, refused.reached_django) == (400, True)
    assert b"Communiqu" not in refused.body


def test_too_many_query_parameters_get_django_s_400_and_no_error_mail(settings, caplog):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    refused = wsgi(HOME + "?" + "&".join(f"p{n}=1" for n in range(11)))
    assert (refused.status_code, refused.reached_django) == (400, True)
    assert not [r for r in caplog.records if r.name == "pressroom.cache"]


def test_editors_messages_and_authorization_are_left_to_django(client):
    article = make_article("Titre initial")
    wsgi(HOME)
    editor = login_verified(client, make_editor("Rédaction"))
    session = editor.cookies[settings_session_cookie()].value
    for headers in ({"cookie": f"{settings_session_cookie()}={session}"}, {"cookie": "messages=anything"},
                    {"authorization": "Bearer something"}):
        answer = wsgi(HOME, **headers)
        assert answer.reached_django, headers
        assert answer["X-Page-Cache"] == "bypass", headers
    assert wsgi("/admin/login/").reached_django
    assert wsgi(article.get_absolute_url() + "?utm_source=x")["X-Page-Cache"] == "miss"
    assert wsgi(article.get_absolute_url() + "?utm_source=y")["X-Page-Cache"] == "hit"  # keyed as declared


def settings_session_cookie() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME


# --- Redis down -----------------------------------------------------------------------------------


@pytest.fixture
def redis_server(settings):
    server = OwnRedis()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "pressroom.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "PAUSE_AFTER_ERROR": 0.3},
        }
    }
    yield server
    server.kill()


def test_with_redis_killed_the_page_is_built_by_django(redis_server):
    make_article("Le TGV arrive à Rodez")
    wsgi(HOME)
    assert wsgi(HOME)["X-Page-Cache"] == "hit"

    redis_server.kill()
    answer = wsgi(HOME)
    assert (answer.status_code, answer["X-Page-Cache"], answer.reached_django) == (200, "miss", True)
    assert "Le TGV arrive à Rodez" in answer.body.decode()
