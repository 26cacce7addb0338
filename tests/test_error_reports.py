"""A server error: a French page for the visitor, and the technical team really told (log and mail).

The 500 page says "L'équipe technique est prévenue": ADMINS and the mail settings
come from the environment, and an error is logged to stderr and mailed to them.
"""

import logging

import pytest
from django.core import mail

from tests.factories import run_manage

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.failing_urls")
def test_a_server_error_shows_the_french_page_is_logged_and_mailed_to_the_admins(client, settings, caplog):
    settings.ADMINS = [("Équipe technique", "tech@example.org")]
    client.raise_request_exception = False  # answer as a real server would
    with caplog.at_level(logging.ERROR):
        response = client.get("/panne/")

    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "L'équipe technique est prévenue" in page

    logged = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert len(logged) == 1 and logged[0].exc_info[0] is RuntimeError

    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    assert report.to == ["tech@example.org"]
    assert report.subject.startswith(settings.EMAIL_SUBJECT_PREFIX)
    assert "/panne/" in report.subject
    assert "Panne simulée pour le test" in report.body


def test_admins_and_mail_settings_come_from_the_environment():
    result = run_manage(
        "shell", "-c",
        "from django.conf import settings as s; "
        "print(s.ADMINS, s.SERVER_EMAIL, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.EMAIL_TIMEOUT)",
        DEBUG="1",
        ADMINS="Équipe technique <tech@example.org>, astreinte@example.org",
        SERVER_EMAIL="presse@example.org",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="presse",
        EMAIL_USE_TLS="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "[('Équipe technique', 'tech@example.org'), ('', 'astreinte@example.org')] "
        "presse@example.org smtp.example.org 587 presse True 10"
    )


def test_a_production_check_warns_when_nobody_would_be_told():
    result = run_manage(
        "check", "--deploy", DEBUG="0", SECRET_KEY="x9-" + "Qz7kP2mW" * 8, ALLOWED_HOSTS="presse.example.org", ADMINS="",
    )
    assert "pressroom.W001" in result.stdout + result.stderr
