"""Two-factor authentication: whoever can put something online logs in with a password and a code.

Publication members and superusers need a code from their authenticator app (or a single-use
recovery code); Rédaction may set one up. The codes here are computed as the phone would.
"""

import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.two_factor import set_up_devices
from tests.factories import current_totp, give_totp_device, login_verified, make_article, make_editor

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide-42"
LOGIN = "/admin/login/?next=/admin/"


def make_account(role):
    if role == "superuser":
        return get_user_model().objects.create_superuser("admin-principal", "a@example.org", PASSWORD)
    return make_editor(role, password=PASSWORD)


def log_in(client, user, code=None):
    data = {"username": user.username, "password": PASSWORD, "next": "/admin/"}
    if code is not None:
        data["otp_token"] = code
    return client.post(LOGIN, data)


def reaches_the_admin(client) -> bool:
    response = client.get(reverse("admin:index"))
    return response.status_code == 200


def shown_errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


ROLES_THAT_NEED_IT = ["Publication", "superuser"]


def test_the_login_page_asks_for_the_code_in_french(client):
    html = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in html and "Code de vérification" in html
    assert 'autocomplete="one-time-code"' in html
    assert "un code de secours" in html


@pytest.mark.parametrize("role", ROLES_THAT_NEED_IT)
def test_a_password_alone_does_not_open_the_admin_to_those_who_can_publish(client, role):
    user = make_account(role)
    give_totp_device(user)
    response = log_in(client, user)
    assert response.status_code == 200  # the form again, no session
    assert "Saisissez le code de vérification" in shown_errors(response)
    assert not reaches_the_admin(client)


@pytest.mark.parametrize("role", ROLES_THAT_NEED_IT)
def test_the_password_and_the_apps_current_code_open_the_admin(client, role):
    user = make_account(role)
    device = give_totp_device(user)
    response = log_in(client, user, current_totp(device))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert reaches_the_admin(client)
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_is_refused_and_opens_nothing(client):
    user = make_account("Publication")
    device = give_totp_device(user)
    wrong = f"{(int(current_totp(device)) + 1) % 1_000_000:06d}"
    response = log_in(client, user, wrong)
    assert "Code de vérification incorrect" in shown_errors(response)
    assert not reaches_the_admin(client)


def test_a_code_cannot_be_used_twice(client):
    """Someone who saw the code over a shoulder cannot replay it in the same 30 seconds."""
    user = make_account("Publication")
    device = give_totp_device(user)
    code = current_totp(device)
    assert log_in(client, user, code).status_code == 302
    client.logout()
    response = log_in(client, user, code)
    assert "Code de vérification incorrect ou déjà utilisé" in shown_errors(response)
    assert not reaches_the_admin(client)


def test_another_accounts_code_does_not_open_this_one(client):
    victim, attacker = make_account("Publication"), make_editor("Rédaction", password=PASSWORD)
    give_totp_device(victim)
    response = log_in(client, victim, current_totp(give_totp_device(attacker)))
    assert "Code de vérification incorrect" in shown_errors(response)
    assert not reaches_the_admin(client)


def test_wrong_codes_slow_down_the_next_tries(client):
    """django-otp's throttling: after wrong codes, even the right one waits 1, 2, 4… seconds."""
    user = make_account("Publication")
    device = give_totp_device(user)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = f"{(int(current_totp(device)) + 1) % 1_000_000:06d}"
        assert "incorrect" in shown_errors(log_in(client, user, wrong))
        response = log_in(client, user, current_totp(device))
        assert "Trop de codes incorrects" in shown_errors(response)
        assert not reaches_the_admin(client)
        clock.shift(2)
        assert log_in(client, user, current_totp(device)).status_code == 302


def test_wrong_codes_count_towards_the_login_lockout(client, settings):
    """Someone who has the password cannot try codes for ever: each wrong code is a failed login."""
    user = make_account("Publication")
    device = give_totp_device(user)
    wrong = f"{(int(current_totp(device)) + 1) % 1_000_000:06d}"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(client, user, wrong).status_code == 200
            clock.shift(600)  # past django-otp's own delay, so only the lockout can stop the next try
        locked = log_in(client, user, wrong)
        assert locked.status_code == 429 and "Connexion temporairement bloquée" in locked.content.decode()
        assert log_in(client, user, current_totp(device)).status_code == 429  # even the right code, now
        assert not reaches_the_admin(client)


def test_a_recovery_code_opens_the_admin_once(client):
    user = make_account("Publication")
    devices = set_up_devices(user=user)
    code = devices.recovery_codes[0]
    assert log_in(client, user, code.upper()).status_code == 302  # typed in capitals: still the code
    assert reaches_the_admin(client)
    client.logout()
    response = log_in(client, user, code)
    assert "Code de vérification incorrect ou déjà utilisé" in shown_errors(response)
    assert StaticToken.objects.filter(device__user=user).count() == 9


