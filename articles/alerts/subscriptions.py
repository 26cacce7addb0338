"""Subscribing, confirming, changing one's choices, leaving; a subscriber's data exported or erased.

Every writer (the public pages, the admin, the shell) goes through these functions,
so the rules hold once: nothing is sent before confirmation (double opt-in), at most
one confirmation per address per SUBSCRIPTION_CONFIRM_INTERVAL, the consent recorded
with its time, address and text version.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .consent import CONSENT_VERSION
from .models import Delivery, Subscriber, new_secret

logger = logging.getLogger(__name__)


@dataclass
class Choices:
    all_releases: bool = False
    tags: list = field(default_factory=list)
    speakers: list = field(default_factory=list)
    language: str = ""
    frequency: str = Subscriber.Frequency.IMMEDIATE


def origin_allowed(address: str | None, *, now=None) -> bool:
    """Whether one more subscription request from this network address is allowed this hour.

    Counted in the shared cache (Redis in production) per address, SUBSCRIPTION_ORIGIN_LIMIT
    an hour. A cache that is down counts nothing (pressroom/cache.py fails soft): the
    per-address limit on confirmations (in the database) still holds then.
    """
    limit = settings.SUBSCRIPTION_ORIGIN_LIMIT
    if limit <= 0 or not address:
        return True
    now = now or timezone.now()
    key = f"alerts:origin:{address}:{now:%Y%m%d%H}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr, or the cache is down
        return True
    return count <= limit


def _apply(subscriber: Subscriber, choices: Choices) -> None:
    subscriber.all_releases = choices.all_releases
    subscriber.language = choices.language or ""
    subscriber.frequency = choices.frequency
    subscriber.save()
    subscriber.tags.set(choices.tags)
    subscriber.speakers.set(choices.speakers)


def subscribe(*, email: str, choices: Choices, ip: str | None, now=None) -> Subscriber:
    """Record a request to subscribe, and queue its confirmation e-mail if allowed.

    - a new address, or one not confirmed, or one that left: choices and consent recorded,
      a confirmation sent (at most one per SUBSCRIPTION_CONFIRM_INTERVAL per address);
    - an address already confirmed: nothing changes (a stranger must not change someone's
      choices); its owner gets a message with the link to manage them, under the same limit.
    The answer to the visitor is the same in every case: nobody learns who subscribed.
    """
    from .jobs import send_confirmation

    now = now or timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is None:
            subscriber = Subscriber(email=email, created_at=now)
        if not subscriber.is_active:
            if subscriber.unsubscribed_at is not None:
                subscriber.unsubscribed_at = None
                subscriber.confirmed_at = None
                subscriber.secret = new_secret()  # old links of a former subscription stop working
            subscriber.consent_at, subscriber.consent_ip, subscriber.consent_version = now, ip, CONSENT_VERSION
            _apply(subscriber, choices)
        interval = timedelta(seconds=settings.SUBSCRIPTION_CONFIRM_INTERVAL)
        if subscriber.confirmation_sent_at is not None and now - subscriber.confirmation_sent_at < interval:
            logger.info("Subscription confirmation for subscriber %s not sent again (less than %s ago)",
                        subscriber.pk, interval)
            return subscriber
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
        subscriber.confirmation_sent_at = now
        # Queued in this transaction: sent only if the request committed (a job, so that a
        # slow or absent mail server never holds the visitor's page).
        send_confirmation.enqueue(subscriber.pk)
    return subscriber


def confirm(*, subscriber: Subscriber, ip: str | None, now=None) -> bool:
    """Confirm the subscription (the second step of the double opt-in); True if it was not yet."""
    now = now or timezone.now()
    done = Subscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True, unsubscribed_at__isnull=True).update(
        confirmed_at=now, confirmed_ip=ip
    )
    subscriber.refresh_from_db()
    return bool(done)


def change(*, subscriber: Subscriber, choices: Choices) -> None:
    """New choices, from the signed manage page."""
    with transaction.atomic():
        _apply(subscriber, choices)


def unsubscribe(*, subscriber: Subscriber, now=None) -> bool:
    """Leave: nothing more is sent (pending messages are cancelled). True if subscribed until now."""
    now = now or timezone.now()
    with transaction.atomic():
        done = Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=now)
        Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.CANCELLED, error="Désinscrit avant l'envoi."
        )
    subscriber.refresh_from_db()
    return bool(done)


def export(subscriber: Subscriber) -> dict:
    """Everything kept about one subscriber (RGPD right of access), as plain data."""
    def iso(value):
        return value.isoformat() if value else None

    return {
        "email": subscriber.email,
        "inscrit_le": iso(subscriber.created_at),
        "tous_les_communiques": subscriber.all_releases,
        "mots_cles": sorted(subscriber.tags.values_list("name", flat=True)),
        "intervenants": sorted(subscriber.speakers.values_list("name", flat=True)),
        "langue": subscriber.language,
        "frequence": subscriber.frequency,
        "consentement": {
            "le": iso(subscriber.consent_at), "adresse_ip": subscriber.consent_ip,
            "version_du_texte": subscriber.consent_version,
        },
        "confirmation_envoyee_le": iso(subscriber.confirmation_sent_at),
        "confirme_le": iso(subscriber.confirmed_at),
        "adresse_ip_de_confirmation": subscriber.confirmed_ip,
        "desinscrit_le": iso(subscriber.unsubscribed_at),
        "envois": [
            {"type": d.kind, "communique": d.article.title if d.article else None, "etat": d.status,
             "envoye_le": iso(d.sent_at)}
            for d in subscriber.deliveries.select_related("article").order_by("created_at", "id")
        ],
    }


def erase(*, subscriber: Subscriber, user=None) -> None:
    """Erase a subscriber (RGPD right to erasure): the row goes, and their address leaves every delivery.

    The deliveries stay, anonymous, so that a release's counts of messages sent stay right.
    """
    with transaction.atomic():
        subscriber.deliveries.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]).update(
            status=Delivery.Status.CANCELLED
        )
        subscriber.deliveries.update(recipient="", subscriber=None, error="")
        pk = subscriber.pk
        subscriber.delete()
    logger.info("Subscriber %s erased by %s", pk, user.get_username() if user is not None else "?")
