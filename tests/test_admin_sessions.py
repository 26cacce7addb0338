"""An editor who walks away is logged out: admin sessions end ADMIN_IDLE_TIMEOUT after the last request."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import login_verified, make_editor

pytestmark = pytest.mark.django_db

IDLE = timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_an_editor_idle_past_the_timeout_is_sent_to_the_login_page(client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        login_verified(client, make_editor("Publication"))
        assert client.get(reverse("admin:index")).status_code == 200
        clock.shift(IDLE + timedelta(seconds=1))
        response = client.get(reverse("admin:articles_article_changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_an_editor_at_work_stays_logged_in_past_the_timeout(client):
    """Idle, not absolute: each request starts the count again."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        login_verified(client, make_editor("Rédaction"))
        for _ in range(3):  # three times the timeout in all, never idle for as long
            clock.shift(IDLE - timedelta(seconds=60))
            assert client.get(reverse("admin:index")).status_code == 200


def test_the_idle_timeout_comes_from_the_environment():
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "ADMIN_IDLE_TIMEOUT": "600"}
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)"
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["600", "True"], out.stderr


def test_a_public_visitor_gets_no_session_to_save(client):
    """Saving the session on every request costs nothing to readers: they have none."""
    response = client.get("/")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
