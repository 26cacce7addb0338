"""Logins in the audit log, through Django's auth signals (connected in ArticlesConfig.ready()).

Signals rather than a custom login view: every way in (the admin's login page, a
test client, a later OTP login) sends them, so none can be missed.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in, dispatch_uid="audit-login")
def log_login(sender, request, user, **kwargs):
    audit.record(action=audit.Action.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def log_logout(sender, request, user, **kwargs):
    if user is not None:  # logging out without a session is nothing to record
        audit.record(action=audit.Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password masked by Django already; only the username is kept.
    audit.record_failed_login(username=credentials.get("username", ""), request=request)
