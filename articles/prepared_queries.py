"""Querysets compiled to SQL once per process, then run with new values (issue #17, the origin).

The profile of an article page with the page cache off found half of its CPU in one query:
building `Article.objects.public()`'s condition (the visibility rule with its subquery for
translations) took 0.9 ms, compiling it to SQL 0.7 ms, while PostgreSQL answered in 0.2 ms.
That work gives the same SQL on every request; only the time and the slug change.

So a hot query is written once, as an ordinary queryset built by the ordinary rule, with
`Parameter`s where the values of a request go (`Article.objects.public(now=Parameter(…))`:
the visibility rule itself, not a copy of it). It is compiled on its first use in each
process and each database, and then run with the request's values bound in place of the
parameters, each prepared for the database by its field as Django would have done.

Only plain model queries are accepted (no select_related, annotations or extra select):
their rows map onto the model's fields in order, which is what `run()` relies on; anything
else is refused when prepared, never answered wrongly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Expression, QuerySet


class Parameter(Expression):
    """A value given when a prepared query runs: compiled to a placeholder, bound at each run."""

    def __init__(self, name: str, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self):
        return f"Parameter({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name, self.output_field)]


class _Slot:
    """Where a parameter's value goes in the compiled query's parameters."""

    __slots__ = ("name", "field")

    def __init__(self, name, field):
        self.name, self.field = name, field

    def bind(self, values: dict, connection):
        try:
            value = values[self.name]
        except KeyError:
            raise TypeError(f"prepared query: no value for parameter {self.name!r}") from None
        return self.field.get_db_prep_value(value, connection, prepared=False)


_MISSING = object()


class PreparedQuery:
    """`build()` returns a queryset using Parameters; `run(**values)` returns its model instances.

    `run(rows=(start, stop), …)` reads that slice of it (a page of a list): LIMIT and OFFSET are
    written into the SQL, so each slice is compiled once; MAX_SLICES are kept, the oldest making room.
    """

    MAX_SLICES = 32

    def __init__(self, model, build: Callable[[], QuerySet]):
        self.model, self.build = model, build
        self._compiled: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str, rows):
        queryset = self.build()
        if rows is not None:
            queryset = queryset[rows[0]:rows[1]]
        query = queryset.query
        if query.select_related or query.annotations or query.extra_select or queryset._prefetch_related_lookups:
            raise ValueError("prepared queries are plain model queries: no select_related, annotations or prefetches")
        compiler = query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a query that can find nothing (an empty slice): never sent
            return None
        # The model's own columns, in the order the compiler selected them: exactly the model's
        # concrete fields less the deferred ones (as ModelIterable reads them).
        klass_info = compiler.klass_info
        fields = [compiler.select[i][0].target.attname for i in klass_info["select_fields"]]
        if len(fields) != len(compiler.select):
            raise ValueError("prepared queries select the model's own columns only")
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return sql, tuple(params), queryset.model, fields, compiler, converters

    def run(self, rows: tuple[int, int] | None = None, **values) -> list:
        alias = router.db_for_read(self.model)
        key = (alias, rows)
        compiled = self._compiled.get(key, _MISSING)
        if compiled is _MISSING:
            with self._lock:
                compiled = self._compiled.get(key, _MISSING)
                if compiled is _MISSING:
                    compiled = self._compile(alias, rows)
                    if rows is not None:
                        # The oldest slice makes room: a list's last page is a new slice after each
                        # publication, and the pages read most are compiled again at their next visit.
                        slices = [k for k in self._compiled if k[1] is not None]
                        if len(slices) >= self.MAX_SLICES:
                            del self._compiled[slices[0]]
                    self._compiled[key] = compiled
        if compiled is None:
            return []
        sql, params, model, fields, compiler, converters = compiled
        connection = connections[alias]
        bound = [param.bind(values, connection) if isinstance(param, _Slot) else param for param in params]
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        return [model.from_db(alias, fields, row) for row in rows]


class PreparedPages:
    """A list for Django's Paginator whose pages are read by a prepared query.

    The Paginator slices it for a page: that runs `prepared` with `values`. Anything else (a
    count the cache does not hold, a deep page's ids) goes to the queryset `build_queryset()`
    returns, built only then: the same list, by the same rule, built the ordinary way.
    """

    ordered = True  # a prepared list is ordered (the Paginator asks, to warn about unordered ones)

    def __init__(self, prepared: PreparedQuery, build_queryset: Callable[[], QuerySet], **values):
        # Named apart from QuerySet's own attributes, which the others forward to the queryset.
        self.prepared, self.build_queryset, self.parameter_values = prepared, build_queryset, values
        self.model = prepared.model

    @cached_property
    def queryset(self) -> QuerySet:
        return self.build_queryset()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, key):
        if isinstance(key, slice) and key.step is None and isinstance(key.start, int) and isinstance(key.stop, int):
            if 0 <= key.start <= key.stop:
                return self.prepared.run(rows=(key.start, key.stop), **self.parameter_values)
        return self.queryset[key]

    def __getattr__(self, name):
        return getattr(self.queryset, name)
