"""The SSRF guard: a webhook goes to the public internet only, unless a setting says otherwise.

A publisher types the URL, but whoever controls the name's DNS chooses where it points:
http://hooks.example.org could resolve to 127.0.0.1 (the site's own admin), 10.0.0.5 (the
database) or 169.254.169.254 (a cloud's metadata service). So the name is resolved when
each message is sent, *every* address it resolves to must be public, and the connection
is made to the address that was checked (never resolved a second time, so a name that
changes its answer between the check and the connection gains nothing). Redirects are
not followed. WEBHOOK_ALLOW_PRIVATE_ADDRESSES lifts the rule (an intranet receiver; the
tests' own receiver on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


class UnsafeAddress(Exception):
    """Why a URL may not receive webhooks, in French, for the publisher."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP address to connect to


def is_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False):
        return True
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    # is_global excludes loopback, private, link-local, shared (100.64/10), reserved and documentation ranges.
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> Target:
    """Where to connect for `url`: a checked address, or UnsafeAddress saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeAddress("Adresse illisible.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeAddress("L'adresse doit commencer par https:// (ou http://) et nommer un serveur.")
    if parts.username or parts.password:
        raise UnsafeAddress("L'adresse ne doit pas contenir d'identifiant ni de mot de passe.")
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeAddress(f"Le serveur « {parts.hostname} » est introuvable.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    refused = [a for a in addresses if not is_allowed(a)]
    if refused or not addresses:
        raise UnsafeAddress(
            f"« {parts.hostname} » désigne une adresse interne ({', '.join(refused)}) : "
            "les webhooks ne partent que vers Internet."
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=parts.scheme, host=parts.hostname, port=port, path=path, address=addresses[0])
