"""Answers derived from public content, kept until that content changes.

A list's count, the related releases of an article, the choices of the search
filters: each changes only when what it depends on changes (dependencies.py) or
when a scheduled release goes live. `remember()` keeps such an answer with the
tokens of what it depends on, and never past the next scheduled publication, so a
cached answer can never reveal or hide a release at the wrong minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from . import dependencies
from . import policy as cache_policy
from .generation import GENERATION_KEY, generation

T = TypeVar("T")

# Upper bound even with nothing scheduled, in case a bulk update() slipped past the signals.
DEFAULT_SECONDS = 3600


def seconds_until_next_publication(limit: float = DEFAULT_SECONDS) -> float:
    now = timezone.now()
    upcoming = cache_policy.next_scheduled_publication(now)
    if upcoming is None:
        return float(limit)
    return max(0.0, min(float(limit), (upcoming - now).total_seconds()))


def remember(name: str, compute: Callable[[], T], *, seconds: float = DEFAULT_SECONDS,
             depends_on: Iterable[str] = ()) -> T:
    """`compute()`'s answer, cached under `name` until what it depends on changes.

    It depends on "publications" (what is public, in which order), on `depends_on`, and on
    every release loaded while computing it (dependencies.py); those are recorded into the
    page being built too, on a hit as on a miss, so a page holding this answer depends on them.
    """
    # Per language (issue #14): each language's site lists, counts and offers its own releases.
    key = f"content:{get_language()}:{name}"
    found = cache.get_many([GENERATION_KEY, dependencies.changes_key(), key, *dependencies.known_token_keys(key)])
    current = found.get(GENERATION_KEY) or generation()
    entry = found.get(key)
    # The expiry travels with the value and is checked here, not left to the backend's
    # TTL alone (Redis does not know about the tests' time travel, nor about clocks).
    if (entry is not None and entry["generation"] == current and entry["expires"] > time.time()
            and dependencies.current_among(key, entry["depends_on"], found, [dependencies.changes_key()])):
        dependencies.record(*entry["depends_on"])
        return entry["value"]
    changes = dependencies.changes_before(found)  # before the database is read
    with dependencies.recording() as loaded:
        value = compute()
    names = loaded | {dependencies.PUBLICATIONS, *depends_on}
    dependencies.record(*names)
    lifetime = seconds_until_next_publication(seconds)
    if lifetime >= 1:
        stamped = dependencies.stamp_if_unchanged(names, changes)
        if stamped is not None:
            entry = {"generation": current, "depends_on": stamped, "value": value, "expires": time.time() + lifetime}
            cache.set(key, entry, int(lifetime))
    return value
