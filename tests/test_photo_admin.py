"""The photo library and the credits in the admin, as an editor uses them."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from articles.models import Article, ArticlePhoto, Credit, Photo
from tests.factories import (
    edit_token_of,
    exif_text,
    image_upload,
    make_article,
    make_credit,
    make_photo,
    place,
    xp_text,
)

pytestmark = pytest.mark.django_db

S = Article.Status


def photo_url(view="changelist", *args):
    return reverse(f"admin:articles_photo_{view}", args=args)


def shown_captions(response) -> set[str]:
    return {photo.caption for photo in response.context["cl"].result_list}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def artist(photo) -> str:
    photo.refresh_from_db()
    with photo.image.open("rb") as fh, Image.open(fh) as im:
        return xp_text(im.getexif(), 0x9C9D)  # XPAuthor: the exact text (EXIF's Artist is ASCII)


# Finding photos


def test_the_library_finds_photos_by_caption_credit_or_the_tags_of_their_releases(admin_client):
    kyoto = make_photo(caption="Le temple", credit=make_credit("Nicolas Datiche"))
    place(make_article(tags=["Japon", "Kyoto"]), kyoto)
    place(make_article(tags=["Kyoto"]), kyoto)  # two releases with the tag: still listed once
    other = make_photo(caption="Le Capitole", credit=make_credit("Agence Sud Images"))
    place(make_article(tags=["Toulouse"]), other)
    assert [p.caption for p in admin_client.get(photo_url(), {"q": "kyoto"}).context["cl"].result_list] == ["Le temple"]
    assert shown_captions(admin_client.get(photo_url(), {"q": "capitole"})) == {"Le Capitole"}
    assert shown_captions(admin_client.get(photo_url(), {"q": "datiche"})) == {"Le temple"}
    response = admin_client.get(photo_url())
    assert "mots-clés des communiqués" in response.content.decode()  # the search box says what it searches


def test_the_library_shows_thumbnails(admin_client):
    photo = make_photo()
    html = admin_client.get(photo_url()).content.decode()
    assert photo.rendition("thumb-jpeg").file.url in html


def test_the_library_filters_photos_in_a_published_release_or_in_none(admin_client):
    published = make_photo(caption="Publiée")
    in_draft = make_photo(caption="Dans un brouillon")
    make_photo(caption="Inutilisée")
    place(make_article(), published)
    place(make_article(status=S.DRAFT), in_draft)
    assert shown_captions(admin_client.get(photo_url(), {"utilisation": "publiee"})) == {"Publiée"}
    assert shown_captions(admin_client.get(photo_url(), {"utilisation": "inutilisee"})) == {"Inutilisée"}


# The change page: focal point picker and "used in"


def test_the_change_page_has_a_focal_point_picker_on_the_whole_picture(admin_client):
    photo = make_photo(image=image_upload("large.jpg", size=(1200, 800)), focal_x=0.25, focal_y=0.75)
    html = admin_client.get(photo_url("change", photo.pk)).content.decode()
    preview = photo.rendition("w960-jpeg")
    assert 'data-focal-picker' in html
    assert f'src="{preview.file.url}"' in html and 'width="960" height="640"' in html  # uncropped, not the square
    assert 'id="id_focal_x"' in html and 'value="0.25"' in html  # the script places the ring from the fields
    assert "style=" not in html.split('data-focal-picker', 1)[1].split("</div>", 1)[0]  # no inline style (CSP)
    assert "Cliquez sur l&#x27;aperçu" in html or "Cliquez sur l'aperçu" in html
    for asset in ("articles/admin/focal_point.js", "articles/admin/focal_point.css"):
        assert f"{settings.STATIC_URL}{asset}" in html
        assert finders.find(asset), asset  # shipped with the app, no CDN
    assert "//cdn" not in html


def test_the_picker_script_writes_the_focal_fields():
    script = open(finders.find("articles/admin/focal_point.js")).read()
    assert 'getElementById("id_focal_x")' in script and 'getElementById("id_focal_y")' in script
    assert "http" not in script  # nothing fetched


def test_saving_a_new_focal_point_recrops_the_renditions(admin_client):
    photo = make_photo(image=image_upload("large.jpg", size=(1200, 800)))
    before = photo.rendition("social-jpeg").file.name
    data = {
        "caption": photo.caption, "alt_text": photo.alt_text, "credit": photo.credit_id,
        "licence": "", "rights_expire_on": "", "focal_x": "0.1", "focal_y": "0.9",
        **edit_token_of(admin_client, photo_url("change", photo.pk)),
    }
    response = admin_client.post(photo_url("change", photo.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.1, 0.9)
    assert photo.renditions.get(spec="social-jpeg").file.name != before


def test_the_change_page_lists_the_releases_using_the_photo(admin_client):
    photo = make_photo()
    live = place(make_article("Occitanie à Kyoto"), photo)
    draft = place(make_article("Brouillon en cours", status=S.DRAFT), photo)
    html = admin_client.get(photo_url("change", photo.pk)).content.decode()
    assert "Utilisée dans" in html
    for article, status in ((live, "Publié"), (draft, "Brouillon")):
        assert reverse("admin:articles_article_change", args=[article.pk]) in html
        assert f"{article.title}</a> — {status}" in html
    unused = make_photo()
    assert "Aucun communiqué : la photo peut être supprimée." in admin_client.get(photo_url("change", unused.pk)).content.decode()


# Deleting


@pytest.mark.parametrize("status", [S.PUBLISHED, S.WITHDRAWN])
def test_deleting_a_photo_of_a_published_release_is_refused_naming_the_releases(admin_client, status):
    photo = make_photo(caption="Le temple")
    place(make_article("Occitanie à Kyoto", status=status), photo)
    place(make_article("Une autre annonce", status=status), photo)
    for method in (admin_client.get, admin_client.post):
        response = method(photo_url("delete", photo.pk), follow=True)
        assert response.redirect_chain[-1][0] == photo_url("change", photo.pk)
        (message,) = messages_of(response)
        assert message == (
            "Suppression impossible. La photo « Le temple » illustre 2 communiqués publiés ou retirés : "
            "« Occitanie à Kyoto », « Une autre annonce ». "
            "Retirez-la d'abord de ces communiqués (ou remplacez-la), puis supprimez-la."
        )
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_an_embargoed_release_locks_its_photo_too(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    photo = make_photo()
    place(make_article(publish_at=timezone.now() + timedelta(days=2)), photo)
    admin_client.post(photo_url("delete", photo.pk))
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_a_photo_used_only_by_drafts_is_deleted_after_naming_the_drafts_that_lose_it(admin_client):
    photo = make_photo(caption="Le temple")
    draft = place(make_article("Brouillon en cours", status=S.DRAFT), photo)
    confirmation = admin_client.get(photo_url("delete", photo.pk))
    html = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert "Retirée du communiqué « Brouillon en cours » (Brouillon)" in html
    assert not confirmation.context["protected"]
    response = admin_client.post(photo_url("delete", photo.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert Article.objects.filter(pk=draft.pk).exists() and not draft.article_photos.exists()


def test_the_bulk_delete_refuses_when_one_photo_is_locked(admin_client):
    free, locked = make_photo(caption="Libre"), make_photo(caption="Le temple")
    place(make_article("Occitanie à Kyoto"), locked)
    data = {"action": "delete_selected", "_selected_action": [free.pk, locked.pk], "post": "yes"}
    response = admin_client.post(photo_url(), data, follow=True)
    (message,) = messages_of(response)
    assert "La photo « Le temple » illustre un communiqué publié ou retiré : « Occitanie à Kyoto »." in message
    assert Photo.objects.filter(pk__in=[free.pk, locked.pk]).count() == 2


def test_the_bulk_delete_removes_unlocked_photos(admin_client):
    a, b = make_photo(), make_photo()
    place(make_article(status=S.REVIEW), b)
    response = admin_client.post(photo_url(), {"action": "delete_selected", "_selected_action": [a.pk, b.pk], "post": "yes"})
    assert response.status_code == 302
    assert not Photo.objects.filter(pk__in=[a.pk, b.pk]).exists()
    assert not ArticlePhoto.objects.exists()


# Credits


def credit_data(client, credit, **changes):
    """What the credit's change page posts, opened by `client` just before, with `changes`."""
    data = {"name": credit.name, "organisation": credit.organisation, "url": credit.url, "slug": credit.slug}
    data.update(edit_token_of(client, reverse("admin:articles_credit_change", args=[credit.pk])), **changes)
    return data


