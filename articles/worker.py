"""What each background worker does besides running jobs, every WORKER_SWEEP_SECONDS.

django-tasks-db's `db_worker` runs queued jobs; it has no periodic jobs, and a job whose
worker died (killed, machine lost) stays "RUNNING" forever. `manage.py run_worker`
runs that same worker with a companion thread (`Companion`) that, on each tick:

1. writes this worker's heartbeat (`WorkerHeartbeat`);
2. queues again the jobs left RUNNING by workers silent for WORKER_STALE_SECONDS
   (every job is idempotent, so running one again is safe);
3. sweeps for releases whose scheduled time has passed (`events.sweep_went_live`);
4. plans yesterday's daily e-mail digests once their hour has come (`alerts.planning.plan_digests`),
   and queues a sending job for e-mails left waiting (`alerts.sending.resume_sending`);
5. with media in a bucket, moves renditions in or out of its public/ to match the
   visibility rule (`storage.exposure.sweep_public_media`; nothing to do on the local disk).

With several workers, each does all three: the claims are atomic, so nothing doubles.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from .models import WorkerHeartbeat
from .publishing.events import sweep_went_live
from .storage.exposure import sweep_public_media

logger = logging.getLogger(__name__)

# This process's worker id, once `run_worker` started (None elsewhere: the web, the shell, tests).
_worker_id: str | None = None


def current_worker_id() -> str:
    """Who is running a job here: the worker id whose heartbeat says it is alive, or host:pid outside a worker.

    Jobs that claim rows (articles/alerts/sending.py) sign their claims with it, so that a
    row left claimed by a worker that died can be told from one still being worked on.
    """
    return _worker_id or f"{socket.gethostname()[:80]}:{os.getpid()}"


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now(), "hostname": socket.gethostname()[:200], "pid": os.getpid()}
    )


def requeue_orphaned_jobs(*, stale_seconds: float | None = None) -> int:
    """Queue again the jobs RUNNING on a worker that stopped beating; how many.

    A job counts as orphaned when it started more than `stale_seconds` ago and the
    worker that took it last has not beaten since then. Conditional updates: two
    workers finding the same orphan queue it once.
    """
    from django_tasks_db.models import DBTaskResult

    stale = stale_seconds if stale_seconds is not None else settings.WORKER_STALE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=stale)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    count = 0
    for job in DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids", "started_at"):
        if job.worker_ids and job.worker_ids[-1] in alive:
            continue
        count += DBTaskResult.objects.running().filter(pk=job.pk, started_at=job.started_at).update(
            status="READY", started_at=None
        )
        logger.warning("Job %s was left running by worker %s, which stopped: queued again.",
                       job.pk, job.worker_ids[-1] if job.worker_ids else "?")
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff - timedelta(days=1)).delete()
    return count


def tick(worker_id: str) -> None:
    """One round of the companion's chores; a failing chore is logged and tried again next round."""
    # No transaction around a chore: each claim of the sweep is its own short transaction,
    # so one failing claim does not undo the others, and SQLite's write lock is held briefly.
    from .alerts.planning import plan_digests  # yesterday's daily digests, once DIGEST_HOUR has passed
    from .alerts.sending import resume_sending  # e-mails left waiting after their job gave up

    for chore in (lambda: beat(worker_id), requeue_orphaned_jobs, sweep_went_live, plan_digests, resume_sending,
                  sweep_public_media):
        try:
            chore()
        except DatabaseError as exc:
            # SQLite busy with another writer, PostgreSQL restarting...: next round.
            logger.warning("Worker chore failed, tried again in %ss: %s", settings.WORKER_SWEEP_SECONDS, exc)
            connection.close()


class Companion(threading.Thread):
    """The companion thread of one worker process."""

    def __init__(self, worker_id: str, interval: float | None = None):
        super().__init__(name="pressroom-worker-companion", daemon=True)
        global _worker_id
        _worker_id = worker_id
        self.worker_id = worker_id
        self.interval = interval if interval is not None else settings.WORKER_SWEEP_SECONDS
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            tick(self.worker_id)
            self.stopped.wait(self.interval)
        connection.close()
