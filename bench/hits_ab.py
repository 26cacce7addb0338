"""Worker CPU per page-cache hit under gunicorn, for two checkouts or settings interleaved (issue #17).

    .venv/bin/python bench/hits_ab.py --repeat 4 before=/work/wt-base after=.
    .venv/bin/python bench/hits_ab.py sync=. "gthread=.::--worker-class gthread --threads 2 --keep-alive 5"
    .venv/bin/python bench/hits_ab.py "old-handler=.::APP=pressroom.wsgi:django_application" new=.

Each argument is label=checkout[::gunicorn arguments], with APP=module:callable first to serve
another WSGI callable. Each is served in turn, as `make bench-peers` serves ours (gunicorn, 2 sync
workers unless told, DEBUG=0, persistent connections, the page cache on Redis), on the same
database (DATABASE_URL, default pressroom_bench1k, only read) and port (PORT, 18102); wrk (1
thread, 8 connections) warms the page 3 s and loads it --seconds; the workers' user + system CPU
is read from /proc before and after. On a shared machine req/s move with whatever else runs;
CPU per request much less, and alternating A and B (--repeat) within minutes compares them
under the same load. Part of the benchmark, not of the product.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.load import workers_cpu_seconds  # noqa: E402


def wrk(url: str, seconds: int) -> tuple[int, float, int]:
    out = subprocess.run(["wrk", "-t1", "-c8", f"-d{seconds}s", url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return (int(re.search(r"(\d+) requests in", out).group(1)), float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            int(errors.group(1)) if errors else 0)


def serve_and_load(label: str, checkout: Path, args: list[str], env: dict, path: str, port: int, seconds: int) -> None:
    app = "pressroom.wsgi:application"
    if args and args[0].startswith("APP="):
        app, args = args[0][4:], args[1:]
    log = Path(tempfile.gettempdir()) / f"hits-ab-{label}.log"
    server = subprocess.Popen([str(checkout / ".venv" / "bin" / "gunicorn"), app, "--workers", "2", "--bind",
                               f"127.0.0.1:{port}", "--log-level", "warning", *args],
                              cwd=checkout, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}{path}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        wrk(url, 3)
        before = workers_cpu_seconds(server.pid)
        requests, rps, errors = wrk(url, seconds)
        cpu_ms = (workers_cpu_seconds(server.pid) - before) * 1000 / max(requests, 1)
        print(f"{label:<24} {rps:8.0f} req/s  {cpu_ms:.3f} ms worker CPU per request  non-2xx {errors}", flush=True)
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="+", help="label=checkout[::gunicorn arguments]")
    parser.add_argument("--path", help="Page to load (default: the newest article, as bench/profile_pages.py picks it).")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    static = Path(tempfile.gettempdir()) / "pressroom-profile-static"  # collected by bench/profile_pages.py
    env = dict(os.environ, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(60), SECURE_SSL_REDIRECT="0",
               ALLOWED_HOSTS="127.0.0.1", DB_CONN_MAX_AGE="60", PAGE_CACHE_SECONDS="600", STATIC_ROOT=str(static),
               DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pressroom_bench1k"),
               REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10"))
    path = args.path or "/"
    if not args.path:
        try:
            out = subprocess.run([str(Path(".venv/bin/python")), "-c", _NEWEST], env=env, capture_output=True,
                                 text=True, check=True).stdout.strip()
            path = out.splitlines()[-1]
        except subprocess.CalledProcessError as error:
            raise SystemExit(f"hits_ab: could not pick an article:\n{error.stderr}") from error
    port = int(os.environ.get("PORT", 18102))
    for _ in range(args.repeat):
        for target in args.targets:
            label, _, rest = target.partition("=")
            checkout, _, extra = rest.partition("::")
            serve_and_load(label, Path(checkout).resolve(), extra.split(), env, path, port, args.seconds)


_NEWEST = """
import os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
import django
django.setup()
from articles.models import Article
print(Article.objects.public().newest_first().first().get_absolute_url())
"""

if __name__ == "__main__":
    main()
