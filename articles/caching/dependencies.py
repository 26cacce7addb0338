"""Invalidation by dependency: what a cached answer shows, and a token for each thing it shows.

Every cached answer (a whole page, a rendered fragment, a list count) is stored with the
names it depends on and each name's token at the time: "release:42" for a release it shows,
"publications" for what is public and in which order, "speaker:7" or "credit:3" for the
membership of a speaker's or a credit's page, "changes" for anything at all. A save bumps
the tokens of what it touched (articles/caching/generation.py says which), and an answer
whose tokens are no longer all current is a miss. So an edit of one release, or of one
photo's caption, retires the pages that show it and leaves every other page warm, while a
new publication (or a withdrawal, a new date, a new tag) bumps "publications", which every
page depends on, so that lists, feeds and counts change at once.

What a page depends on is not declared by hand: while it is built, every Article loaded
from the database records "release:<pk>" (a post_init receiver), and cached parts replay
what they recorded, so a release shown anywhere on the page (a card, a related link, a
feed item) is a dependency, whoever wrote the template.

Tokens are random, never counters, and kept without expiry: a token the cache lost is
"unknown", and an answer stamped with it is a miss, never a hit. The global content
generation (generation.py) stays as the fallback that retires everything at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

PUBLICATIONS = "publications"
CHANGES = "changes"
_PREFIX = "deps:"

_recorders: ContextVar[tuple[set, ...]] = ContextVar("cache_dependencies", default=())


def release(pk) -> str:
    return f"release:{pk}"


def speaker(pk) -> str:
    return f"speaker:{pk}"


def credit(pk) -> str:
    return f"credit:{pk}"


@contextmanager
def recording():
    """Collect the names recorded while the block runs (nested recorders all receive them)."""
    found: set[str] = set()
    reset = _recorders.set(_recorders.get() + (found,))
    try:
        yield found
    finally:
        _recorders.reset(reset)


def is_recording() -> bool:
    return bool(_recorders.get())


def record(*names: str) -> None:
    """Say that what is being built shows `names`."""
    for found in _recorders.get():
        found.update(names)


def tokens(names: Iterable[str]) -> dict[str, str | None]:
    names = list(names)
    found = cache.get_many([_PREFIX + name for name in names]) if names else {}
    return {name: found.get(_PREFIX + name) for name in names}


def stamp(names: Iterable[str]) -> dict[str, str] | None:
    """The current token of each name, creating the missing ones; None if the cache cannot keep them."""
    current = tokens(names)
    missing = [name for name, token in current.items() if token is None]
    for name in missing:
        cache.add(_PREFIX + name, uuid.uuid4().hex, None)
    if missing:
        current.update(tokens(missing))
    if any(token is None for token in current.values()):
        return None  # the cache is down: nothing can be stored that could be checked later
    return current


def still_current(stamped: dict[str, str]) -> bool:
    """Whether every token an answer was stored with is still the current one."""
    return all(token is not None and token == stamped[name] for name, token in tokens(stamped).items())


# What each cached answer depended on when this process last read it, so that the next read
# fetches the answer and its tokens in ONE round trip to the cache (issue #17: an article page
# made five; each is ~0.1 ms of CPU). Only a guess of which tokens to fetch with the entry: the
# entry's own stamps are always what is checked, and an answer whose dependencies changed costs
# a second round trip, as before. Bounded per process.
_KNOWN: dict[str, tuple[str, ...]] = {}
_KNOWN_LIMIT = 5000


def known_token_keys(key: str) -> list[str]:
    """The token keys to read together with the entry under `key` (those it depended on last time)."""
    return [_PREFIX + name for name in _KNOWN.get(key, ())]


def current_among(key: str, stamped: dict[str, str], found: dict, asked: Iterable[str] = ()) -> bool:
    """Whether every token `stamped` holds is current, from `found` for the token keys that were asked
    with the entry (`asked`, and those known_token_keys(key) gave); the others are read now (a second
    round trip) and remembered for the next read of `key`.
    """
    asked = {*asked, *known_token_keys(key)}
    names = tuple(stamped)
    missing = [name for name in names if _PREFIX + name not in asked]
    if missing:
        if len(_KNOWN) >= _KNOWN_LIMIT:
            _KNOWN.clear()
        _KNOWN[key] = names
        found = {**found, **{_PREFIX + name: token for name, token in tokens(missing).items()}}
    return all(token is not None and found.get(_PREFIX + name) == token for name, token in stamped.items())


def changed(*names: str) -> None:
    """Retire every cached answer that depends on `names` (and "changes"): now, and once the transaction commits.

    Now, so that the same request or test sees the change; at commit, because a visitor
    served between the two would otherwise store the old content under the new tokens.
    """
    names = set(names)
    _bump(names)
    transaction.on_commit(lambda: _bump(names))


def _bump(names: set[str]) -> None:
    # "changes" first: an answer built while this save commits is stored only if "changes" did
    # not move meanwhile (see store_if_unchanged), so a reader that already sees a new release
    # token also sees a new "changes" and does not store what it read before the commit.
    cache.set(_PREFIX + CHANGES, uuid.uuid4().hex, None)
    names = names - {CHANGES}
    if names:
        cache.set_many({_PREFIX + name: uuid.uuid4().hex for name in names}, None)


def token_key(name: str) -> str:
    """The cache key of a name's token, for callers that read it together with an entry in one round trip."""
    return _PREFIX + name


def changes_key() -> str:
    return token_key(CHANGES)


def changes_before(found: dict) -> str | None:
    """The "changes" token among what was just read (`found`), created if the cache has none yet.

    Read before the database is: stamp_if_unchanged compares it with the token at store time.
    Created here rather than left missing, so that the very first page of a fresh cache is kept.
    """
    token = found.get(changes_key())
    if token is None:
        token = (stamp([CHANGES]) or {}).get(CHANGES)
    return token


def stamp_if_unchanged(names: Iterable[str], changes_before: str | None) -> dict[str, str] | None:
    """The tokens to store an answer with, or None if anything changed since it started being built.

    `changes_before` is the "changes" token read before the database was: if it moved, a
    save committed meanwhile and the answer may hold content older than its tokens.
    """
    names = set(names)
    stamped = stamp(names | {CHANGES})
    if stamped is None or changes_before is None or stamped[CHANGES] != changes_before:
        return None
    if CHANGES not in names:
        del stamped[CHANGES]
    return stamped
