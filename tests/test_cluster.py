"""Several machines on this one (issue #12): `deploy/cluster.py` (make cluster) started for real,
then `deploy/cluster_check.py`'s three checks against it, then Ctrl+C stops everything.

Two gunicorn app servers, a worker, SeaweedFS and nginx (deploy/nginx.conf) on ports of
8100–8119 and 9350–9399; a database of their own (a new PostgreSQL database beside the test
one when DATABASE_URL is PostgreSQL, else a SQLite file) and Redis when REDIS_URL is set.
nginx missing skips this locally and fails it in CI.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from deploy.seaweedfs import free_ports
from tests.processes import need

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cluster_database(tmp_path):
    """A DATABASE_URL for the cluster: never the test database, which pytest holds in transactions."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'cluster.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"pressroom_cluster_{os.getpid()}_{secrets.token_hex(3)}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_two_app_servers_a_worker_seaweedfs_and_nginx_pass_the_three_checks_and_stop_on_ctrl_c(
    tmp_path, cluster_database
):
    need("nginx")
    nginx_port, *app_ports = free_ports(3, 8100, 8119)
    env_file = tmp_path / "cluster.env"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"}}
    env.update(DATABASE_URL=cluster_database, CACHE_KEY_PREFIX=f"cluster-{secrets.token_hex(4)}")
    cluster = subprocess.Popen(
        [sys.executable, "deploy/cluster.py", "--port", str(nginx_port), "--app-ports", ",".join(map(str, app_ports)),
         "--s3-ports", "9350-9399", "--workdir", str(tmp_path / "cluster"), "--env-file", str(env_file)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = cluster.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "ready." in line:
                break
        assert any("ready." in line for line in lines), "".join(lines)
        written = env_file.read_text()
        assert "MEDIA_S3_BUCKET=pressroom-media" in written
        assert f"CLUSTER_NGINX_URL=http://127.0.0.1:{nginx_port}" in written

        check = subprocess.run([sys.executable, "deploy/cluster_check.py", "--env-file", str(env_file)],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)
        print(check.stdout, check.stderr)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "check 1: ok: published on A, read at once on B and through nginx" in check.stdout
        assert "check 2: ok: uploaded on B, renditions made by the worker" in check.stdout
        assert "check 3: ok: worker" in check.stdout and "killed during the job" in check.stdout
    finally:
        # Ctrl+C, as a person stops it.
        if cluster.poll() is None:
            os.killpg(cluster.pid, signal.SIGINT)
        rest, _ = cluster.communicate(timeout=60)
        lines.append(rest or "")
    output = "".join(lines)
    assert "worker" in output and "exited (-9): starting another" in output, output
    assert "stopped: nginx, app servers, worker, SeaweedFS" in output, output
    for port in (nginx_port, *app_ports):
        assert not listening(port), f"something still listens on {port} after Ctrl+C"
