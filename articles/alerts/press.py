"""Embargo notices: a publisher sends a scheduled release to press lists before its time.

Each journalist gets one personal embargo link (articles/publishing/embargo.py: signed,
logged, revocable), by e-mail, stating the embargo time in Paris time. One link per
person and release: a journalist in two lists, or sent the release twice, keeps the link
already handed out. Revoking the release's links (or sending it back to review, which
revokes them all) makes every link sent stop working, and the notices not yet sent are
cancelled by the sender (sending.py checks the link before each message).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Article, EmbargoLink
from ..publishing import embargo
from ..publishing.roles import account, require_publisher
from .models import Delivery, EmbargoNotice, Journalist, PressList


def check_notice(*, article: Article, user, expires_at: datetime | None) -> None:
    """Why this release may not be sent under embargo now (ValidationError in French)."""
    require_publisher(user)
    if article.status != Article.Status.PUBLISHED or article.publish_at is None or article.is_public():
        raise ValidationError(_("Seul un communiqué programmé, pas encore en ligne, s'envoie sous embargo."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("La date d'expiration des liens doit être dans le futur."))


def send_notice(*, article: Article, lists: list[PressList], user, expires_at: datetime | None = None) -> EmbargoNotice:
    """Record the send, hand out one link per journalist, and queue one e-mail each."""
    from .planning import _queue_sending

    if expires_at is None and article.publish_at is not None:
        expires_at = article.publish_at + timedelta(days=1)  # a day after the release is public anyway
    check_notice(article=article, user=user, expires_at=expires_at)
    if not lists:
        raise ValidationError(_("Choisissez au moins une liste de presse."))
    with transaction.atomic():
        notice = EmbargoNotice.objects.create(article=article, sent_by=account(user), expires_at=expires_at)
        notice.lists.set(lists)
        journalists = Journalist.objects.filter(lists__in=lists).distinct().order_by("pk")
        rows = []
        for journalist in journalists:
            link = (
                EmbargoLink.objects.filter(article=article, recipient_email__iexact=journalist.email, revoked_at__isnull=True,
                                           expires_at__gt=timezone.now()).first()
            )
            if link is not None and Delivery.objects.filter(embargo_link=link, status=Delivery.Status.SENT).exists():
                continue  # already has their link for this release
            if link is None:
                name = f"{journalist.name} ({journalist.outlet})" if journalist.outlet else journalist.name
                link = embargo.create_link(article=article, user=user, recipient_name=name[:200],
                                           recipient_email=journalist.email, expires_at=expires_at)
            rows.append(Delivery(
                key=f"embargo:{article.pk}:{link.pk}", kind=Delivery.Kind.EMBARGO, article=article, notice=notice,
                journalist=journalist, embargo_link=link, recipient=journalist.email,
            ))
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        if rows:
            _queue_sending(article.pk, Delivery.Kind.EMBARGO, len(rows))
    return notice
