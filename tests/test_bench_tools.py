"""The benchmark's helpers: reading wrk, adapting deploy/nginx.conf, and judging issue #6's targets.

No server, no network: the driver (bench/run.py) is exercised by `make bench` itself.
"""

import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bench import front_cache, report, targets
from bench.load import parse_wrk

ROOT = Path(__file__).resolve().parent.parent
DEPLOYED = (ROOT / "deploy" / "nginx.conf").read_text()

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20ms  350.00us  12.00ms   90.00%
    Req/Sec     6.70k   300.00     7.10k    80.00%
  Latency Distribution
     50%    1.10ms
     75%    1.30ms
     90%    1.60ms
     99%    2.50s
  66700 requests in 10.00s, 1.00GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   6670.12
Transfer/sec:    100.00MB
"""


def test_wrk_output_gives_requests_per_second_percentiles_in_ms_and_all_errors():
    figures = parse_wrk(WRK_OUTPUT)
    assert figures == {"rps": 6670.12, "p50": 1.1, "p99": 2500.0, "errors": 7, "requests": 66700}


def test_wrk_output_without_latency_distribution_has_no_percentiles():
    figures = parse_wrk("  10 requests in 3.00s, 1.00MB read\nRequests/sec:      3.33\n")
    assert figures["rps"] == 3.33 and math.isnan(figures["p99"]) and figures["errors"] == 0


def test_modes_run_in_a_fixed_order_and_unknown_ones_are_refused():
    assert targets.parse_modes("static, origin,nginx") == ["origin", "nginx", "static"]
    assert targets.parse_modes(",".join(targets.MODES)) == list(targets.MODES)
    with pytest.raises(ValueError, match="varnish"):
        targets.parse_modes("origin,varnish")
    with pytest.raises(ValueError):
        targets.parse_modes(" , ")


def adapted(template=DEPLOYED):
    return front_cache.adapt_front_cache(template, cache="/tmp/b/nginx/cache", upstream="127.0.0.1:40001", port=40002,
                                         static_root="/tmp/b/static", media_root="/srv/bench/media/")


def directives(config):
    """The configuration without its comments."""
    return "\n".join(line.split("#", 1)[0] for line in config.splitlines())


def test_the_deployed_front_cache_is_pointed_at_the_benchmark_folders_and_ports():
    text = directives(adapted())
    assert "proxy_cache_path /tmp/b/nginx/cache levels=1:2" in text
    assert "server 127.0.0.1:40001;" in text and "127.0.0.1:8000" not in text
    assert "listen 127.0.0.1:40002;" in text and "listen 80;" not in text
    assert "alias /tmp/b/static/;" in text and "alias /srv/bench/media/;" in text
    assert "/var/lib/nginx" not in text and "/srv/pressroom" not in text and "example.org" not in text
    # Everything else is the documented configuration, unchanged.
    assert "proxy_cache_bypass $pressroom_private;" in text and "proxy_cache_revalidate on;" in text


def test_a_deploy_file_whose_adapt_line_moved_is_refused_rather_than_half_adapted():
    with pytest.raises(ValueError, match="gunicorn's address"):
        adapted(DEPLOYED.replace("# ADAPT: gunicorn's address", "# gunicorn"))


def test_the_generated_configuration_keeps_nginx_under_its_prefix_and_adds_the_static_server():
    config = front_cache.nginx_config(adapted(), prefix="/tmp/b/nginx", static_port=40003, static_pages="/tmp/b/pages")
    assert config.count("{") == config.count("}")
    assert "pid /tmp/b/nginx/nginx.pid;" in config and "error_log /tmp/b/nginx/error.log" in config
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        assert f"{name}_temp_path /tmp/b/nginx/temp-{name};" in config
    assert re.search(r"listen 127\.0\.0\.1:40003;\s+server_tokens off;\s+root /tmp/b/pages;", config)
    assert "daemon" not in config  # given on the command line: -g 'daemon off;'


@pytest.mark.skipif(not (shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")), reason="nginx not installed")
def test_nginx_accepts_the_generated_configuration(tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    for folder in ("static", "pages", "media"):
        (tmp_path / folder).mkdir()
    text = front_cache.adapt_front_cache(DEPLOYED, cache=str(tmp_path / "cache"), upstream="127.0.0.1:40001",
                                         port=40002, static_root=str(tmp_path / "static"),
                                         media_root=str(tmp_path / "media"))
    conf = tmp_path / "nginx.conf"
    conf.write_text(front_cache.nginx_config(text, prefix=str(tmp_path), static_port=40003,
                                             static_pages=str(tmp_path / "pages")))
    checked = subprocess.run([nginx, "-t", "-q", "-p", f"{tmp_path}/", "-c", str(conf), "-e", str(tmp_path / "e.log")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_page_file_names_are_plain():
    assert front_cache.page_file_name("home, deepest page") == "home-deepest-page.html"
    assert front_cache.page_file_name("RSS feed") == "rss-feed.html"


def row(name, rps, p99=5.0):
    return {"name": name, "rps": rps, "p50": 1.0, "p99": p99, "requests": int(rps * 10)}



def test_targets_are_judged_where_the_run_has_the_figures():
    rows = {
        "origin": [row("home", 700), row("article", 950), row("search", 0.1, p99=80.0)],
        "page-cache": [row("article", 2500)],
        "nginx": [row("article", 30000)],
        "static": [row("article", 50000)],
    }
    found = targets.evaluate(rows, {"origin": [80.0, 81.0], "page-cache": [90.0, 125.0]}, backend="postgresql",
                             count=100000, home_baseline={"rps": 800.0, "count": 1000, "file": "a.md"})
    by_what = {t.what: t for t in found}
    assert by_what["article, origin (page cache off)"].met is True
    assert by_what["article, page cache"].met is False
    front = by_what["article, nginx front cache vs the same HTML as a static file"]
    assert front.met is True and "60%" in front.measured
    assert by_what["worker RSS after the run"].met is False and "125" in by_what["worker RSS after the run"].measured
    assert by_what["search, origin"].met is True
    home = by_what["home page, origin"]
    assert home.met is True and "88%" in home.measured  # 700 / 800: within 20 %


def test_a_search_p99_above_the_goal_leaves_the_p95_target_undecided_and_missing_modes_say_no_data():
    found = targets.evaluate({"origin": [row("search", 30, p99=140.0)]}, {}, backend="sqlite", count=1000)
    by_what = {t.what: t for t in found}
    assert by_what["search, origin"].met is None and "p95 unknown" in by_what["search, origin"].verdict
    assert by_what["article, page cache"].verdict == "no data"
    assert by_what["worker RSS after the run"].verdict == "no data"


NEW_RESULT = """# Pressroom benchmark, 2026-11-28: postgresql, N=100000

