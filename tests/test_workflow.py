"""The publishing workflow, as editors and readers live it: review, schedule, publish, withdraw, remove."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SlugRedirect
from articles.publishing import workflow
from tests.factories import make_article, make_editor, make_photo, place

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def writer():
    return make_editor("Rédaction")


def test_a_writer_submits_a_draft_for_review_and_the_version_goes_up(writer):
    article = make_article(status=S.DRAFT)
    result = workflow.submit_for_review(article=article, user=writer)
    assert result.status == S.REVIEW and result.version == article.version + 1
    assert result.updated_by == writer


def test_only_a_draft_can_be_submitted(writer):
    article = make_article(status=S.REVIEW)
    with pytest.raises(ValidationError, match="n'est pas un brouillon"):
        workflow.submit_for_review(article=article, user=writer)


@pytest.mark.parametrize("action", ["publish", "send_back_to_review", "remove"])
def test_a_writer_cannot_publish_send_back_or_remove(writer, action):
    article = make_article(status=S.REVIEW)
    with pytest.raises(PermissionDenied):
        getattr(workflow, action)(article=article, user=writer)
    with pytest.raises(PermissionDenied):
        workflow.withdraw(article=article, user=writer, reason="Erreur")
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_publishing_now_makes_the_release_public_and_sets_its_first_publication(publisher):
    article = make_article(status=S.REVIEW)
    workflow.publish(article=article, user=publisher)
    article.refresh_from_db()
    assert article.is_public()
    assert article.first_published_at == article.publish_at


def test_a_scheduled_release_is_invisible_until_its_minute_and_says_so(publisher, time_machine, client):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    article = make_article(status=S.REVIEW)
    workflow.publish(article=article, user=publisher, publish_at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    article.refresh_from_db()
    assert workflow.state_label(article) == "Programmé pour le mardi 3 mars 2026 à 10:00 (Europe/Paris)"
    assert client.get(article.get_absolute_url()).status_code == 404
    time_machine.move_to(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), tick=False)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_first_publication_date_is_kept_through_corrections_and_republication(publisher):
    article = make_article(status=S.REVIEW)
    workflow.publish(article=article, user=publisher)
    article.refresh_from_db()
    first = article.first_published_at
    workflow.send_back_to_review(article=article, user=publisher)
    workflow.publish(article=article, user=publisher, publish_at=timezone.now() + timedelta(days=1))
    article.refresh_from_db()
    assert article.first_published_at == first


def test_a_release_rescheduled_before_it_went_live_takes_its_new_time(publisher):
    article = make_article(status=S.REVIEW)
    workflow.publish(article=article, user=publisher, publish_at=timezone.now() + timedelta(days=1))
    later = timezone.now() + timedelta(days=2)
    workflow.publish(article=article, user=publisher, publish_at=later)
    article.refresh_from_db()
    assert article.first_published_at == later


def test_sending_a_scheduled_release_back_to_review_takes_it_off_the_schedule(publisher, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(status=S.REVIEW)
    workflow.publish(article=article, user=publisher, publish_at=timezone.now() + timedelta(hours=1))
    workflow.send_back_to_review(article=article, user=publisher)
    time_machine.shift(timedelta(hours=2))
    article.refresh_from_db()
    assert article.status == S.REVIEW and not article.is_public()
    assert article.first_published_at is None  # the public never saw it


def test_a_photo_whose_rights_have_expired_blocks_publication_with_a_french_reason(publisher):
    article = place(make_article(status=S.REVIEW), make_photo(caption="Vue de Kyoto", rights_expire_on=date(2020, 1, 1)))
    with pytest.raises(ValidationError) as error:
        workflow.publish(article=article, user=publisher)
    assert "Les droits de la photo « Vue de Kyoto » ont expiré le 01/01/2020." in error.value.messages[0]
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_withdrawing_needs_a_public_reason(publisher):
    article = make_article()
    with pytest.raises(ValidationError, match="motif du retrait est obligatoire"):
        workflow.withdraw(article=article, user=publisher, reason="  ")
    article.refresh_from_db()
    assert article.status == S.PUBLISHED


def test_a_withdrawn_release_names_itself_and_says_when_and_why_it_was_withdrawn_but_shows_nothing_else(
        publisher, client, time_machine):
    """As GOV.UK does: the title and first publication date, the withdrawal's date and reason; no text, photo or quote."""
    time_machine.move_to(datetime(2026, 3, 4, 11, 0, tzinfo=UTC), tick=False)
    article = make_article("Titre du communiqué", body="<p>Corps secret</p>", standfirst="Chapô secret",
                           publish_at=timezone.now() - timedelta(days=1), photos=1, quotes=1)
    article.first_published_at = article.publish_at
    article.save()
    workflow.withdraw(article=article, user=publisher, reason="Chiffres erronés.")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "<h1 lang=\"fr\">Titre du communiqué</h1>" in response.text
    assert "Publié le 3 mars 2026" in response.text
    assert "Ce communiqué a été retiré le 4 mars 2026." in response.text
    assert "Motif : <span lang=\"fr\">Chiffres erronés.</span>" in response.text
    assert "Corps secret" not in response.text and "Chapô secret" not in response.text
    assert "Citation 0" not in response.text
    assert "/media/" not in response.text
    assert response["X-Robots-Tag"] == "noindex"
    assert "Titre du communiqué" not in client.get(reverse("articles:article-list")).text


def test_a_release_published_in_error_answers_410(publisher, client):
    article = make_article("Publié par erreur")
    workflow.remove(article=article, user=publisher)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "Publié par erreur" not in response.text


@pytest.mark.parametrize("status", [S.DRAFT, S.REVIEW])
def test_a_never_published_release_is_a_plain_404(client, status):
    assert client.get(make_article(status=status).get_absolute_url()).status_code == 404


def test_a_scheduled_release_withdrawn_before_its_time_stays_a_404(publisher, client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(publish_at=timezone.now() + timedelta(hours=1))
    workflow.withdraw(article=article, user=publisher, reason="Annulé.")
    time_machine.shift(timedelta(hours=2))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_changing_the_slug_of_a_published_release_keeps_the_old_address_with_a_301(client):
    article = make_article(slug="ancien-titre")
    article.first_published_at = article.publish_at
    article.slug = "nouveau-titre"
    workflow.record_slug_change(article=article, old_slug="ancien-titre")
    article.save()
    response = client.get(reverse("articles:article-detail", args=["ancien-titre"]))
    assert response.status_code == 301
    assert response["Location"] == reverse("articles:article-detail", args=["nouveau-titre"])


def test_the_old_slug_of_a_draft_leads_nowhere(client):
    article = make_article(status=S.DRAFT, slug="brouillon-nouveau")
    SlugRedirect.objects.create(old_slug="brouillon-ancien", article=article)
    assert client.get(reverse("articles:article-detail", args=["brouillon-ancien"])).status_code == 404


def test_the_change_note_is_shown_on_the_page(client):
    article = make_article(change_note="Mis à jour le 4 mars : correction du nom de l'entreprise")
    response = client.get(article.get_absolute_url())
    assert "Mis à jour le 4 mars : correction du nom de l&#x27;entreprise" in response.text
