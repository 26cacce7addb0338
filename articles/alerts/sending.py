"""Sending deliveries: claim one row, send it, mark it; any number of workers at once.

Exactly once, as far as a mail server allows:

* a message is planned once: its `Delivery` row has a unique key (planning.py), so a
  receiver run twice, or two workers planning the same release, plan it once;
* a message is sent by one worker: rows are claimed a few at a time (CLAIM_CHUNK) by a
  conditional UPDATE (pending → sending, signed with the worker's id) that only one
  claimer can win, committed before anything is sent; each row is marked "sent" on its
  own, right after the mail server accepted it;
* a worker killed in a batch leaves the rows of its last claim "sending"; its job is
  queued again (articles/worker.py), and those rows are claimed again once the worker's
  heartbeat is older than WORKER_STALE_SECONDS. Rows it had not claimed are still
  "pending"; rows it marked "sent" are never sent again.

The one duplicate left possible: a worker killed after the mail server accepted a
message and before "sent" was committed (a few milliseconds per message). That message
is sent again, with the same Message-ID (messages.message_id), which mail clients
show once. The other choice, never sending such a row again, would lose an alert.

Throttled by ALERT_SEND_INTERVAL (seconds between two messages of one worker) and
ALERT_BATCH_SIZE (messages per job; a job sends its batch over one SMTP connection).
"""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import BadHeaderError, get_connection
from django.db.models import F, Prefetch, Q
from django.utils import timezone, translation

from ..models import Article, EmbargoLink, PressContact, WorkerHeartbeat
from . import messages
from .models import Delivery

logger = logging.getLogger(__name__)
S = Delivery.Status
K = Delivery.Kind
MAX_ATTEMPTS = 5


class TransientFailure(Exception):
    """The mail server could not be reached or asked to try later: the job is retried."""


def _claimable(now) -> Q:
    stale = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = WorkerHeartbeat.objects.filter(seen_at__gte=stale).values("worker_id")
    # "sending" by a worker that stopped beating (or by no worker, claimed long ago): in nobody's hands.
    return Q(status=S.PENDING) | (Q(status=S.SENDING, claimed_at__lt=stale) & ~Q(claimed_by__in=alive))


CLAIM_CHUNK = 10


def claim(candidates: list[tuple[int, str, str]], *, me: str) -> list[Delivery]:
    """Take some rows for this worker, in one UPDATE; the rows taken, with what sending needs.

    The UPDATE's condition repeats what was read (status, and who held the row), so of two
    claimers only one gets each row. A claim is stamped with its own time, which tells this
    worker's rows of this round from any other. Rows claimed and not yet sent when a worker
    dies are claimed again once its heartbeat is stale: a chunk costs only that delay.
    """
    stamp = timezone.now()
    taken = 0
    pending = [pk for pk, status, _ in candidates if status == S.PENDING]
    if pending:
        taken += Delivery.objects.filter(pk__in=pending, status=S.PENDING).update(
            status=S.SENDING, claimed_by=me, claimed_at=stamp, attempts=F("attempts") + 1)
    for pk, status, claimed_by in candidates:
        if status != S.PENDING:  # left "sending" by a dead worker: taken from that worker only
            taken += Delivery.objects.filter(pk=pk, status=status, claimed_by=claimed_by).update(
                status=S.SENDING, claimed_by=me, claimed_at=stamp, attempts=F("attempts") + 1)
    if not taken:
        return []
    return list(
        Delivery.objects.filter(pk__in=[c[0] for c in candidates], status=S.SENDING, claimed_by=me, claimed_at=stamp)
        .select_related("subscriber", "journalist", "notice__article").order_by("pk")
    )


def _finish(pk: int, me: str, **fields) -> None:
    Delivery.objects.filter(pk=pk, status=S.SENDING, claimed_by=me).update(**fields)