@pytest.mark.parametrize("role", ROLES_THAT_NEED_IT)
def test_an_account_that_must_have_two_factors_but_has_none_is_told_how_to_get_them(client, role):
    user = make_account(role)
    response = log_in(client, user)
    errors = shown_errors(response)
    assert "La double authentification est obligatoire pour ce compte" in errors
    assert f"manage.py setup_two_factor {user.username}" in errors
    assert not reaches_the_admin(client)


def test_a_writer_without_a_device_logs_in_with_a_password(client):
    writer = make_account("Rédaction")
    assert log_in(client, writer).status_code == 302
    assert reaches_the_admin(client)


def test_a_writer_who_set_up_an_app_must_give_its_code(client):
    writer = make_account("Rédaction")
    device = give_totp_device(writer)
    assert "Saisissez le code de vérification" in shown_errors(log_in(client, writer))
    assert log_in(client, writer, current_totp(device)).status_code == 302
    assert reaches_the_admin(client)


@pytest.mark.parametrize("role", ROLES_THAT_NEED_IT)
def test_a_session_that_skipped_the_second_factor_is_anonymous_everywhere(client, role):
    """An old session, or one opened some other way: no admin, no preview, no embargo link creation."""
    user = make_account(role)
    give_totp_device(user)
    draft = make_article(status="draft")
    client.force_login(user)  # the password factor only
    assert client.get(reverse("admin:index"))["Location"].startswith("/admin/login/")
    preview = client.get(reverse("articles:article-preview", args=[draft.pk]))
    assert preview.status_code in (302, 403, 404)
    assert draft.title.encode() not in preview.content


def test_a_writer_promoted_to_publication_must_log_in_again_with_a_code(client):
    writer = make_account("Rédaction")
    client.force_login(writer)
    assert reaches_the_admin(client)
    from django.contrib.auth.models import Group

    writer.groups.add(Group.objects.get(name="Publication"))
    assert not reaches_the_admin(client)


def test_the_test_helper_gives_a_session_the_admin_accepts(client):
    """login_verified() (tests/factories.py) is what the form does; it must stay honest."""
    publisher = make_account("Publication")
    assert reaches_the_admin(login_verified(client, publisher))
    other = make_account("superuser")
    foreign_device = give_totp_device(publisher)
    login_verified(client, other, device=foreign_device)  # someone else's device does not verify
    assert not reaches_the_admin(client)


@pytest.mark.parametrize("page", ["change", "config", "qrcode"])
def test_a_publisher_cannot_read_someone_elses_authenticator_secret(client, page):
    publisher, other = make_account("Publication"), make_editor("Publication", password=PASSWORD)
    device = give_totp_device(other)
    login_verified(client, publisher)
    response = client.get(reverse(f"admin:otp_totp_totpdevice_{page}", args=[device.pk]))
    assert response.status_code in (302, 403, 404)
    assert device.key not in response.content.decode()


# --- Setting it up: manage.py setup_two_factor (what `make admin` runs) ---------------------------

def test_setting_up_prints_a_qr_code_the_link_and_recovery_codes_that_work(capsys, client):
    user = make_account("superuser")
    call_command("setup_two_factor", user.username)
    out = capsys.readouterr().out
    uri = re.search(r"otpauth://totp/\S+", out).group(0)
    assert "secret=" in uri and "issuer=" in uri and user.username in uri
    assert "█" in out or "▀" in out or "▄" in out  # the QR code, drawn in the terminal
    codes = re.findall(r"^  ([a-z2-7]{8})$", out, flags=re.M)
    assert len(codes) == 10
    # The app the person configured from the printed link shows codes the login accepts.
    device = TOTPDevice.objects.get(user=user)
    secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    phone = TOTP(device.bin_key, step=30, digits=6)
    assert log_in(client, user, f"{phone.token():06d}").status_code == 302
    client.logout()
    assert log_in(client, user, codes[3]).status_code == 302


def test_setting_up_again_replaces_the_lost_phone_and_the_old_codes(client):
    user = make_account("Publication")
    old = set_up_devices(user=user)
    new = set_up_devices(user=user)
    assert TOTPDevice.objects.filter(user=user).count() == 1 and StaticDevice.objects.filter(user=user).count() == 1
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert "incorrect" in shown_errors(log_in(client, user, old.recovery_codes[0]))
        clock.shift(2)  # past the throttling delay of that wrong code
        assert log_in(client, user, new.recovery_codes[0]).status_code == 302


def test_setting_up_an_unknown_account_says_so_in_french():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Aucun compte « personne »"):
        call_command("setup_two_factor", "personne")


def test_make_admin_sets_up_two_factor_after_creating_the_superuser():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    recipe = makefile.split("\nadmin:", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("createsuperuser") < recipe.index("setup_two_factor")
