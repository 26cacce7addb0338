"""Release events become webhook deliveries (connected in ArticlesConfig.ready()).

Runs in a worker, in the event's dispatch job; idempotent, as that dispatch may run twice.
"""

from django.dispatch import receiver

from ..publishing.events import release_removed, release_updated, release_went_live, release_withdrawn


@receiver(release_went_live, dispatch_uid="articles.webhooks.receivers.deliver.went_live")
@receiver(release_updated, dispatch_uid="articles.webhooks.receivers.deliver.updated")
@receiver(release_withdrawn, dispatch_uid="articles.webhooks.receivers.deliver.withdrawn")
@receiver(release_removed, dispatch_uid="articles.webhooks.receivers.deliver.removed")
def queue_deliveries(sender, event, article, **kwargs):
    from .services import deliveries_for_event

    deliveries_for_event(event)
