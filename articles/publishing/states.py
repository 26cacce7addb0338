"""A release's state as people say it: Brouillon, En relecture, Programmé, En ligne, Retiré,
Supprimé. One word for each moment of a release's life, read from its status and its
publication time, so the admin's column, filter and form header, the dashboard and any
other reader agree. "En ligne" is `Article.objects.public()` and nothing else.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Article
from ..querysets import visible_now

S = Article.Status


class State(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    REVIEW = "relecture", _("En relecture")
    SCHEDULED = "programme", _("Programmé")
    ONLINE = "en-ligne", _("En ligne")
    WITHDRAWN = "retire", _("Retiré")
    REMOVED = "supprime", _("Supprimé")


def state_of(article: Article, now: datetime | None = None) -> State:
    """The state of one release. A release published without a date is not on the site
    (`public()` needs a date): it waits, as a scheduled one does."""
    if article.status == S.PUBLISHED:
        return State.ONLINE if article.is_public(now) else State.SCHEDULED
    return {
        S.DRAFT: State.DRAFT, S.REVIEW: State.REVIEW, S.WITHDRAWN: State.WITHDRAWN, S.REMOVED: State.REMOVED,
    }[article.status]


def in_state(queryset, state: str, now: datetime | None = None):
    """The releases of `queryset` in `state`; the same answer as state_of, one row at a time."""
    now = now or timezone.now()
    if state == State.ONLINE:
        return queryset.filter(visible_now())
    if state == State.SCHEDULED:
        return queryset.filter(status=S.PUBLISHED).filter(Q(publish_at__gt=now) | Q(publish_at__isnull=True))
    status = {State.DRAFT: S.DRAFT, State.REVIEW: S.REVIEW, State.WITHDRAWN: S.WITHDRAWN, State.REMOVED: S.REMOVED}.get(state)
    return queryset.filter(status=status) if status else queryset


# The publication fields of the release form, in order. Each is shown only when it can mean
# something for this release and this person: a new draft has no withdrawal reason, no
# "Retiré le" and no first publication, and a writer, who cannot publish, no date to set.
PUBLICATION_FIELDS = ["state", "status", "publish_at", "public_link", "preview_link", "change_note",
                      "first_published_at", "withdrawal_reason", "withdrawn_at"]


def publication_fields(article: Article | None, *, may_publish: bool) -> list[str]:
    """The fields of the form's "Publication" section for `article` (None: a new release)."""
    status = article.status if article is not None else S.DRAFT
    went_out = article is not None and article.first_published_at is not None
    shown = {
        "state": article is not None,
        "status": True,
        "publish_at": may_publish or (article is not None and article.publish_at is not None),
        "public_link": status in (S.PUBLISHED, S.WITHDRAWN),
        "preview_link": article is not None,
        "change_note": went_out or status == S.PUBLISHED,
        "first_published_at": went_out,
        "withdrawal_reason": (status in (S.PUBLISHED, S.WITHDRAWN, S.REMOVED) and may_publish) or status == S.WITHDRAWN,
        "withdrawn_at": article is not None and article.withdrawn_at is not None,
    }
    return [name for name in PUBLICATION_FIELDS if shown[name]]
