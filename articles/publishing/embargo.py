"""Embargo links: one signed address per named journalist, expiring, revocable, every visit logged.

The token is the link's id and its article's id, signed with SECRET_KEY
(django.core.signing, its own salt): it cannot be guessed, altered or moved to
another release. Expiry and revocation live in the database row, not in the
token, so a publisher can revoke or shorten a link already sent.

A release that leaves the published state (sent back to review, withdrawn,
removed, put back to draft) has every link to it revoked for good, recorded with
who and when (`revoke_release_links`, called by the workflow): what journalists
read must be what was approved, and a link sent for one version must not open
again when the release is rescheduled. A publisher hands out new links for the
new version. `resolve` still refuses a release that is not published, as a
second lock.

Photos on an embargo page are served through the link itself (`photo_path`,
preview_views.embargo_photo), never by their /media/ address: a link preview bot
or a forwarded page must not learn a file address that outlives the link.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Article, EmbargoLink, EmbargoVisit
from . import audit
from .audit import client_address  # the visit log's address rule, shared with the audit log
from .roles import account
from .roles import require_publisher as _require_publisher

SALT = "articles.publishing.embargo-link"
logger = logging.getLogger(__name__)


def make_token(link: EmbargoLink) -> str:
    return signing.Signer(salt=SALT).sign_object({"l": link.pk, "a": link.article_id})


def link_path(link: EmbargoLink) -> str:
    # In the release's language's part of the site (/en/, /ja/), whatever the admin's language.
    with translation.override(link.article.language):
        return reverse("articles:embargo-detail", args=[link.article.slug, make_token(link)])


def photo_path(link: EmbargoLink, photo_id: int, spec: str, token: str | None = None) -> str:
    """A photo of the link's release, through the link: a rendition spec, or ORIGINAL for the master."""
    return reverse("articles:embargo-photo", args=[link.article.slug, token or make_token(link), photo_id, spec])


ORIGINAL = "original"


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
    audit.record(action=audit.Action.EMBARGO_LINK_CREATED, actor=user, article=article,
                 detail=_link_detail(link))
    return link


def _link_detail(link: EmbargoLink, reason: str = "") -> str:
    detail = _("Lien n° %(id)s pour %(name)s") % {"id": link.pk, "name": link.recipient_name}
    return f"{detail} — {reason}" if reason else detail


def revoke(*, link: EmbargoLink, user, reason: str = "") -> bool:
    """Close the link for good (its visit log stays). True if it was open until now."""
    _require_publisher(user)
    with transaction.atomic():
        # Set once, under a lock: a second revocation keeps the first date and author.
        revoked = EmbargoLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=account(user), revocation_reason=reason[:200])
        link.refresh_from_db(fields=["revoked_at", "revoked_by", "revocation_reason"])
        if revoked:
            audit.record(action=audit.Action.EMBARGO_LINK_REVOKED, actor=user, article=link.article,
                         detail=_link_detail(link, reason))
    if revoked:
        logger.info("Embargo link %s for %r on article %s revoked by %s",
                    link.pk, link.recipient_name, link.article_id, user.get_username())
    return bool(revoked)


def revoke_release_links(*, article: Article, user, reason: str) -> int:
    """Revoke every link to `article` not revoked yet, expired ones included (a publisher can
    extend an expired link's date, which would reopen it). Returns how many were revoked.

    Called by the workflow in the transaction of a transition that takes the release
    off the published state; `reason` says which (shown in the admin and the audit log).
    """
    links = list(EmbargoLink.objects.select_related("article").filter(article=article, revoked_at__isnull=True))
    return sum(revoke(link=link, user=user, reason=reason) for link in links)


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


def log_visit(*, link: EmbargoLink, request) -> EmbargoVisit | None:
    """Who (the link's recipient, their address and browser) and when, in the visit log and the audit log.

    A HEAD request is not a visit: link checkers and chat previews send them, and
    nobody read anything. It gets None.
    """
    if request.method == "HEAD":
        return None
    with transaction.atomic():
        visit = EmbargoVisit.objects.create(
            link=link,
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        audit.record(action=audit.Action.EMBARGO_LINK_VISITED, article=link.article, request=request,
                     detail=_link_detail(link))
    return visit


# --- What an embargo page may link to ------------------------------------------------------------


def public_pages(article: Article) -> dict[str, set[int]]:
    """The speakers, tags and credits of `article` whose public page exists now, by kind.

    An embargo page shows a release before the public may see it: a speaker quoted for the
    first time, a new tag or a new photographer's credit has no public page yet (a 404), and
    even a link to it would name what is still under embargo. The page links those that exist
    and names the others as plain text. Each set follows the public page's own rule: a speaker
    page lists the public quotes in its language, a tag page the public releases in its language,
    a credit page the public photos. Three queries, whatever the number of items.
    """
    from ..models import Photo
    from ..querysets import public_tags, quoted_speakers

    speakers = {quote.speaker_id for quote in article.quotes.all()}
    tags = {tag.pk for tag in article.tags.all()}
    credits = {placement.photo.credit_id for placement in article.article_photos.all()}
    return {
        "speakers": set(quoted_speakers(article.language).filter(pk__in=speakers).values_list("pk", flat=True))
        if speakers else set(),
        "tags": set(public_tags(article.language).filter(pk__in=tags).values_list("pk", flat=True)) if tags else set(),
        "credits": set(Photo.objects.public().filter(credit_id__in=credits).values_list("credit_id", flat=True))
        if credits else set(),
    }


_HREF = re.compile(r'href="([^"]*)"')


def rewrite_body_links(body_html: str, *, article: Article, token: str) -> str:
    """The release's body for its embargo page: links to its own public page and press kit go
    through the signed link instead (both are 404s until publication).

    A writer often puts "le dossier de presse" or the release's own address in the text; the
    journalist holding the link must reach what they name. Absolute addresses (SITE_URL) and
    site paths are both recognised; every other link is left as written. The body is already
    sanitised (articles/sanitize.py), so its attributes are double-quoted.
    """
    with translation.override(article.language):
        public = article.get_absolute_url()
        kit = reverse("articles:press-kit", args=[article.slug])
        targets = {
            public: reverse("articles:embargo-detail", args=[article.slug, token]),
            kit: reverse("articles:embargo-press-kit", args=[article.slug, token]),
        }

    def swap(match: re.Match) -> str:
        href = html.unescape(match.group(1))
        path = href[len(settings.SITE_URL):] if href.startswith(settings.SITE_URL + "/") else href
        path, _sep, fragment = path.partition("#")
        new = targets.get(path)
        if new is None:
            return match.group(0)
        return f'href="{html.escape(new + (f"#{fragment}" if fragment else ""))}"'

    return _HREF.sub(swap, body_html or "")
