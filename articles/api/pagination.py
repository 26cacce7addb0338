"""Cursor pagination: a keyset on the list's order, so page 5,000 costs what page 1 costs.

An offset (LIMIT 20 OFFSET 100000) makes the database walk and throw away every row
before the page; a keyset ("after this (publish_at, id)") starts from the index where
the previous page ended. The cursor is opaque to clients (base64 of the last row's
keys) and checked on the way in: a forged or damaged cursor is a 400 naming `cursor`,
never a 500.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import QueryDict

from .errors import InvalidParameter

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode(*keys) -> str:
    text = "|".join(k.isoformat() if isinstance(k, datetime) else str(k) for k in keys)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str, arity: int) -> list[str]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidParameter("cursor", "Curseur illisible : reprenez celui de la page précédente.") from None
    parts = text.split("|")
    if len(parts) != arity:
        raise InvalidParameter("cursor", "Curseur illisible : reprenez celui de la page précédente.")
    return parts


def _id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InvalidParameter("cursor", "Curseur illisible : reprenez celui de la page précédente.") from None
    if not 0 < value < 2**63:
        raise InvalidParameter("cursor", "Curseur hors limites.")
    return value


def releases_after(queryset: QuerySet, cursor: str | None) -> QuerySet:
    """Releases newest first (publish_at, id), after the cursor's release."""
    queryset = queryset.order_by("-publish_at", "-id")
    if not cursor:
        return queryset
    when_text, id_text = _decode(cursor, 2)
    try:
        when = datetime.fromisoformat(when_text)
    except ValueError:
        raise InvalidParameter("cursor", "Curseur illisible : reprenez celui de la page précédente.") from None
    if when.tzinfo is None:
        raise InvalidParameter("cursor", "Curseur illisible : reprenez celui de la page précédente.")
    pk = _id(id_text)
    return queryset.filter(Q(publish_at__lt=when) | Q(publish_at=when, id__lt=pk))


def by_id_after(queryset: QuerySet, cursor: str | None) -> QuerySet:
    """Tags, speakers, credits: in id order, after the cursor's id."""
    queryset = queryset.order_by("id")
    if not cursor:
        return queryset
    return queryset.filter(id__gt=_id(_decode(cursor, 1)[0]))


def page(queryset: QuerySet, *, limit: int, request, cursor_of: Callable, item: Callable,
         prepare: Callable | None = None) -> dict:
    """One page: `limit` items and the cursor (and full address) of the next page, if any.
    `prepare(rows)` may look up, in one go, what every item of the page needs."""
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if prepare is not None:
        prepare(rows)
    next_cursor = cursor_of(rows[-1]) if more and rows else None
    next_url = None
    if next_cursor:
        query = QueryDict(mutable=True)
        query.update({k: v for k, v in request.GET.items() if k != "cursor"})
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": [item(row) for row in rows], "next_cursor": next_cursor, "next": next_url}
