"""Standard Webhooks signatures (https://www.standardwebhooks.com/): the headers of one message.

    webhook-id:        the message's id, the same for every retry (receivers dedupe on it)
    webhook-timestamp: seconds since the epoch, of this attempt (receivers refuse old ones)
    webhook-signature: "v1," + base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))

The secret is "whsec_" + base64 of the key bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

SECRET_PREFIX = "whsec_"


def key_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key_bytes(secret), signed, hashlib.sha256).digest()).decode()


def headers(secret: str, message_id: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
