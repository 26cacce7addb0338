"""When the database cannot be reached: a French 503 page, never a 500.

PostgreSQL restarting, a failover, a network cut, every connection slot taken: the
site cannot build a page, but it is not broken either. Visitors get "Service
temporairement indisponible" with `Retry-After` (and pages still in the page
cache are served from it, untouched); crawlers come back later instead of
dropping the pages; the technical team is told once, not once per request.

Two entry points, one answer:
- `DatabaseUnavailableMiddleware.process_exception`: an error raised by a view or
  while rendering its template (nearly every case);
- `server_error`, the project's handler500: an error raised by a middleware (a
  session or user loaded outside the view), which process_exception never sees.

Recovery needs no restart: the broken connection is closed at once (Django would
also close it at the end of the request), and the next request opens a new one.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from botocore.exceptions import BotoCoreError, ClientError
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger("pressroom.database")

# What a database that cannot be reached raises (django.db wraps psycopg's and sqlite3's).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# What the media bucket raises when it cannot be reached or fails a request (botocore's own errors,
# not OSErrors): a photo download with the bucket down is the same 503, not a 500. Views with an
# answer of their own without the file (the release PDF, the press kit) catch them first
# (articles/storage/failures.py).
STORAGE_UNAVAILABLE = (BotoCoreError, ClientError)
RETRY_AFTER_SECONDS = 30
# One logged error (and so one mail to ADMINS) per process and window, however many requests fail.
LOG_EVERY_SECONDS = 60

_lock = threading.Lock()
_last_logged: float | None = None
_unlogged = 0


def _log(request, error: Exception, what: str = "Base de données injoignable") -> None:
    global _last_logged, _unlogged
    now = time.monotonic()
    with _lock:
        if _last_logged is not None and now - _last_logged < LOG_EVERY_SECONDS:
            _unlogged += 1
            return
        _last_logged, skipped, _unlogged = now, _unlogged, 0
    logger.error(
        "%s : réponse 503 pour %s (%d autres réponses 503 depuis le dernier message).",
        what, request.path, skipped, exc_info=(type(error), error, error.__traceback__),
        extra={"status_code": 503, "request": request},
    )


def _drop_broken_connections() -> None:
    for connection in connections.all(initialized_only=True):
        # Never inside a transaction (a test's, or an atomic block still open): Django would only
        # mark it for rollback. The request's end closes it then.
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def database_unavailable(request, error: Exception, what: str = "Base de données injoignable") -> HttpResponse:
    """The 503 answer: a self-contained French page that reads nothing from the database."""
    _log(request, error, what)
    _drop_broken_connections()
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Neither the page cache, nginx nor a CDN may keep this page in place of the real one.
    response["Cache-Control"] = "no-store"
    # Logged above, once per window: Django's request logger would log (and mail) every one.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database that cannot be reached, met by a view, into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        if isinstance(exception, STORAGE_UNAVAILABLE):
            return database_unavailable(request, exception, "Stockage des médias injoignable")
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: the 503 page when the uncaught error is the database's, else Django's 500 page.

    Django calls it while handling the exception, so sys.exc_info() names it.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable(request, error)
    return defaults.server_error(request, template_name)
