"""Whole public pages, kept in the cache for anonymous visitors, and exactly invalidated.

A release is read most in its first minutes; most readers are anonymous and see
the same bytes. So a public answer (one that `cache_policy` marked `public`) is
stored whole in Django's cache (Redis in production, local memory by default)
and served again without touching the database.

Invalidation is by dependency (dependencies.py): every entry carries the tokens of
what it showed, recorded while it was built: each release it shows ("release:42",
whatever part of the page shows it), "publications" (what is public and in which
order), and for the search and the sitemaps "changes" (anything). A save bumps the
tokens of what it touched (receivers.py): an edit of one release, or of one photo's
caption, retires only the pages that show it, so the rest of the site stays warm
at the moment readers arrive; a new publication, a withdrawal or a new date bumps
"publications" and every list, feed and count changes at once. Tokens are random,
never counters, so a cache that evicts or loses one can never bring an old page
back. The content *generation* (generation.py) is the fallback that retires
everything at once (a cache back after an outage, a restored backup).

Time is the other invalidation: an entry never outlives the next scheduled
publication (`cache_policy.next_scheduled_publication`), so a release scheduled
for 10:00 is on the home page and in the feeds at 10:00 even if they were cached
at 9:59. The expiry is stored in the entry and checked on every hit too, not left
to the backend's TTL alone.

Never served from nor stored in the cache: anything but GET/HEAD; a visitor with
a session (logged-in editors) or pending messages; the admin, previews
(/apercu/) and embargo links (/embargo/); responses that set a cookie, used a
CSRF token, or whose Cache-Control is not `public` (previews and embargo links
say `no-store, private`).

The cache is shared by every process of an installation (Redis, or by default a
folder of files: pressroom/settings.py), so a release imported by `manage.py
import_release` while the server runs retires the server's pages at once. A cache
that fails is skipped (pressroom/cache.py): pages are then built from the database,
and when it comes back every page is retired, since saves made meanwhile could not
bump their tokens.

Only the query parameters a page reads are in its key (QUERY_PARAMETERS), so
`?utm_source=<random>` cannot fill the cache with copies of the home page.
"""

from __future__ import annotations

import hashlib
import time
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control

from . import dependencies
from . import policy as cache_policy
from .generation import GENERATION_KEY, bump_generation, generation  # noqa: F401  (the pages' key, and callers of old)

# Headers rebuilt on every answer rather than replayed from the entry.
_REBUILT_HEADERS = {"cache-control", "etag", "expires", "set-cookie", "x-page-cache"}
# Headers a stored page may vary on: the key holds the language, and only visitors
# without a session are served, so their Cookie header never changes the page.
_ALLOWED_VARY = {"cookie", "accept-language"}
_PRIVATE_COOKIES = ("messages",)  # plus settings.SESSION_COOKIE_NAME
# The path words of staff previews, signed embargo links and subscription pages, in every
# language's addresses (articles/urls.py translates them: /en/preview/…, /en/subscribe/…);
# tests/test_cache_flooding.py checks each such address of each language is recognised.
_NEVER_CACHED_PARTS = ("/apercu/", "/preview/", "/embargo/", "/abonnement/", "/subscribe/")

# The query parameters each public page reads, by URL name: the only ones in its key.
# Any other (utm_*, fbclid, a random cache-buster) leaves the page unchanged, so it is
# served the same entry. A page missing here is cached only without a query string:
# an address whose parameters nobody declared is never keyed on a guess.
_LIST = ("page",)
QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "articles:article-list": _LIST,
    "articles:article-detail": (),
    "articles:release-vcards": (),
    "articles:contact-vcard": (),
    "articles:credit-detail": _LIST,
    "articles:tag-detail": _LIST,
    "articles:speaker-detail": _LIST,
    "articles:accessibility": (),
    "articles:search": ("q", "tag", "speaker", "year", "page"),
    "articles:archive-index": (),
    "articles:archive-year": _LIST,
    "articles:archive-month": _LIST,
    "articles:feed-rss": (),
    "articles:feed-atom": (),
    "articles:tag-feed-rss": (),
    "articles:tag-feed-atom": (),
    "articles:speaker-feed-rss": (),
    "articles:speaker-feed-atom": (),
    "articles:sitemap": (),
    "articles:sitemap-section": ("p",),
    "articles:robots-txt": (),
}


