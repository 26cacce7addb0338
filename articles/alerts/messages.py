"""The e-mails themselves: multipart (text and HTML), in French, from templates in alerts/email/.

What an alert, a digest or a correction may show is decided by `Article.objects.public()`
alone: the sender passes only releases read through it (sending.py). Every message to a
subscriber carries the manage link and RFC 8058's one-click unsubscribe headers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ..paris_time import local_label
from . import tokens
from .models import Delivery, Subscriber


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(delivery: Delivery) -> str:
    """One Message-ID per delivery, always the same: a message sent twice (see sending.py) is one to mail clients."""
    return f"<{delivery.key.replace(':', '.')}@{_domain()}>"


def _subscriber_headers(subscriber: Subscriber) -> dict:
    return {
        # RFC 8058: a mail client may offer "unsubscribe" and POST there with one click, no page in between.
        "List-Unsubscribe": f"<{tokens.unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{settings.SITE_NAME} <alertes.{_domain()}>",
        "Auto-Submitted": "auto-generated",
    }


def _build(*, subject: str, template: str, context: dict, to: str, headers: dict) -> EmailMultiAlternatives:
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with translation.override("fr"):
        text = render_to_string(f"alerts/email/{template}.txt", context)
        html = render_to_string(f"alerts/email/{template}.html", context)
    # Subjects hold release titles typed by editors: no line break may reach a header.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def _subscriber_context(subscriber: Subscriber) -> dict:
    return {"manage_url": tokens.manage_url(subscriber), "unsubscribe_url": tokens.unsubscribe_url(subscriber)}


def article_context(article) -> dict:
    """What an e-mail shows of one public release: title, standfirst, lead photo and credit, link, contacts."""
    from ..templatetags.articles_extras import fallback_src

    placement = article.lead_placement
    photo = placement.photo if placement else None
    src = fallback_src(photo) if photo else ""
    return {
        "article": article,
        "article_url": settings.SITE_URL + article.get_absolute_url(),
        "photo": photo,
        "photo_alt": placement.shown_alt_text if placement else "",  # in the release's language
        "photo_src": (settings.SITE_URL + src) if src and src.startswith("/") else src,
        # Each contact's role in the release's language (issue #14), the French one standing in.
        "contacts": [{"name": c.name, "role": c.role_in(article.language)[0], "email": c.email, "phone": c.phone}
                     for c in article.press_contacts.all()],
        "published_label": local_label(article.publish_at),
    }


def confirmation(subscriber: Subscriber) -> EmailMultiAlternatives:
    context = {"subscriber": subscriber, "confirm_url": tokens.confirm_url(subscriber),
               "hours": settings.SUBSCRIPTION_CONFIRM_HOURS, **_subscriber_context(subscriber)}
    if subscriber.is_active:
        return _build(subject=_("Vos abonnements à %(site)s") % {"site": settings.SITE_NAME},
                      template="already_subscribed", context=context, to=subscriber.email, headers={})
    return _build(subject=_("Confirmez votre abonnement à %(site)s") % {"site": settings.SITE_NAME},
                  template="confirmation", context=context, to=subscriber.email, headers={})


def alert(delivery: Delivery, article_ctx: dict) -> EmailMultiAlternatives:
    subscriber = delivery.subscriber
    return _build(
        subject=article_ctx["article"].title, template="alert",
        context={**article_ctx, **_subscriber_context(subscriber)}, to=delivery.recipient,
        headers={**_subscriber_headers(subscriber), "Message-ID": message_id(delivery)},
    )


def correction(delivery: Delivery, article_ctx: dict) -> EmailMultiAlternatives:
    subscriber = delivery.subscriber
    return _build(
        subject=_("Correction : %(title)s") % {"title": article_ctx["article"].title}, template="correction",
        context={**article_ctx, **_subscriber_context(subscriber)}, to=delivery.recipient,
        headers={**_subscriber_headers(subscriber), "Message-ID": message_id(delivery)},
    )


def digest(delivery: Delivery, articles: list[dict], day_label: str) -> EmailMultiAlternatives:
    subscriber = delivery.subscriber
    return _build(
        subject=_("Les communiqués du %(day)s") % {"day": day_label}, template="digest",
        context={"items": articles, "day_label": day_label, **_subscriber_context(subscriber)}, to=delivery.recipient,
        headers={**_subscriber_headers(subscriber), "Message-ID": message_id(delivery)},
    )


def embargo_label(article) -> str:
    """ "EMBARGO jusqu'au mardi 3 mars 2026 à 10:00 (Europe/Paris)"."""
    return _("EMBARGO jusqu'au %(when)s") % {"when": local_label(article.publish_at)}


def embargo_notice(delivery: Delivery, link_url: str) -> EmailMultiAlternatives:
    article = delivery.notice.article
    label = embargo_label(article)
    return _build(
        subject=f"{label} — {article.title}", template="embargo",
        context={"article": article, "journalist": delivery.journalist, "link_url": link_url,
                 "embargo_label": label, "expires_label": local_label(delivery.notice.expires_at)},
        to=delivery.recipient, headers={"Message-ID": message_id(delivery), "Auto-Submitted": "auto-generated"},
    )
