"""Rédaction writes, Publication publishes: every workflow action through the admin's own HTTP endpoints."""

from datetime import timedelta

import pytest
from django.contrib import admin as django_admin
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.admin.photo import PhotoAdmin
from articles.models import Article, Photo, Quote
from tests.admin_posts import form_data
from tests.factories import (
    edit_token_of,
    make_article,
    make_credit,
    make_editor,
    make_photo,
    make_speaker,
    place,
)

pytestmark = pytest.mark.django_db

S = Article.Status
CHANGELIST = "admin:articles_article_changelist"






def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])




def run_action(client, action, articles, **fields):
    data = {"action": action, "_selected_action": [a.pk for a in articles], **fields}
    return client.post(reverse(CHANGELIST), data)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Rédaction ------------------------------------------------------------------------------


def test_a_writer_who_posts_a_published_status_is_refused_and_nothing_is_saved(writer_client):
    add = writer_client.get(reverse("admin:articles_article_add"))
    response = writer_client.post(reverse("admin:articles_article_add"), form_data(add, title="Tentative", status=S.PUBLISHED))
    assert response.status_code == 200
    assert "Seule l&#x27;équipe Publication peut publier" in response.text
    assert not Article.objects.filter(title="Tentative").exists()


def test_the_writer_form_offers_only_draft_and_review(writer_client):
    response = writer_client.get(reverse("admin:articles_article_add"))
    choices = [value for value, _ in response.context["adminform"].form.fields["status"].widget.choices]
    assert choices == [S.DRAFT, S.REVIEW]


def test_a_writer_edits_a_draft_and_puts_it_in_review(writer_client):
    article = make_article("Brouillon", status=S.DRAFT)
    page = writer_client.get(change_url(article))
    response = writer_client.post(change_url(article), form_data(page, title="Brouillon relu", status=S.REVIEW))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status) == ("Brouillon relu", S.REVIEW)


def test_a_writer_cannot_turn_a_draft_into_a_published_release(writer_client):
    article = make_article("Brouillon", status=S.DRAFT)
    page = writer_client.get(change_url(article))
    response = writer_client.post(change_url(article), form_data(page, status=S.PUBLISHED))
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == S.DRAFT


@pytest.mark.parametrize("offset", [timedelta(days=1), timedelta(days=-1)], ids=["scheduled", "live"])
def test_a_writer_sees_a_published_or_scheduled_release_read_only_and_cannot_post_to_it(writer_client, offset):
    article = make_article("Approuvé", publish_at=timezone.now() + offset)
    page = writer_client.get(change_url(article))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = writer_client.post(change_url(article), {"title": "Modifié en douce", "status": S.PUBLISHED})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Approuvé"


@pytest.mark.parametrize("action", ["publish_now", "schedule", "send_back_to_review", "withdraw", "remove"])
def test_a_writer_cannot_run_a_publishing_action(writer_client, action):
    article = make_article("En relecture", status=S.REVIEW)
    live = make_article("En ligne")
    response = run_action(writer_client, action, [article, live], confirm="yes", reason="x",
                          publish_at_0="01/01/2030", publish_at_1="10:00")
    assert response.status_code == 302
    article.refresh_from_db(), live.refresh_from_db()
    assert (article.status, live.status) == (S.REVIEW, S.PUBLISHED)
    assert f'<option value="{action}"' not in writer_client.get(reverse(CHANGELIST)).text


def test_a_writer_submits_for_review_after_a_confirmation(writer_client):
    article = make_article("Mon brouillon", status=S.DRAFT)
    confirm = run_action(writer_client, "submit_for_review", [article])
    assert confirm.status_code == 200 and "Mon brouillon" in confirm.text
    article.refresh_from_db()
    assert article.status == S.DRAFT  # nothing happens before the confirmation
    done = run_action(writer_client, "submit_for_review", [article], confirm="yes")
    assert "1 communiqué envoyé en relecture." in messages_of(done)
    article.refresh_from_db()
    assert article.status == S.REVIEW


# --- Publication ----------------------------------------------------------------------------


