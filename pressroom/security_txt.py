"""/.well-known/security.txt (RFC 9116): where to report a vulnerability, from the settings."""

from datetime import UTC, timedelta

from django.conf import settings
from django.core import checks
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe


def security_txt_lines(now=None) -> list[str]:
    """The file's fields. Expires is computed, SECURITY_TXT_EXPIRES_DAYS after `now`, at midnight UTC:
    the file is rebuilt on each request, so it never goes stale while the settings stay true."""
    now = now or timezone.now()
    expires = (now + timedelta(days=settings.SECURITY_TXT_EXPIRES_DAYS)).replace(hour=0, minute=0, second=0,
                                                                                  microsecond=0)
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACT]
    lines.append(f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append("Preferred-Languages: fr, en")
    lines.append(f"Canonical: {settings.SITE_URL}/.well-known/security.txt")
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    return lines


@require_safe
def security_txt(request):
    if not settings.SECURITY_CONTACT:
        # RFC 9116 requires a Contact: no file rather than a file that leads nowhere.
        raise Http404("SECURITY_CONTACT is not set")
    return HttpResponse("\n".join(security_txt_lines()) + "\n", content_type="text/plain; charset=utf-8")


@checks.register(checks.Tags.security, deploy=True)
def check_security_contact(app_configs=None, **kwargs):
    """`manage.py check --deploy`: production names who receives vulnerability reports."""
    errors = []
    if not settings.SECURITY_CONTACT:
        errors.append(checks.Warning(
            "SECURITY_CONTACT is not set: /.well-known/security.txt is not served.",
            hint="e.g. SECURITY_CONTACT=mailto:securite@example.org (comma-separated, RFC 9116 Contact).",
            id="pressroom.W001",
        ))
    for contact in settings.SECURITY_CONTACT:
        if not contact.startswith(("mailto:", "https://", "tel:")):
            errors.append(checks.Error(
                f"SECURITY_CONTACT {contact!r} must be a mailto:, https:// or tel: URI (RFC 9116, section 2.5.3).",
                id="pressroom.E001",
            ))
    return errors
