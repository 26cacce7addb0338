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


def make_token(link: EmbargoLink) -> str:
    return signing.Signer(salt=SALT).sign_object({"l": link.pk, "a": link.article_id})


def link_path(link: EmbargoLink) -> str:
    return reverse("articles:embargo-detail", args=[link.article.slug, make_token(link)])


def link_url(link: EmbargoLink) -> str:
    """The absolute address to send to the journalist."""
    return f"{settings.SITE_URL}{link_path(link)}"


def create_link(*, article: Article, user, recipient_name: str, expires_at: datetime, recipient_email: str = "") -> EmbargoLink:
    """A new link for one named journalist; only Publication may hand out a release early."""
    _require_publisher(user)
    if not recipient_name.strip():
        raise ValidationError(_("Indiquez le nom du ou de la journaliste destinataire."))
    if expires_at <= timezone.now():
        raise ValidationError(_("La date d'expiration doit être dans le futur."))
    return EmbargoLink.objects.create(
        article=article, recipient_name=recipient_name.strip(), recipient_email=recipient_email,
        expires_at=expires_at, created_by=user,
    )


def revoke(*, link: EmbargoLink, user) -> EmbargoLink:
    _require_publisher(user)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


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


def log_visit(*, link: EmbargoLink, request) -> EmbargoVisit:
    """Who (the link's recipient, their address and browser) and when."""
    with transaction.atomic():
        return EmbargoVisit.objects.create(
            link=link,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
