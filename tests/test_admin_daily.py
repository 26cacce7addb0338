"""The admin as a communications officer uses it every day: states in words, only the
fields that mean something now, the text rendered for those who only read it, a
dashboard for Publication, French everywhere and spell-check on."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.publishing.states import State, in_state, state_of
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db
S = Article.Status
ADD = reverse("admin:articles_article_add")


def change(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def field_rows(response) -> set[str]:
    return {name for name in ("status", "publish_at", "public_link", "preview_link", "change_note",
                              "first_published_at", "withdrawal_reason", "withdrawn_at", "state")
            if f"field-{name}" in response.text}


# --- States as people say them ----------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "state"), [
    ({"status": S.DRAFT}, State.DRAFT),
    ({"status": S.REVIEW}, State.REVIEW),
    ({"publish_at": timedelta(days=1)}, State.SCHEDULED),
    ({}, State.ONLINE),
    ({"status": S.WITHDRAWN}, State.WITHDRAWN),
    ({"status": S.REMOVED}, State.REMOVED),
])
def test_each_release_has_one_state_and_the_filter_agrees(kwargs, state):
    if "publish_at" in kwargs:
        kwargs["publish_at"] = timezone.now() + kwargs["publish_at"]
    article = make_article(**kwargs)
    make_article("Autre", status=S.DRAFT if state != State.DRAFT else S.REVIEW)
    assert state_of(article) == state
    assert list(in_state(Article.objects.all(), state)) == [article]


def test_the_form_header_names_the_state_of_a_scheduled_release_not_publie(admin_client):
    article = make_article(publish_at=timezone.now() + timedelta(days=2))
    page = admin_client.get(change(article)).text
    assert 'class="release-state release-state--programme">Programmé</span>' in page
    assert "Programmé pour le" in page
    new = admin_client.get(ADD).text
    assert "Nouveau brouillon" in new


# --- Fields by state ----------------------------------------------------------------------


def test_a_new_draft_shows_no_withdrawal_no_first_publication_and_no_date_to_a_writer(writer_client):
    assert field_rows(writer_client.get(ADD)) == {"status"}
    draft = make_article(status=S.DRAFT)
    assert field_rows(writer_client.get(change(draft))) == {"state", "status", "preview_link"}


def test_a_publisher_sees_the_date_and_a_live_release_shows_what_it_went_through(publisher_client):
    assert field_rows(publisher_client.get(ADD)) == {"status", "publish_at"}
    live = make_article(first_published_at=timezone.now() - timedelta(hours=1))
    assert field_rows(publisher_client.get(change(live))) == {
        "state", "status", "publish_at", "public_link", "preview_link", "change_note", "first_published_at",
        "withdrawal_reason",
    }
    withdrawn = make_article(status=S.WITHDRAWN, withdrawn_at=timezone.now(), withdrawal_reason="Erreur de chiffre")
    assert {"withdrawal_reason", "withdrawn_at"} <= field_rows(publisher_client.get(change(withdrawn)))


def test_a_writer_opening_a_live_release_reads_its_text_rendered_not_its_html(writer_client):
    live = make_article(body="<p>Un texte <strong>important</strong>.</p><h2>Suite</h2>")
    page = writer_client.get(change(live)).text
    assert '<div class="rendered-body"><p>Un texte <strong>important</strong>.</p><h2>Suite</h2></div>' in page
    assert "&lt;p&gt;" not in page
    assert "Voir l&#x27;aperçu de la version enregistrée" in page or "Voir l'aperçu de la version enregistrée" in page


# --- The dashboard ------------------------------------------------------------------------


def test_publications_dashboard_shows_the_week_the_reviews_the_recent_and_expiring_rights(publisher_client):
    now = timezone.now()
    make_article("Programmé demain", publish_at=now + timedelta(days=1))
    make_article("Programmé dans un mois", publish_at=now + timedelta(days=30))
    make_article("À relire", status=S.REVIEW)
    make_article("Sorti hier", publish_at=now - timedelta(days=1))
    make_article("Sorti il y a un mois", publish_at=now - timedelta(days=30))
    make_photo(caption="Photo aux droits courts", rights_expire_on=date.today() + timedelta(days=10))
    make_photo(caption="Photo aux droits longs", rights_expire_on=date.today() + timedelta(days=300))
    page = publisher_client.get(reverse("admin:index")).text
    dashboard = page.split('class="dashboard"')[1].split("</section>\n</section>")[0] if 'class="dashboard"' in page else ""
    for shown in ("Programmé demain", "À relire", "Sorti hier", "Photo aux droits courts", "Heures de Paris"):
        assert shown in dashboard, shown
    for hidden in ("Programmé dans un mois", "Sorti il y a un mois", "Photo aux droits longs"):
        assert hidden not in dashboard, hidden
    tomorrow = timezone.localtime(now + timedelta(days=1))
    assert "Demain, " in dashboard and tomorrow.strftime("%H:%M") in dashboard


# --- French wording and spell-check -------------------------------------------------------


def test_the_admin_says_mots_cles_and_no_objet_supplementaire(admin_client):
    index = admin_client.get(reverse("admin:index")).text
    assert "Mots-clés" in index and "Taggit" not in index and "TAGGIT" not in index
    for stock in ("Otp_Totp", "Otp_Static", "Tasks Database Backend", "TOTP devices", "static devices"):
        assert stock not in index, stock
    assert "Double authentification : codes de secours" in index and "Tâches de fond" in index
    add = admin_client.get(ADD).text
    assert "objet" not in add.split("data-inline-formset")[1][:2000]
    assert "Ajouter une ligne « Citation »" in add.replace("&quot;", '"').replace("\\u00ab", "«").replace("\\u00bb", "»")
    photos = admin_client.get(reverse("admin:articles_photo_changelist")).text
    assert "Sélectionnez l&#x27;objet" not in photos and "Sélectionnez l'objet" not in photos


def test_spell_check_is_on_in_prose_fields_and_off_in_addresses(admin_client):
    page = admin_client.get(ADD).text
    for name in ("title", "standfirst", "location"):
        tag = page.split(f'name="{name}"')[1].split(">")[0] + page.split(f'name="{name}"')[0][-300:].split("<")[-1]
        assert 'spellcheck="true"' in tag and 'lang="fr"' in tag, name
    english = make_article(language="en")
    assert 'lang="en"' in admin_client.get(change(english)).text.split('name="title"')[1].split(">")[0]
    slug_tag = page.split('name="slug"')[1].split(">")[0]
    assert "spellcheck" not in slug_tag
    contact = admin_client.get(reverse("admin:articles_presscontact_add")).text
    assert "spellcheck" not in contact.split('name="email"')[1].split(">")[0]


def test_the_prose_editor_gets_its_french_catalogue(admin_client):
    catalogue = admin_client.get(reverse("admin:jsi18n")).text
    # django-prose-editor's link dialog, in French: without its catalogue it says "Edit Link".
    assert '"Edit Link": "Modifier le lien"' in catalogue
    assert '"Title": "Titre"' in catalogue


# --- New photos in place ------------------------------------------------------------------


def post_release_with_uploads(client, *rows, **fields):
    from tests.admin_posts import article_data, management

    data = {**article_data(**fields), **management("article_photos", len(rows)), **management("quotes", 0)}
    for k, row in enumerate(rows):
        data.update({f"article_photos-{k}-{name}": value for name, value in row.items()})
    return client.post(ADD, data)


def test_photos_added_in_the_release_form_carry_their_texts_credit_and_focal_point(admin_client):
    from articles.models import Credit, Photo
    from tests.factories import image_upload

    Credit.objects.create(name="Antoine Darnaud")
    response = post_release_with_uploads(
        admin_client,
        {"position": "0", "upload": image_upload("signature.jpg", size=(800, 500)), "upload_caption": "La signature",
         "upload_alt_text": "Deux personnes signent un document", "upload_credit": "antoine darnaud",
         "upload_focal_x": "0.25", "upload_focal_y": "0.7"},
        {"position": "1", "upload": image_upload("kyoto.jpg", size=(800, 500)), "upload_caption": "Kyoto de nuit",
         "upload_alt_text": "Une rue éclairée de lanternes", "upload_credit": "Aiko Mori"},
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    article = Article.objects.get()
    first, second = [placement.photo for placement in article.article_photos.order_by("position")]
    assert (first.caption, first.alt_text, first.credit.name) == ("La signature", "Deux personnes signent un document", "Antoine Darnaud")
    assert (first.focal_x, first.focal_y) == (0.25, 0.7)
    assert (second.credit.name, second.focal_x) == ("Aiko Mori", 0.5)  # a new credit, created once
    assert Credit.objects.count() == 2 and Photo.objects.count() == 2


def test_a_new_photo_without_its_texts_or_with_a_bad_file_is_refused_in_french_and_nothing_is_stored(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.models import Credit, Photo
    from tests.factories import image_upload

    response = post_release_with_uploads(admin_client, {"position": "0", "upload": image_upload("a.jpg"), "upload_caption": "Sans texte"})
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["inline_admin_formsets"][0].formset.errors)
    assert "texte alternatif" in errors and "crédit" in errors
    bad = SimpleUploadedFile("faux.jpg", b"<html>pas une image</html>", content_type="image/jpeg")
    response = post_release_with_uploads(admin_client, {"position": "0", "upload": bad, "upload_caption": "Légende",
                                                        "upload_alt_text": "Texte", "upload_credit": "Quelqu'un"})
    assert response.status_code == 200
    assert (Article.objects.count(), Photo.objects.count(), Credit.objects.count()) == (0, 0, 0)


def test_the_photo_add_form_says_where_a_new_photo_is_used_in_words(admin_client):
    page = admin_client.get(reverse("admin:articles_photo_add")).text
    assert ">None<" not in page
    assert "data-focal-x" in page  # the focal point can be set on the chosen file before saving


def test_the_preview_of_an_undated_draft_says_its_date_is_to_come(admin_client):
    draft = make_article("Projet de communiqué", status=S.DRAFT, location="Montpellier")
    page = admin_client.get(reverse("articles:article-preview", args=[draft.pk])).text
    assert "Montpellier, date de publication à venir" in page
    assert "Montpellier, le" not in page
