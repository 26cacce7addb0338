"""A release went live: its alerts are planned by a job of their own (connected in ArticlesConfig.ready()).

Runs in the dispatch job (at least once per event): queuing the planning twice plans
nothing more, as each delivery's key is unique.
"""

from django.dispatch import receiver

from ..publishing.events import release_went_live


@receiver(release_went_live, dispatch_uid="articles.alerts.receivers.plan_alerts")
def plan_alerts(sender, event, article, **kwargs):
    from .jobs import plan_release_alerts

    plan_release_alerts.enqueue(event.article_id, event.publication)
