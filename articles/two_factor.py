"""Two-factor authentication for the people who can put something online.

Publication members and superusers must pass a second factor (a TOTP app, or one of
their single-use recovery codes) to have a session at all; Rédaction may set one up.
The rule is `two_factor_required()`. It is enforced in two places that use it:

- the admin login form asks for the code, and refuses a password alone for those roles,
  so a session is only ever opened after both factors;
- `TwoFactorRequiredMiddleware` treats a session of theirs that has not passed the second
  factor (an old session, a role given after login) as anonymous on every page: the admin,
  previews, embargo links and the page cache all see a visitor.

Devices are django-otp's: `TOTPDevice` (otp_totp) and `StaticDevice` (otp_static).
`set_up_devices()` is what `manage.py setup_two_factor` (and so `make admin`) runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .publishing.workflow import can_publish

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
_TOTP_SHAPE = re.compile(r"^\d{6}$")


def two_factor_required(user) -> bool:
    """Whoever can publish (Publication) or do anything (superusers) needs a second factor."""
    return bool(user and user.is_authenticated and (user.is_superuser or can_publish(user)))


class TwoFactorRequiredMiddleware:
    """After django-otp's OTPMiddleware: an unverified session of a required role is anonymous.

    Lazy, like Django's own request.user: a public page that never looks at the user
    runs no query for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.user = SimpleLazyObject(lambda: _guarded(user))
        return self.get_response(request)


def _guarded(user):
    if two_factor_required(user) and not user.is_verified():
        return AnonymousUser()
    return user


class TwoFactorAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login: username, password, and the code when the account has or needs one.

    One field takes both kinds of code: six digits are checked against the TOTP app,
    anything else against the recovery codes. Checking only the device the code's shape
    names keeps a wrong code from counting against (and throttling) the other device.
    """

    otp_token = forms.CharField(
        label=_("Code de vérification"),
        required=False,
        max_length=16,
        help_text=_("Les 6 chiffres affichés par votre application d'authentification, ou un code de secours."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "token_required": _("Saisissez le code de vérification de votre application d'authentification "
                            "(ou un code de secours)."),
        "no_device": _("La double authentification est obligatoire pour ce compte, et elle n'est pas encore "
                       "configurée. Demandez à un administrateur de la configurer "
                       "(manage.py setup_two_factor %(username)s)."),
        "invalid_token": _("Code de vérification incorrect ou déjà utilisé."),
        "throttled": _("Trop de codes incorrects : réessayez dans quelques secondes."),
    }

    def clean(self):
        cleaned_data = super().clean()  # the password (and django-axes, through authenticate)
        user = self.get_user()
        if user is not None:
            try:
                user.otp_device = self._verified_device(user, (cleaned_data.get("otp_token") or "").strip())
            except forms.ValidationError as error:
                if error.code in ("invalid_token", "throttled"):
                    # A wrong code is a failed login like a wrong password: django-axes counts it
                    # towards the lockout, and whoever listens to login failures hears of it.
                    user_login_failed.send(sender=type(self), request=self.request,
                                           credentials={"username": user.get_username()})
                raise
        return cleaned_data

    def _verified_device(self, user, token: str):
        """The device that accepted `token`; None when the account may log in without one."""
        has_device = user_has_device(user)
        if not token:
            if has_device:
                raise forms.ValidationError(self.error_messages["token_required"], code="token_required")
            if two_factor_required(user):
                raise forms.ValidationError(self.error_messages["no_device"], code="no_device",
                                            params={"username": user.get_username()})
            return None
        kind = TOTPDevice if _TOTP_SHAPE.match(token) else StaticDevice
        token = token.replace(" ", "").replace("-", "").lower()
        with transaction.atomic():
            for device in devices_for_user(user, confirmed=True, for_verify=True):
                if not isinstance(device, kind):
                    continue
                allowed, extra = device.verify_is_allowed()
                if not allowed:
                    if extra.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                        raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
                    continue
                if device.verify_token(token):
                    return device
        raise forms.ValidationError(self.error_messages["invalid_token"], code="invalid_token")


@dataclass(frozen=True)
class NewDevices:
    totp: TOTPDevice
    recovery_codes: list[str]


def set_up_devices(*, user) -> NewDevices:
    """A new TOTP device and RECOVERY_CODE_COUNT new recovery codes for `user`, replacing any old ones.

    The caller shows the provisioning URI (`totp.config_url`) and the codes once; they are
    not shown again. Replacing also revokes a lost phone's device and its sessions' claim.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        totp = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return NewDevices(totp=totp, recovery_codes=codes)
