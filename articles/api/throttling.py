"""Rate limits: per address for anonymous clients, per token (and higher) for partners.

Counted in the shared cache (Redis in production), so every web process counts
together. The address is the one our proxies vouch for (TRUSTED_PROXY_COUNT), as
for the embargo visit log and the login lockout: a client cannot pick a new
X-Forwarded-For for each request to escape the limit.
"""

from __future__ import annotations

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

from ..publishing.audit import client_address
from .models import ApiToken


class _Throttle(SimpleRateThrottle):
    setting: str
    default: str

    def __init__(self):
        super().__init__(rate=getattr(settings, self.setting, self.default))

    def allow_request(self, request) -> bool:
        # The rate is read per request: a setting changed in a test or by a deploy applies at once.
        self.rate = getattr(settings, self.setting, self.default)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def wait(self) -> float | None:
        """Until the oldest counted request leaves the window: then one more is allowed."""
        if not self.history:
            return float(self.duration)
        return max(1.0, self.duration - (self.now - self.history[-1]))


class AnonymousThrottle(_Throttle):
    setting, default = "API_ANONYMOUS_RATE", "60/m"

    def get_cache_key(self, request):
        if isinstance(getattr(request, "auth", None), ApiToken):
            return None
        return f"api:throttle:anon:{client_address(request) or 'unknown'}"


class PartnerThrottle(_Throttle):
    setting, default = "API_TOKEN_RATE", "1200/m"

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return f"api:throttle:token:{token.pk}"


THROTTLES = [AnonymousThrottle(), PartnerThrottle()]
