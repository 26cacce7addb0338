"""Pagination whose count is not recounted on every visit.

"Page 3 sur 9 812" needs the number of public releases, and COUNT(*) over
100,000 rows costs more than the page itself. The count only changes when
what is public changes or when a scheduled release goes live, so it is kept in
the cache with the tokens it depends on (dependencies.py: "publications", and a
speaker's or credit's membership) and never past the next scheduled publication. `?page=N` addresses are unchanged.

A deep page (`?page=9800`) would make the database read and throw away every
row before it. Past DEEP_OFFSET, the page's ids are found first, in a subquery
that only needs the list index (article_public_list: an index-only scan on
PostgreSQL), and only those rows are read: 130 ms → 20 ms at 100,000 releases.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.functional import cached_property

from . import content as content_cache
from . import dependencies

DEEP_OFFSET = 1000


def count_dependencies(count_key: str) -> list[str]:
    """What a count changes with besides "publications": a speaker's or a credit's membership;
    a filtered search's, any edit (a new quote, a new photo, a new year)."""
    kind, _, pk = count_key.partition(":")
    if kind == "speaker":
        return [dependencies.speaker(pk)]
    if kind == "credit":
        return [dependencies.credit(pk)]
    if kind == "search":
        return [dependencies.CHANGES]
    return []


class CachedCountPaginator(Paginator):
    """A Paginator whose count is cached under `count_key` until what is public changes (content.remember)."""

    def __init__(self, object_list, per_page, *, count_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return content_cache.remember(f"pages:count:{self.count_key}", lambda: Paginator.count.func(self),
                                      depends_on=count_dependencies(self.count_key))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEEP_OFFSET:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class CachedCountMixin:
    """For a ListView: paginate with a cached count, under the key `get_count_key()` names.

    The key must name everything the list is filtered by (the tag, the speaker...),
    since the queryset itself, holding "now", changes on every request.
    """

    paginator_class = CachedCountPaginator

    def get_count_key(self) -> str:
        raise NotImplementedError(f"{type(self).__name__} must say what its list is filtered by.")

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return super().get_paginator(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page,
            count_key=self.get_count_key(), **kwargs,
        )


class EmptyListIs404Mixin:
    """For a ListView whose subject exists for the public only through public content.

    A tag, speaker, credit or archive period with nothing public to show answers 404,
    exactly like one that was never created: its page must not confirm that hidden
    releases carry it. Each view says why in `empty_message` (French, for the 404 page).
    """

    empty_message = "Rien de public à cette adresse."

    def paginate_queryset(self, queryset, page_size):
        result = super().paginate_queryset(queryset, page_size)
        if result[0].count == 0:
            raise Http404(self.empty_message)
        return result


class CountWithPagePaginator(Paginator):
    """The count read with the page, in the same query (COUNT(*) OVER ()), for a search's results.

    A text search's count is of its ranked window (the newest RANK_WINDOW matches,
    discovery/search.py): counting it apart made the database find that window twice, once
    for the count and once for the page, 30 ms each at 100,000 releases (issue #17). The page's
    rows carry the total; only a page past the end, or a search that finds nothing, is counted
    by a query of its own (Django's count, which then says the page does not exist).
    """

    def __init__(self, object_list, per_page, *, max_count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_count = max_count  # no page starts beyond it: ?page=10**30 is counted and refused, never an OFFSET

    def page(self, number):
        if self.orphans:
            return super().page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # Django's own PageNotAnInteger
        if wanted < 1 or (wanted - 1) * self.per_page >= self.max_count:
            return super().page(number)  # Django's count, then EmptyPage (a 404)
        from django.db.models import Count, Window

        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list.annotate(found_in_all=Window(Count("pk")))[bottom:bottom + self.per_page])
        if rows:
            self.__dict__["count"] = rows[0].found_in_all  # Paginator.count is a cached_property
        number = self.validate_number(wanted)
        return self._get_page(rows, number, self)
