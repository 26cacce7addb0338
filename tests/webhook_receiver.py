"""A real HTTP server that receives webhooks, for the tests: it checks each signature itself.

The check is a few lines of the Standard Webhooks specification's HMAC, written here
and not imported from the project (articles/webhooks/signing.py), so a bug there
cannot hide in both. Ports 8140–8159 are this branch's; a busy one is skipped.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTS = range(8140, 8160)


def verify(secret: str, headers: dict, body: bytes, tolerance: int = 300) -> bool:
    """Standard Webhooks: v1 = base64(HMAC-SHA256(base64decode(secret without whsec_), "id.ts.body"))."""
    key = base64.b64decode(secret.split("_", 1)[1])
    msg_id, ts = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(ts)) > tolerance:
        return False
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
    given = [part.split(",", 1)[1] for part in headers["webhook-signature"].split() if part.startswith("v1,")]
    return any(hmac.compare_digest(expected, sig) for sig in given)


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    at: float
    valid: bool | None = None

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    status: int = 204
    secret: str | None = None

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def start_receiver() -> Receiver:
    holder: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            receiver = holder["receiver"]
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            valid = verify(receiver.secret, headers, body) if receiver.secret else None
            receiver.received.append(Received(self.path, headers, body, time.time(), valid))
            self.send_response(receiver.status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"merci" if receiver.status < 300 else b"erreur du destinataire")

        def log_message(self, *args):
            pass

    for port in PORTS:
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError:
            continue
    else:
        raise RuntimeError("ports 8140-8159 are all busy")
    receiver = Receiver(server)
    holder["receiver"] = receiver
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
