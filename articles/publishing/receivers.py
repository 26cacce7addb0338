"""What the project itself does when a release event is dispatched (articles/events.py).

Connected in `ArticlesConfig.ready()`. Receivers run in a worker, after the event's
transaction committed, and may run twice for one event (at-least-once dispatch): each
must be idempotent. Alerts, webhooks and a CDN purge belong here, as jobs of their own.
"""

from django.dispatch import receiver

from .events import release_removed, release_updated, release_went_live, release_withdrawn


@receiver(release_went_live, dispatch_uid="articles.publishing.receivers.retire_cached_pages.went_live")
@receiver(release_updated, dispatch_uid="articles.publishing.receivers.retire_cached_pages.updated")
@receiver(release_withdrawn, dispatch_uid="articles.publishing.receivers.retire_cached_pages.withdrawn")
@receiver(release_removed, dispatch_uid="articles.publishing.receivers.retire_cached_pages.removed")
def retire_cached_pages(sender, event, article, **kwargs):
    """Cached pages and the cached "next publication" are retired at once, not at their expiry.

    The claim is a bulk UPDATE, which sends no post_save; this is its cache invalidation.
    Idempotent: retiring twice costs a cache miss.
    """
    from ..caching import dependencies
    from ..caching.policy import invalidate_next_publication

    dependencies.changed(dependencies.PUBLICATIONS, dependencies.release(article.pk))
    invalidate_next_publication()


@receiver(release_went_live, dispatch_uid="articles.publishing.receivers.refresh_press_kit.went_live")
@receiver(release_updated, dispatch_uid="articles.publishing.receivers.refresh_press_kit.updated")
@receiver(release_withdrawn, dispatch_uid="articles.publishing.receivers.refresh_press_kit.withdrawn")
@receiver(release_removed, dispatch_uid="articles.publishing.receivers.refresh_press_kit.removed")
def refresh_press_kit(sender, event, article, **kwargs):
    """The press kit is built ahead when a release goes live or changes, and discarded when it
    leaves the site (a job of its own: a kit of large photos takes seconds to write)."""
    from ..tasks import refresh_press_kit as job

    job.enqueue(article.pk)


@receiver(release_went_live, dispatch_uid="articles.publishing.receivers.refresh_release_pdf.went_live")
@receiver(release_updated, dispatch_uid="articles.publishing.receivers.refresh_release_pdf.updated")
@receiver(release_withdrawn, dispatch_uid="articles.publishing.receivers.refresh_release_pdf.withdrawn")
@receiver(release_removed, dispatch_uid="articles.publishing.receivers.refresh_release_pdf.removed")
def refresh_release_pdf(sender, event, article, **kwargs):
    """The release's PDF is drawn once per publication and per update, and discarded when it leaves
    the site (a job of its own: drawing takes a fraction of a second, a visitor need not wait)."""
    from ..tasks import refresh_release_pdf as job

    job.enqueue(article.pk)
