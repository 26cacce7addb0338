"""Japanese search on PostgreSQL, measured on the demo's Japanese translation (issue #14).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a scratch db> .venv/bin/python bench/japanese_search.py [N]

Migrates the database, imports the Kyoto release in three languages, then copies the Japanese
release's search text N times (default 20,000) into Japanese drafts, each with a numbered word,
and reports: for words of the text, what `simple` full-text search finds against the substring
match the site uses; and the substring query's time with and without the trigram index.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

WORDS = ["京都", "京都府", "協力", "協定", "パナソニック", "モンペリエ", "オリンピック", "経済", "京セラ", "地域圏", "議長", "伝統"]


def main(n: int) -> None:
    assert connection.vendor == "postgresql", "PostgreSQL only"
    call_command("migrate", verbosity=0)
    for name in ("occitanie-kyoto.md", "occitanie-kyoto.en.md", "occitanie-kyoto.ja.md"):
        call_command("import_release", str(ROOT / "articles" / "demo" / name), stdout=open(os.devnull, "w"))
    from articles.discovery.search import fold
    from articles.models import Article

    ja = Article.objects.get(language="ja", translation_of__isnull=False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_article WHERE language = 'ja' AND status = 'draft' AND title LIKE 'bench-ja-%%'")
        cursor.execute(
            """INSERT INTO articles_article (title, slug, standfirst, body, location, language, status, change_note,
                   withdrawal_reason, version, search_document, created_at, updated_at)
               SELECT 'bench-ja-' || i, 'bench-ja-' || i, '', '', '', 'ja', 'draft', '', '', 1,
                      %s || ' 番号' || i, now(), now()
               FROM generate_series(1, %s) AS i""",
            [ja.search_document, n],
        )
        cursor.execute("ANALYZE articles_article")
        print(f"{n + 1} Japanese releases (the demo's text, {len(ja.search_document)} characters each)\n")
        print("| word | simple full-text finds it | substring finds it |\n| --- | --- | --- |")
        for word in WORDS:
            cursor.execute("SELECT to_tsvector('simple', %s) @@ plainto_tsquery('simple', %s)", [ja.search_document, fold(word)])
            fts = cursor.fetchone()[0]
            print(f"| {word} | {'yes' if fts else 'no'} | {'yes' if fold(word) in ja.search_document else 'no'} |")
        print()
        for label, setting in (("trigram index", "on"), ("sequential scan", "off")):
            cursor.execute(f"SET enable_bitmapscan = {setting}; SET enable_indexscan = {setting}")
            timings = []
            for word in ("協力関係", "番号12345", "パナソニック"):
                started = time.perf_counter()
                cursor.execute("SELECT count(*) FROM articles_article WHERE language = 'ja' AND search_document LIKE %s",
                               ["%" + fold(word) + "%"])
                count = cursor.fetchone()[0]
                timings.append(f"{word}: {count} rows in {1000 * (time.perf_counter() - started):.1f} ms")
            print(f"{label}: " + "; ".join(timings))
        cursor.execute("SET enable_bitmapscan = on; SET enable_indexscan = on")
        cursor.execute("DELETE FROM articles_article WHERE title LIKE 'bench-ja-%%'")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