def test_a_publisher_publishes_now_after_a_confirmation(publisher_client, client):
    article = make_article("À publier", status=S.REVIEW)
    assert '<option value="publish_now"' in publisher_client.get(reverse(CHANGELIST)).text
    confirm = run_action(publisher_client, "publish_now", [article])
    assert confirm.status_code == 200 and "Oui, publier maintenant" in confirm.text
    done = run_action(publisher_client, "publish_now", [article], confirm="yes")
    assert "1 communiqué publié." in messages_of(done)
    article.refresh_from_db()
    assert article.is_public()


def test_a_publisher_schedules_a_release_in_paris_time(publisher_client):
    article = make_article("À programmer", status=S.REVIEW)
    done = run_action(publisher_client, "schedule", [article], confirm="yes", publish_at_0="03/03/2099", publish_at_1="10:00")
    assert "1 communiqué programmé." in messages_of(done)
    article.refresh_from_db()
    assert timezone.localtime(article.publish_at).strftime("%d/%m/%Y %H:%M") == "03/03/2099 10:00"
    assert not article.is_public()
    listing = publisher_client.get(reverse(CHANGELIST))
    assert 'release-state--programme">Programmé<' in listing.text
    assert "Programmé pour le mardi 3 mars 2099 à 10:00 (Europe/Paris)" in publisher_client.get(
        reverse("admin:articles_article_change", args=[article.pk])).text


