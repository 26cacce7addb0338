"""The default cache is shared by every process of an installation.

With `make run`'s defaults (no REDIS_URL), a release imported by `manage.py
import_release` while the server runs is on the home page at once: the importer's
save retires the pages the server cached, because both processes use one cache
(a folder of files, CACHE_DIR). Real processes: the server and the importer are
started here, on a SQLite file and a cache folder of the test's own.
"""

import os
import subprocess
import sys
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.processes import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def installation(tmp_path):
    """`make run`'s environment, in a temporary folder: DEBUG on, SQLite, no REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "SECRET_KEY"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_DIR=str(tmp_path / "cache"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PAGE_CACHE_SECONDS="600",
    )

    def manage(*args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    manage("migrate", "--noinput")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}", manage, tmp_path
    finally:
        server.terminate()
        server.wait(10)


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers["X-Page-Cache"], response.read().decode()


def test_a_release_imported_by_another_process_is_on_the_home_page_at_once(installation):
    site, manage, folder = installation
    fetch(site + "/")
    state, page = fetch(site + "/")
    assert state == "hit"  # the server keeps the home page in its cache
    assert "Le TGV arrive à Rodez" not in page

    yesterday = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d 10:00")
    release = folder / "tgv-rodez.md"
    release.write_text(
        "---\n"
        'title: "Le TGV arrive à Rodez"\n'
        f"date: {yesterday}\n"
        "location: Rodez\n"
        "status: published\n"
        "---\n"
        "La Région annonce l'arrivée du TGV à Rodez en 2030.\n",
        encoding="utf-8",
    )
    manage("import_release", str(release))  # a second process, while the server runs

    state, page = fetch(site + "/")
    assert "Le TGV arrive à Rodez" in page
    assert state == "miss"  # rebuilt because the importer retired the cached page
