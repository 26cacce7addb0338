"""Page-cache hits answered at the WSGI level, before Django's handler (issue #17).

A hit is a stored page replayed: it needs none of what Django's handler does around the
middleware (the request_started and request_finished signals and their receivers, the
middleware chain, an HttpResponse whose headers are each checked and converted again). Under
gunicorn that was a third of a hit's CPU. So pressroom/wsgi.py wraps Django's application
with `serve_hits_first`: a request the page cache can answer is answered here, with the
status, headers and bytes stored in the entry written straight to the server; anything else
goes to Django unchanged.

Every decision is page_cache.py's, called here, never a copy of it: `find` (anonymous read
of a public address: no session or messages cookie, no Authorization, not the admin, the API,
previews, embargo links or subscription pages; the query parameters a page declares; the host
checked against ALLOWED_HOSTS, a bad one left to Django's 400; the language from the address;
one round trip for the entry, the generation and the dependency tokens; the expiry), then
`hit_headers` (the stored security headers, Cache-Control counting down to the entry's
expiry, the ETag, X-Page-Cache: hit), and `replay` for a conditional request (Django's own
304). A HEAD gets the GET's headers (its Content-Length too) and no body: gunicorn would drop
the bytes anyway, with a warning for each (RFC 9110: a HEAD answer carries no body).

On a miss, what was found travels to PageCacheMiddleware in the WSGI environ, so a miss still
costs one round trip to the cache. A cache that is down answers like a miss
(pressroom/cache.py), so the page comes from Django. A request Django refuses (a
SuspiciousOperation) goes to Django for its 400. Anything else that fails here is a bug: it is
logged as an error (the technical team is mailed) and the request is handed to Django, which
answers it through the middleware as before.
"""

from __future__ import annotations

import logging
from http.client import responses

from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest

from . import page_cache

logger = logging.getLogger("pressroom.cache")


def serve_hits_first(django_application):
    """A WSGI application answering page-cache hits itself, and handing everything else to Django's."""

    def application(environ, start_response):
        try:
            hit = _answer_from_cache(environ)
        except SuspiciousOperation:
            # A request Django refuses (over DATA_UPLOAD_MAX_NUMBER_FIELDS query parameters): its
            # 400, reported on django.security as usual; not a bug here, and no mail per request.
            environ.pop(page_cache.FOUND_ENVIRON_KEY, None)
            hit = None
        except Exception:
            logger.exception("Page en cache non servie avant Django : la requête lui est transmise.")
            environ.pop(page_cache.FOUND_ENVIRON_KEY, None)
            hit = None
        if hit is None:
            return django_application(environ, start_response)
        status, headers, body = hit
        start_response(status, headers)
        return body

    application.django_application = django_application
    return application


def _answer_from_cache(environ) -> tuple[str, list[tuple[str, str]], list[bytes]] | None:
    """The status line, headers and body of a hit, or None (after leaving what was found for the middleware)."""
    request = WSGIRequest(environ)
    found = page_cache.find(request)
    if found.entry is None:
        environ[page_cache.FOUND_ENVIRON_KEY] = found
        return None
    if page_cache.is_conditional(request):
        response = page_cache.replay(request, found.entry)  # Django's 304 (or the page)
        status, headers, content = response.status_code, list(response.items()), response.content
    else:
        status, headers, content = found.entry["status"], page_cache.hit_headers(found.entry), found.entry["content"]
    return f"{status} {responses[status]}", headers, [] if request.method == "HEAD" else [content]