def test_scheduling_in_the_spring_dst_gap_is_refused_with_a_clear_message(publisher_client):
    article = make_article("Heure d'été", status=S.REVIEW)
    response = run_action(publisher_client, "schedule", [article], confirm="yes", publish_at_0="29/03/2026", publish_at_1="02:30")
    assert response.status_code == 200
    assert "L&#x27;heure 29/03/2026 à 02:30 n&#x27;existe pas à Paris" in response.text
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_the_article_form_refuses_a_nonexistent_local_time_on_the_publication_date(publisher_client):
    article = make_article("Heure d'été", status=S.DRAFT)
    page = publisher_client.get(change_url(article))
    response = publisher_client.post(change_url(article), form_data(page, publish_at_0="29/03/2026", publish_at_1="02:30:00"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["publish_at"]
    assert "n'existe pas à Paris" in errors[0]


def test_a_publisher_withdraws_only_with_a_public_reason(publisher_client):
    article = make_article("À retirer")
    missing = run_action(publisher_client, "withdraw", [article], confirm="yes", reason="")
    assert missing.status_code == 200  # the confirmation again, with the error
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    done = run_action(publisher_client, "withdraw", [article], confirm="yes", reason="Chiffres erronés.")
    assert "1 communiqué retiré du site." in messages_of(done)
    article.refresh_from_db()
    assert (article.status, article.withdrawal_reason) == (S.WITHDRAWN, "Chiffres erronés.")


def test_a_publisher_sends_a_scheduled_release_back_to_review_so_a_writer_can_fix_it(publisher_client, client):
    article = make_article("Programmé", publish_at=timezone.now() + timedelta(days=1))
    done = run_action(publisher_client, "send_back_to_review", [article], confirm="yes")
    assert "1 communiqué renvoyé en relecture." in messages_of(done)
    writer = make_editor("Rédaction")
    client.force_login(writer)
    page = client.get(change_url(article))
    assert page.context["has_change_permission"] is True
    response = client.post(change_url(article), form_data(page, title="Programmé, corrigé"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.REVIEW  # off the schedule until a publisher approves it again


def test_a_publisher_removes_a_release_published_in_error(publisher_client, client):
    article = make_article("Erreur")
    done = run_action(publisher_client, "remove", [article], confirm="yes")
    assert "1 communiqué supprimé." in messages_of(done)
    assert client.get(article.get_absolute_url()).status_code == 410


def test_an_action_that_does_not_apply_says_why(publisher_client):
    draft = make_article("Jamais publié", status=S.DRAFT)
    done = run_action(publisher_client, "withdraw", [draft], confirm="yes", reason="Motif")
    assert any("« Jamais publié » : « Jamais publié » n'est pas publié" in m for m in messages_of(done))


def test_a_publisher_edits_a_live_release_and_adds_a_change_note(publisher_client, client):
    article = make_article("Accord signé")
    page = publisher_client.get(change_url(article))
    note = "Mis à jour le 4 mars : correction du nom de l'entreprise"
    response = publisher_client.post(change_url(article), form_data(page, change_note=note))
    assert response.status_code == 302
    assert "correction du nom" in client.get(article.get_absolute_url()).text


# --- What a published release shows: photos, credits, speakers, tags -------------------------


def _shown(kind, article):
    """A photo, credit, speaker or tag shown by `article`, its admin change URL and a valid edit to post."""
    if kind in ("photo", "credit"):
        photo = make_photo(caption="Légende approuvée", credit=make_credit("Nicolas Datiche"))
        place(article, photo)
        if kind == "photo":
            return photo, reverse("admin:articles_photo_change", args=[photo.pk]), {
                "caption": "Légende changée", "alt_text": photo.alt_text, "credit": photo.credit_id, "licence": "",
                "rights_expire_on": "", "focal_x": "0.5", "focal_y": "0.5",
            }
        credit = photo.credit
        return credit, reverse("admin:articles_credit_change", args=[credit.pk]), {
            "name": "Nom changé", "organisation": "", "url": "", "slug": credit.slug,
        }
    if kind == "speaker":
        speaker = make_speaker("Carole Delga")
        Quote.objects.create(article=article, speaker=speaker, text="Un grand jour.", position=0)
        return speaker, reverse("admin:articles_speaker_change", args=[speaker.pk]), {
            "name": "Nom changé", "role": "", "organisation": "", "slug": speaker.slug,
        }
    article.tags.add("Kyoto")
    tag = Tag.objects.get(name="Kyoto")
    # The tag's names in other languages (an inline, empty here) come with it, as a browser posts them.
    return tag, reverse("admin:taggit_tag_change", args=[tag.pk]), {
        "name": "Nom changé", "slug": tag.slug, "translations-TOTAL_FORMS": "0", "translations-INITIAL_FORMS": "0",
    }


def _name(obj):
    obj.refresh_from_db()
    return getattr(obj, "caption", None) or obj.name


KINDS = ["photo", "credit", "speaker", "tag"]
LOCKING = {"live": timedelta(hours=-1), "scheduled": timedelta(days=1)}


@pytest.mark.parametrize("state", LOCKING)
@pytest.mark.parametrize("kind", KINDS)
def test_a_writer_cannot_change_what_a_live_or_scheduled_release_shows(writer_client, kind, state):
    article = make_article("Accord approuvé", publish_at=timezone.now() + LOCKING[state])
    obj, url, data = _shown(kind, article)
    before = _name(obj)

    page = writer_client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False  # read-only, Django's own view page
    assert any("« Accord approuvé »" in m and "seule l'équipe Publication" in m for m in messages_of(page))

    assert writer_client.post(url, data).status_code == 403
    assert _name(obj) == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_writer_changes_what_only_drafts_show(writer_client, kind):
    obj, url, data = _shown(kind, make_article("Brouillon", status=S.DRAFT))
    page = writer_client.get(url)
    assert page.context["has_change_permission"] is True
    response = writer_client.post(url, {**data, "edit_token": page.context["adminform"].form["edit_token"].value()})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert _name(obj) in ("Légende changée", "Nom changé")


@pytest.mark.parametrize("kind", KINDS)
def test_a_publisher_changes_what_a_scheduled_release_shows(publisher_client, kind):
    obj, url, data = _shown(kind, make_article("Programmé", publish_at=timezone.now() + timedelta(days=1)))
    response = publisher_client.post(url, {**data, **edit_token_of(publisher_client, url)})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert _name(obj) in ("Légende changée", "Nom changé")


def test_a_release_published_while_the_writer_had_the_photo_open_keeps_its_photo(writer_client):
    article = make_article("Bientôt publié", status=S.REVIEW)
    photo, url, data = _shown("photo", article)
    page = writer_client.get(url)
    assert page.context["has_change_permission"] is True
    # The admin's save refuses it, whatever the form said when it was checked.
    Article.objects.filter(pk=article.pk).update(status=S.PUBLISHED, publish_at=timezone.now())
    request = page.wsgi_request
    photo.caption = "Légende changée"
    with pytest.raises(PermissionDenied):
        PhotoAdmin(Photo, django_admin.site).save_model(request, photo, page.context["adminform"].form, change=True)
    assert _name(photo) == "Légende approuvée"