- Backend: PostgreSQL
- Home page, origin (page cache off): **812.5 req/s** at N=100000

Origin (page cache off):

| page | req/s | p50 ms |
| --- | ---: | ---: |
| home | 812.5 | 9.00 |
"""
OLD_RESULT = """# Pressroom benchmark, 2026-11-27: postgresql, N=1000

- Backend: PostgreSQL

| page | req/s | p50 ms |
| --- | ---: | ---: |
| home | 900.0 | 8.00 |
| home, deepest page | 850.0 | 8.50 |
"""


def test_the_home_page_figure_is_read_from_new_and_older_result_files():
    assert targets.home_figure(NEW_RESULT) == {"backend": "postgresql", "count": 100000, "rps": 812.5}
    assert targets.home_figure(OLD_RESULT) == {"backend": "postgresql", "count": 1000, "rps": 900.0}
    assert targets.home_figure("# something else\n") is None


def test_two_runs_compare_the_larger_n_with_the_smaller_whatever_the_order():
    big = {**targets.home_figure(NEW_RESULT), "file": "big.md"}
    small = {**targets.home_figure(OLD_RESULT), "file": "small.md"}
    text = targets.compare_home(big, small)
    assert "N=100,000 / N=1,000: 0.90 (-10%)" in text and text.endswith("target within 20%: met")


def test_the_side_by_side_table_has_a_column_per_mode_and_a_dash_where_a_page_was_not_run():
    lines = report.side_by_side({"origin": [row("home", 100), row("article", 90)], "static": [row("article", 5e4)]})
    assert lines[0] == "| page | origin (page cache off) req/s | nginx static file req/s |"
    assert lines[2:] == ["| home | 100.0 | — |", "| article | 90.0 | 50000.0 |"]


def test_the_scale_benchmark_uses_two_bench_databases_named_after_database_url_and_refuses_others():
    from bench import scale

    base = "postgres://postgres@127.0.0.1:5432/pressroom_bench"
    assert scale.database_url_for(base, 1000) == "postgres://postgres@127.0.0.1:5432/pressroom_bench1k"
    assert scale.database_url_for(base, 100_000) == "postgres://postgres@127.0.0.1:5432/pressroom_bench100k"
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        scale.database_url_for("postgres://postgres@127.0.0.1:5432/pressroom", 1000)


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by make bench / make bench-scale")
def test_the_scale_benchmark_s_wrk_script_reports_p95_and_cycles_through_its_paths(tmp_path):
    """A real wrk against a real (tiny) server: every listed path is requested, and p95 is reported."""
    import http.server
    import threading

    from bench import scale

    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server's name)
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        figures = scale.wrk(f"http://127.0.0.1:{server.server_port}/", 1, ["/a?q=1", "/b?q=2"])
    finally:
        server.shutdown()
    assert figures["requests"] > 0 and figures["p95_ms"] >= figures["p50_ms"] >= 0
    assert {"/a?q=1", "/b?q=2"} <= set(seen) and "/" not in seen
