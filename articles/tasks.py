"""Background jobs (Django's tasks API: django.tasks in Django 6.0, the django-tasks backport on 5.2).

Each job is idempotent: it can run twice (a worker killed mid-job has its job queued
again, see articles/worker.py) and the world ends as if it ran once. Each is retried
with an exponential backoff (`retried`), and every attempt that failed stays in the
queue's table with its traceback, listed for staff in the admin ("Task results",
filter by status "Failed").

Jobs are queued inside the transaction of the change that asks for them: with the
database backend (settings.TASKS) the job exists only if that change commits, and a
worker cannot pick it up before. The test settings use the immediate backend, which
runs a job at once, inside the caller's transaction (see tests/settings.py).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import import_string

try:  # Django 6.0
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

logger = logging.getLogger(__name__)


def retried(*, attempts: int = 5, backoff: float = 30.0, on_give_up: Callable | None = None):
    """Retry a job that raised: queued again after backoff × 2^(attempt-1) seconds, up to `attempts` runs.

    The database backend has no retries of its own (django-tasks-db 0.13): this queues
    a new run with `run_after` and `attempt=N+1`, then lets the failure be recorded (so
    each failed attempt is visible with its traceback). After the last attempt,
    `on_give_up(exc, *args, **kwargs)` records the failure where editors see it.
    A backend that cannot defer (the immediate one, in tests) does not retry.
    Goes under `@task()`: the job's arguments gain `attempt`.
    """

    def decorate(func):
        @functools.wraps(func)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                this = import_string(f"{func.__module__}.{func.__name__}")  # the Task object
                if attempt < attempts and this.get_backend().supports_defer:
                    delay = backoff * 2 ** (attempt - 1)
                    this.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                        *args, attempt=attempt + 1, **kwargs
                    )
                    logger.warning("Job %s failed (attempt %d of %d), retried in %ds: %s",
                                   func.__name__, attempt, attempts, delay, exc)
                elif on_give_up is not None:
                    on_give_up(exc, *args, **kwargs)
                raise

        return run

    return decorate


def _photo_files_failed(exc, photo_id, version, rewrite_master=False):
    from .models import Photo

    Photo.objects.filter(pk=photo_id, files_version=version).update(files_error=f"{type(exc).__name__}: {exc}"[:2000])


@task()
@retried(attempts=4, backoff=20, on_give_up=_photo_files_failed)
def make_photo_files(photo_id: int, version: int, rewrite_master: bool = False) -> str:
    """Renditions of a photo (and its master's metadata when asked) for its inputs' `version`.

    Idempotent: a version already made, or superseded by a newer one (whose own job
    will follow), is left alone; renditions are rows unique on (photo, spec), updated in place.
    """
    from .models import Photo
    from .photos.services import refresh_photo_files

    photo = Photo.objects.select_related("credit").filter(pk=photo_id).first()
    if photo is None:
        return "gone"
    if photo.files_version != version:
        return "superseded"
    if photo.files_ready_version == version:
        return "already made"
    refresh_photo_files(photo, rewrite_master=rewrite_master)
    done = Photo.objects.filter(pk=photo_id, files_version=version).update(files_ready_version=version, files_error="")
    if done:
        # A bulk update sends no post_save: retire the pages that show the photo.
        from .caching import dependencies
        from .caching.receivers import releases_showing_photos

        dependencies.changed(*releases_showing_photos([photo_id]))
    return "made" if done else "superseded"


@task()
@retried(attempts=6, backoff=10)
def dispatch_release_event(event_id: int) -> str:
    """Send a committed release event's signal, then mark it dispatched.

    At least once: a worker killed between the signal and the mark sends it again
    after a restart, so receivers are idempotent (keyed on the release and publication).
    """
    from .models import ReleaseEvent
    from .publishing.events import SIGNALS

    event = ReleaseEvent.objects.select_related("article").filter(pk=event_id).first()
    if event is None:
        return "gone"
    if event.dispatched_at is not None:
        return "already dispatched"
    SIGNALS[event.kind].send(sender=ReleaseEvent, event=event, article=event.article)
    ReleaseEvent.objects.filter(pk=event_id, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return "dispatched"


@task()
@retried(attempts=4, backoff=30)
def refresh_press_kit(article_id: int) -> str:
    """Build a public release's press kit into storage, or discard the kits of one that is not public.

    Idempotent: a kit already in storage under its contents' hash is left alone, and a
    release that is no longer public (withdrawn, removed, sent back) keeps no kit at all.
    """
    from .models import Article
    from .photos.press_kit import PressKit, discard_press_kits

    article = Article.objects.public().with_page().filter(pk=article_id).first()
    if article is None:
        discard_press_kits(article_id)
        return "not public: discarded"
    return "built" if PressKit(article).build() else "already built"


@task()
@retried(attempts=4, backoff=60)
def send_workflow_notice(entry_id: int) -> str:
    """E-mail Publication (a release to review) or its writer (sent back, scheduled, published)."""
    from .publishing.notifications import send_notice

    return f"{send_notice(entry_id)} destinataire(s)"


@task()
@retried(attempts=4, backoff=30)
def refresh_release_pdf(article_id: int) -> str:
    """Draw a public release's PDF into storage, or discard the PDFs of one that is not public.

    Idempotent: a version already stored (named by a hash of what it shows) is left alone.
    """
    from .models import Article
    from .printing.release_pdf import ReleasePdf, discard_release_pdfs

    article = Article.objects.public().with_page().filter(pk=article_id).first()
    if article is None:
        discard_release_pdfs(article_id)
        return "not public: discarded"
    pdf = ReleasePdf(article)
    if pdf.prebuilt() is not None:
        return "already built"
    pdf.build()
    return "built"
