"""`make bench`: seed N releases, serve the site as in production, load it with wrk, print a table.

    .venv/bin/python bench/run.py --count 10000        (what `make bench N=10000` runs)

Backends, said at the start and in the results:
- DATABASE_URL set (PostgreSQL): that database, whose name must contain "bench" because it is
  dropped and recreated when it does not hold exactly N articles; REDIS_URL set: Redis cache.
- otherwise: a SQLite file bench/var/sqlite-N.sqlite3 and the local-memory cache.

Production mode: DEBUG off, a fresh SECRET_KEY, SECURE_SSL_REDIRECT=0 (no TLS on loopback),
static files collected into a temporary STATIC_ROOT and served by WhiteNoise, gunicorn with
2 sync workers on a free port of 127.0.0.1, DB_CONN_MAX_AGE=60 (health checks are on in settings).

Per page: a 3 s warm-up, then `wrk -t1 -c8 -d10s --latency`. Queries per request come from a
separate process (`--probe`) that requests each page twice with Django's test Client and
CaptureQueriesContext on the same database and settings, and keeps the second count (the first
may fill per-process caches such as ContentType's). wrk is not given that instrumentation, so
the load figures are those of the uninstrumented site. Worker RSS is read with ps after each page.

Results: printed, and saved to bench/results/<date>-<backend>-<N>.md (git-ignored).
Everything started here (gunicorn, the temporary static folder) is stopped/removed on exit.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
WRK_CONNECTIONS, WRK_SECONDS, WARMUP_SECONDS = 8, 10, 3


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# ------------------------------------------------------------------------------------------------
# Inside Django (run as subprocesses with the bench environment): --inspect and --probe
# ------------------------------------------------------------------------------------------------

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


# ------------------------------------------------------------------------------------------------
# The driver
# ------------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, count: int, search_query: str, seconds: int, page_cache: bool = False):
        self.count, self.search_query, self.seconds = count, search_query, seconds
        self.page_cache = page_cache
        self.server: subprocess.Popen | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
        self.seed_seconds: float | None = None
        self.seed_output = ""

    # -- environment -------------------------------------------------------------------------

    def configure(self) -> None:
        database_url = os.environ.get("DATABASE_URL", "")
        redis_url = os.environ.get("REDIS_URL", "")
        VAR.mkdir(parents=True, exist_ok=True)
        if database_url:
            url = urlparse(database_url)
            if url.scheme not in ("postgres", "postgresql", "pgsql"):
                sys.exit(f"bench: DATABASE_URL must be PostgreSQL (got {url.scheme}); unset it for SQLite")
            self.db_name = url.path.lstrip("/")
            if "bench" not in self.db_name:
                sys.exit(f"bench: refusing database {self.db_name!r}: its name must contain 'bench', "
                         "because the benchmark drops and recreates it (e.g. .../pressroom_bench)")
            self.backend = "postgresql"
            self.database_url = database_url
            media = VAR / f"media-{self.db_name}"
        else:
            self.backend = "sqlite"
            self.db_file = VAR / f"sqlite-{self.count}.sqlite3"
            self.database_url = f"sqlite:///{self.db_file}"
            media = VAR / f"media-sqlite-{self.count}"
        self.media = media
        self.cache = "redis" if redis_url else "locmem"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pressroom.settings",
            "DATABASE_URL": self.database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(media),
            "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            # Origin speed (issue #6, item 2): the page cache is off unless --page-cache is given.
            "PAGE_CACHE_SECONDS": os.environ.get("PAGE_CACHE_SECONDS", "600") if self.page_cache else "0",
        }
        db_text = (f"PostgreSQL database {self.db_name} ({urlparse(database_url).hostname})"
                   if self.backend == "postgresql" else f"SQLite file {self.db_file.relative_to(ROOT)}")
        cache_text = "Redis cache (REDIS_URL)" if redis_url else "local-memory cache"
        cache_text += "; page cache ON" if self.page_cache else "; page cache off (PAGE_CACHE_SECONDS=0)"
        self.description = f"{db_text}, {cache_text}"
        log(f"Backend: {self.description}; N={self.count}")
        if self.backend == "sqlite":
            log("(set DATABASE_URL=postgres://…/pressroom_bench and REDIS_URL=redis://… for PostgreSQL and Redis)")

    def manage(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, text=True,
                                capture_output=capture, check=False)
        if result.returncode:
            if capture:
                sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"bench: manage.py {' '.join(args)} failed")
        return result.stdout if capture else ""

    def here(self, *args: str) -> dict:
        result = subprocess.run([PY, __file__, *args], cwd=ROOT, env=self.env, text=True, capture_output=True)
        if result.returncode:
            sys.stderr.write(result.stderr)
            raise SystemExit(f"bench: {' '.join(args)} failed")
        return json.loads(result.stdout.strip().splitlines()[-1])

    # -- database ------------------------------------------------------------------------------

    def _pg_admin(self, *statements: str) -> None:
        import psycopg

        url = urlparse(self.database_url)
        with psycopg.connect(host=url.hostname or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
                             password=url.password, dbname="postgres", autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def _pg_exists(self) -> bool:
        import psycopg

        url = urlparse(self.database_url)
        with psycopg.connect(host=url.hostname or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
                             password=url.password, dbname="postgres", autocommit=True) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.db_name]).fetchone() is not None

    def prepare_database(self) -> None:
        if self.backend == "postgresql" and not self._pg_exists():
            self._pg_admin(f'CREATE DATABASE "{self.db_name}"')
        self.manage("migrate", "--noinput", "-v0")
        have = self.here("--inspect")["articles"]
        if have == self.count:
            log(f"Reusing the seeded database ({have} articles)")
            return
        log(f"The database has {have} articles, not {self.count}: recreating it")
        if self.backend == "postgresql":
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)', f'CREATE DATABASE "{self.db_name}"')
        else:
            self.db_file.unlink(missing_ok=True)
        shutil.rmtree(self.media, ignore_errors=True)
        self.manage("migrate", "--noinput", "-v0")
        log(f"Seeding {self.count} articles…")
        started = time.perf_counter()
        self.seed_output = self.manage("seed_bench", "--count", str(self.count), capture=True)
        self.seed_seconds = time.perf_counter() - started
        print(self.seed_output, end="")
        log(f"Seeded in {self.seed_seconds:.1f} s")

    # -- server ------------------------------------------------------------------------------

    def start_server(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.server_log = self.tmp / "gunicorn.log"
        gunicorn = str(Path(PY).with_name("gunicorn"))
        self.server = subprocess.Popen(
            [gunicorn, "pressroom.wsgi:application", "--workers", "2", "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--error-logfile", str(self.server_log), "--log-level", "warning"],
            cwd=ROOT, env=self.env, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited:\n{self.server_log.read_text()}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        else:
            raise SystemExit("bench: gunicorn did not answer within 30 s")
        log(f"gunicorn (2 sync workers, pid {self.server.pid}) on {self.base}")

    def workers_rss_mb(self) -> list[float]:
        out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(self.server.pid)], capture_output=True, text=True).stdout
        return [int(v) / 1024 for v in out.split()]

    def drain(self, limit: float = 180) -> None:
        """Wait until both workers are free: sync workers still serve the requests wrk left queued
        when it stopped, and a slow page (search) would otherwise eat the next page's run."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.base + "/accessibilite/", timeout=limit) as response:
                    response.read()
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() - started < 0.5:
                return

    def workers_cpu_seconds(self) -> float:
        """User + system CPU time of the gunicorn workers: per request, it does not depend on what else runs."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.server.pid)], capture_output=True, text=True).stdout
        ticks = 0
        for pid in out.split():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
            log("gunicorn stopped")
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- load ----------------------------------------------------------------------------------

    @staticmethod
    def ensure_wrk() -> str:
        wrk = shutil.which("wrk")
        if wrk:
            return wrk
        if os.geteuid() != 0:
            raise SystemExit("bench: wrk is missing; install it with `sudo apt-get install -y wrk`")
        log("Installing wrk (Debian package)…")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return shutil.which("wrk") or sys.exit("bench: wrk did not install")

    def wrk(self, path: str, seconds: int, latency: bool = True) -> dict:
        cmd = [self.wrk_bin, "-t1", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
        if latency:
            cmd.append("--latency")
        out = subprocess.run(cmd + [self.base + path], capture_output=True, text=True, check=True).stdout
        return parse_wrk(out)

    def run(self) -> None:
        self.configure()
        self.wrk_bin = self.ensure_wrk()
        self.prepare_database()
        self.manage("collectstatic", "--noinput", "-v0")  # the manifest storage needs it before any page renders
        log("Counting queries per page (Django test Client + CaptureQueriesContext)…")
        self.probed = self.here("--probe", "--search", self.search_query)
        self.start_server()
        rows = []
        for page in self.probed["pages"]:
            self.drain()
            self.wrk(page["path"], WARMUP_SECONDS, latency=False)
            load = os.getloadavg()[0]
            cpu_before = self.workers_cpu_seconds()
            figures = self.wrk(page["path"], self.seconds)
            cpu = self.workers_cpu_seconds() - cpu_before
            cpu_ms = cpu * 1000 / figures["requests"] if figures["requests"] else float("nan")
            rss = self.workers_rss_mb()
            rows.append({**page, **figures, "rss": rss, "cpu_ms": cpu_ms, "load": load})
            log(f"{page['name']:<20} {figures['rps']:>8.1f} req/s  p50 {figures['p50']:>7.2f} ms  "
                f"p99 {figures['p99']:>7.2f} ms  errors {figures['errors']}  queries {len(page['queries'])}  "
                f"worker CPU {cpu_ms:.2f} ms/req  load {load:.1f}")
        self.report(rows)

    # -- report --------------------------------------------------------------------------------

    def report(self, rows: list[dict]) -> None:
        today = datetime.date.today().isoformat()
        lines = [
            f"# Pressroom benchmark, {today}: {self.backend}, N={self.count}",
            "",
            f"- Backend: {self.description}",
            f"- Articles: {self.count} seeded, {self.probed['public']} public",
            f"- Seeding: {f'{self.seed_seconds:.1f} s (this run)' if self.seed_seconds else 'reused an existing seed'}",
            f"- Machine: {machine()}",
            f"- Software: {software(self.env)}",
            "- Server: gunicorn, 2 sync workers, DEBUG off, DB_CONN_MAX_AGE=60, WhiteNoise",
            f"- Load: wrk -t1 -c{WRK_CONNECTIONS} -d{self.seconds}s --latency on loopback, after a {WARMUP_SECONDS} s warm-up per page",
            "",
            "| page | req/s | p50 ms | p99 ms | errors | queries | SQL ms | worker CPU ms/req | worker RSS MB | load | URL |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for r in rows:
            sql_ms = sum(q["ms"] for q in r["queries"])
            status = "" if r["status"] == 200 else f" (HTTP {r['status']})"
            if not r["requests"]:  # slower than 10 s for the 8 queued requests: wrk saw no response at all
                status += " (no response completed during the run)"
            lines.append(
                f"| {r['name']}{status} | {r['rps']:.1f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | "
                f"{len(r['queries'])} | {sql_ms:.2f} | {r['cpu_ms']:.2f} | {' / '.join(f'{m:.0f}' for m in r['rss'])} | "
                f"{r['load']:.1f} | `{r['path']}` |"
            )
        lines += ["", "Errors: non-2xx/3xx responses plus socket errors (connect, read, write, timeout) as wrk counts them.",
                  "Queries and SQL ms: one request, counted in a separate process (median of 5) with CaptureQueriesContext.",
                  "Worker CPU ms/req: user + system CPU time of both workers during the run, per request served;",
                  "unlike req/s it barely moves when other processes share the 2 cores (see load: 1-minute load average",
                  "before the run; above ~2, req/s and latencies are depressed by other work on the machine).",
                  "Worker RSS: each gunicorn worker, read with ps right after that page's run.", ""]
        for r in rows:
            lines.append(f"- {r['name']}: {r['what']}; {r['bytes']} bytes, {r['ms']} ms in-process")
        for note in self.probed["notes"]:
            lines.append(f"- {note}")
        counts = [(r["name"], c) for r in rows for c in r["counts"]]
        lines += ["", "## COUNT queries (one per request, from the paginator or a view)", ""]
        if counts:
            lines += ["| page | ms (median of 5) | SQL |", "| --- | ---: | --- |"]
            lines += [f"| {name} | {c['ms']:.3f} | `{shorten(c['sql'], 220)}` |" for name, c in counts]
        else:
            lines.append("None.")
        lines += ["", "## Queries per page", ""]
        for r in rows:
            lines.append(f"### {r['name']} ({len(r['queries'])} queries)")
            lines += [f"- {q['ms']:.3f} ms `{shorten(q['sql'], 300)}`" for q in r["queries"]]
            lines.append("")
        if self.seed_output:
            lines += ["## Seeding output", "", "```", self.seed_output.strip(), "```", ""]
        text = "\n".join(lines)
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{today}-{self.backend}-{self.count}{'-page-cache' if self.page_cache else ''}.md"
        path.write_text(text)
        print()
        print("\n".join(lines[: lines.index("## COUNT queries (one per request, from the paginator or a view)") + 20]))
        log(f"Saved {path.relative_to(ROOT)}")


def shorten(sql: str, width: int) -> str:
    sql = re.sub(r"\s+", " ", sql).replace("`", "'")
    return sql if len(sql) <= width else sql[: width - 1] + "…"


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(out: str) -> dict:
    """req/s, p50 and p99 in ms, and errors (non-2xx/3xx + socket errors) from wrk's text output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    percentiles = {int(p): _ms(v) for p, v in re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)\s*$", out, re.M)}
    errors = sum(int(v) for v in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(v) for v in socket_errors.groups())
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": percentiles.get(50, float("nan")), "p99": percentiles.get(99, float("nan")),
            "errors": errors, "requests": requests}


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}"


