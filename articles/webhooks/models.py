"""Webhook endpoints registered by publishers, and the log of every delivery to them."""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Article, ReleaseEvent

EVENT_TYPES = {
    ReleaseEvent.Kind.WENT_LIVE: "release.went_live",
    ReleaseEvent.Kind.UPDATED: "release.updated",
    ReleaseEvent.Kind.WITHDRAWN: "release.withdrawn",
    ReleaseEvent.Kind.REMOVED: "release.removed",
}


def new_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def all_events() -> list[str]:
    return list(ReleaseEvent.Kind.values)


class WebhookEndpoint(models.Model):
    """An address told about releases, signed with its own secret (shown once, at creation)."""

    url = models.URLField(_("adresse"), max_length=500, help_text=_("HTTPS de préférence ; reçoit un POST JSON signé."))
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(
        _("événements"), default=all_events,
        help_text=_("Les événements envoyés : mis en ligne, mis à jour, retiré, supprimé."),
    )
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    is_active = models.BooleanField(_("actif"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0, editable=False)
    disabled_at = models.DateTimeField(_("désactivé le"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(_("motif de la désactivation"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créé par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )

    class Meta:
        ordering = ["url", "id"]
        verbose_name = _("point d'arrivée de webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.description or self.url

    def save(self, *args, **kwargs):
        # Derived: an endpoint a publisher turns back on starts afresh, its old failures forgotten.
        if self.is_active and self.disabled_at is not None:
            self.disabled_at, self.disabled_reason, self.consecutive_failures = None, "", 0
        super().save(*args, **kwargs)

    def wants(self, kind: str) -> bool:
        return self.is_active and kind in (self.events or [])


class WebhookDelivery(models.Model):
    """One message to one endpoint: its body (signed as sent), and how its last attempt went.

    One row per (endpoint, event): the dispatch of an event may run twice (at least once),
    and the second run finds the row and sends nothing new. Retries and a publisher's
    "resend" send the same message, with the same webhook-id, so a receiver can dedupe.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        RETRYING = "retrying", _("Nouvel essai prévu")
        SUCCEEDED = "succeeded", _("Reçu")
        FAILED = "failed", _("Échec")

    endpoint = models.ForeignKey(WebhookEndpoint, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(ReleaseEvent, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article, verbose_name=_("communiqué"), null=True, blank=True, on_delete=models.SET_NULL, related_name="webhook_deliveries",
    )
    message_id = models.CharField(_("identifiant du message"), max_length=64, unique=True)
    event_type = models.CharField(_("type"), max_length=40)
    body = models.TextField(_("contenu envoyé"))
    state = models.CharField(_("état"), max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("essais"), default=0)
    response_code = models.PositiveIntegerField(_("code de réponse"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), null=True, blank=True)
    response_excerpt = models.CharField(_("extrait de la réponse"), max_length=500, blank=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("dernier essai"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("envoi de webhook")
        verbose_name_plural = _("envois de webhooks")
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="one_delivery_per_endpoint_and_event")]
        indexes = [models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_by_endpoint")]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint}"
