"""Settings: safe locally, strict in production, and the test run really uses the backends CI asks for."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from tests.factories import run_manage

ROOT = Path(__file__).resolve().parent.parent




def test_without_debug_the_site_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_without_debug_a_weak_secret_key_is_refused():
    result = run_manage("check", DEBUG="0", SECRET_KEY="short")
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_check_deploy_passes_for_the_documented_production_environment():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x9-" + "Qz7kP2mW" * 8,
        ALLOWED_HOSTS="presse.example.org",
        SITE_URL="https://presse.example.org",
        ADMINS="Équipe technique <tech@example.org>",
        SECURITY_CONTACT="mailto:securite@example.org",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_mail_would_only_be_written_to_files():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY="x9-" + "Qz7kP2mW" * 8,
                        ALLOWED_HOSTS="presse.example.org", SITE_URL="https://presse.example.org",
                        ADMINS="Équipe technique <tech@example.org>", SECURITY_CONTACT="mailto:securite@example.org",
                        EMAIL_HOST="")
    assert result.returncode != 0
    assert "pressroom.W002" in result.stdout + result.stderr


def test_check_deploy_asks_for_a_security_contact():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY="x9-" + "Qz7kP2mW" * 8,
                        ALLOWED_HOSTS="presse.example.org", SITE_URL="https://presse.example.org",
                        ADMINS="Équipe technique <tech@example.org>")
    assert result.returncode != 0
    assert "SECURITY_CONTACT is not set" in result.stdout + result.stderr


def test_local_defaults_are_french_in_paris_with_times_stored_in_utc():
    assert settings.LANGUAGE_CODE == "fr"
    assert "en" in dict(settings.LANGUAGES)
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_named_by_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "postgresql")) else "sqlite"
    assert connection.vendor == expected


def test_the_cache_is_redis_when_redis_url_is_set_and_it_answers():
    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend.endswith("RedisCache")
    else:
        assert backend.endswith("LocMemCache")
    cache.set("pressroom-probe", "Économie", 30)
    assert cache.get("pressroom-probe") == "Économie"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