class Sender:
    """One batch: one SMTP connection, the public releases it reads kept for the batch."""

    def __init__(self):
        from ..worker import current_worker_id

        self.me = current_worker_id()
        self.connection = None
        self._articles: dict[int, dict | None] = {}

    def _public_article(self, article_id: int) -> dict | None:
        """The release as an e-mail may show it, or None when the public may not see it now."""
        if article_id not in self._articles:
            article = Article.objects.public().with_cards().prefetch_related(
                Prefetch("press_contacts", queryset=PressContact.objects.with_roles())).filter(pk=article_id).first()
            self._articles[article_id] = messages.article_context(article) if article else None
        return self._articles[article_id]

    def build(self, delivery: Delivery):
        """The message for this delivery, or a reason (str) not to send it."""
        subscriber = delivery.subscriber
        if delivery.kind in (K.ALERT, K.CORRECTION, K.DIGEST) and (subscriber is None or not subscriber.is_active):
            return "L'abonné s'est désinscrit ou a été effacé."
        if delivery.kind in (K.ALERT, K.CORRECTION):
            article = self._public_article(delivery.article_id)
            if article is None:
                return "Le communiqué n'est pas public."
            build = messages.alert if delivery.kind == K.ALERT else messages.correction
            return build(delivery, article)
        if delivery.kind == K.DIGEST:
            from .planning import digest_articles

            items = [self._public_article(pk) for pk in digest_articles(subscriber, delivery.detail)]
            items = [item for item in items if item]
            if not items:
                return "Aucun communiqué public pour ce jour."
            from .planning import day_label

            return messages.digest(delivery, items, day_label(delivery.detail))
        if delivery.kind == K.EMBARGO:
            from ..publishing import embargo

            link = EmbargoLink.objects.select_related("article").filter(pk=delivery.embargo_link_id).first()
            if link is None or not embargo.is_active(link) or link.article.status != Article.Status.PUBLISHED:
                return "Le lien sous embargo a été révoqué ou a expiré."
            if link.article.is_public():
                return "Le communiqué est déjà public."
            return messages.embargo_notice(delivery, embargo.link_url(link))
        return "Type d'envoi inconnu."

    def send(self, delivery: Delivery) -> str:
        """Send one claimed delivery and record the outcome; the status it ends in."""
        with translation.override("fr"):
            message = self.build(delivery)
        now = timezone.now()
        if isinstance(message, str):
            _finish(delivery.pk, self.me, status=S.CANCELLED, error=message)
            return S.CANCELLED
        try:
            if self.connection is None:
                self.connection = get_connection()
                self.connection.open()
            message.connection = self.connection
            message.send()
        except (BadHeaderError, ValueError) as exc:
            # An address or a header that cannot be written (a line break typed in through the shell):
            # no server will ever take it, so it is not retried.
            _finish(delivery.pk, self.me, status=S.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
            return S.FAILED
        except smtplib.SMTPRecipientsRefused as exc:
            _finish(delivery.pk, self.me, status=S.BOUNCED, error=str(exc)[:2000])
            return S.BOUNCED
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:
                _finish(delivery.pk, self.me, status=S.FAILED, error=f"{exc.smtp_code} {exc.smtp_error!r}"[:2000])
                return S.FAILED
            self._give_back(delivery, exc)
        except (smtplib.SMTPException, OSError) as exc:
            self._give_back(delivery, exc)
        _finish(delivery.pk, self.me, status=S.SENT, sent_at=now, error="")
        return S.SENT

    def _give_back(self, delivery: Delivery, exc: Exception):
        """A server down or busy: the row goes back to "pending" (or "failed" after MAX_ATTEMPTS), the job retries."""
        self.close()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if delivery.attempts >= MAX_ATTEMPTS:
            _finish(delivery.pk, self.me, status=S.FAILED, error=error)
        else:
            _finish(delivery.pk, self.me, status=S.PENDING, claimed_by="", claimed_at=None, error=error)
        raise TransientFailure(error) from exc

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 — a connection already broken has nothing left to close
                pass
            self.connection = None


def send_batch(*, article_id: int | None = None, kind: str | None = None, limit: int | None = None) -> int:
    """Claim and send up to `limit` deliveries of this scope, one at a time; how many were handled."""
    limit = limit or settings.ALERT_BATCH_SIZE
    scope = Q()
    if article_id is not None:
        scope &= Q(article_id=article_id)
    if kind is not None:
        scope &= Q(kind=kind)
    sender = Sender()
    handled = 0
    try:
        while handled < limit:
            now = timezone.now()
            candidates = list(
                Delivery.objects.filter(scope & _claimable(now)).order_by("pk")
                .values_list("pk", "status", "claimed_by")[: min(CLAIM_CHUNK, limit - handled)]
            )
            if not candidates:
                break
            for delivery in claim(candidates, me=sender.me):
                try:
                    sender.send(delivery)
                except TransientFailure:
                    # The server is down: what this round claimed and did not try goes back at once.
                    Delivery.objects.filter(status=S.SENDING, claimed_by=sender.me, claimed_at=delivery.claimed_at).update(
                        status=S.PENDING, claimed_by="", claimed_at=None, attempts=F("attempts") - 1)
                    raise
                handled += 1
                if settings.ALERT_SEND_INTERVAL:
                    time.sleep(settings.ALERT_SEND_INTERVAL)
    finally:
        sender.close()
    return handled


def remaining(*, article_id: int | None = None, kind: str | None = None) -> bool:
    """Whether deliveries of this scope are still waiting for a sender."""
    qs = Delivery.objects.filter(_claimable(timezone.now()))
    if article_id is not None:
        qs = qs.filter(article_id=article_id)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.exists()


SEND_JOB = "articles.alerts.jobs.send_deliveries"


def resume_sending(*, idle_seconds: float = 300) -> bool:
    """Queue a sending job when deliveries wait and no sending job is queued or running; True if queued.

    The safety net of the worker's chores: a sending job that gave up its retries (a mail
    server down for an hour) leaves its rows "pending"; once the server is back, this sends them.
    """
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    waiting = Delivery.objects.filter(_claimable(now), created_at__lt=now - timedelta(seconds=idle_seconds))
    if not waiting.exists():
        return False
    if DBTaskResult.objects.filter(task_path=SEND_JOB, status__in=["READY", "RUNNING"]).exists():
        return False
    from .jobs import send_deliveries

    send_deliveries.enqueue()
    logger.warning("E-mails were waiting with no job to send them: sending resumed.")
    return True
