"""The delivery job (Django's tasks API, as articles/tasks.py): one attempt per run.

Retries are new runs queued by services.attempt() with a `run_after` (exponential
backoff), so each attempt is one row in the queue and one line in the delivery log.
"""

from __future__ import annotations

try:  # Django 6.0
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> str:
    from .services import attempt

    return attempt(delivery_id)
