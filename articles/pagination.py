"""Pagination whose count is not recounted on every visit.

"Page 3 sur 9 812" needs the number of public releases, and COUNT(*) over
100,000 rows costs more than the page itself. The count only changes when
content changes or when a scheduled release goes live, so it is kept in the cache
under the page cache's content generation (any save or delete retires it) and
never past the next scheduled publication. `?page=N` addresses are unchanged.

A deep page still reads OFFSET rows from the list index (article_public_list);
that is an index-only walk, and pages past the first few hundred are rare.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from . import content_cache


class CachedCountPaginator(Paginator):
    """A Paginator whose count is cached under `count_key` for the current content generation."""

    def __init__(self, object_list, per_page, *, count_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return content_cache.remember(f"pages:count:{self.count_key}", lambda: Paginator.count.func(self))


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
