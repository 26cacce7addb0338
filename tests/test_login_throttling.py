"""Guessing passwords at /admin/login/: a few wrong tries lock the account out from that address.

django-axes counts failures per account and client address (the address our proxies vouch
for, TRUSTED_PROXY_COUNT); past LOGIN_FAILURE_LIMIT the login answers 429 with a French page,
even to the right password, until LOGIN_LOCKOUT_MINUTES have passed.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_editor

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide-42"
LOGIN = "/admin/login/"


@pytest.fixture
def writer():
    return make_editor("Rédaction", username="ecrivaine", password=PASSWORD)


def attempt(client, password, username="ecrivaine", **meta):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **meta)


def fail_until_locked(client, **meta):
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, f"mauvais-{i}", **meta)
        assert response.status_code == 200, "refused as a wrong password, not yet locked"
    return attempt(client, "mauvais-dernier", **meta)


def is_locked_out(response) -> bool:
    return response.status_code == 429 and "Connexion temporairement bloquée" in response.content.decode()


def test_a_few_wrong_passwords_lock_the_account_out_with_a_french_page(client, writer):
    assert settings.AXES_FAILURE_LIMIT <= 10
    response = fail_until_locked(client)
    assert is_locked_out(response)
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert f"{settings.AXES_FAILURE_LIMIT} mots de passe incorrects" in html
    assert f"pendant {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutes" in html


def test_the_right_password_is_refused_while_locked_out(client, writer):
    fail_until_locked(client)
    response = attempt(client, PASSWORD)
    assert is_locked_out(response)
    assert client.get(reverse("admin:index")).status_code == 302  # no session was opened


def test_sixty_wrong_passwords_in_a_row_are_not_all_checked(client, writer):
    """The issue's measure: 60 wrong passwords in 23 s were all accepted as tries."""
    answers = [attempt(client, f"essai-{i}").status_code for i in range(60)]
    assert answers.count(200) == settings.AXES_FAILURE_LIMIT - 1
    assert answers.count(429) == 60 - (settings.AXES_FAILURE_LIMIT - 1)


def test_after_the_lockout_time_the_right_password_works_again(client, writer):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail_until_locked(client)
        clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        assert attempt(client, PASSWORD).status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200


def test_trying_again_while_locked_out_restarts_the_wait(client, writer):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail_until_locked(client)
        clock.shift(settings.AXES_COOLOFF_TIME - timedelta(seconds=30))
        assert is_locked_out(attempt(client, "encore-un-essai"))
        clock.shift(timedelta(seconds=60))  # past the first lockout, not past the second
        assert is_locked_out(attempt(client, PASSWORD))


def test_the_same_account_from_another_address_is_not_locked_out(client, writer):
    """A stranger's wrong guesses from elsewhere do not lock an editor out of their own office."""
    fail_until_locked(client, REMOTE_ADDR="198.51.100.66")
    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(client, writer, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"mauvais-{i}", REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    response = attempt(client, PASSWORD, REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert is_locked_out(response)


def test_behind_our_proxy_the_client_address_counts_and_forged_entries_do_not(client, writer, settings):
    """Behind nginx (TRUSTED_PROXY_COUNT=1) every request comes from 127.0.0.1: the client is
    the address nginx appended, and whatever the client wrote before it changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"mauvais-{i}", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 198.51.100.66", **proxy)
    assert is_locked_out(attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.66", **proxy))
    # Another person behind the same proxy is not locked out by the first one.
    assert attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy).status_code == 302


def test_a_successful_login_clears_the_earlier_failures(client, writer):
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, f"mauvais-{i}")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, f"encore-{i}").status_code == 200


def test_the_test_clients_login_still_goes_through_the_lockout(client, writer):
    """tests/conftest.py's client hands axes a request, so client.login() works and is counted."""
    assert client.login(username="ecrivaine", password=PASSWORD)
    client.logout()
    fail_until_locked(client)
    assert not client.login(username="ecrivaine", password=PASSWORD)
