"""E-mails that keep the two teams in step: Publication hears when a writer sends a release for
review; the writer hears when it is sent back, scheduled or published. Read from the audit
log's entries (each state change writes one, whoever made it: admin, action, importer), sent by
a background job so that a slow mail server never holds an editor's save (articles/tasks.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from ..models import AuditEntry
from .roles import PUBLISH_PERMISSION

Action = AuditEntry.Action
TO_PUBLICATION = {Action.SUBMITTED}
TO_WRITER = {Action.SENT_BACK, Action.PUBLISHED, Action.SCHEDULED}
NOTIFIED = TO_PUBLICATION | TO_WRITER


def publishers():
    """Active accounts that may publish (the Publication group, or the permission given directly)."""
    app, codename = PUBLISH_PERMISSION.split(".")
    can = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app) | Q(is_superuser=True)
    return get_user_model().objects.filter(can, is_active=True).exclude(email="").distinct()


def recipients(entry: AuditEntry) -> list[str]:
    article = entry.article
    if article is None:
        return []
    if entry.action in TO_PUBLICATION:
        people = publishers().exclude(pk=entry.actor_id) if entry.actor_id else publishers()
        return sorted({user.email for user in people})
    writer = article.created_by
    if entry.action in TO_WRITER and writer is not None and writer.email and writer.pk != entry.actor_id and writer.is_active:
        return [writer.email]
    return []


def message(entry: AuditEntry) -> tuple[str, str]:
    article = entry.article
    who = entry.actor_username or "la ligne de commande"
    link = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    what = {
        Action.SUBMITTED: ("À relire", f"{who} a envoyé « {article.title} » en relecture."),
        Action.SENT_BACK: ("Renvoyé", f"{who} a renvoyé « {article.title} » : il n'est plus en ligne ni programmé."),
        Action.PUBLISHED: ("Publié", f"{who} a publié « {article.title} » : il est en ligne."),
        Action.SCHEDULED: ("Programmé", f"{who} a programmé « {article.title} »."),
    }[entry.action]
    detail = f"\n\nNote : {entry.detail}" if entry.detail else ""
    return f"{what[0]} : {article.title}", f"{what[1]}{detail}\n\nOuvrir le communiqué : {link}\n"


def send_notice(entry_id: int) -> int:
    """Send the e-mail of one audit entry; the number of recipients (0: nobody to tell)."""
    entry = AuditEntry.objects.select_related("article__created_by").filter(pk=entry_id).first()
    if entry is None or entry.action not in NOTIFIED:
        return 0
    to = recipients(entry)
    if not to:
        return 0
    subject, body = message(entry)
    # One mail per person: nobody learns the others' addresses.
    for address in to:
        send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return len(to)
