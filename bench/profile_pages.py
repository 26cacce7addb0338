"""CPU per request of public pages, inside one process, and where it goes (issue #17: "profile first").

    DATABASE_URL=postgres://…/pressroom_bench1k REDIS_URL=redis://…/15 \
        .venv/bin/python bench/profile_pages.py [--path /] [--requests 300] [--profile] [--page-cache] \
            [--django-handler-only]

Runs the production WSGI application (pressroom/wsgi.py: DEBUG=0, the benchmark's settings) in
this process on the paths given, warms each up, then times N requests with time.process_time(): CPU of this
process, so what the database and Redis servers spend is left out, and the figure does not
move with whatever else the machine runs (unlike req/s). With --profile, cProfile's top
functions by cumulative time. Page cache off unless --page-cache: the origin, as issue #17
measures it. Part of the benchmark, not of the product.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(page_cache: bool) -> None:
    sys.path.insert(0, str(ROOT))
    static = Path(tempfile.gettempdir()) / "pressroom-profile-static"
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "pressroom.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(static),
        "PAGE_CACHE_SECONDS": os.environ.get("PAGE_CACHE_SECONDS", "600") if page_cache else "0",
        "DB_CONN_MAX_AGE": "60",  # as bench/run.py serves it
    })
    import django

    django.setup()
    if not (static / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", verbosity=0)


def environ_for(path: str) -> dict:
    from urllib.parse import urlsplit

    parts = urlsplit(path)
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": parts.path, "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "REMOTE_ADDR": "127.0.0.1",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", action="append", help="Page to load (repeatable); default: home and an article.")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--page-cache", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--django-handler-only", action="store_true",
                        help="Without articles/caching/hits.py: every hit through Django's handler and middleware.")
    args = parser.parse_args()
    setup(args.page_cache)

    from articles.models import Article

    paths = args.path
    if not paths:
        newest = Article.objects.public().newest_first().first()
        paths = ["/", newest.get_absolute_url()]
    from pressroom.wsgi import application, django_application

    handler = django_application if args.django_handler_only else application

    def load(path):
        status = []
        body = b"".join(handler(environ_for(path), lambda s, h, *a: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]}")
        return body

    for path in paths:
        for _ in range(20):
            load(path)
        started, wall = time.process_time(), time.perf_counter()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        for _ in range(args.requests):
            load(path)
        if profiler:
            profiler.disable()
        cpu = (time.process_time() - started) / args.requests * 1000
        elapsed = (time.perf_counter() - wall) / args.requests * 1000
        print(f"{path}: {cpu:.2f} ms CPU per request, {elapsed:.2f} ms wall ({args.requests} requests, "
              f"page cache {'on' if args.page_cache else 'off'})")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
