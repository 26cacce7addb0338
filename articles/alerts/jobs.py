"""Background jobs of the e-mail domain (see articles/tasks.py for the rules every job follows)."""

from __future__ import annotations

from ..tasks import retried, task


@task()
@retried(attempts=6, backoff=10)
def plan_release_alerts(article_id: int, publication: int) -> str:
    """Plan the alerts of a release that went live, then queue their sending. Idempotent (unique keys)."""
    from .planning import plan_alerts

    return f"{plan_alerts(article_id=article_id, publication=publication)} waiting"


@task()
@retried(attempts=8, backoff=15)
def send_deliveries(article_id: int | None = None, kind: str | None = None) -> str:
    """Send up to ALERT_BATCH_SIZE deliveries of one release and kind; queue one more job if some remain.

    Idempotent: sent rows are never claimed again (articles/alerts/sending.py). A mail server
    that is down puts the row back and raises: the job is retried with a backoff.
    """
    from .sending import remaining, send_batch

    handled = send_batch(article_id=article_id, kind=kind)
    if remaining(article_id=article_id, kind=kind):
        send_deliveries.enqueue(article_id=article_id, kind=kind)
    return f"{handled} handled"


@task()
@retried(attempts=4, backoff=60)
def send_confirmation(subscriber_id: int) -> str:
    """The double opt-in e-mail (or, for an address already confirmed, its manage link)."""
    from django.utils import translation

    from . import messages
    from .models import Subscriber

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "gone"
    with translation.override("fr"):
        messages.confirmation(subscriber).send()
    return "sent"
