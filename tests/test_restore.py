"""Restoring a saved version is a workflow step: only this release's versions, never a change of
state, checked like any edit, and recorded under the name of whoever did it.

The attacks come from the issue: a writer who reads version numbers on a history page, then opens
`…/recover/<n>/` or `…/<own draft>/history/<n>/` with the number of a version saved in another
release's revision (a quote, a photo placement, a tag link), and posts the form back unchanged.
"""

from datetime import timedelta

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticlePhoto, PressContact, Quote, TaggedArticle
from articles.publishing import workflow
from tests.factories import login_verified, make_article, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

S = Article.Status


def logged_in(user) -> Client:
    return login_verified(Client(), user)  # both factors, as the admin login leaves a publisher


def revision_url(article_pk, version_pk):
    return reverse("admin:articles_article_revision", args=[article_pk, version_pk])


def recover_url(version_pk):
    return reverse("admin:articles_article_recover", args=[version_pk])


def record(article, user, comment="Enregistré."):
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(comment)


@pytest.fixture
def people():
    return make_editor("Rédaction", first_name="Wendy", last_name="Writer"), make_editor(
        "Publication", first_name="Paul", last_name="Valet")


@pytest.fixture
def withdrawn(people):
    """A release published with a quote, a photo and a tag, then withdrawn by a publisher."""
    _, publisher = people
    article = make_article("Communiqué retiré", status=S.DRAFT, tags=["Kyoto"])
    place(article, make_photo(caption="Photo du communiqué retiré"))
    Quote.objects.create(article=article, speaker=make_speaker("Carole Delga"), text="Citation.", position=0)
    workflow.publish(article=article, user=publisher)
    workflow.withdraw(article=article, user=publisher, reason="Erreur de chiffres.")
    return article


@pytest.fixture
def embargoed(people):
    """A release scheduled 30 days ahead, whose first saved version was already 'published' an hour ago."""
    _, publisher = people
    article = make_article("Sous embargo", status=S.DRAFT)
    workflow.publish(article=article, user=publisher, publish_at=timezone.now() - timedelta(hours=1))
    workflow.send_back_to_review(article=article, user=publisher)
    workflow.publish(article=article, user=publisher, publish_at=timezone.now() + timedelta(days=30))
    return article


def versions_of_other_models(article):
    """The version numbers a writer reads on a history page: quotes, photos and tags of a revision."""
    owned = [ContentType.objects.get_for_model(m) for m in (Quote, ArticlePhoto, TaggedArticle)]
    return list(Version.objects.filter(content_type__in=owned, revision__version__object_id=str(article.pk)).distinct())


def state(article):
    article = Article.objects.get(pk=article.pk)
    return (article.status, article.title, article.publish_at, article.withdrawn_at, article.updated_by_id,
            sorted(article.quotes.values_list("text", flat=True)), sorted(article.tags.names()))


# --- The holes of the issue, closed ---------------------------------------------------------


def test_a_writer_cannot_recover_anything_through_recover(people, withdrawn):
    writer, _ = people
    client = logged_in(writer)
    before = state(withdrawn)
    every_version = Version.objects.values_list("pk", flat=True)
    assert every_version
    for pk in every_version:
        for response in (client.get(recover_url(pk)), client.post(recover_url(pk), {"confirm": "yes", "title": "x"})):
            assert response.status_code == 403
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    assert state(withdrawn) == before
    assert not Article.objects.public().exists()


def test_a_writer_cannot_restore_another_releases_revision_through_a_draft_with_the_same_number(people, withdrawn):
    writer, _ = people
    client = logged_in(writer)
    before = state(withdrawn)
    targets = versions_of_other_models(withdrawn)
    assert targets, "the withdrawn release's revisions hold quotes, photos and tags"
    for version in targets:
        # The writer creates drafts until one has the pk the version names.
        draft = Article.objects.filter(pk=int(version.object_id)).first()
        if draft is None:
            draft = Article.objects.create(pk=int(version.object_id), title="Brouillon pirate", status=S.DRAFT)
        if draft.status != S.DRAFT:
            continue
        url = revision_url(draft.pk, version.pk)
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert state(withdrawn) == before
    assert not Article.objects.public().exists()


def test_restoring_never_puts_a_withdrawn_release_back_online(people, withdrawn):
    _, publisher = people
    published_version = Version.objects.get_for_object(withdrawn)[1]  # the save that published it
    assert published_version.field_dict["status"] == S.PUBLISHED
    response = logged_in(publisher).post(revision_url(withdrawn.pk, published_version.pk), {"confirm": "yes"})
    assert response.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.status == S.WITHDRAWN and withdrawn.withdrawal_reason == "Erreur de chiffres."
    assert not Article.objects.public().exists()


def test_restoring_never_brings_an_embargoed_release_online_early(people, embargoed, client):
    _, publisher = people
    old = Version.objects.get_for_object(embargoed).last()  # published an hour ago, in that version
    response = logged_in(publisher).post(revision_url(embargoed.pk, old.pk), {"confirm": "yes"})
    assert response.status_code == 302
    embargoed.refresh_from_db()
    assert embargoed.status == S.PUBLISHED and embargoed.publish_at > timezone.now() + timedelta(days=29)
    assert not Article.objects.public().exists()
    assert "Sous embargo" not in client.get(reverse("articles:feed-rss")).text


