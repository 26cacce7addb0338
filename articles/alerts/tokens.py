"""Signed links for subscribers (django.core.signing), each with its own salt.

- confirm: expires after SUBSCRIPTION_CONFIRM_HOURS (a TimestampSigner), carries the
  subscriber's id and secret;
- manage (change choices, leave, the one-click unsubscribe of RFC 8058): no expiry, as
  an alert read a year later must still let its reader leave; it carries the secret,
  which an erasure or a new subscription draws again, so old links stop working.

A link never carries the address itself: a forwarded alert tells nobody who received it.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Subscriber

CONFIRM_SALT = "articles.alerts.confirm"
MANAGE_SALT = "articles.alerts.manage"


class BadToken(Exception):
    """The link is unknown, altered, expired or no longer valid; `expired` says which kind."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _payload(subscriber: Subscriber) -> dict:
    return {"s": subscriber.pk, "k": subscriber.secret}


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(_payload(subscriber))


def manage_token(subscriber: Subscriber) -> str:
    return signing.Signer(salt=MANAGE_SALT).sign_object(_payload(subscriber))


def _resolve(data) -> Subscriber:
    try:
        pk, secret = int(data["s"]), str(data["k"])
    except (KeyError, TypeError, ValueError):
        raise BadToken() from None
    if not 0 < pk < 2**63:
        raise BadToken()
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not secrets_match(subscriber.secret, secret):
        raise BadToken()
    return subscriber


def secrets_match(a: str, b: str) -> bool:
    from django.utils.crypto import constant_time_compare

    return constant_time_compare(a, b)


def subscriber_for_confirmation(token: str) -> Subscriber:
    max_age = settings.SUBSCRIPTION_CONFIRM_HOURS * 3600
    try:
        data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise BadToken(expired=True) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise BadToken() from None
    return _resolve(data)


def subscriber_for_management(token: str) -> Subscriber:
    try:
        data = signing.Signer(salt=MANAGE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise BadToken() from None
    return _resolve(data)


def confirm_url(subscriber: Subscriber) -> str:
    return settings.SITE_URL + reverse("articles:subscription-confirm", args=[confirm_token(subscriber)])


def manage_url(subscriber: Subscriber) -> str:
    return settings.SITE_URL + reverse("articles:subscription-manage", args=[manage_token(subscriber)])


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The one-click address of RFC 8058: a POST there unsubscribes, a GET shows a confirmation button."""
    return settings.SITE_URL + reverse("articles:subscription-unsubscribe", args=[manage_token(subscriber)])
