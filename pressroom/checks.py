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