# --- What may be cached ------------------------------------------------------------------------


def lifetime(now=None) -> float:
    """Seconds a page stored now may be served: PAGE_CACHE_SECONDS, never past the next publication."""
    now = now or timezone.now()
    seconds = float(getattr(settings, "PAGE_CACHE_SECONDS", 600))
    upcoming = cache_policy.next_scheduled_publication(now)
    if upcoming is not None:
        seconds = min(seconds, (upcoming - now).total_seconds())
    return max(0.0, seconds)


def request_is_cacheable(request) -> bool:
    """An anonymous read of a public address: the only requests served from or stored in the cache.

    Decided from the request line and cookies alone, so a hit loads no session and no user.
    Editors are recognised by their session cookie: the site has no other way to log in.
    """
    if getattr(settings, "PAGE_CACHE_SECONDS", 600) <= 0 or not is_anonymous_read(request):
        return False
    if request.path_info.startswith(_file_prefixes()):
        return False  # WhiteNoise and the media views answer those; no round trip to the cache for them
    return not request.GET or _url_name(request) in QUERY_PARAMETERS


def _file_prefixes() -> tuple[str, ...]:
    return tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p and p != "/")


def is_anonymous_read(request) -> bool:
    """A GET or HEAD of a public address by a visitor without a session: what may be served from a cache.

    The release fragments (fragments.py) ask it too: an editor always sees what the database holds.
    """
    if request is None or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or any(name in cookies for name in _PRIVATE_COOKIES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    path = request.path_info
    # The API counts every request against its rate limits and makes its own ETags (articles/api/main.py).
    return not (path.startswith(("/admin/", "/api/")) or any(part in path for part in _NEVER_CACHED_PARTS))


def _directives(response) -> dict[str, str]:
    directives = {}
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            directives[name.lower()] = value
    return directives


def _marked_public(response) -> bool:
    directives = _directives(response)
    return "public" in directives and not {"private", "no-store", "no-cache"} & directives.keys()


def response_is_public(response) -> bool:
    """Marked public by cache_policy, and nothing in it belongs to one visitor."""
    return _marked_public(response) and not response.cookies


def response_is_storable(request, response) -> bool:
    if request.method != "GET" or response.status_code not in (200, 301) or response.streaming:
        return False
    if not response_is_public(response) or request.META.get("CSRF_COOKIE_USED"):
        return False  # a page holding a CSRF token is one visitor's page
    vary = {h.strip().lower() for h in response.get("Vary", "").split(",") if h.strip()}
    return vary <= _ALLOWED_VARY


def _url_name(request) -> str | None:
    if not hasattr(request, "_page_cache_url_name"):
        # Resolved in the address's language, not the thread's: this runs before LocaleMiddleware
        # (and hits.py before Django's handler), when the active language is the previous request's
        # on this thread, and the translated patterns would not match /en/… after a French page.
        try:
            with translation.override(page_language(request)):
                name = resolve(request.path_info, getattr(request, "urlconf", None)).view_name
        except Resolver404:
            name = None
        request._page_cache_url_name = name
    return request._page_cache_url_name


def read_parameters(request) -> str:
    """The query string as the page reads it: its declared parameters only, sorted, without empty values.

    A view reads the last value of a repeated parameter (QueryDict.get), so only that one counts.
    """
    if not request.GET:
        return ""  # most visits: no need to resolve the address before the view does
    names = QUERY_PARAMETERS.get(_url_name(request), ())
    pairs = sorted((name, _as_read(name, request.GET[name])) for name in names if request.GET.get(name))
    return urlencode(pairs)


def _as_read(name: str, value: str) -> str:
    """A page number as the Paginator reads it (int()): ?page=02, +2, " 2" and 0_2 are page 2, one entry,
    not one copy of the page per spelling (cache flooding). Anything int() refuses is left as sent:
    the view answers it with a 404, which is never stored."""
    if name != "page":
        return value
    try:
        return str(int(value))
    except ValueError:
        return value


def cache_key(request) -> str:
    """The page's key: its language, scheme, host, path and the query parameters it reads.

    The generation is not in the key but in the entry, so that a hit is one round trip to
    the cache (the generation and the entry fetched together); an entry of another
    generation is simply a miss, and is overwritten.
    """
    address = "|".join(
        (page_language(request), request.scheme, request.get_host(), request.path, read_parameters(request))
    )
    return f"pages:page:{hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()}"


def page_language(request) -> str:
    """The language of a public page, decided as LocaleMiddleware decides it: by the address alone.

    The public URLs are i18n_patterns(prefix_default_language=False) (pressroom/urls.py): /en/… is
    English, an unprefixed address is the default language, whatever the browser asks. So the page
    cache, which runs before LocaleMiddleware (see PageCacheMiddleware), reads it from the path; the
    admin, whose language follows the browser (pressroom/locale.py), is never cached.
    """
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def lookup(key: str) -> tuple[str, str | None, dict | None]:
    """The current generation, the "changes" token, and the entry under `key` if it is still current.

    Current: of this generation, not expired, and every token it depends on unchanged (read
    with the entry when this process knows the page's dependencies, else in a second round trip:
    dependencies.current_among).
    """
    found = cache.get_many([GENERATION_KEY, dependencies.changes_key(), key, *dependencies.known_token_keys(key)])
    current = found.get(GENERATION_KEY) or generation()
    changes = dependencies.changes_before(found)
    entry = found.get(key)
    if entry is None or entry["generation"] != current or entry["expires"] <= time.time():
        return current, changes, None
    fresh = dependencies.current_among(key, entry["depends_on"], found, [dependencies.changes_key()])
    return (current, changes, entry) if fresh else (current, changes, None)


class Found(NamedTuple):
    """What the cache holds for one request: its key (None when it may not be cached), the generation
    and "changes" token read with it (for storing the page built on a miss), and the entry on a hit."""

    key: str | None
    generation: str | None = None
    changes: str | None = None
    entry: dict | None = None


# Where the WSGI-level hit path (hits.py) leaves what it found on a miss, so that the middleware
# does not ask the cache a second time. A WSGI server puts request headers under HTTP_*: a client
# cannot set this key.
FOUND_ENVIRON_KEY = "pressroom.page_cache.found"


def find(request) -> Found:
    """Whether this request may be served from the cache, and what the cache holds for it (one round trip).

    The one decision for both paths of a hit: PageCacheMiddleware, and hits.py before Django's handler.
    """
    if not request_is_cacheable(request):
        return Found(None)
    try:
        key = cache_key(request)
    except DisallowedHost:
        return Found(None)  # left to Django's own 400 (CommonMiddleware asks for the host again)
    return Found(key, *lookup(key))


# Pages whose answer depends on more than the releases they show: which releases match a
# search, the newest change of every tag and speaker in a sitemap.
_DEPENDS_ON_EVERY_CHANGE = {"articles:search", "articles:sitemap", "articles:sitemap-section"}


def depends_on(request, loaded: set[str]) -> set[str]:
    """What a page just built depends on: what it loaded, "publications", and for some pages any change."""
    names = loaded | {dependencies.PUBLICATIONS}
    if _url_name(request) in _DEPENDS_ON_EVERY_CHANGE:
        names.add(dependencies.CHANGES)
    return names


def etag_for(content: bytes) -> str:
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def _mark(response, *, max_age: int, etag: str, state: str, private: bool = False):
    """Cache-Control for browsers and CDNs, the ETag, and whether the page came from the cache.

    The same bounds as cache_policy.mark_public. An editor's copy is `private, no-cache`:
    a shared cache must not keep it, and the editor's browser asks again after each edit.
    """
    max_age = max(0, min(max_age, int(getattr(settings, "PUBLIC_CACHE_MAX_AGE", 300))))
    if "Cache-Control" in response:
        del response["Cache-Control"]
    if private:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        s_maxage = min(max_age, int(getattr(settings, "SHARED_CACHE_MAX_AGE", 10)))
        patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
    response["ETag"] = etag
    response["X-Page-Cache"] = state
    return response


# --- The middleware ----------------------------------------------------------------------------


class PageCacheMiddleware:
    """Serve and store whole public pages for anonymous visitors; answer 304 to a matching ETag.

    First in MIDDLEWARE (issue #17): a hit is answered before any other middleware runs, so it
    costs one or two round trips to the cache and the building of one response, nothing else
    (the profile of a hit behind 9 middleware found 2 ms of CPU, a third of it rebuilding the
    Content-Security-Policy). What reaches it on the way back is the finished answer, with the
    headers every other middleware added (Content-Security-Policy, Permissions-Policy,
    X-Frame-Options, X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy, Vary):
    they are stored with the page and replayed as they were. That is only right for a policy
    that is the same for every visitor, so an answer whose policy holds a nonce (an inline
    script: the admin, never a public page) is not stored.

    Behind pressroom.wsgi (gunicorn), a hit is answered earlier still, before Django's handler,
    by hits.py with the same functions (find, hit_headers, replay): there this middleware stores
    the misses, with what hits.py found. It answers the hits that reach Django another way (its
    test client, ASGI).

    Running before SessionMiddleware, LocaleMiddleware and CsrfViewMiddleware, it decides from
    the request line and cookies alone (is_anonymous_read: no session, no messages, no
    Authorization), reads the language from the address as LocaleMiddleware does
    (page_language), and keys on the scheme, so that an http:// request, which
    SecurityMiddleware redirects, can never be served an https:// page. A host outside
    ALLOWED_HOSTS is left to Django's own 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The generation and the "changes" token are read before the view runs: if content
        # changes meanwhile, the page is not stored (dependencies.stamp_if_unchanged).
        # Behind pressroom.wsgi, hits.py has already looked (and answered the hits).
        key, current, changes, entry = request.META.pop(FOUND_ENVIRON_KEY, None) or find(request)
        if entry is not None:
            return replay(request, entry)
        with dependencies.recording() as loaded:
            response = self.get_response(request)
        if response.streaming or response.status_code not in (200, 301) or not _marked_public(response):
            return response
        etag = etag_for(response.content)
        if key is not None and response_is_storable(request, response) and not _policy_has_nonce(response):
            seconds = lifetime()
            stamped = dependencies.stamp_if_unchanged(depends_on(request, loaded), changes) if seconds >= 1 else None
            if stamped is not None:
                self.store(key, current, stamped, response, etag, seconds)
        # Public but not stored (page cache off, or a HEAD): still the ETag and its 304.
        max_age = int(_directives(response).get("max-age") or 0)
        # An editor's copy, or an answer that sets a cookie (the session of an editor, which
        # SessionMiddleware, inside this one, refreshes on every request): one visitor's, never shared.
        private = settings.SESSION_COOKIE_NAME in request.COOKIES or bool(response.cookies)
        _mark(response, max_age=max_age, etag=etag, state="miss" if key is not None else "bypass", private=private)
        return get_conditional_response(request, etag=etag, response=response) or response

    def store(self, key, current_generation, stamped, response, etag, seconds):
        headers = [(k, v) for k, v in response.items() if k.lower() not in _REBUILT_HEADERS]
        entry = {
            "generation": current_generation,
            "depends_on": stamped,
            "status": response.status_code,
            "headers": headers,
            "content": response.content,
            "etag": etag,
            "expires": time.time() + seconds,
        }
        cache.set(key, entry, int(seconds))



def hit_headers(entry) -> list[tuple[str, str]]:
    """The headers of a page served from the cache: those stored with it, and the three rebuilt.

    What _mark writes, without parsing a Cache-Control the response does not have yet: the
    browser and CDN lifetimes count down to the entry's expiry (the next scheduled publication).
    """
    max_age = max(0, min(int(entry["expires"] - time.time()), int(getattr(settings, "PUBLIC_CACHE_MAX_AGE", 300))))
    s_maxage = min(max_age, int(getattr(settings, "SHARED_CACHE_MAX_AGE", 10)))
    return [*entry["headers"], ("Cache-Control", f"public, max-age={max_age}, s-maxage={s_maxage}"),
            ("ETag", entry["etag"]), ("X-Page-Cache", "hit")]


def is_conditional(request) -> bool:
    """Asks for a 304 if its copy is current: answered by Django's get_conditional_response."""
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def replay(request, entry) -> HttpResponse:
    """The stored page as an HttpResponse, or Django's 304 when the visitor's copy matches its ETag."""
    response = HttpResponse(entry["content"], status=entry["status"])
    headers = response.headers
    for name, value in hit_headers(entry):
        headers[name] = value
    if is_conditional(request):
        return get_conditional_response(request, etag=entry["etag"], response=response) or response
    return response


_POLICY_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _policy_has_nonce(response) -> bool:
    """A policy naming this request's nonce: right for this answer only, never to be replayed."""
    return any("'nonce-" in response.get(name, "") for name in _POLICY_HEADERS)
