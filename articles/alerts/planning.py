"""Who gets which message: alerts when a release goes live, correction notices, daily digests.

Planning writes one `Delivery` row per message, keyed so that planning twice plans
nothing more (bulk inserts that ignore a key already there), then queues sending
jobs. Only what `Article.objects.public()` returns is ever planned or sent.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..models import Article, Quote, ReleaseEvent
from ..paris_time import french_day
from .models import Delivery, Subscriber

K = Delivery.Kind
CHUNK = 1000


def active_subscribers() -> QuerySet:
    return Subscriber.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


def matching(article: Article) -> QuerySet:
    """Active subscribers whose choices match the release: all releases, one of its tags,
    one of the speakers it quotes; and its language, or any."""
    tags = Subscriber.tags.through.objects.filter(
        subscriber=OuterRef("pk"), tag__in=article.tags.through.objects.filter(content_object=article).values("tag")
    )
    speakers = Subscriber.speakers.through.objects.filter(
        subscriber=OuterRef("pk"), speaker__in=Quote.objects.filter(article=article).values("speaker")
    )
    return (
        active_subscribers()
        .filter(Q(language="") | Q(language=article.language))
        .filter(Q(all_releases=True) | Exists(tags) | Exists(speakers))
    )


def _insert(rows: list[Delivery]) -> None:
    for start in range(0, len(rows), CHUNK):
        Delivery.objects.bulk_create(rows[start:start + CHUNK], ignore_conflicts=True)


def _queue_sending(article_id: int | None, kind: str, count: int) -> None:
    from .jobs import send_deliveries

    for _ in range(max(1, math.ceil(count / settings.ALERT_BATCH_SIZE))):
        send_deliveries.enqueue(article_id=article_id, kind=kind)


def plan_alerts(*, article_id: int, publication: int) -> int:
    """Plan the alerts of a release that went live; how many are waiting to be sent.

    One alert per release and subscriber, ever: the key has no publication number, so a
    release withdrawn and published again is not announced twice (a correction notice
    says what changed). A release no longer public by now plans nothing.
    """
    article = Article.objects.public().filter(pk=article_id).first()
    if article is None:
        return 0
    with transaction.atomic():
        rows = [
            Delivery(key=f"alert:{article.pk}:{pk}", kind=K.ALERT, article=article, publication=publication,
                     subscriber_id=pk, recipient=email)
            for pk, email in matching(article).filter(frequency=Subscriber.Frequency.IMMEDIATE).values_list("pk", "email")
        ]
        _insert(rows)
        waiting = Delivery.objects.filter(article=article, kind=K.ALERT, status=Delivery.Status.PENDING).count()
        if waiting:
            _queue_sending(article.pk, K.ALERT, waiting)
    return waiting


def plan_correction(*, article: Article, user) -> int:
    """A publisher's choice: tell every subscriber who received the release that it was corrected.

    Sent only while the release is public (what the e-mail shows is the public page). Each
    correction has its number; sending one twice (a double click) plans it once per minute.
    """
    from ..publishing.roles import require_publisher

    require_publisher(user)
    if not Article.objects.public().filter(pk=article.pk).exists():
        return 0
    number = timezone.now().strftime("%Y%m%d%H%M")
    with transaction.atomic():
        received = Delivery.objects.filter(
            article=article, kind=K.ALERT, status=Delivery.Status.SENT, subscriber__isnull=False
        ).values_list("subscriber_id", "subscriber__email")
        rows = [
            Delivery(key=f"correction:{article.pk}:{number}:{pk}", kind=K.CORRECTION, article=article,
                     publication=article.events.filter(kind=ReleaseEvent.Kind.WENT_LIVE).count(),
                     subscriber_id=pk, recipient=email, detail=number)
            for pk, email in received
        ]
        _insert(rows)
        if rows:
            _queue_sending(article.pk, K.CORRECTION, len(rows))
    return len(rows)


# --- Daily digests ----------------------------------------------------------------------------


def _day_bounds(day: str) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(datetime.strptime(day, "%Y-%m-%d").date(), time()))
    return start, start + timedelta(days=1)


def day_label(day: str) -> str:
    return french_day(_day_bounds(day)[0])


def digest_articles(subscriber: Subscriber, day: str) -> list[int]:
    """The public releases of one Paris day matching the subscriber's choices, oldest first."""
    start, end = _day_bounds(day)
    releases = Article.objects.public().filter(went_live_at__gte=start, went_live_at__lt=end, publish_at__lt=end)
    if subscriber.language:
        releases = releases.filter(language=subscriber.language)
    if not subscriber.all_releases:
        releases = releases.filter(
            Q(tags__in=subscriber.tags.all()) | Q(quotes__speaker__in=subscriber.speakers.all())
        )
    return list(releases.order_by("publish_at", "pk").values_list("pk", flat=True).distinct())


def plan_digests(*, now: datetime | None = None) -> int:
    """Plan yesterday's digest (Paris days) for each daily subscriber, once DIGEST_HOUR has passed.

    Run by every worker's chores; the key (subscriber, day) makes it once. A subscriber with
    nothing that day gets nothing (the row is cancelled by the sender).
    """
    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.DIGEST_HOUR:
        return 0
    day = (now.date() - timedelta(days=1)).isoformat()
    pending = active_subscribers().filter(frequency=Subscriber.Frequency.DAILY).exclude(
        Exists(Delivery.objects.filter(subscriber=OuterRef("pk"), kind=K.DIGEST, detail=day))
    )
    rows = [
        Delivery(key=f"digest:{day}:{pk}", kind=K.DIGEST, subscriber_id=pk, recipient=email, detail=day)
        for pk, email in pending.values_list("pk", "email")
    ]
    if not rows:
        return 0
    with transaction.atomic():
        _insert(rows)
        _queue_sending(None, K.DIGEST, len(rows))
    return len(rows)
