"""Answers derived from public content, kept until that content changes.

A list's count, the related releases of an article, the choices of the search
filters: each changes only when content changes (a save or delete starts a new
page-cache "generation") or when a scheduled release goes live. `remember()`
keeps such an answer under the current generation, and never past the next
scheduled publication, so a cached answer can never reveal or hide a release
at the wrong minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from . import policy as cache_policy
from .generation import generation

T = TypeVar("T")

# Upper bound even with nothing scheduled, in case a bulk update() slipped past the signals.
DEFAULT_SECONDS = 3600


def seconds_until_next_publication(limit: float = DEFAULT_SECONDS) -> float:
    now = timezone.now()
    upcoming = cache_policy.next_scheduled_publication(now)
    if upcoming is None:
        return float(limit)
    return max(0.0, min(float(limit), (upcoming - now).total_seconds()))


def remember(name: str, compute: Callable[[], T], *, seconds: float = DEFAULT_SECONDS) -> T:
    """`compute()`'s answer, cached under `name` for the current content generation."""
    # Per language (issue #14): each language's site lists, counts and offers its own releases.
    key = f"content:{generation()}:{get_language()}:{name}"
    cached = cache.get(key)
    # The expiry travels with the value and is checked here, not left to the backend's
    # TTL alone (Redis does not know about the tests' time travel, nor about clocks).
    if cached is not None and cached[1] > time.time():
        return cached[0]
    value = compute()
    lifetime = seconds_until_next_publication(seconds)
    if lifetime >= 1:
        cache.set(key, (value, time.time() + lifetime), int(lifetime))
    return value
