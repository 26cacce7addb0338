"""Release events: "went live" exactly once per publication; "updated", "withdrawn", "removed".

Jobs run at once here (tests/settings.py); real workers: tests/test_background_worker.py.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, ReleaseEvent
from articles.publishing import events, workflow
from tests.factories import login_verified, make_article

pytestmark = pytest.mark.django_db
K = ReleaseEvent.Kind


def kinds(article) -> list[tuple[str, int]]:
    return [(e.kind, e.publication) for e in ReleaseEvent.objects.filter(article=article).order_by("at", "id")]


def test_publishing_now_fires_went_live_at_once_and_only_once(publisher):
    release = workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)

    event = ReleaseEvent.objects.get(article=release)
    assert (event.kind, event.publication) == (K.WENT_LIVE, 1)
    assert event.dispatched_at is not None  # its dispatch job ran (at once, in tests)
    assert events.claim_went_live(article_id=release.pk) is None  # a second claimer gets nothing
    assert events.sweep_went_live() == 0
    assert kinds(release) == [(K.WENT_LIVE, 1)]


def test_a_scheduled_release_goes_live_when_the_sweep_finds_its_time_has_passed(publisher):
    at = timezone.now() + timedelta(hours=2)
    release = workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher, publish_at=at)
    assert events.sweep_went_live() == 0
    assert kinds(release) == []

    with time_machine.travel(at + timedelta(seconds=5), tick=False):
        assert events.sweep_went_live() == 1
        assert events.sweep_went_live() == 0

    event = ReleaseEvent.objects.get(article=release)
    assert event.kind == K.WENT_LIVE and event.payload["delay_seconds"] == 5.0


def test_withdrawn_then_published_again_is_a_second_publication(publisher):
    release = workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    workflow.withdraw(article=release, user=publisher, reason="Erreur de chiffres.")
    release.refresh_from_db()
    assert release.went_live_at is None  # off the site: the claim is cleared
    workflow.publish(article=release, user=publisher)

    assert kinds(release) == [(K.WENT_LIVE, 1), (K.WITHDRAWN, 1), (K.WENT_LIVE, 2)]


def test_correcting_a_live_release_is_updated_and_removing_it_is_removed(publisher):
    release = workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    workflow.publish(article=release, user=publisher)  # a publisher saves it again: a correction
    workflow.remove(article=release, user=publisher)

    assert kinds(release) == [(K.WENT_LIVE, 1), (K.UPDATED, 1), (K.REMOVED, 1)]


def test_a_scheduled_release_taken_off_the_schedule_fires_nothing(publisher):
    """No hook may learn of a release the public never saw (embargo)."""
    release = workflow.publish(
        article=make_article(status=Article.Status.REVIEW), user=publisher, publish_at=timezone.now() + timedelta(days=1)
    )
    workflow.send_back_to_review(article=release, user=publisher)
    workflow.publish(article=release, user=publisher, publish_at=timezone.now() + timedelta(days=1))
    workflow.withdraw(article=release, user=publisher, reason="Annulé.")

    assert kinds(release) == []


def test_an_editor_form_loaded_before_the_claim_cannot_undo_it(publisher):
    release = make_article(publish_at=timezone.now() - timedelta(minutes=1))  # public, not yet announced
    stale = Article.objects.get(pk=release.pk)  # e.g. the admin's form, opened a second earlier
    assert events.sweep_went_live() == 1

    stale.title = "Titre corrigé"
    stale.save()

    release.refresh_from_db()
    assert release.title == "Titre corrigé" and release.went_live_at is not None
    assert events.sweep_went_live() == 0
    assert kinds(release) == [(K.WENT_LIVE, 1)]


def test_the_database_refuses_a_second_went_live_for_one_publication():
    from django.db import IntegrityError, transaction

    release = make_article()
    ReleaseEvent.objects.create(article=release, kind=K.WENT_LIVE, publication=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseEvent.objects.create(article=release, kind=K.WENT_LIVE, publication=1)


def test_publishing_from_the_admin_form_fires_went_live(client, publisher):
    from django.urls import reverse

    from tests.admin_posts import form_data

    release = make_article(status=Article.Status.REVIEW)
    login_verified(client, publisher)
    url = reverse("admin:articles_article_change", args=[release.pk])
    response = client.post(url, form_data(client.get(url), status=Article.Status.PUBLISHED))

    assert response.status_code == 302
    assert kinds(release) == [(K.WENT_LIVE, 1)]