def test_a_writer_cannot_restore_a_live_release_nor_send_it_back_to_draft(people):
    writer, publisher = people
    live = make_article("En ligne", status=S.DRAFT)
    record(live, writer)
    workflow.publish(article=live, user=publisher)
    draft_version = Version.objects.get_for_object(live).last()
    client = logged_in(writer)
    for response in (client.get(revision_url(live.pk, draft_version.pk)),
                     client.post(revision_url(live.pk, draft_version.pk), {"confirm": "yes"})):
        assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        workflow.restore(article=live, version_id=draft_version.pk, user=writer)
    live.refresh_from_db()
    assert live.status == S.PUBLISHED and live.is_public()


def test_a_restore_is_recorded_under_the_name_of_who_did_it(people):
    writer, publisher = people
    article = make_article("Version du rédacteur", status=S.DRAFT)
    record(article, writer)
    Article.objects.filter(pk=article.pk).update(title="Version de l'éditeur")
    record(Article.objects.get(pk=article.pk), publisher)
    old = Version.objects.get_for_object(article).last()

    logged_in(writer).post(revision_url(article.pk, old.pk), {"confirm": "yes"})
    article.refresh_from_db()
    assert article.title == "Version du rédacteur"
    assert article.updated_by == writer
    latest = Version.objects.get_for_object(article).first().revision
    assert latest.user == writer and "Restauration de la version du" in latest.get_comment()
    assert "Wendy Writer" in logged_in(writer).get(reverse("admin:articles_article_history", args=[article.pk])).text


def test_recover_never_rewrites_a_press_contact_other_releases_share(people):
    writer, publisher = people
    contact = PressContact.objects.create(name="Service presse", phone="05 00 00 00 00")
    other = make_article("Autre communiqué")
    other.press_contacts.add(contact)
    doomed = make_article("Brouillon supprimé", status=S.DRAFT)
    doomed.press_contacts.add(contact)
    with reversion.create_revision():
        reversion.add_to_revision(doomed)
        reversion.add_to_revision(contact)  # an old revision that followed the contact card
        reversion.set_user(writer)
    PressContact.objects.filter(pk=contact.pk).update(phone="05 11 11 11 11")
    deleted_pk = doomed.pk
    doomed.delete()
    version = Version.objects.get_deleted(Article).get()

    response = logged_in(publisher).post(recover_url(version.pk), {"confirm": "yes"})
    assert response.status_code == 302
    recovered = Article.objects.get(pk=deleted_pk)
    assert recovered.status == S.DRAFT and not recovered.is_public()
    assert list(recovered.press_contacts.all()) == [contact]
    assert PressContact.objects.get(pk=contact.pk).phone == "05 11 11 11 11"
    assert Version.objects.get_for_object(recovered).first().revision.user == publisher


def test_a_deleted_release_that_was_live_comes_back_as_a_draft(people):
    _, publisher = people
    article = make_article("Supprimé en ligne", status=S.DRAFT)
    workflow.publish(article=article, user=publisher)
    pk = article.pk
    article.delete()
    version = Version.objects.get_deleted(Article).get()
    recovered, _ = workflow.recover(version_id=version.pk, user=publisher)
    assert recovered.pk == pk and recovered.status == S.DRAFT
    assert not Article.objects.public().exists()


def test_only_publication_recovers_deleted_releases_even_from_the_shell(people):
    writer, _ = people
    article = make_article("Supprimé", status=S.DRAFT)
    record(article, writer)
    article.delete()
    version = Version.objects.get_deleted(Article).get()
    with pytest.raises(PermissionDenied):
        workflow.recover(version_id=version.pk, user=writer)
    assert not Article.objects.exists()


# --- The service's own checks ---------------------------------------------------------------


def test_a_version_of_another_release_is_refused_by_the_service(people):
    writer, _ = people
    mine, theirs = make_article("Le mien", status=S.DRAFT), make_article("Le leur", status=S.DRAFT)
    record(theirs, writer)
    with pytest.raises(ValidationError):
        workflow.restore(article=mine, version_id=Version.objects.get_for_object(theirs).get().pk, user=writer)
    with pytest.raises(ValidationError):
        workflow.restore(article=mine, version_id="12abc", user=writer)


def test_restoring_photos_whose_rights_have_expired_onto_a_live_release_is_refused(people):
    _, publisher = people
    photo = make_photo(caption="Droits limités")
    live = make_article("En ligne", status=S.DRAFT)
    place(live, photo)
    workflow.publish(article=live, user=publisher)
    old = Version.objects.get_for_object(live).get()
    ArticlePhoto.objects.filter(article=live).delete()
    type(photo).objects.filter(pk=photo.pk).update(rights_expire_on=timezone.localdate() - timedelta(days=1))

    with pytest.raises(ValidationError, match="droits"):
        workflow.restore(article=live, version_id=old.pk, user=publisher)
    assert not live.article_photos.exists()  # nothing half-restored


def test_a_publishers_restore_of_a_live_release_is_its_approval(people):
    _, publisher = people
    live = make_article("Titre approuvé", status=S.DRAFT)
    workflow.publish(article=live, user=publisher)
    old = Version.objects.get_for_object(live).get()
    Article.objects.filter(pk=live.pk).update(title="Titre changé")
    restored, _ = workflow.restore(article=live, version_id=old.pk, user=publisher)
    assert restored.title == "Titre approuvé" and restored.is_public()
    assert "Version approuvée" in Version.objects.get_for_object(live).first().revision.get_comment()


def test_a_restore_refreshes_the_search_text(people):
    writer, _ = people
    article = make_article("Coopération avec Kyoto", status=S.DRAFT)
    record(article, writer)
    Article.objects.filter(pk=article.pk).update(title="Autre titre")
    workflow.restore(article=article, version_id=Version.objects.get_for_object(article).get().pk, user=writer)
    article.refresh_from_db()
    assert "kyoto" in article.search_document.lower()
