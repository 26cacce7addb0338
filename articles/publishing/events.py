"""Release events: "went live", "updated", "withdrawn", "removed".

An event is a `ReleaseEvent` row written in the transaction that changed the release,
so it exists if and only if the change committed. Writing it also queues the job that
dispatches it (`tasks.dispatch_release_event`): the queue lives in the same database, so
that job too exists if and only if the change committed, and no crash between a commit
and an `on_commit` callback can lose it. The job sends this module's signals in a
worker; receivers (articles/release_receivers.py) do the chores or queue more jobs: alerts,
webhooks, purging a CDN.

"Went live" is fired exactly once per release and publication. Visibility itself stays
`Article.objects.public()`, decided when each page is asked for; the event only
announces it, by claiming the release with one conditional UPDATE on `went_live_at`
(`claim_went_live`). Whoever gets a row count of 1 writes the event; every other
claimer (a second worker, a publisher's click at the same second) gets 0 and does
nothing. Two ways in:

* a publisher publishes now: `after_save`, in the workflow's (or admin's) transaction;
* a scheduled time passes: `sweep_went_live`, run every few seconds by each worker
  (management command `run_worker`), with nobody at a keyboard.

When a release leaves the site (sent back to review, rescheduled later, withdrawn,
removed) `went_live_at` is cleared, so that going live again is a new publication
with its own event (its `publication` number counts the publications).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from ..models import Article, ReleaseEvent
from ..querysets import visible_now

Kind = ReleaseEvent.Kind
S = Article.Status

# Sent by the dispatch job, in a worker, once the event is committed; with `event` and `article`.
# Receivers must be idempotent: a worker killed mid-dispatch means the event is dispatched again.
release_went_live = Signal()
release_updated = Signal()
release_withdrawn = Signal()
release_removed = Signal()
SIGNALS = {
    Kind.WENT_LIVE: release_went_live,
    Kind.UPDATED: release_updated,
    Kind.WITHDRAWN: release_withdrawn,
    Kind.REMOVED: release_removed,
}


def record(*, article: Article, kind: str, publication: int, payload: dict | None = None,
           now: datetime | None = None) -> ReleaseEvent:
    """Write an event and queue its dispatch, both in the caller's transaction."""
    from ..tasks import dispatch_release_event

    event = ReleaseEvent.objects.create(
        article=article, kind=kind, publication=publication, at=now or timezone.now(),
        payload={"title": article.title, "slug": article.slug, "status": article.status, **(payload or {})},
    )
    dispatch_release_event.enqueue(event.pk)
    return event


def _publications(article_id: int) -> int:
    return ReleaseEvent.objects.filter(article_id=article_id, kind=Kind.WENT_LIVE).count()


def claim_went_live(*, article_id: int, now: datetime | None = None) -> ReleaseEvent | None:
    """Announce that a public release went live, if no one has yet: the event, or None.

    The claim is one UPDATE whose condition is the visibility rule plus "not yet
    announced"; the database lets exactly one claimer change the row (PostgreSQL locks
    it, SQLite writes one transaction at a time), and a unique constraint on
    (release, publication) backs it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Article.objects.public().filter(pk=article_id, went_live_at__isnull=True).update(went_live_at=now)
        if not claimed:
            return None
        article = Article.objects.get(pk=article_id)
        return record(
            article=article, kind=Kind.WENT_LIVE, publication=_publications(article_id) + 1, now=now,
            payload={
                "publish_at": article.publish_at.isoformat(),
                # Scheduled time → announcement; what the README's measurement reports.
                "delay_seconds": round((now - article.publish_at).total_seconds(), 3),
            },
        )


def sweep_went_live(*, limit: int = 500, now: datetime | None = None) -> int:
    """Claim every public release not yet announced; how many this call announced.

    Reads the one visibility rule (`public()`), through a partial index of the releases
    not yet announced, oldest first. Run by every worker every WORKER_SWEEP_SECONDS.
    """
    pending = (
        Article.objects.public().filter(went_live_at__isnull=True).order_by("publish_at", "pk").values_list("pk", flat=True)
    )
    return sum(1 for pk in list(pending[:limit]) if claim_went_live(article_id=pk, now=now))


def after_save(*, article: Article, previous_status: str | None) -> ReleaseEvent | None:
    """What a saved release means for its events; every writer calls it after saving, in its transaction.

    Called by the workflow's transitions and by the admin's save (a publisher may publish,
    withdraw or correct a release from the form). Returns the event recorded, if any.
    """
    event = None
    live_before = Article.objects.filter(pk=article.pk, went_live_at__isnull=False).exists()
    if live_before:
        # Only what the public saw has events: a scheduled release withdrawn before its time
        # fires nothing, so no hook ever learns of a release still under embargo.
        if article.status == S.WITHDRAWN and previous_status != S.WITHDRAWN:
            kind = Kind.WITHDRAWN
        elif article.status == S.REMOVED and previous_status != S.REMOVED:
            kind = Kind.REMOVED
        else:
            kind = Kind.UPDATED
        event = record(article=article, kind=kind, publication=_publications(article.pk),
                       payload={"public": article.is_public()})
    if article.is_public():
        # Publishing now announces at once; already announced, this does nothing.
        event = claim_went_live(article_id=article.pk) or event
    else:
        # Off the site: its next going live will be a new publication.
        Article.objects.filter(pk=article.pk).exclude(visible_now()).update(went_live_at=None)
    return event