def software(env: dict) -> str:
    import django

    parts = [f"Python {platform.python_version()}", f"Django {django.get_version()}"]
    if env["DATABASE_URL"].startswith("postgres"):
        try:
            import psycopg

            with psycopg.connect(env["DATABASE_URL"].replace("postgresql://", "postgres://"), autocommit=True) as conn:
                parts.append("PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0])
        except Exception as exc:  # the version is a nicety; the run goes on without it
            parts.append(f"PostgreSQL (version unknown: {exc.__class__.__name__})")
    else:
        import sqlite3

        parts.append(f"SQLite {sqlite3.sqlite_version}")
    wrk = shutil.which("wrk")
    if wrk:
        parts.append(subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split("[")[0].strip())
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=int(os.environ.get("N", "10000")))
    parser.add_argument("--seconds", type=int, default=WRK_SECONDS)
    parser.add_argument("--search", default="coopération kyoto", help="The search query to load.")
    parser.add_argument("--page-cache", action="store_true", help="Keep the page cache on (default: off, origin speed).")
    parser.add_argument("--inspect", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inspect:
        return inspect()
    if args.probe:
        return probe(args.search)

    bench = Bench(args.count, args.search, args.seconds, page_cache=args.page_cache)

    def interrupted(signum, frame):
        raise SystemExit(f"bench: interrupted by signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    try:
        bench.run()
    finally:
        bench.stop()


if __name__ == "__main__":
    main()
