"""`make bench-peers`: our pages against Wagtail's and against static nginx, in ONE run, with issue #17's goals.

    .venv/bin/python bench/peers.py                  (what `make bench-peers` runs)
    .venv/bin/python bench/peers.py --worker-class gthread --seconds 5

The peers come from the shared harness (../shared/peers, README there): its Wagtail 8 site with
1,000 generated releases behind gunicorn (2 sync workers), and nginx serving a static copy of the
Wagtail news page. Run its `setup.sh` once (PEERS_HOME, default /tmp/peers). This driver starts
them itself, with the harness's own wrk script (wrk_report.lua), and then our site on the same
load: 1 wrk thread, 8 connections, a 3 s warm-up then a 10 s measured run per target. Absolute
req/s on a shared 2-core machine are noisy; the goals are ratios within the run.

Ours: the benchmark database of `make bench` (DATABASE_URL with "bench" in its name, REDIS_URL),
reseeded by bench/seed.py when it does not hold N=1,000 releases; gunicorn with 2 workers.
1. origin (PAGE_CACHE_SECONDS=0): an article page and the home page;
2. page cache on: the same two pages, warm;
3. an edit stays local: one release's body is edited, then the home page and the measured
   article (which show neither it nor its photos) are loaded at once, with no warm-up, and compared
   with their warm figures; the same after one photo's caption is edited;
4. a new publication: a release published now must be on the home page at the next request.
Ports: NGINX_PORT (18080), WAGTAIL_PORT (18001), OURS_PORT (18002).
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.run import Bench  # noqa: E402

PEERS = Path(os.environ.get("PEERS_DIR", ROOT.parent / "shared" / "peers")).resolve()
STATE = Path(os.environ.get("PEERS_HOME", "/tmp/peers"))
WAGTAIL_DETAIL = "/communiques/occitanie-kyoto-accords-entreprises-cooperation-renforcee/"
WAGTAIL_LIST = "/communiques/"
COUNT = 1000

# Issue #17's goals, as ratios within one run.
ORIGIN_TIMES_WAGTAIL = 4.0
PAGE_CACHE_RPS = 3000
GTHREAD_THREADS = 2
AFTER_EDIT_SHARE = 0.8  # "stays warm": right after an edit, within 20 % of the warm figure


def log(message: str) -> None:
    print(f"[bench-peers] {message}", flush=True)


class Process:
    """A child started in its own session, stopped with its whole group."""

    def __init__(self, name: str, cmd: list[str], *, env: dict | None = None, cwd: Path | None = None, logfile: Path):
        self.name = name
        self.logfile = logfile
        self.popen = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=logfile.open("ab"), stderr=subprocess.STDOUT,
                                      start_new_session=True)
        log(f"started {name} (pid {self.popen.pid})")

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
            log(f"stopped {self.name}")


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"bench-peers: no answer from {url}")


def fetch(url: str) -> tuple[bytes, dict]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), dict(response.headers)


def wrk(url: str, seconds: int) -> dict:
    out = subprocess.run(["wrk", "-t1", "-c8", f"-d{seconds}s", "--timeout", "10s", "--latency",
                          "-s", str(PEERS / "wrk_report.lua"), url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


class PeersBench:
    def __init__(self, seconds: int, warmup: int, worker_class: str, threads: int):
        self.seconds, self.warmup = seconds, warmup
        self.worker_class, self.threads = worker_class, threads
        self.nginx_port = int(os.environ.get("NGINX_PORT", 18080))
        self.wagtail_port = int(os.environ.get("WAGTAIL_PORT", 18001))
        self.ours_port = int(os.environ.get("OURS_PORT", 18002))
        self.processes: list[Process] = []
        self.ours: Process | None = None
        self.rows: list[dict] = []
        self.figures: dict[str, dict] = {}
        self.checks: list[tuple[str, str, str, bool | None]] = []
        self.run_dir = STATE / "build" / "run-pressroom"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.ours_bench = Bench(COUNT, "coopération kyoto", seconds, ["origin"])

    # -- servers ------------------------------------------------------------------------------

    def start_peers(self) -> None:
        venv = STATE / ".venv"
        if not (venv / "bin" / "gunicorn").exists():
            raise SystemExit(f"bench-peers: run {PEERS}/setup.sh first (PEERS_HOME={STATE})")
        env = {**os.environ, "PEERS_DB": "postgres", "PEERS_BUILD_DIR": str(STATE / "build")}
        for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
            env.pop(name, None)
        self.processes.append(Process(
            "gunicorn/Wagtail", [str(venv / "bin" / "gunicorn"), "peersite.wsgi:application", "--chdir",
                                 str(PEERS / "wagtail_site"), "--workers", "2", "--worker-class", "sync",
                                 "--bind", f"127.0.0.1:{self.wagtail_port}", "--log-level", "warning"],
            env=env, logfile=self.run_dir / "wagtail.log"))
        wait_http(f"http://127.0.0.1:{self.wagtail_port}{WAGTAIL_LIST}")
        site = self.run_dir / "static_site"
        page = site / WAGTAIL_DETAIL.strip("/") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_bytes(fetch(f"http://127.0.0.1:{self.wagtail_port}{WAGTAIL_DETAIL}")[0])
        for folder in (STATE, STATE / "build", self.run_dir, site):
            folder.chmod(0o755)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(f"""worker_processes auto;
