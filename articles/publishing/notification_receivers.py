"""Queue the e-mail of each workflow step the audit log records (publishing/notifications.py)."""

from django.db.models.signals import post_save

from ..models import AuditEntry
from .notifications import NOTIFIED


def _queue_notice(sender, instance, created, **kwargs):
    if created and instance.action in NOTIFIED and instance.article_id:
        from ..tasks import send_workflow_notice

        send_workflow_notice.enqueue(instance.pk)


def connect() -> None:
    post_save.connect(_queue_notice, sender=AuditEntry, dispatch_uid="workflow-notices")
