"""Addresses with French path words under /en/ and /ja/ (issue #14).

Before the path words were translated, the English site lived at /en/communiques/<slug>/ and
so on; those links are in mailboxes, feeds readers and search engines. Each old address answers
with a permanent redirect to the same page at its translated address (/en/releases/<slug>/),
query string kept. A POST (the one-click unsubscribe of RFC 8058, a subscription form left open)
is served in place instead: a 301 would turn it into a GET and lose it.
"""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.urls import URLPattern, path, reverse
from django.utils import translation


def _redirect_to(name: str, view):
    def legacy(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        url = reverse(f"articles:{name}", args=args, kwargs=kwargs)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    legacy.legacy_of = name  # the pattern it stands for (tests/test_url_ranges.py walks it with its values)
    return legacy


def legacy_path_redirects(patterns: list[URLPattern]) -> list[URLPattern]:
    """A pattern at each translated route's French words (the msgid), redirecting to its current address.

    Listed after the translated patterns: in French they are never reached (the translated
    pattern is the same words and comes first), nor where the words are the same in both
    languages (archives/, credits/).
    """
    legacy = []
    for pattern in patterns:
        route = getattr(pattern.pattern, "_route", None)
        if not isinstance(route, str) and route is not None and pattern.name:
            with translation.override(None):  # no catalogue: the msgid, French
                french = str(route)
            legacy.append(path(french, _redirect_to(pattern.name, pattern.callback), name=None))
    return legacy
