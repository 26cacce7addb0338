"""Embargo links: one signed address per named journalist, expiring, revocable, every visit logged.

The token is the link's id and its article's id, signed with SECRET_KEY
(django.core.signing, its own salt): it cannot be guessed, altered or moved to
another release. Expiry and revocation live in the database row, not in the
token, so a publisher can revoke or shorten a link already sent.

A link opens a release only while it is published (scheduled or live): a
release sent back to review or withdrawn closes every link to it, because what
journalists read must be what was approved.
"""

from __future__ import annotations

import ipaddress
import logging
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Article, EmbargoLink, EmbargoVisit
from .workflow import _require_publisher

SALT = "articles.embargo-link"
logger = logging.getLogger(__name__)


def make_token(link: EmbargoLink) -> str:
    return signing.Signer(salt=SALT).sign_object({"l": link.pk, "a": link.article_id})


def link_path(link: EmbargoLink) -> str:
    return reverse("articles:embargo-detail", args=[link.article.slug, make_token(link)])


def link_url(link: EmbargoLink) -> str:
    """The absolute address to send to the journalist."""
    return f"{settings.SITE_URL}{link_path(link)}"


def check_link(*, user, recipient_name: str, expires_at: datetime | None) -> None:
    """Why a link may not be handed out (PermissionDenied, or ValidationError in French); None when it may.

    create_link checks this; the admin's forms call it too, to show the reason beside the fields.
    """
    _require_publisher(user)
    errors = {}
    if not (recipient_name or "").strip():
        errors["recipient_name"] = _("Indiquez le nom du ou de la journaliste destinataire.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("La date d'expiration doit être dans le futur.")
    if errors:
        raise ValidationError(errors)


def create_link(*, article: Article, user, recipient_name: str, expires_at: datetime, recipient_email: str = "") -> EmbargoLink:
    """A new link for one named journalist; only Publication may hand out a release early."""
    check_link(user=user, recipient_name=recipient_name, expires_at=expires_at)
    link = EmbargoLink.objects.create(
        article=article, recipient_name=recipient_name.strip(), recipient_email=recipient_email,
        expires_at=expires_at, created_by=user,
    )
    logger.info("Embargo link %s for %r on article %s created by %s, expires %s",
                link.pk, link.recipient_name, article.pk, user.get_username(), expires_at.isoformat())
    return link


def revoke(*, link: EmbargoLink, user) -> bool:
    """Close the link for good (its visit log stays). True if it was open until now."""
    _require_publisher(user)
    with transaction.atomic():
        # Set once, under a lock: a second revocation keeps the first date.
        revoked = EmbargoLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    link.refresh_from_db(fields=["revoked_at"])
    if revoked:
        logger.info("Embargo link %s for %r on article %s revoked by %s",
                    link.pk, link.recipient_name, link.article_id, user.get_username())
    return bool(revoked)


def is_active(link: EmbargoLink, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return link.revoked_at is None and link.expires_at > now


def resolve(*, slug: str, token: str) -> EmbargoLink | None:
    """The link this token opens for the release at `slug`, or None (tampered, expired, revoked, wrong release).

    The caller answers None with a 404: nothing tells a visitor which check failed.
    """
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        link_id, article_id = int(data["l"]), int(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    link = (
        EmbargoLink.objects.select_related("article")
        .filter(pk=link_id, article_id=article_id, article__slug=slug, article__status=Article.Status.PUBLISHED)
        .first()
    )
    if link is None or not is_active(link):
        return None
    return link


def client_address(request) -> str | None:
    """The visitor's IP address, as far as our own proxies vouch for it.

    Behind nginx, REMOTE_ADDR is nginx (127.0.0.1). Each trusted proxy appends the
    address it received the request from to X-Forwarded-For, so with N proxies
    (settings.TRUSTED_PROXY_COUNT) the client is the Nth entry from the right;
    anything further left was sent by the client itself and may be forged. With
    0 (the default: no proxy) the header is ignored, since anyone can send it.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # not through all our proxies: only the connection's address is known
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def log_visit(*, link: EmbargoLink, request) -> EmbargoVisit:
    """Who (the link's recipient, their address and browser) and when."""
    with transaction.atomic():
        return EmbargoVisit.objects.create(
            link=link,
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
