"""When PostgreSQL cannot be reached: a French 503 page with Retry-After, never a 500, and recovery without a restart.

The test puts a TCP proxy of its own between Django and PostgreSQL, and cuts it:
open connections are reset and new ones refused, as when the server restarts or
the network fails. The shared PostgreSQL server itself is never touched.
Runs on PostgreSQL (CI's second run); on SQLite there is no server to cut.
"""

import logging

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from pressroom import failures
from tests.factories import login_verified, make_article
from tests.processes import TcpCut

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (CI runs the suite on it): SQLite has no server to cut off",
    ),
]

HOME = "/"


@pytest.fixture
def database_line(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 600
    monkeypatch.setattr(failures, "_last_logged", None)  # each test starts a new logging window
    database = connection.settings_dict
    line = TcpCut(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))
    line.restore()
    original = database["HOST"], database["PORT"]
    connection.close()
    database["HOST"], database["PORT"] = "127.0.0.1", line.port
    yield line
    line.cut()
    connection.close()
    database["HOST"], database["PORT"] = original


def assert_unavailable_in_french(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(failures.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Service temporairement indisponible" in page
    assert "réessayer dans quelques instants" in page


def test_with_the_database_cut_off_an_uncached_page_answers_503_in_french_with_retry_after(client, database_line):
    article = make_article("Le TGV arrive à Rodez", tags=["Rail"])
    assert client.get(HOME).status_code == 200  # now in the page cache

    database_line.cut()
    for url in (article.get_absolute_url(), "/mots-cles/rail/", "/recherche/?q=Rodez", "/flux/rss/"):
        assert_unavailable_in_french(client.get(url))
    # A page still in the page cache is served from it, untouched.
    cached = client.get(HOME)
    assert cached.status_code == 200
    assert cached["X-Page-Cache"] == "hit"
    assert "Le TGV arrive à Rodez" in cached.content.decode()


def test_an_editor_in_the_admin_gets_the_503_page_too(admin_user, database_line):
    # A verified editor's session is read by the two-factor middleware, before any view: the
    # cut is met in a middleware, and answered by handler500 (pressroom/failures.py), as a
    # server answers. The test client would re-raise the error instead of returning that answer.
    client = Client(raise_request_exception=False)
    login_verified(client, admin_user)
    database_line.cut()
    assert_unavailable_in_french(client.get("/admin/articles/article/"))


def test_the_site_recovers_without_a_restart_once_the_database_answers_again(client, database_line):
    article = make_article("Le TGV arrive à Rodez")
    database_line.cut()
    assert client.get(article.get_absolute_url()).status_code == 503
    assert client.get(article.get_absolute_url()).status_code == 503  # the broken connection was dropped

    database_line.restore()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Le TGV arrive à Rodez" in response.content.decode()


def test_the_technical_team_is_told_once_not_once_per_request(client, settings, database_line, caplog):
    settings.ADMINS = [("Équipe technique", "tech@example.org")]
    make_article()
    database_line.cut()
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert client.get("/recherche/?q=Rodez").status_code == 503
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.name for r in errors] == ["pressroom.database"]
    assert "Base de données injoignable" in errors[0].getMessage()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tech@example.org"]
    assert "Base de données injoignable" in mail.outbox[0].subject
