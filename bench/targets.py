"""Issue #6's targets (item 5) against one run's figures, and the home page figure of saved results.

Pure functions: they take the rows the driver measured and return what to print, so they
are unit-tested without a server (tests/test_bench_tools.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MODES = ("origin", "page-cache", "nginx", "static")
MODE_TITLES = {
    "origin": "origin (page cache off)",
    "page-cache": "page cache",
    "nginx": "nginx front cache",
    "static": "nginx static file",
}

ARTICLE_ORIGIN_RPS = 900  # 4x a stock Wagtail 8 news page (about 230 req/s) on the same machine
ARTICLE_PAGE_CACHE_RPS = 3000
FRONT_CACHE_SHARE_OF_STATIC = 0.5
WORKER_RSS_MB = 120
SEARCH_P95_MS = 100
HOME_WITHIN = 0.20  # home page at N=100,000 within 20 % of its speed at N=1,000


def parse_modes(text: str) -> list[str]:
    """`--modes origin,nginx` -> the modes in the order they run; unknown names are refused."""
    asked = [m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in asked if m not in MODES]
    if unknown or not asked:
        raise ValueError(f"unknown mode(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(MODES)}")
    return [m for m in MODES if m in asked]


@dataclass
class Target:
    what: str
    goal: str
    measured: str
    met: bool | None  # None: this run has no figure for it, or the figure cannot decide
    undecided: str = "no data"  # what to say when met is None

    @property
    def verdict(self) -> str:
        return {True: "met", False: "**not met**", None: self.undecided}[self.met]


def _row(rows_by_mode: dict, mode: str, page: str) -> dict | None:
    for row in rows_by_mode.get(mode, []):
        if row["name"] == page and row.get("requests"):
            return row
    return None


def evaluate(rows_by_mode: dict[str, list[dict]], rss_by_server: dict[str, list[float]], *, backend: str,
             count: int, home_baseline: dict | None = None) -> list[Target]:
    """Each target of issue #6 item 5, with what this run measured (or None where it has no figure)."""
    targets = []
    article = _row(rows_by_mode, "origin", "article")
    targets.append(Target(
        "article, origin (page cache off)", f"≥ {ARTICLE_ORIGIN_RPS} req/s",
        f"{article['rps']:.0f} req/s" if article else "—",
        article["rps"] >= ARTICLE_ORIGIN_RPS if article else None))
    cached = _row(rows_by_mode, "page-cache", "article")
    targets.append(Target(
        "article, page cache", f"≥ {ARTICLE_PAGE_CACHE_RPS:,} req/s",
        f"{cached['rps']:.0f} req/s" if cached else "—",
        cached["rps"] >= ARTICLE_PAGE_CACHE_RPS if cached else None))
    front, static = _row(rows_by_mode, "nginx", "article"), _row(rows_by_mode, "static", "article")
    if front and static:
        share = front["rps"] / static["rps"]
        targets.append(Target(
            "article, nginx front cache vs the same HTML as a static file",
            f"≥ {FRONT_CACHE_SHARE_OF_STATIC:.0%} of static",
            f"{front['rps']:.0f} / {static['rps']:.0f} req/s = {share:.0%}", share >= FRONT_CACHE_SHARE_OF_STATIC))
    else:
        targets.append(Target("article, nginx front cache vs static file",
                              f"≥ {FRONT_CACHE_SHARE_OF_STATIC:.0%} of static", "—", None))
    rss = {server: values for server, values in rss_by_server.items() if values}
    peak = max((max(values) for values in rss.values()), default=None)
    targets.append(Target(
        "worker RSS after the run", f"≤ {WORKER_RSS_MB} MB each",
        "; ".join(f"{server}: {' / '.join(f'{v:.0f}' for v in values)} MB" for server, values in rss.items()) or "—",
        peak <= WORKER_RSS_MB if peak is not None else None))
    search = _row(rows_by_mode, "origin", "search")
    search_goal = f"p95 ≤ {SEARCH_P95_MS} ms at N=100,000 on PostgreSQL (p99 shown: an upper bound of p95)"
    if search:
        # p95 <= p99: a p99 within the goal proves it; a p99 above it does not disprove it.
        met = True if search["p99"] <= SEARCH_P95_MS else None
        targets.append(Target("search, origin", search_goal, f"p99 {search['p99']:.0f} ms at N={count:,} on {backend}",
                              met, undecided="not shown (p99 above; p95 unknown)"))
    else:
        targets.append(Target("search, origin", search_goal, "—", None))
    home = _row(rows_by_mode, "origin", "home")
    home_goal = f"at N=100,000 within {HOME_WITHIN:.0%} of N=1,000"
    if home and home_baseline and home_baseline["count"] != count:
        ratio = home["rps"] / home_baseline["rps"]
        targets.append(Target(
            "home page, origin", home_goal,
            f"{home['rps']:.0f} req/s at N={count:,} vs {home_baseline['rps']:.0f} at N={home_baseline['count']:,} "
            f"({home_baseline['file']}): {ratio:.0%}", ratio >= 1 - HOME_WITHIN))
    else:
        targets.append(Target("home page, origin", home_goal,
                              f"{home['rps']:.0f} req/s at N={count:,} (compare two runs: bench/compare.py)"
                              if home else "—", None))
    return targets


def home_figure(text: str) -> dict | None:
    """The origin home page's req/s, N and backend of a saved result file (this format or the older one)."""
    title = re.search(r"^# Pressroom benchmark, \S+: (\w+), N=(\d+)", text, re.M)
    if not title:
        return None
    backend, count = title.group(1), int(title.group(2))
    line = re.search(r"^- Home page, origin[^*]*\*\*([\d.]+) req/s\*\*", text, re.M)
    if not line:  # before the side-by-side modes, the first table was the origin's, with req/s second
        line = re.search(r"^\| home \| ([\d.]+) \|", text, re.M)
    if not line:
        return None
    return {"backend": backend, "count": count, "rps": float(line.group(1))}


def compare_home(a: dict, b: dict) -> str:
    """Two runs' home page req/s, and how the bigger N compares with the smaller (issue #6: within 20 %)."""
    small, large = sorted((a, b), key=lambda f: f["count"])
    ratio = large["rps"] / small["rps"]
    lines = [f"{f['file']}: home page (origin) {f['rps']:.1f} req/s at N={f['count']:,} on {f['backend']}"
             for f in (a, b)]
    verdict = "met" if ratio >= 1 - HOME_WITHIN else "not met"
    lines.append(f"N={large['count']:,} / N={small['count']:,}: {ratio:.2f} ({(ratio - 1):+.0%}); "
                 f"target within {HOME_WITHIN:.0%}: {verdict}")
    if small["backend"] != large["backend"]:
        lines.append("warning: the two runs used different backends")
    return "\n".join(lines)
