"""`make bench-scale`: issue #17's scale goals, 1,000 and 100,000 releases measured in ONE run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pressroom_bench REDIS_URL=redis://127.0.0.1:6379/15 \
        .venv/bin/python bench/scale.py                 (what `make bench-scale` runs)
    .venv/bin/python bench/scale.py --rounds 1 --seconds 5

Goals (README, Performance; issue #17):
- home at 100,000 releases >= 80 % of its rate at 1,000;
- search p95 <= 100 ms at 100,000 releases under 8 connections.

Two databases, named after DATABASE_URL's (which must contain "bench"): <name>1k and <name>100k
(pressroom_bench -> pressroom_bench1k, pressroom_bench100k). Each is seeded by bench/seed.py when
it does not hold exactly its N releases (drop and recreate, as `make bench` does; 100,000 take
about 5 minutes, once). Both are served in turn by the same production gunicorn as `make bench`
(bench/run.py: 2 sync workers, DEBUG off), with the page cache OFF: what is measured is the
work of building the page, never a cached copy. The sizes alternate (1k, 100k, 1k, 100k… for
`--rounds`), so that a machine whose load changes during the run weighs on both; the best
round of each is kept (the one least disturbed by other work).

Load: wrk, 1 thread, 8 connections, a 3 s warm-up then `--seconds` measured, with
bench/wrk_percentiles.lua, which reports p95 (wrk's --latency has no 95th percentile) and,
for the search, cycles through several queries (common and rare words, two-word queries), so
that one lucky query cannot make the figure.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.run import Bench, log  # noqa: E402

SIZES = {1000: "1k", 100_000: "100k"}
HOME_SHARE = 0.80  # home at 100,000 >= 80 % of its rate at 1,000
SEARCH_P95_MS = 100.0
SEARCHES = ["coopération kyoto", "thermalisme", "hydrogène vert", "lycée toulouse", "emplois", "festival de musique",
            "Carole Delga", "agriculteurs sécheresse"]
LUA = ROOT / "bench" / "wrk_percentiles.lua"


def database_url_for(base: str, count: int) -> str:
    url = urllib.parse.urlparse(base)
    name = url.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"bench-scale: refusing database {name!r}: its name must contain 'bench' (it is dropped and reseeded)")
    return url._replace(path=f"/{name}{SIZES[count]}").geturl()


def wrk(url: str, seconds: int, paths: list[str] | None = None) -> dict:
    env = {**os.environ, "WRK_PATHS": "\n".join(paths or [])}
    cmd = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA), url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def measure(bench: Bench, seconds: int) -> dict:
    search_paths = ["/recherche/?" + urllib.parse.urlencode({"q": q}) for q in SEARCHES]
    figures = {}
    for page, paths in (("home", None), ("search", search_paths)):
        url = bench.base + "/"
        wrk(url, 3, paths)  # warm-up, discarded
        bench.drain()
        figures[page] = wrk(url, seconds, paths)
        bench.drain()
        f = figures[page]
        log(f"  N={bench.count:>7,} {page:<6} {f['rps']:8.1f} req/s  p50 {f['p50_ms']:7.1f} ms  "
            f"p95 {f['p95_ms']:7.1f} ms  p99 {f['p99_ms']:7.1f} ms  errors {int(f['status_err'] + f['socket_err'])}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2, help="Alternations of 1,000 and 100,000 (best kept).")
    parser.add_argument("--page-cache", action="store_true",
                        help="Page cache ON (the goals are for the origin: this shows what repeated visits get).")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("bench-scale: set DATABASE_URL to a PostgreSQL database whose name contains 'bench' (and REDIS_URL)")
    load.ensure_command("wrk", ["wrk"], log)

    benches = {}
    for count in SIZES:
        os.environ["DATABASE_URL"] = database_url_for(base, count)
        bench = Bench(count, SEARCHES[0], args.seconds, ["origin"])
        bench.configure()
        bench.prepare_database()
        bench.manage("collectstatic", "--noinput", "-v0")
        benches[count] = bench

    def interrupted(signum, frame):
        raise SystemExit(f"bench-scale: interrupted by signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    rounds: dict[int, list[dict]] = {count: [] for count in SIZES}
    try:
        for n in range(args.rounds):
            for count, bench in benches.items():
                log(f"Round {n + 1}/{args.rounds}, N={count:,}, page cache {'ON' if args.page_cache else 'off'}")
                bench.start_server(page_cache=args.page_cache)
                try:
                    rounds[count].append(measure(bench, args.seconds))
                finally:
                    bench.stop_server()
    finally:
        for bench in benches.values():
            bench.stop()

    def best(count, page, key, reverse):
        values = [r[page][key] for r in rounds[count]]
        return max(values) if reverse else min(values)

    home_small, home_large = best(1000, "home", "rps", True), best(100_000, "home", "rps", True)
    share = home_large / home_small
    p95 = best(100_000, "search", "p95_ms", False)
    search_small = best(1000, "search", "p95_ms", False)
    print()
    mode = "page cache ON (not the goals' origin)" if args.page_cache else "origin: page cache off"
    print(f"Issue #17, scale ({mode}; wrk -t1 -c8; best of "
          f"{args.rounds} alternated rounds; {os.cpu_count()} cores, shared with whatever else runs)")
    print("| figure | 1,000 releases | 100,000 releases | goal | met |")
    print("|---|---:|---:|---|---|")
    print(f"| home, req/s | {home_small:.1f} | {home_large:.1f} ({share:.0%}) | ≥ {HOME_SHARE:.0%} of 1,000 "
          f"| {'yes' if share >= HOME_SHARE else 'NO'} |")
    print(f"| search ({len(SEARCHES)} queries in turn), p95 ms | {search_small:.1f} | {p95:.1f} | ≤ {SEARCH_P95_MS:.0f} ms "
          f"| {'yes' if p95 <= SEARCH_P95_MS else 'NO'} |")
    print(f"| search, req/s | {best(1000, 'search', 'rps', True):.1f} | {best(100_000, 'search', 'rps', True):.1f} | | |")


if __name__ == "__main__":
    main()
