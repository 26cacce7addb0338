"""Who is asking: a partner with a token (Authorization: Bearer prs_…), or an anonymous client.

Both may read everything public; a token only buys a higher rate limit. A token that
is unknown or revoked is refused (401) rather than treated as anonymous, so a partner
notices at once that its key stopped working.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken

ANONYMOUS = "anonymous"
# last_used_at is written at most this often per token: not one UPDATE per request.
LAST_USED_PRECISION = timedelta(hours=1)


class PartnerToken(HttpBearer):
    openapi_description = "Jeton d'API délivré par la salle de presse (limite de requêtes plus haute)."

    def authenticate(self, request, token):
        found = ApiToken.objects.verify(token)
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found


def anonymous(request):
    """No Authorization header at all: an anonymous client. A header we could not verify: refused."""
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    return ANONYMOUS


AUTH = [PartnerToken(), anonymous]
