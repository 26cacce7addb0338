"""Inside Django, run by bench/run.py as subprocesses with the benchmark's environment.

`--inspect` prints how many articles the database holds; `--probe` picks the pages to
load and counts each one's queries with Django's test Client and CaptureQueriesContext
(JSON on stdout). Kept out of the driver's process so that its figures are those of the
uninstrumented site.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()


def inspect() -> None:
    _django()
    from articles.models import Article

    print(json.dumps({"articles": Article.objects.count()}))


def _first_route(names: list[str]) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def probe(search_query: str) -> None:
    """Pick the pages to load and count each one's queries; prints JSON."""
    _django()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, Quote, TaggedArticle

    public = Article.objects.public()
    n_public = public.count()
    per_page = settings.ARTICLES_PER_PAGE
    deepest = max(1, -(-n_public // per_page))
    newest = public.newest_first().first()
    top_tag = (
        TaggedArticle.objects.filter(content_object__in=public).values("tag__slug")
        .annotate(n=Count("id")).order_by("-n", "tag__slug").first()
    )
    top_speaker = (
        Quote.objects.public().values("speaker__slug", "speaker__name")
        .annotate(n=Count("id")).order_by("-n", "speaker__slug").first()
    )
    pages, notes = [], []
    pages.append(("home", "/", "page 1 of the public list"))
    pages.append(("home, deepest page", f"/?page={deepest}", f"page {deepest} of {deepest} (OFFSET {(deepest - 1) * per_page})"))
    pages.append(("article", newest.get_absolute_url(), "the newest public article"))
    pages.append(("tag", f"/mots-cles/{top_tag['tag__slug']}/", f"the most used tag: {top_tag['n']} public articles"))
    pages.append(("speaker", f"/intervenants/{top_speaker['speaker__slug']}/",
                  f"the most quoted speaker ({top_speaker['speaker__name']}): {top_speaker['n']} public quotes"))
    search = _first_route(["articles:search"])
    if search:
        from urllib.parse import urlencode

        pages.append(("search", f"{search}?{urlencode({'q': search_query})}", f"q={search_query!r}"))
    else:
        notes.append("search: skipped, no route named articles:search in this tree")
    feed = _first_route(["articles:feed-rss", "articles:feed", "articles:rss"])
    if feed:
        pages.append(("RSS feed", feed, "the site's RSS feed"))
    else:
        notes.append("RSS feed: skipped, no route named articles:feed-rss in this tree")

    # The public API beside the HTML pages (issue #15): the list, its last page by cursor, one release.
    from articles.api import pagination as api_pagination

    pages.append(("API releases", "/api/v1/releases", "GET /api/v1/releases: 20 releases, whole"))
    oldest = list(public.order_by("publish_at", "id").values_list("publish_at", "pk")[:21])
    if len(oldest) == 21:
        cursor = api_pagination.encode(*oldest[20])
        pages.append(("API releases, last page", f"/api/v1/releases?cursor={cursor}", "the 20 oldest, by cursor"))
    pages.append(("API release", f"/api/v1/releases/{newest.pk}", "the newest public release, whole"))
    client = Client(HTTP_HOST="127.0.0.1")
    measured = []
    for name, path, what in pages:
        client.get(path)  # fill per-process caches; the next requests are the ones counted
        runs = []
        for _ in range(5):
            timed = []

            def timer(execute, sql, params, many, context, timed=timed):
                # CaptureQueriesContext rounds to the millisecond; this keeps microseconds.
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timed.append((time.perf_counter() - started) * 1000)

            with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
            sqls = [q["sql"] for q in ctx.captured_queries]
            runs.append((elapsed, response.status_code, len(response.content), list(zip(sqls, timed, strict=False))))
        elapsed, status, size, queries = sorted(runs, key=lambda r: r[0])[len(runs) // 2]  # the median run
        measured.append({
            "name": name, "path": path, "what": what, "status": status, "bytes": size,
            "ms": round(elapsed * 1000, 2),
            "queries": [{"sql": sql, "ms": statistics.median(r[3][i][1] for r in runs if i < len(r[3]))}
                        for i, (sql, _) in enumerate(queries)],
        })
        measured[-1]["counts"] = [q for q in measured[-1]["queries"] if "COUNT(*)" in q["sql"].upper()]
    print(json.dumps({"public": n_public, "pages": measured, "notes": notes}))
