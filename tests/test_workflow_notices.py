"""E-mails between the teams: Publication hears of a release to review, its writer of a release
sent back, scheduled or published; whoever made the change, admin or not."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from articles.models import Article
from articles.publishing import workflow
from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db
S = Article.Status


@pytest.fixture
def team():
    writer = make_editor("Rédaction", email="redaction@example.org")
    publisher = make_editor("Publication", email="publication@example.org")
    other = make_editor("Publication", email="autre.publication@example.org")
    make_editor("Publication", email="")  # no address: nobody to write to
    return writer, publisher, other


def test_a_release_sent_for_review_is_announced_to_each_publisher_separately(team):
    writer, _publisher, _other = team
    article = make_article("Rentrée des lycées", status=S.DRAFT, created_by=writer)
    workflow.submit_for_review(article=article, user=writer)
    assert sorted(m.to[0] for m in mail.outbox) == ["autre.publication@example.org", "publication@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    first = mail.outbox[0]
    assert first.subject.endswith("À relire : Rentrée des lycées")
    assert "a envoyé « Rentrée des lycées » en relecture" in first.body
    assert f"/admin/articles/article/{article.pk}/change/" in first.body


def test_the_writer_hears_when_the_release_is_published_scheduled_or_sent_back(team):
    writer, publisher, _other = team
    live = make_article("Budget voté", status=S.REVIEW, created_by=writer)
    workflow.publish(article=live, user=publisher)
    assert [m.to for m in mail.outbox] == [["redaction@example.org"]]
    assert "Publié : Budget voté" in mail.outbox[0].subject
    mail.outbox.clear()
    later = make_article("Inauguration", status=S.REVIEW, created_by=writer)
    workflow.publish(article=later, user=publisher, publish_at=timezone.now() + timedelta(days=2))
    assert "Programmé : Inauguration" in mail.outbox[0].subject
    mail.outbox.clear()
    workflow.send_back_to_review(article=later, user=publisher)
    assert [m.to for m in mail.outbox] == [["redaction@example.org"]]
    assert "Renvoyé : Inauguration" in mail.outbox[0].subject


def test_nobody_is_told_of_their_own_change(team):
    _writer, publisher, other = team
    own = make_article("Le mien", status=S.REVIEW, created_by=publisher)
    workflow.publish(article=own, user=publisher)
    assert mail.outbox == []