daemon off;
pid {self.run_dir}/nginx.pid;
error_log {self.run_dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    client_body_temp_path {self.run_dir}/nginx-tmp;
    proxy_temp_path {self.run_dir}/nginx-tmp;
    fastcgi_temp_path {self.run_dir}/nginx-tmp;
    uwsgi_temp_path {self.run_dir}/nginx-tmp;
    scgi_temp_path {self.run_dir}/nginx-tmp;
    server {{ listen 127.0.0.1:{self.nginx_port}; root {site}; index index.html; }}
}}
""")
        self.processes.append(Process("nginx (static)", ["nginx", "-p", str(self.run_dir), "-c", str(conf)],
                                      logfile=self.run_dir / "nginx.log"))
        wait_http(f"http://127.0.0.1:{self.nginx_port}{WAGTAIL_DETAIL}")

    def start_ours(self, page_cache: bool, worker_class: str | None = None, threads: int | None = None) -> None:
        if self.ours:
            self.ours.stop()
        worker_class, threads = worker_class or self.worker_class, threads or self.threads
        env = self.ours_bench.server_env(page_cache)
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        cmd = [gunicorn, "pressroom.wsgi:application", "--workers", "2", "--worker-class", worker_class,
               "--bind", f"127.0.0.1:{self.ours_port}", "--log-level", "warning"]
        if worker_class == "gthread":
            cmd += ["--threads", str(threads), "--keep-alive", "5"]
        self.ours = Process(f"gunicorn/Pressroom (page cache {'on' if page_cache else 'off'}, {worker_class})",
                            cmd, env=env, cwd=ROOT, logfile=self.run_dir / "ours.log")
        wait_http(f"http://127.0.0.1:{self.ours_port}/")

    def stop(self) -> None:
        if self.ours:
            self.ours.stop()
        for process in reversed(self.processes):
            process.stop()

    # -- our content --------------------------------------------------------------------------

    def django(self, *args: str) -> dict:
        result = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, env=self.ours_bench.env, text=True,
                                capture_output=True)
        if result.returncode:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"bench-peers: {' '.join(args)} failed")
        return json.loads(result.stdout.strip().splitlines()[-1])

    # -- load ---------------------------------------------------------------------------------

    def workers_cpu_seconds(self, process: Process | None) -> float:
        """User + system CPU of a gunicorn's workers (bench/load.py); 0 for a process that is not one."""
        return 0.0 if process is None else load.workers_cpu_seconds(process.popen.pid)

    def load(self, key: str, label: str, url: str, *, warm: bool = True) -> dict:
        if warm:
            wrk(url, self.warmup)
        process = self.ours if f":{self.ours_port}/" in url else self.processes[0] if "wagtail" in key else None
        cpu_before = self.workers_cpu_seconds(process)
        figures = wrk(url, self.seconds)
        cpu = self.workers_cpu_seconds(process) - cpu_before
        figures["cpu_ms"] = cpu * 1000 / figures["requests"] if process is not None and figures["requests"] else 0.0
        if figures["status_err"] or figures["socket_err"]:
            log(f"{label}: {figures['status_err']:.0f} HTTP errors, {figures['socket_err']:.0f} socket errors")
        self.figures[key] = figures
        self.rows.append({"key": key, "label": label, "path": url.split(":", 2)[2].split("/", 1)[1], **figures})
        log(f"{label:<48} {figures['rps']:>9.1f} req/s  p50 {figures['p50_ms']:>7.2f} ms  p99 {figures['p99_ms']:>7.2f} ms"
            f"  worker CPU {figures['cpu_ms']:.2f} ms/req")
        return figures

    def run(self) -> None:
        self.ours_bench.configure()
        self.ours_bench.prepare_database()
        self.ours_bench.manage("collectstatic", "--noinput", "-v0")
        self.pages = self.django("--pick")
        ours = f"http://127.0.0.1:{self.ours_port}"
        self.start_peers()
        self.load("static", "static (nginx)", f"http://127.0.0.1:{self.nginx_port}{WAGTAIL_DETAIL}")
        self.load("wagtail-detail", "Wagtail news page", f"http://127.0.0.1:{self.wagtail_port}{WAGTAIL_DETAIL}")
        self.load("wagtail-list", "Wagtail news index", f"http://127.0.0.1:{self.wagtail_port}{WAGTAIL_LIST}")
        self.start_ours(page_cache=False)
        self.load("origin-article", "Pressroom article, origin", ours + self.pages["article"])
        self.load("origin-home", "Pressroom home, origin", ours + "/")
        self.start_ours(page_cache=True)
        self.load("cache-article", "Pressroom article, page cache", ours + self.pages["article"])
        self.load("cache-home", "Pressroom home, page cache", ours + "/")
        for kind in ("release", "caption"):
            edited = self.django("--edit", kind, "--avoid", self.pages["article"])
            log(f"edited {edited['what']}")
            states = {page: fetch(ours + path)[1].get("X-Page-Cache") for page, path in
                      (("home", "/"), ("article", self.pages["article"]))}
            self.checks.append((f"First request after a {kind} edit is still a page-cache hit", "hit, hit",
                                f"home {states['home']}, article {states['article']}",
                                set(states.values()) == {"hit"}))
            self.load(f"edit-{kind}-home", f"home, right after an edit ({kind})", ours + "/", warm=False)
            self.load(f"edit-{kind}-article", f"unrelated article, right after ({kind})", ours + self.pages["article"],
                      warm=False)
        published = self.django("--edit", "publish", "--avoid", self.pages["article"])
        body, headers = fetch(ours + "/")
        shown = html.escape(published["title"]).encode() in body
        self.checks.append(("A new publication is on the home page at the next request",
                            "yes", f"{'yes' if shown else 'NO'} (X-Page-Cache: {headers.get('X-Page-Cache')})", shown))
        self.django("--edit", "unpublish", "--avoid", published["slug"])  # the next run starts from N=1,000
        if self.worker_class == "sync":
            # The hit path with keep-alive (issue #17, "consider gthread workers"): sync workers close every
            # connection, so each hit also pays a TCP handshake; 2 threads measured best on 2 cores.
            self.start_ours(page_cache=True, worker_class="gthread", threads=GTHREAD_THREADS)
            self.load("cache-article-gthread", f"article, page cache, gthread × {GTHREAD_THREADS} + keep-alive",
                      ours + self.pages["article"])
            self.load("cache-home-gthread", f"home, page cache, gthread × {GTHREAD_THREADS} + keep-alive", ours + "/")
        self.report()

    # -- report -------------------------------------------------------------------------------

    def ratio(self, a: str, b: str) -> float:
        return self.figures[a]["rps"] / self.figures[b]["rps"] if self.figures[b]["rps"] else float("nan")

    def goals(self) -> list[tuple[str, str, str, bool | None]]:
        f = self.figures
        goals = [
            ("Origin article ≥ 4× Wagtail news page", f"≥ {ORIGIN_TIMES_WAGTAIL:.1f}×",
             f"{self.ratio('origin-article', 'wagtail-detail'):.2f}×",
             self.ratio("origin-article", "wagtail-detail") >= ORIGIN_TIMES_WAGTAIL),
            ("Origin home ≥ 4× Wagtail news index", f"≥ {ORIGIN_TIMES_WAGTAIL:.1f}×",
             f"{self.ratio('origin-home', 'wagtail-list'):.2f}×",
             self.ratio("origin-home", "wagtail-list") >= ORIGIN_TIMES_WAGTAIL),
            ("Page-cache hit (article) ≥ 3,000 req/s", f"≥ {PAGE_CACHE_RPS:,}",
             f"{f['cache-article']['rps']:,.0f} req/s ({self.ratio('cache-article', 'static'):.1%} of static nginx)",
             f["cache-article"]["rps"] >= PAGE_CACHE_RPS),
        ]
        if "cache-article-gthread" in f:
            goals.append((f"Page-cache hit (article), gthread × {GTHREAD_THREADS} + keep-alive, ≥ 3,000 req/s",
                          f"≥ {PAGE_CACHE_RPS:,}", f"{f['cache-article-gthread']['rps']:,.0f} req/s "
                          f"({self.ratio('cache-article-gthread', 'cache-article'):.2f}× sync)",
                          f["cache-article-gthread"]["rps"] >= PAGE_CACHE_RPS))
        # "Stays warm" is judged on the workers' CPU per request, which a page rebuilt from the database
        # multiplies by about 4, and which the machine's other load moves far less than req/s; the
        # rate and p99 against the warm run are shown beside it.
        for kind in ("release", "caption"):
            for page in ("home", "article"):
                warm, after = f[f"cache-{page}"], f[f"edit-{kind}-{page}"]
                share = after["rps"] / warm["rps"] if warm["rps"] else 0
                cpu = after["cpu_ms"] / warm["cpu_ms"] if warm["cpu_ms"] else float("inf")
                goals.append((f"After a {kind} edit, {page} stays warm", f"CPU/req ≤ {1 / AFTER_EDIT_SHARE:.2f}× warm",
                              f"{cpu:.2f}× warm CPU/req; {share:.0%} of warm req/s, p99 {after['p99_ms']:.1f} ms "
                              f"vs {warm['p99_ms']:.1f} ms", cpu <= 1 / AFTER_EDIT_SHARE))
        return goals + self.checks

    def report(self) -> None:
        now = datetime.datetime.now(datetime.UTC)
        lines = [
            f"# Side by side, {now:%Y-%m-%d %H:%M} UTC",
            "",
            f"- machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}; wrk, servers and "
            "databases share them",
            f"- load: wrk, 1 thread, 8 connections, {self.warmup} s warm-up + {self.seconds} s measured per target "
            "(the after-edit rows: no warm-up)",
            f"- Wagtail 8 (shared harness, PostgreSQL, 1,001 pages): gunicorn 2 sync workers; ours: "
            f"{self.ours_bench.description}, {COUNT:,} releases, gunicorn 2 {self.worker_class} workers"
            + (f" × {self.threads} threads" if self.worker_class == "gthread" else ""),
            "",
            "| target | path | req/s | × Wagtail | share of static | p50 ms | p99 ms | worker CPU ms/req | errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in self.rows:
            peer = "wagtail-list" if "home" in row["key"].split("-") or row["key"] == "wagtail-list" else "wagtail-detail"
            times = f"{self.ratio(row['key'], peer):.2f}×" if row["key"] != "static" else "–"
            cpu = f"{row['cpu_ms']:.2f}" if row["cpu_ms"] else "–"
            lines.append(f"| {row['label']} | `/{row['path']}` | {row['rps']:,.0f} | {times} | "
                         f"{self.ratio(row['key'], 'static'):.1%} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {cpu} | "
                         f"{row['status_err'] + row['socket_err']:.0f} |")
        lines += ["", "| goal (issue #17) | wanted | this run | |", "|---|---|---|---|"]
        for what, wanted, measured, met in self.goals():
            lines.append(f"| {what} | {wanted} | {measured} | {'met' if met else '**not met**'} |")
        text = "\n".join(lines) + "\n"
        print("\n" + text)
        results = ROOT / "bench" / "results"
        results.mkdir(parents=True, exist_ok=True)
        path = results / f"peers-{now:%Y%m%d-%H%M%S}-{self.worker_class}.md"
        path.write_text(text)
        log(f"written: {path.relative_to(ROOT)}")


# -- inside Django (a subprocess with our benchmark's environment) -----------------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()


def pick() -> dict:
    """The article measured: a public release of page 3 of the list, shown neither on the home page nor below."""
    _django()
    from articles.models import Article

    article = Article.objects.public().newest_first()[45]
    return {"article": article.get_absolute_url()}


def edit(kind: str, avoid: str) -> dict:
    """One edit made like any writer's (a model save, so the same receivers), far from the measured pages."""
    _django()
    from django.utils import timezone

    from articles.models import Article, Photo

    public = Article.objects.public().newest_first()
    measured = Article.objects.filter(slug=avoid.strip("/").split("/")[-1]).first()
    shown = set(public.values_list("pk", flat=True)[:60])  # the home page and the measured article's neighbours
    if measured is not None:
        shown |= {a.pk for a in public.related_to(measured, 50)} | {measured.pk}
    far = public.exclude(pk__in=shown)
    if kind == "release":
        article = far[200]
        article.body += "<p>Mise à jour : précision apportée par le service de presse.</p>"
        article.save()
        return {"what": f"the body of release {article.pk} ({article.slug})"}
    if kind == "caption":
        photo = Photo.objects.exclude(placements__article__in=shown).filter(placements__article__in=far).first()
        photo.caption = f"{photo.caption} (légende précisée)"
        photo.save()
        return {"what": f"the caption of photo {photo.pk}"}
    if kind == "publish":
        article = Article.objects.create(
            title=f"Communiqué publié pendant le banc d’essai {timezone.now():%H:%M:%S}",
            standfirst="Publié à l'instant.", body="<p>Publié à l'instant.</p>",
            status=Article.Status.PUBLISHED, publish_at=timezone.now())
        return {"title": article.title, "slug": article.slug}
    if kind == "unpublish":
        Article.objects.get(slug=avoid).delete()
        return {"what": avoid}
    raise SystemExit(f"unknown edit {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default=os.environ.get("WORKER_CLASS", "sync"))
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pick", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--edit", help=argparse.SUPPRESS)
    parser.add_argument("--avoid", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pick:
        return print(json.dumps(pick()))
    if args.edit:
        return print(json.dumps(edit(args.edit, args.avoid)))
    bench = PeersBench(args.seconds, args.warmup, args.worker_class, args.threads)

    def interrupted(signum, frame):
        raise SystemExit(f"bench-peers: interrupted by signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    try:
        bench.run()
    finally:
        bench.stop()
        bench.ours_bench.stop()


if __name__ == "__main__":
    main()