def test_the_credit_list_counts_photos(admin_client):
    credit = make_credit("Nicolas Datiche")
    make_photo(credit=credit)
    make_photo(credit=credit)
    html = admin_client.get(reverse("admin:articles_credit_changelist")).content.decode()
    assert re.search(r"Nicolas Datiche</a></th><td class=\"field-organisation\">.*?</td><td class=\"field-photo_count\">2</td>", html)


def test_renaming_a_credit_rewrites_its_photos_files(admin_client):
    credit = make_credit("Nicolas Datiche")
    photos = [make_photo(credit=credit), make_photo(credit=credit)]
    make_photo(credit=make_credit("Quelqu'un d'autre"))
    response = admin_client.post(
        reverse("admin:articles_credit_change", args=[credit.pk]),
        credit_data(admin_client, credit, name="Nicolas Datiche / Région Occitanie"),
        follow=True,
    )
    assert "Le nouveau nom va être inscrit dans les fichiers de 2 photos (en cours, en arrière-plan)." in messages_of(response)
    for photo in photos:
        assert artist(photo) == "Nicolas Datiche / Région Occitanie"
        with photo.rendition("w480-jpeg").file.open("rb") as fh, Image.open(fh) as im:
            assert xp_text(im.getexif(), 0x9C9D) == "Nicolas Datiche / Région Occitanie"
            assert exif_text(im.getexif(), 0x013B) == "Nicolas Datiche / Region Occitanie"


def test_a_new_organisation_is_written_into_the_files_credit_line(admin_client):
    from PIL import Image

    credit = make_credit("Nicolas Datiche")
    photo = make_photo(credit=credit)
    before = photo.image.name
    admin_client.post(reverse("admin:articles_credit_change", args=[credit.pk]), credit_data(admin_client, credit, organisation="Région"))
    photo.refresh_from_db()
    assert Credit.objects.get(pk=credit.pk).organisation == "Région"
    assert photo.image.name != before
    with photo.image.open("rb") as fh, Image.open(fh) as im:
        exif = im.getexif()
    assert "Nicolas Datiche / Region" in exif_text(exif, 0x8298)
    assert "Nicolas Datiche / Région" in xp_text(exif, 0x9C9C)


def test_a_new_caption_is_searchable_in_the_releases_showing_the_photo(admin_client):
    from articles.discovery.search import search
    from articles.models import Article, ArticlePhoto
    from tests.factories import make_article, make_photo

    article = make_article("Accord")
    photo = make_photo(caption="Vue du port")
    ArticlePhoto.objects.create(article=article, photo=photo, position=0)
    page = admin_client.get(f"/admin/articles/photo/{photo.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(caption="Signature au pavillon d’or", alt_text=photo.alt_text, credit=photo.credit_id,
                edit_token=page.context["adminform"].form["edit_token"].value())
    data.pop("image", None)
    response = admin_client.post(f"/admin/articles/photo/{photo.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert list(search(Article.objects.public(), "pavillon")) == [article]
