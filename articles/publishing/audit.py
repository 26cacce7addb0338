"""The audit log: one function writes it, from the domain, whoever acted and through whatever door.

Workflow transitions (articles/workflow.py), embargo links (articles/embargo.py) and
logins (articles/receivers.py, Django's auth signals) call `record`; the admin only
reads the log (articles/admin/audit.py). An entry is written in the caller's
transaction: a transition refused or rolled back leaves no line behind.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

from ..models import Article, AuditEntry

Action = AuditEntry.Action


def client_address(request) -> str | None:
    """The visitor's IP address, as far as our own proxies vouch for it.

    Behind nginx, REMOTE_ADDR is nginx (127.0.0.1). Each trusted proxy appends the
    address it received the request from to X-Forwarded-For, so with N proxies
    (settings.TRUSTED_PROXY_COUNT) the client is the Nth entry from the right;
    anything further left was sent by the client itself and may be forged. With
    0 (the default: no proxy) the header is ignored, since anyone can send it.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if count <= 0:
        return _valid(remote)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return _valid(remote)  # not through all our proxies: only the connection's address is known
    return _valid(forwarded[-count]) or _valid(remote)


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def record(*, action: str, actor=None, article: Article | None = None, detail: str = "", request=None) -> AuditEntry:
    """Write one entry. `actor` is the user who acted (None for a journalist's visit or an
    unknown login); `request`, when there is one, gives the address it came from."""
    username = actor.get_username() if actor is not None else ""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None  # no account to link: an AnonymousUser (named "") or the command line (named so)
    return _write(action=action, actor=actor, username=username, article=article, detail=detail, request=request)


def record_failed_login(*, username: str, request=None) -> AuditEntry:
    """A refused login: the username that was tried (never the password), no actor."""
    return _write(action=Action.LOGIN_FAILED, actor=None, username=username or "", article=None, detail="", request=request)


def _write(*, action, actor, username, article, detail, request) -> AuditEntry:
    return AuditEntry.objects.create(
        action=Action(action),
        actor=actor,
        actor_username=str(username)[:150],
        article=article,
        article_title=(article.title if article is not None else "")[:255],
        detail=detail,
        ip_address=client_address(request) if request is not None else None,
    )
