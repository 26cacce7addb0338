"""`make bench`: seed N releases, serve the site as in production, load it with wrk, print a table.

    .venv/bin/python bench/run.py --count 10000        (what `make bench N=10000` runs)
    .venv/bin/python bench/run.py --count 10000 --modes origin,nginx
    .venv/bin/python bench/compare.py bench/results/A.md bench/results/B.md   (home page, two runs)

Backends, said at the start and in the results:
- DATABASE_URL set (PostgreSQL): that database, whose name must contain "bench" because it is
  dropped and recreated when it does not hold exactly N articles; REDIS_URL set: Redis cache.
- otherwise: a SQLite file bench/var/sqlite-N.sqlite3 and the local-memory cache.

Production mode: DEBUG off, a fresh SECRET_KEY, SECURE_SSL_REDIRECT=0 (no TLS on loopback),
static files collected into a temporary STATIC_ROOT and served by WhiteNoise, gunicorn with
2 sync workers on a free port of 127.0.0.1, DB_CONN_MAX_AGE=60 (health checks are on in settings).

Modes, measured one after the other in the same run and shown side by side (`--modes`, default all):
- origin: gunicorn with the page cache off (PAGE_CACHE_SECONDS=0): issue #6's origin speed.
- page-cache: gunicorn restarted with the page cache on (PAGE_CACHE_SECONDS=600): Redis when
  REDIS_URL is set, else a file cache of the run's own, shared by the workers.
- nginx: deploy/nginx.conf's front cache, its ADAPT lines rewritten to a temporary folder and
  loopback ports (bench/front_cache.py), in front of the page-cache gunicorn as deployed.
- static: the same nginx serving each page's HTML, saved from the origin, as a static file:
  the reference of issue #6 ("≥ 50 % of nginx serving the same HTML as a static file").
  The modes of one gunicorn run page by page in turn (page cache, front cache, static file for
  the home page, then for the next page…), so the front cache and its reference are measured
  back to back. Beyond ~50,000 req/s wrk's single thread, sharing the 2 cores with nginx, bounds
  both figures.
nginx (Debian's nginx-light) and wrk are installed with apt-get when missing. nginx runs as a
child process (`-p <tmp> -c <generated conf> -g 'daemon off;'`).

Per page and mode: a 3 s warm-up, then `wrk -t1 -c8 -d10s --latency`. Queries per request come
from a separate process (`--probe`, bench/probe.py) that requests each page with Django's test
Client and CaptureQueriesContext on the same database and settings, page cache off. wrk is not
given that instrumentation, so the load figures are those of the uninstrumented site. Worker RSS
is read with ps after each page.

Results: printed, and saved to bench/results/<date>-<backend>-<N>.md (git-ignored; a suffix
names the modes when not all ran): the origin table, the modes side by side, and issue #6's
targets (item 5) with what this run reached. The home page target compares two runs (N=1,000
and N=100,000): the origin home page req/s is printed on its own line, `--compare FILE` sets the
run to compare with, and by default the newest saved N=1000 result of the same backend is used.
Everything started here (gunicorn, nginx, the temporary folder) is stopped/removed on exit.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import front_cache, load, probe, report, targets  # noqa: E402

VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
WRK_SECONDS, WARMUP_SECONDS = 10, 3
PAGE_CACHE_SECONDS = "600"


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bench:
    def __init__(self, count: int, search_query: str, seconds: int, modes: list[str], compare: Path | None = None):
        self.count, self.search_query, self.seconds = count, search_query, seconds
        self.modes, self.compare = modes, compare
        self.server: subprocess.Popen | None = None
        self.nginx: front_cache.Nginx | None = None
        self.static_pages: Path | None = None  # the origin's HTML, for nginx's static reference
        self.tmp = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
        self.seed_seconds: float | None = None
        self.seed_output = ""
        self.rows: dict[str, list[dict]] = {}
        self.rss_by_server: dict[str, list[float]] = {}

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
        self.cache = "redis" if redis_url else "file"
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
            # Without REDIS_URL: a file cache of the run's own, never `make run`'s (var/cache/).
            "CACHE_DIR": str(self.tmp / "cache"),
            "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            # Origin speed (issue #6, item 2) and query counts: the page cache is off, except for the
            # gunicorn of the page-cache and nginx modes (server_env).
            "PAGE_CACHE_SECONDS": "0",
            # wrk is one address: the API's rate limit is counted (its cost is in the figures) but never reached.
            "API_ANONYMOUS_RATE": "1000000000/s",
        }
        db_text = (f"PostgreSQL database {self.db_name} ({urlparse(database_url).hostname})"
                   if self.backend == "postgresql" else f"SQLite file {self.db_file.relative_to(ROOT)}")
        cache_text = ("Redis cache (REDIS_URL)" if redis_url
                      else "local-memory cache (per worker: each gunicorn worker fills its own page cache)")
        self.description = f"{db_text}, {cache_text}"
        log(f"Backend: {self.description}; N={self.count}; modes: {', '.join(self.modes)}")
        if self.backend == "sqlite":
            log("(set DATABASE_URL=postgres://…/pressroom_bench and REDIS_URL=redis://… for PostgreSQL and Redis)")

    def server_env(self, page_cache: bool) -> dict:
        return {**self.env, "PAGE_CACHE_SECONDS": os.environ.get("PAGE_CACHE_SECONDS", PAGE_CACHE_SECONDS)
                if page_cache else "0"}

    def manage(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, text=True,
                                capture_output=capture, check=False)
        if result.returncode:
            if capture:
                sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"bench: manage.py {' '.join(args)} failed")
        return result.stdout if capture else ""

    def seed(self, *, capture: bool = False) -> str:
        # The seeder is part of the benchmark (bench/seed.py), not a command of the product.
        result = subprocess.run([PY, "bench/seed.py", "--count", str(self.count)], cwd=ROOT, env=self.env, text=True,
                                capture_output=capture, check=False)
        if result.returncode:
            if capture:
                sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit("bench: bench/seed.py failed")
        return result.stdout if capture else ""

    def here(self, *args: str) -> dict:
        result = subprocess.run([PY, __file__, *args], cwd=ROOT, env=self.env, text=True, capture_output=True)
        if result.returncode:
            sys.stderr.write(result.stderr)
            raise SystemExit(f"bench: {' '.join(args)} failed")
        return json.loads(result.stdout.strip().splitlines()[-1])

    # -- database ------------------------------------------------------------------------------

    def _pg_connect(self):
        import psycopg

        url = urlparse(self.database_url)
        return psycopg.connect(host=url.hostname or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
                               password=url.password, dbname="postgres", autocommit=True)

    def _pg_admin(self, *statements: str) -> None:
        with self._pg_connect() as conn:
            for statement in statements:
                conn.execute(statement)

    def _pg_exists(self) -> bool:
        with self._pg_connect() as conn:
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
        self.seed_output = self.seed(capture=True)
        self.seed_seconds = time.perf_counter() - started
        print(self.seed_output, end="")
        log(f"Seeded in {self.seed_seconds:.1f} s")

    # -- gunicorn ------------------------------------------------------------------------------

    def start_server(self, page_cache: bool) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server_log = self.tmp / "gunicorn.log"
        gunicorn = str(Path(PY).with_name("gunicorn"))
        self.server = subprocess.Popen(
            [gunicorn, "pressroom.wsgi:application", "--workers", "2", "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--error-logfile", str(self.server_log), "--log-level", "warning"],
            cwd=ROOT, env=self.server_env(page_cache), start_new_session=True,
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
        log(f"gunicorn (2 sync workers, pid {self.server.pid}, page cache {'ON' if page_cache else 'off'}) "
            f"on {self.base}")

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
        return load.workers_cpu_seconds(self.server.pid)

    def stop_server(self, label: str | None = None) -> None:
        if self.server and self.server.poll() is None:
            if label:
                self.rss_by_server[label] = self.workers_rss_mb()
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
            log("gunicorn stopped")
        self.server = None

    def stop(self) -> None:
        if self.nginx and self.nginx.stop():
            log("nginx stopped")
        self.stop_server()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- nginx ---------------------------------------------------------------------------------

    def save_pages(self) -> None:
        """Each page's HTML as the origin serves it, for nginx's static reference."""
        self.static_pages = self.tmp / "nginx" / "pages"
        self.static_pages.mkdir(parents=True, exist_ok=True)
        for page in self.probed["pages"]:
            try:
                with urllib.request.urlopen(self.base + page["path"], timeout=120) as response:
                    body = response.read()
            except urllib.error.HTTPError as error:  # the same bytes as the origin, whatever its status
                body = error.read()
            (self.static_pages / front_cache.page_file_name(page["name"])).write_bytes(body)

    def start_nginx(self) -> None:
        prefix = self.tmp / "nginx"
        # nginx's workers run as nobody when started by root: they must read the pages and STATIC_ROOT.
        for folder in (self.tmp, prefix):
            folder.chmod(0o755)
        self.front_port, self.static_port = free_port(), free_port()
        adapted = front_cache.adapt_front_cache(
            (ROOT / "deploy" / "nginx.conf").read_text(), cache=str(prefix / "cache"), upstream=f"127.0.0.1:{self.port}",
            port=self.front_port, static_root=self.env["STATIC_ROOT"], media_root=str(self.media))
        config = front_cache.nginx_config(adapted, prefix=str(prefix), static_port=self.static_port,
                                          static_pages=str(self.static_pages))
        self.nginx = front_cache.Nginx(self.nginx_bin, prefix, config, self.front_port, self.static_port)
        self.nginx.start()
        log(f"nginx {self.nginx.version()} (pid {self.nginx.process.pid}): front cache on 127.0.0.1:{self.front_port} "
            f"-> gunicorn {self.port}, static pages on 127.0.0.1:{self.static_port} ({self.nginx.conf})")

    # -- load ----------------------------------------------------------------------------------

    def url_for(self, mode: str, page: dict) -> str:
        if mode == "nginx":
            return f"http://127.0.0.1:{self.front_port}{page['path']}"
        if mode == "static":
            return f"http://127.0.0.1:{self.static_port}/{front_cache.page_file_name(page['name'])}"
        return self.base + page["path"]

    @staticmethod
    def cache_header(url: str, name: str) -> str:
        """What a cache layer (`name`: its header) says about one request now (after the warm-up)."""
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                headers = response.headers
        except urllib.error.HTTPError as error:
            headers = error.headers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return "—"
        return f"{name} {headers[name]}" if headers.get(name) else f"no {name}"

    def load_page(self, mode: str, page: dict) -> None:
        """Warm up, then load one page in one mode; appends a row to self.rows[mode]."""
        url = self.url_for(mode, page)
        self.drain()
        load.wrk(self.wrk_bin, url, WARMUP_SECONDS, latency=False)
        header = {"page-cache": "X-Page-Cache", "nginx": "X-Front-Cache"}.get(mode)
        cache = self.cache_header(url, header) if header else ""
        self.drain()  # the header request may have queued behind the warm-up's leftovers
        loadavg = os.getloadavg()[0]
        cpu_before = self.workers_cpu_seconds()
        figures = load.wrk(self.wrk_bin, url, self.seconds)
        cpu_ms = None
        if mode != "static":
            cpu = self.workers_cpu_seconds() - cpu_before
            cpu_ms = cpu * 1000 / figures["requests"] if figures["requests"] else float("nan")
        rss = self.workers_rss_mb() if mode != "static" else []
        self.rows.setdefault(mode, []).append({**page, **figures, "url": url.split("127.0.0.1", 1)[1], "cache": cache,
                                               "rss": rss, "cpu_ms": cpu_ms, "load": loadavg})
        log(f"{page['name']:<20} {mode:<10} {figures['rps']:>9.1f} req/s  p50 {figures['p50']:>7.2f} ms  "
            f"p99 {figures['p99']:>7.2f} ms  errors {figures['errors']}  queries {len(page['queries'])}  "
            + (f"worker CPU {cpu_ms:.2f} ms/req  " if cpu_ms is not None else "")
            + (f"{cache}  " if cache else "") + f"load {loadavg:.1f}")

    def run(self) -> None:
        self.configure()
        self.wrk_bin = load.ensure_command("wrk", ["wrk"], log)
        wants_nginx = bool({"nginx", "static"} & set(self.modes))
        self.nginx_bin = load.ensure_command("nginx", ["nginx-light", "nginx"], log) if wants_nginx else ""
        self.prepare_database()
        self.manage("collectstatic", "--noinput", "-v0")  # the manifest storage needs it before any page renders
        log("Counting queries per page (Django test Client + CaptureQueriesContext)…")
        self.probed = self.here("--probe", "--search", self.search_query)
        # Two gunicorns at most, one after the other: page cache off, then on (with nginx in front of it).
        servers = []
        if "origin" in self.modes:
            servers.append(("origin", False, ["origin"]))
        cached = [m for m in ("page-cache", "nginx") if m in self.modes]
        if cached:
            servers.append(("page-cache", True, cached))
        if not servers:  # static alone: a gunicorn only to save the pages
            servers.append(("origin", False, []))
        servers[-1][2].extend(["static"] if "static" in self.modes else [])
        for label, page_cache, modes in servers:
            self.start_server(page_cache)
            if wants_nginx and self.static_pages is None:
                self.save_pages()
            if {"nginx", "static"} & set(modes):
                self.start_nginx()
            log(f"Loading each page: {', '.join(targets.MODE_TITLES[m] for m in modes)}")
            # Page by page, the modes of one server in turn: the front cache and the static file it is
            # compared with are measured back to back, so a change in the machine's load hits both alike.
            for page in self.probed["pages"]:
                for mode in modes:
                    self.load_page(mode, page)
            if self.nginx and self.nginx.stop():
                log("nginx stopped")
            self.stop_server(label)
        self.report()

    # -- report --------------------------------------------------------------------------------

    def home_baseline(self) -> dict | None:
        """The run the home page is compared with: --compare, else the newest N=1000 result of this backend."""
        if self.compare:
            candidates = [self.compare]
        elif self.count != 1000:
            candidates = sorted(RESULTS.glob(f"*-{self.backend}-1000.md"), reverse=True)
        else:
            return None
        for path in candidates:
            figure = targets.home_figure(path.read_text()) if path.is_file() else None
            if figure:
                return {**figure, "file": path.name}
        return None

    def report(self) -> None:
        today = datetime.date.today().isoformat()
        all_modes = list(self.modes) == list(targets.MODES)
        nginx_version = self.nginx.version() if self.nginx else ""
        header = [
            f"# Pressroom benchmark, {today}: {self.backend}, N={self.count}",
            "",
            f"- Backend: {self.description}",
            f"- Modes: {', '.join(targets.MODE_TITLES[m] for m in self.modes)}"
            + (f" (page cache: PAGE_CACHE_SECONDS={self.server_env(True)['PAGE_CACHE_SECONDS']})"
               if {"page-cache", "nginx"} & set(self.modes) else ""),
            f"- Articles: {self.count} seeded, {self.probed['public']} public",
            f"- Seeding: {f'{self.seed_seconds:.1f} s (this run)' if self.seed_seconds else 'reused an existing seed'}",
            f"- Machine: {report.machine()}",
            f"- Software: {report.software(self.env, nginx_version)}",
            "- Server: gunicorn, 2 sync workers, DEBUG off, DB_CONN_MAX_AGE=60, WhiteNoise",
        ]
        if nginx_version:
            header.append("- nginx: deploy/nginx.conf with its ADAPT lines rewritten (temporary cache folder, loopback "
                          "ports), worker_processes auto, no access log; static files from a second server block")
        header.append(f"- Load: {report.load_line(self.seconds, WARMUP_SECONDS)}")
        home = next((r for r in self.rows.get("origin", []) if r["name"] == "home"), None)
        if home:
            header.append(f"- Home page, origin (page cache off): **{home['rps']:.1f} req/s** at N={self.count}")
        baseline = self.home_baseline()
        checked = targets.evaluate(self.rows, self.rss_by_server, backend=self.backend, count=self.count,
                                   home_baseline=baseline)
        text = report.render(header=header, rows_by_mode=self.rows, targets=checked, probed=self.probed,
                             seed_output=self.seed_output)
        RESULTS.mkdir(parents=True, exist_ok=True)
        suffix = "" if all_modes else "-" + "-".join(self.modes)
        path = RESULTS / f"{today}-{self.backend}-{self.count}{suffix}.md"
        path.write_text(text)
        print()
        print(text[: text.index(report.QUERIES_HEADING)].rstrip())
        print()
        if home:
            log(f"Home page, origin, N={self.count}: {home['rps']:.1f} req/s "
                f"(compare two runs: {Path(PY).name} bench/compare.py FILE_A FILE_B)")
        log(f"Saved {path.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=int(os.environ.get("N", "10000")))
    parser.add_argument("--seconds", type=int, default=WRK_SECONDS)
    parser.add_argument("--search", default="coopération kyoto", help="The search query to load.")
    parser.add_argument("--modes", default=",".join(targets.MODES),
                        help=f"Comma-separated, run in this order: {','.join(targets.MODES)} (default: all).")
    parser.add_argument("--page-cache", action="store_true", help="Same as --modes page-cache (older option).")
    parser.add_argument("--compare", type=Path, help="A saved result (N=1000) to compare the home page with.")
    parser.add_argument("--inspect", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inspect:
        return probe.inspect()
    if args.probe:
        return probe.probe(args.search)
    try:
        modes = targets.parse_modes("page-cache" if args.page_cache else args.modes)
    except ValueError as error:
        parser.error(str(error))

    bench = Bench(args.count, args.search, args.seconds, modes, compare=args.compare)

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
