"""What a newcomer types, as the README shows it, works as shown (issue #16, section 3).

These tests run the real `make` targets in a clean environment (no DEBUG, no SECRET_KEY,
a database of their own), the way someone who has just cloned the project runs them.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from django.core.management import get_commands

from tests.processes import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


def newcomer_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The shell of someone who just cloned the project: none of our variables, a database of the test's own."""
    ours = re.compile(r"^(DEBUG|SECRET_KEY|SITE_URL|DATABASE_URL|REDIS_URL|MEDIA_.*|CACHE_DIR|MAIL_DIR|DJANGO_.*|PORT|HOST)$")
    env = {name: value for name, value in os.environ.items() if not ours.match(name)}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        CACHE_DIR=str(tmp_path / "cache"),
        MAIL_DIR=str(tmp_path / "mail"),
        **extra,
    )
    return env


def test_every_make_target_the_readme_names_exists():
    targets = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE, re.MULTILINE))
    named = set(re.findall(r"`make ([a-z][a-z-]*)", README))
    assert {"run", "test", "import", "admin", "backup", "restore"} <= named
    assert named - targets == set()


def test_every_management_command_the_readme_names_exists():
    named = set(re.findall(r"manage\.py ([a-z_]+)", README))
    assert {"import_release", "run_worker", "backup", "restore", "setup_two_factor"} <= named
    assert named - set(get_commands()) == set()


def test_make_import_works_in_a_fresh_shell_and_links_to_the_port_served(tmp_path):
    result = subprocess.run(
        ["make", "--no-print-directory", "import", "FILE=articles/demo/occitanie-kyoto.md", "PORT=8300"],
        cwd=ROOT, env=newcomer_environment(tmp_path), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SECRET_KEY" not in result.stderr
    assert "Communiqué importé : « Occitanie – Japon" in result.stdout
    assert "Page publique  : http://127.0.0.1:8300/communiques/occitanie-japon-" in result.stdout
    assert ":8000" not in result.stdout


def test_make_import_without_a_file_says_how_to_use_it(tmp_path):
    result = subprocess.run(["make", "--no-print-directory", "import"], cwd=ROOT,
                            env=newcomer_environment(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Usage : make import FILE=communique.md" in result.stdout + result.stderr


def test_manage_py_as_the_readme_shows_it_for_development(tmp_path):
    env = newcomer_environment(tmp_path, DEBUG="1")
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    result = subprocess.run([python, "manage.py", "import_release", "articles/demo/occitanie-kyoto.md"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Communiqué importé" in result.stdout
    # Without DEBUG or the production environment it stops, and says why, as the README warns.
    del env["DEBUG"]
    refused = subprocess.run([python, "manage.py", "import_release", "articles/demo/occitanie-kyoto.md"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in refused.stderr


def test_make_run_on_another_port_serves_and_links_to_that_port(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"], cwd=ROOT,
        env=newcomer_environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        wait_for_port(port, timeout=300)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/flux/rss/", timeout=10) as response:
                    feed = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        assert f"http://127.0.0.1:{port}/communiques/occitanie-japon-" in feed
        assert "127.0.0.1:8000" not in feed
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
    assert f"http://127.0.0.1:{port}/admin/articles/article/" in output
    assert "127.0.0.1:8000" not in output
