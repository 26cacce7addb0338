"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def someone_is_told_of_errors(app_configs, **kwargs):
    """The 500 and 503 pages say the technical team is told: in production, someone must be."""
    if settings.ADMINS:
        return []
    return [
        Warning(
            "ADMINS is empty: nobody is mailed when the site fails.",
            hint='Set ADMINS="Équipe technique <tech@example.org>" and the EMAIL_* variables (README, Production).',
            id="pressroom.W001",
        )
    ]


@register(Tags.security, deploy=True)
def mail_is_sent(app_configs, **kwargs):
    """Without EMAIL_HOST, alerts and confirmations are written to files (MAIL_DIR), never sent."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend":
        return []
    return [
        Warning(
            f"EMAIL_HOST is not set: e-mails (alerts, confirmations, error reports) are written to {settings.EMAIL_FILE_PATH}, not sent.",
            hint="Set EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and DEFAULT_FROM_EMAIL (README, E-mail).",
            id="pressroom.W002",
        )
    ]
