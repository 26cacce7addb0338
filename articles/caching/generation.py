"""The content generation: one token that retires every cached answer at once.

Every cached page, fragment and list count carries the current token: changing it retires
them all, in every process that shares the cache. Saves no longer change it (they bump
the tokens of what they touched: dependencies.py and receivers.py); it is the fallback
for what cannot say what it changed: a cache that comes back after an outage, a restored
backup, the benchmark's bulk seeding. Its own module, so that the page cache and the cache
policy both build on it without importing each other.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver

from pressroom.cache import cache_recovered

GENERATION_KEY = "pages:generation"


def generation() -> str:
    """The current content generation: a token that changes whenever public content changes."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        # A cache that is down (or evicted the token at once) gets a token of its own that no
        # stored entry carries: nothing is served from it, nothing old comes back.
        token = cache.get(GENERATION_KEY) or uuid.uuid4().hex
    return token


def bump_generation() -> None:
    """Retire every cached page and list count, now and again once the transaction commits.

    Now, so that the same request or test sees the change at once; at commit, because
    a visitor served between the two would otherwise store the old content under the
    new token. A rollback costs only a few rebuilt pages.
    """
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


@receiver(cache_recovered, dispatch_uid="page_cache.cache_recovered")
def _cache_recovered(sender, **kwargs):
    # A save made while the cache was down could not bump the tokens of what it changed
    # (and a Redis cut off rather than restarted still holds the pages): retire them all now.
    _bump()
