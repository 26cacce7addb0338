"""API tokens: publishers issue one per partner; only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "prs_"


def hash_token(raw: str) -> str:
    """SHA-256 of the token: tokens are 256 random bits, so a slow hash would add nothing."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def verify(self, raw: str) -> ApiToken | None:
        """The active token whose hash matches `raw`, or None (one indexed query)."""
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            return None
        return self.active().filter(key_hash=hash_token(raw)).first()


class ApiToken(models.Model):
    """A partner's key to the API, with a higher rate limit than anonymous clients.

    The token is shown once, when it is issued (admin); the database keeps its SHA-256
    and its first characters, so a leaked database gives no working token.
    """

    name = models.CharField(_("partenaire"), max_length=200, help_text=_("Qui utilise ce jeton, par exemple « Le Midi libre »."))
    prefix = models.CharField(_("début du jeton"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créé par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, name: str, user=None) -> tuple[ApiToken, str]:
        """A new token for `name`: the saved row and the raw token, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(name=name, prefix=raw[:10], key_hash=hash_token(raw), created_by=user)
        return token, raw

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
