"""Derived data follows every write path: what the admin gives, the ORM, the shell and the
services give too — search text, sanitised bodies, the page cache's generation, history."""

import pytest
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles.caching import dependencies
from articles.discovery.receivers import batched
from articles.discovery.search import document_for, with_searched_relations
from articles.models import Article, ArticlePhoto, Photo, Quote, Speaker
from articles.publishing import workflow
from tests.admin_posts import form_data
from tests.factories import exif_text, make_credit, make_editor, make_photo, make_speaker

pytestmark = pytest.mark.django_db

S = Article.Status


def stored(article) -> str:
    return Article.objects.get(pk=article.pk).search_document


def expected(article) -> str:
    return document_for(with_searched_relations(Article.objects.filter(pk=article.pk)).get())


def test_a_release_written_with_the_orm_alone_is_searchable_like_one_saved_in_the_admin(client):
    speaker, photo = make_speaker("Carole Delga", role="Présidente de Région"), make_photo(caption="Le pavillon à Kyoto")

    by_orm = Article.objects.create(title="Coopération Occitanie–Kyoto", standfirst="Un accord.", status=S.DRAFT)
    Quote.objects.create(article=by_orm, speaker=speaker, text="Une amitié durable.", position=0)
    ArticlePhoto.objects.create(article=by_orm, photo=photo, position=0)
    by_orm.tags.add("Économie")

    client.force_login(make_editor("Rédaction"))
    page = client.get(reverse("admin:articles_article_add"))
    quotes = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is Quote)
    photos = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is ArticlePhoto)
    response = client.post(reverse("admin:articles_article_add"), form_data(
        page, title="Coopération Occitanie–Kyoto", slug="par-l-admin", standfirst="Un accord.", body="",
        status=S.DRAFT, tags="Économie", **{
            f"{quotes}-TOTAL_FORMS": "1", f"{quotes}-0-speaker": speaker.pk, f"{quotes}-0-text": "Une amitié durable.",
            f"{quotes}-0-position": "0",
            f"{photos}-TOTAL_FORMS": "1", f"{photos}-0-photo": photo.pk, f"{photos}-0-position": "0",
        }))
    assert response.status_code == 302
    by_admin = Article.objects.get(slug="par-l-admin")

    assert stored(by_orm) == stored(by_admin) == expected(by_admin)
    for word in ("cooperation", "amitie", "carole delga", "presidente", "pavillon", "economie", photo.credit.name.lower()):
        assert word in stored(by_orm)


@pytest.mark.parametrize("change", ["speaker", "tag", "caption", "credit", "quote deleted", "photo removed", "tag removed"])
def test_a_change_made_from_the_shell_reaches_the_search_text_of_every_release_showing_it(change):
    speaker, credit = make_speaker("Carole Delga"), make_credit("Nicolas Datiche")
    photo = make_photo(credit=credit, caption="Pavillon")
    articles = []
    for n in range(2):
        article = Article.objects.create(title=f"Communiqué {n}", status=S.DRAFT)
        Quote.objects.create(article=article, speaker=speaker, text="Citation.", position=0)
        ArticlePhoto.objects.create(article=article, photo=photo, position=0)
        article.tags.add("Kyoto")
        articles.append(article)

    if change == "speaker":
        speaker.name = "Carole Delga-Martin"
        speaker.save()
        word = "delga-martin"
    elif change == "tag":
        tag = Tag.objects.get(name="Kyoto")
        tag.name = "Kyōto-fu"
        tag.save()
        word = "kyoto-fu"
    elif change == "caption":
        fresh = Photo.objects.get(pk=photo.pk)
        fresh.caption = "Cérémonie au temple"
        fresh.save()
        word = "ceremonie au temple"
    elif change == "credit":
        credit.name = "Antoine Darnaud"
        credit.save()
        word = "antoine darnaud"
    elif change == "quote deleted":
        Quote.objects.filter(article=articles[0]).delete()
        word = None
    elif change == "photo removed":
        ArticlePhoto.objects.filter(article=articles[0]).delete()
        word = None
    else:
        articles[0].tags.remove("Kyoto")
        word = None

    for article in articles:
        assert stored(article) == expected(article)
    if word:
        assert all(word in stored(a) for a in articles)


def test_a_batch_refreshes_each_release_once_at_its_end(django_assert_max_num_queries):
    speaker = make_speaker("Carole Delga")
    with batched():
        article = Article.objects.create(title="Import", status=S.DRAFT)
        for n in range(20):
            Quote.objects.create(article=article, speaker=speaker, text=f"Citation numéro {n}.", position=n)
        assert stored(article) == ""  # not yet: once, at the end of the batch
    assert "citation numero 19" in stored(article)


def test_a_body_written_from_the_shell_is_sanitised():
    article = Article.objects.create(title="Shell", body='<p onclick="x()">Texte</p><script>alert(1)</script>')
    assert "<script" not in Article.objects.get(pk=article.pk).body
    assert "onclick" not in Article.objects.get(pk=article.pk).body


def test_a_write_from_the_shell_retires_cached_pages():
    speaker = Speaker.objects.create(name="Nouvelle personne")
    stamped = dependencies.stamp([dependencies.speaker(speaker.pk)])  # what a cached speaker page carries
    speaker.role = "Présidente"
    speaker.save()
    assert not dependencies.still_current(stamped)


def test_every_workflow_step_is_recorded_in_the_history_under_its_actor():
    publisher = make_editor("Publication", first_name="Paul", last_name="Valet")
    article = Article.objects.create(title="Par les services", status=S.DRAFT)
    workflow.publish(article=article, user=publisher)
    workflow.withdraw(article=article, user=publisher, reason="Erreur.")
    revisions = [v.revision for v in Version.objects.get_for_object(article)]
    assert [r.user for r in revisions] == [publisher, publisher]
    assert "Retiré" in revisions[0].get_comment() and "publié" in revisions[1].get_comment()


def test_an_import_is_searchable_and_recorded_in_the_history_under_who_ran_it(tmp_path):
    from articles.importer.service import import_release

    author = make_editor("Publication", first_name="Ines", last_name="Import")
    source = tmp_path / "release.md"
    source.write_text(
        "---\ntitle: Coopération avec Kyoto\nlocation: Kyoto\ntags: [Économie]\n---\n\n"
        "« Une amitié durable », a déclaré Carole Delga.\n",
        encoding="utf-8",
    )
    article = import_release(path=source, user=author).article
    assert stored(article) == expected(article)
    assert "economie" in stored(article) and "cooperation" in stored(article)
    version = Version.objects.get_for_object(article).get()
    assert version.revision.user == author and "release.md" in version.revision.get_comment()


def test_a_credit_renamed_from_the_shell_is_written_into_its_photos_files():
    from PIL import Image

    credit = make_credit("Nicolas Datiche")
    photo = make_photo(credit=credit)
    credit.name = "Antoine Darnaud"
    credit.save()  # the test settings run jobs at once (tests/settings.py)
    photo.refresh_from_db()
    with photo.image.open("rb"), Image.open(photo.image) as im:
        assert exif_text(im.getexif(), 0x013B) == "Antoine Darnaud"
