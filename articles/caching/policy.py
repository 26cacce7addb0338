"""Caches never extend an embargo.

A public list, feed or page may be kept by browsers and proxies, but never past
the next scheduled publication: at 10:00 a release must appear everywhere, so a
list cached at 9:58 may live two minutes at most. Previews and embargo links set
`no-store` themselves and are never touched here.

The next scheduled time is one indexed query, kept in the cache under the
"publications" token (any new status or date, dependencies.py) and forgotten
whenever an article is saved or deleted (a signal: a decoupled chore, and it also
covers the importer and the shell), and recomputed anyway once it has passed.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.cache import patch_cache_control

from ..models import Article
from . import dependencies
from .generation import GENERATION_KEY, generation

CACHE_KEY = "articles:next-scheduled-publication"
_NOTHING = "none"  # cached "no release scheduled", distinct from a cache miss
# Even a correct cached answer is re-read now and then, in case an article was changed by
# a bulk update() that sent no signal.
RECHECK_SECONDS = 60


def next_scheduled_publication(now: datetime | None = None) -> datetime | None:
    """When the next scheduled (published, future publish_at) release goes live, or None.

    One round trip to the cache in the steady state: the answer, the content generation and
    the "publications" token (any new status or date, dependencies.py) are read together.
    """
    now = now or timezone.now()
    publications = dependencies.token_key(dependencies.PUBLICATIONS)
    found = cache.get_many([CACHE_KEY, GENERATION_KEY, publications])
    current = (found.get(GENERATION_KEY), found.get(publications))
    cached = found.get(CACHE_KEY)
    if isinstance(cached, dict) and None not in current and (cached["generation"], cached["publications"]) == current:
        if cached["value"] == _NOTHING:
            return None
        if isinstance(cached["value"], datetime) and cached["value"] > now:
            return cached["value"]
    if None in current:
        stamped = dependencies.stamp([dependencies.PUBLICATIONS]) or {}
        current = (generation(), stamped.get(dependencies.PUBLICATIONS))
    value = (
        Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
        .aggregate(next=Min("publish_at"))["next"]
    )
    timeout = RECHECK_SECONDS
    if value is not None:
        timeout = max(1, min(RECHECK_SECONDS, int((value - now).total_seconds()) + 1))
    if None not in current:
        # Stored with the tokens read *before* the query: a request that read the database just
        # before a scheduling transaction committed stores its (stale) answer with the token that
        # commit retired, and no later request reads it.
        entry = {"generation": current[0], "publications": current[1], "value": value if value is not None else _NOTHING}
        cache.set(CACHE_KEY, entry, timeout)
    return value


def invalidate_next_publication() -> None:
    """Forget the cached time, now and after the current transaction commits.

    A new status or date also bumps the "publications" token, which retires the answer;
    deleting it as well keeps this module correct on its own.
    """
    def forget():
        cache.delete(CACHE_KEY)

    transaction.on_commit(forget)
    forget()


@receiver(post_save, sender=Article, dispatch_uid="articles.caching.policy.saved")
@receiver(post_delete, sender=Article, dispatch_uid="articles.caching.policy.deleted")
def _article_changed(sender, **kwargs):
    invalidate_next_publication()


def public_max_age(now: datetime | None = None) -> int:
    """Seconds a public response may be cached: the setting, but never past the next scheduled release."""
    now = now or timezone.now()
    max_age = int(getattr(settings, "PUBLIC_CACHE_MAX_AGE", 300))
    upcoming = next_scheduled_publication(now)
    if upcoming is not None:
        max_age = min(max_age, int((upcoming - now).total_seconds()))
    return max(0, max_age)


def mark_public(response, now: datetime | None = None):
    """`Cache-Control: public, max-age=N, s-maxage=N` on a response that is the same for everyone."""
    max_age = public_max_age(now)
    # Shared caches (nginx, a CDN) cannot be told about an edit or a late scheduling, so they keep
    # a page briefly and then revalidate it (a cheap 304 from the page cache); never past the next release.
    s_maxage = min(max_age, int(getattr(settings, "SHARED_CACHE_MAX_AGE", 10)))
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
    return response


def mark_private(response):
    """Previews and embargo links: no browser, proxy or CDN keeps them; no search engine lists them."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class PublicCacheControlMiddleware:
    """Public pages, lists and feeds get a bounded max-age; everything else is left alone.

    Only anonymous-safe answers are marked: GET/HEAD, 200 or 301, no cookie set,
    no Cache-Control already chosen by the view (previews, embargo links), and not
    the admin.
    """

    CACHEABLE_STATUS = {200, 301}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code in self.CACHEABLE_STATUS
            and not response.has_header("Cache-Control")
            and not response.cookies
            and match is not None
            and "admin" not in match.app_names
            and not request.path.startswith(settings.MEDIA_URL)
        ):
            mark_public(response)
        return response
