"""The benchmark's Markdown report: the origin table as before, the modes side by side, and the targets."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess

from bench.load import WRK_CONNECTIONS, WRK_THREADS
from bench.targets import MODE_TITLES, Target

COUNT_HEADING = "## COUNT queries (one per request, from the paginator or a view)"
QUERIES_HEADING = "## Queries per page"


def shorten(sql: str, width: int) -> str:
    sql = re.sub(r"\s+", " ", sql).replace("`", "'")
    return sql if len(sql) <= width else sql[: width - 1] + "…"


def _rss(row: dict) -> str:
    return " / ".join(f"{m:.0f}" for m in row["rss"]) if row.get("rss") else "—"


def _cpu(row: dict) -> str:
    return f"{row['cpu_ms']:.2f}" if row.get("cpu_ms") is not None else "—"


def _status(row: dict) -> str:
    status = "" if row["status"] == 200 else f" (HTTP {row['status']})"
    if not row["requests"]:  # slower than 10 s for the 8 queued requests: wrk saw no response at all
        status += " (no response completed during the run)"
    return status


def origin_table(rows: list[dict]) -> list[str]:
    """The table `make bench` has always printed, for one mode's rows."""
    lines = [
        "| page | req/s | p50 ms | p99 ms | errors | queries | SQL ms | worker CPU ms/req | worker RSS MB | load | URL |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        sql_ms = sum(q["ms"] for q in r["queries"])
        lines.append(
            f"| {r['name']}{_status(r)} | {r['rps']:.1f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | "
            f"{len(r['queries'])} | {sql_ms:.2f} | {_cpu(r)} | {_rss(r)} | {r['load']:.1f} | `{r['path']}` |"
        )
    return lines


def side_by_side(rows_by_mode: dict[str, list[dict]]) -> list[str]:
    """req/s of every page in every mode run, one column per mode."""
    modes = list(rows_by_mode)
    pages = list(dict.fromkeys(r["name"] for rows in rows_by_mode.values() for r in rows))
    by = {(mode, r["name"]): r for mode, rows in rows_by_mode.items() for r in rows}
    lines = ["| page | " + " | ".join(f"{MODE_TITLES[m]} req/s" for m in modes) + " |",
             "| --- |" + " ---: |" * len(modes)]
    for page in pages:
        cells = [f"{by[(m, page)]['rps']:.1f}" if (m, page) in by else "—" for m in modes]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return lines


def detail_table(rows_by_mode: dict[str, list[dict]]) -> list[str]:
    lines = ["| page | mode | req/s | p50 ms | p99 ms | errors | cache header | worker CPU ms/req | worker RSS MB | load | URL |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |"]
    pages = list(dict.fromkeys(r["name"] for rows in rows_by_mode.values() for r in rows))
    for page in pages:
        for mode, rows in rows_by_mode.items():
            for r in rows:
                if r["name"] != page:
                    continue
                lines.append(
                    f"| {page}{_status(r)} | {MODE_TITLES[mode]} | {r['rps']:.1f} | {r['p50']:.2f} | {r['p99']:.2f} | "
                    f"{r['errors']} | {r.get('cache') or '—'} | {_cpu(r)} | {_rss(r)} | {r['load']:.1f} | `{r['url']}` |")
    return lines


def targets_table(targets: list[Target]) -> list[str]:
    lines = ["| target | goal | this run | verdict |", "| --- | --- | --- | --- |"]
    lines += [f"| {t.what} | {t.goal} | {t.measured} | {t.verdict} |" for t in targets]
    return lines


def render(*, header: list[str], rows_by_mode: dict[str, list[dict]], targets: list[Target], probed: dict,
           seed_output: str) -> str:
    first_mode = next(iter(rows_by_mode))
    first = rows_by_mode[first_mode]
    lines = [*header, "", f"{MODE_TITLES[first_mode].capitalize()}:", "", *origin_table(first)]
    lines += ["", "Errors: non-2xx/3xx responses plus socket errors (connect, read, write, timeout) as wrk counts them.",
              "Queries and SQL ms: one request, counted in a separate process (median of 5) with CaptureQueriesContext.",
              "Worker CPU ms/req: user + system CPU time of both workers during the run, per request served;",
              "unlike req/s it barely moves when other processes share the 2 cores (see load: 1-minute load average",
              "before the run; above ~2, req/s and latencies are depressed by other work on the machine).",
              "Worker RSS: each gunicorn worker, read with ps right after that page's run.", ""]
    for r in first:
        lines.append(f"- {r['name']}: {r['what']}; {r['bytes']} bytes, {r['ms']} ms in-process")
    for note in probed["notes"]:
        lines.append(f"- {note}")
    if len(rows_by_mode) > 1:
        lines += ["", "## Side by side (req/s)", "", *side_by_side(rows_by_mode), "",
                  "## Every mode in detail", "", *detail_table(rows_by_mode), "",
                  "Cache header: X-Page-Cache (page cache) or X-Front-Cache (nginx) of one request right after",
                  "the warm-up. Worker CPU: the gunicorn workers' CPU per request served, also behind nginx",
                  "(revalidations); none for static files."]
    lines += ["", "## Targets (issue #6, item 5)", "", *targets_table(targets)]
    counts = [(r["name"], c) for r in probed["pages"] for c in r["counts"]]
    lines += ["", COUNT_HEADING, ""]
    if counts:
        lines += ["| page | ms (median of 5) | SQL |", "| --- | ---: | --- |"]
        lines += [f"| {name} | {c['ms']:.3f} | `{shorten(c['sql'], 220)}` |" for name, c in counts]
    else:
        lines.append("None.")
    lines += ["", QUERIES_HEADING, ""]
    for r in probed["pages"]:
        lines.append(f"### {r['name']} ({len(r['queries'])} queries)")
        lines += [f"- {q['ms']:.3f} ms `{shorten(q['sql'], 300)}`" for q in r["queries"]]
        lines.append("")
    if seed_output:
        lines += ["## Seeding output", "", "```", seed_output.strip(), "```", ""]
    return "\n".join(lines)


def load_line(seconds: int, warmup: int) -> str:
    return (f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{seconds}s --latency on loopback, "
            f"after a {warmup} s warm-up per page")


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


def software(env: dict, nginx_version: str = "") -> str:
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
    if nginx_version:
        parts.append(f"nginx {nginx_version}")
    return ", ".join(parts)
