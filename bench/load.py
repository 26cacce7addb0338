"""Driving load with wrk, reading its output, and installing the Debian tools the benchmark needs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

WRK_THREADS, WRK_CONNECTIONS = 1, 8

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


def wrk(wrk_bin: str, url: str, seconds: int, latency: bool = True) -> dict:
    cmd = [wrk_bin, f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
    if latency:
        cmd.append("--latency")
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def ensure_command(command: str, packages: list[str], log) -> str:
    """The path of `command`, installing the first Debian package of `packages` that apt knows if it is missing."""
    found = shutil.which(command) or shutil.which(command, path="/usr/sbin:/sbin")  # nginx is in sbin
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit(f"bench: {command} is missing; install it with `sudo apt-get install -y {packages[0]}`")
    log(f"Installing {command} (Debian package)…")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    for package in packages:  # nginx-light is gone from newer Debian releases: fall back to nginx
        if subprocess.run(["apt-get", "install", "-y", "-qq", package], env=env).returncode == 0:
            break
    found = shutil.which(command) or shutil.which(command, path="/usr/sbin:/sbin")
    return found or sys.exit(f"bench: {command} did not install")


def workers_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of a gunicorn master's workers: per request, it depends less on what else runs."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True).stdout
    ticks = 0
    for pid in out.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")
