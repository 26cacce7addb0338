"""One HTTP POST of one signed message, to the address the SSRF guard checked."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from django.conf import settings

from . import signing
from .addresses import Target, UnsafeAddress, resolve

EXCERPT_BYTES = 500


@dataclass
class Outcome:
    ok: bool
    response_code: int | None = None
    duration_ms: int | None = None
    excerpt: str = ""
    error: str = ""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, with the certificate checked against the host name."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(*, url: str, secret: str, message_id: str, body: str) -> Outcome:
    """Send one message; a 2xx answer is a success, anything else (or no answer) a failure."""
    try:
        target = resolve(url)
    except UnsafeAddress as exc:
        return Outcome(ok=False, error=str(exc))
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT", 10))
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Pressroom-Webhooks/1",
        **signing.headers(secret, message_id, body),
    }
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        duration = round((time.monotonic() - started) * 1000)
        ok = 200 <= response.status < 300
        return Outcome(ok=ok, response_code=response.status, duration_ms=duration, excerpt=excerpt,
                       error="" if ok else f"Réponse HTTP {response.status}.")
    except (OSError, http.client.HTTPException) as exc:
        duration = round((time.monotonic() - started) * 1000)
        return Outcome(ok=False, duration_ms=duration, error=f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()
