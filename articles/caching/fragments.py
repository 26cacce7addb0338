"""Parts of public pages rendered once per version of a release: its page body, its head, its card.

The profile of the origin (README, Performance) put most of a request's time in Django's
template rendering of what is the same for every visitor until the release changes: the
article with its figures, quotes and contacts, its OpenGraph and JSON-LD, a list's cards.
Each is kept in the cache with the tokens of what it shows (dependencies.py: its release,
bumped by any edit of the release, its photos, credits, quotes, speakers or contacts), so
a correction shows at once and nothing else is re-rendered. The page around them (the
header, the related releases, the pagination) is rendered on every request.

Only public pages ask for fragments (the `release_cache` context variable, set by the public
views): a preview or an embargo link renders everything itself and stores nothing, so an
embargo page's signed addresses can never reach a public page. The key holds the active
language, so a translated page never gets another language's fragment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from . import dependencies
from .content import seconds_until_next_publication
from .generation import GENERATION_KEY, generation

# A fragment does not depend on the time: only on its release, whose every change bumps its token.
# The bound only keeps the cache from holding fragments of releases nobody reads any more.
SECONDS = 6 * 3600


def _key(name: str, pk) -> str:
    return f"fragments:{name}:{translation.get_language() or ''}:{pk}"


@dataclass
class Lookup:
    """Fragments found for a set of (name, release pk), and what is needed to store the missing ones."""

    found: dict[tuple[str, int], SafeString]
    generation: str
    changes_before: str | None
    to_store: dict[str, dict] = field(default_factory=dict)

    def store(self, name: str, pk, html: str, depends_on: set[str]) -> None:
        """Keep a fragment just rendered, unless anything changed since the lookup (then it may be stale)."""
        stamped = dependencies.stamp_if_unchanged(depends_on | {dependencies.release(pk)}, self.changes_before)
        if stamped is not None:
            entry = {"generation": self.generation, "depends_on": stamped, "html": str(html)}
            if dependencies.PUBLICATIONS in stamped:
                # It shows other releases (the related ones): what is public changes at the next
                # scheduled publication, with or without a worker to announce it, so it ends there.
                entry["expires"] = time.time() + seconds_until_next_publication(SECONDS)
            self.to_store[_key(name, pk)] = entry

    def save(self) -> None:
        if self.to_store:
            cache.set_many(self.to_store, SECONDS)
            self.to_store = {}


def lookup(wanted: list[tuple[str, int]]) -> Lookup:
    """The current fragments among `wanted`, in one round trip to the cache whatever their number.

    The tokens of their releases, and of whatever else each fragment showed when this process
    last read it, are read with them (dependencies.current_among); a second round trip only for
    a fragment whose dependencies this process does not know yet. What each fragment found
    depends on is recorded into the page being built (dependencies.py).
    """
    keys = {_key(name, pk): (name, pk) for name, pk in wanted}
    token_keys = {dependencies.token_key(dependencies.release(pk)) for _, pk in wanted}
    for key in keys:
        token_keys.update(dependencies.known_token_keys(key))
    found = cache.get_many([GENERATION_KEY, dependencies.changes_key(), *keys, *token_keys])
    current = found.get(GENERATION_KEY) or generation()
    now = time.time()
    fresh = {}
    for key, item in keys.items():
        entry = found.get(key)
        if not (isinstance(entry, dict) and entry.get("generation") == current
                and entry.get("expires", now + 1) > now):  # checked here: the cache's own TTL knows nothing of embargoes
            continue
        if dependencies.current_among(key, entry["depends_on"], found, token_keys):
            dependencies.record(*entry["depends_on"])
            fresh[item] = mark_safe(entry["html"])  # rendered by our own templates, autoescaped
    return Lookup(fresh, current, dependencies.changes_before(found))
