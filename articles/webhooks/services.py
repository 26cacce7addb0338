"""Webhook deliveries: created for an event, sent by jobs, retried, logged; endpoints disabled after repeated failures.

Every writer goes through here: the event receivers (a worker), the admin's "resend"
action, the shell. Jobs are queued in the same transaction as the rows they send.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import ReleaseEvent
from .models import EVENT_TYPES, WebhookDelivery, WebhookEndpoint
from .payloads import body_for
from .sending import post

logger = logging.getLogger(__name__)
State = WebhookDelivery.State


def deliveries_for_event(event: ReleaseEvent) -> list[WebhookDelivery]:
    """One delivery per active endpoint that wants this kind of event, each with its job; idempotent.

    The event's dispatch is at least once: run again, it finds the rows and queues nothing new.
    """
    from .tasks import deliver_webhook

    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if e.wants(event.kind)]
    if not endpoints:
        return []
    body = body_for(event)
    created = []
    for endpoint in endpoints:
        with transaction.atomic():
            delivery, is_new = WebhookDelivery.objects.get_or_create(
                endpoint=endpoint, event=event,
                defaults={"article_id": event.article_id, "message_id": f"msg_{uuid.uuid4().hex}",
                          "event_type": EVENT_TYPES[event.kind], "body": body},
            )
            if is_new:
                deliver_webhook.enqueue(delivery.pk)
                created.append(delivery)
    return created


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: WEBHOOK_RETRY_SECONDS × 2^(n-1) (30 s, 1 min, 2 min, 4 min…)."""
    return timedelta(seconds=float(getattr(settings, "WEBHOOK_RETRY_SECONDS", 30)) * 2 ** (attempts - 1))


def attempt(delivery_id: int) -> str:
    """Send a delivery once and record how it went; on failure, schedule the next attempt or give up."""
    from .tasks import deliver_webhook

    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        return "gone"
    if delivery.state == State.SUCCEEDED:
        return "already delivered"
    endpoint = delivery.endpoint
    now = timezone.now()
    if not endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=State.FAILED, next_attempt_at=None, error="Webhook désactivé : envoi abandonné.")
        return "endpoint disabled"
    outcome = post(url=endpoint.url, secret=endpoint.secret, message_id=delivery.message_id, body=delivery.body)
    attempts = delivery.attempts + 1
    fields = {"attempts": attempts, "last_attempt_at": now, "response_code": outcome.response_code,
              "duration_ms": outcome.duration_ms, "response_excerpt": outcome.excerpt[:500],
              "error": outcome.error[:500], "next_attempt_at": None}
    if outcome.ok:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(state=State.SUCCEEDED, **fields)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return "delivered"
    still_active = record_failure(endpoint)
    max_attempts = int(getattr(settings, "WEBHOOK_ATTEMPTS", 8))
    if still_active and attempts < max_attempts and deliver_webhook.get_backend().supports_defer:
        fields["next_attempt_at"] = now + retry_delay(attempts)
        with transaction.atomic():
            WebhookDelivery.objects.filter(pk=delivery.pk).update(state=State.RETRYING, **fields)
            deliver_webhook.using(run_after=fields["next_attempt_at"]).enqueue(delivery.pk)
        return "retrying"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=State.FAILED, **fields)
    return "failed"


def record_failure(endpoint: WebhookEndpoint) -> bool:
    """Count a failed attempt; past WEBHOOK_DISABLE_AFTER in a row, disable the endpoint. Still active?"""
    limit = int(getattr(settings, "WEBHOOK_DISABLE_AFTER", 20))
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    disabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True, consecutive_failures__gte=limit).update(
        is_active=False, disabled_at=timezone.now(),
        disabled_reason=f"Désactivé automatiquement après {limit} échecs d'envoi consécutifs.",
    )
    if disabled:
        logger.warning("Webhook %s disabled after %d failed attempts in a row", endpoint.url, limit)
    return not disabled


def resend(delivery: WebhookDelivery) -> bool:
    """Send a delivery again (same message, same webhook-id), whatever its state. False if its endpoint is disabled."""
    from .tasks import deliver_webhook

    if not WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, is_active=True).exists():
        return False
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(state=State.PENDING, next_attempt_at=None, attempts=0)
        deliver_webhook.enqueue(delivery.pk)
    return True
