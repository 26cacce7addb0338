"""Two editors on one release, and a history they can trust: conflicts, diffs, restore, approvals."""

import json

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, Photo, PressContact, Quote, Speaker
from tests.admin_posts import form_data
from tests.factories import login_verified, make_article, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

S = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def editors(client, django_user_model):
    from django.test import Client

    alice, bruno = make_editor("Rédaction", first_name="Alice", last_name="Durand"), make_editor("Rédaction")
    a, b = Client(), Client()
    a.force_login(alice), b.force_login(bruno)
    return a, b


def test_the_second_editor_to_save_is_told_who_changed_it_and_keeps_their_text(editors):
    alice, bruno = editors
    article = make_article("Titre initial", status=S.DRAFT)
    page_a, page_b = alice.get(change_url(article)), bruno.get(change_url(article))

    assert alice.post(change_url(article), form_data(page_a, title="Titre d'Alice")).status_code == 302
    response = bruno.post(change_url(article), form_data(page_b, title="Titre de Bruno"))

    assert response.status_code == 200
    assert "Attention : Alice Durand a modifié ce communiqué le " in response.text
    assert "(Europe/Paris), après que vous l&#x27;avez ouvert" in response.text
    assert 'value="Titre de Bruno"' in response.text  # his own text, re-displayed
    article.refresh_from_db()
    assert article.title == "Titre d'Alice"  # the first editor's text survives

    # Having compared, Bruno saves again on purpose: now his version replaces Alice's.
    again = bruno.post(change_url(article), form_data(response, title="Titre de Bruno"))
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.title == "Titre de Bruno"


def test_every_save_bumps_the_version(editors):
    alice, _ = editors
    article = make_article(status=S.DRAFT)
    before = article.version
    alice.post(change_url(article), form_data(alice.get(change_url(article)), title="Un"))
    article.refresh_from_db()
    assert article.version == before + 1


def save_with_quote(client, article, title, quote, text):
    page = client.get(change_url(article))
    prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is Quote)
    data = form_data(page, title=title, **{
        f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": quote.pk, f"{prefix}-0-article": article.pk,
        f"{prefix}-0-speaker": quote.speaker_id, f"{prefix}-0-text": text, f"{prefix}-0-position": "0",
    })
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return response


def test_the_history_records_each_save_with_its_quotes_and_shows_a_readable_diff(editors):
    alice, _ = editors
    article = make_article("Accord avec Kyoto", status=S.DRAFT)
    quote = Quote.objects.create(article=article, speaker=make_speaker("Carole Delga"), text="Un grand jour.", position=0)
    save_with_quote(alice, article, "Accord avec Kyoto", quote, "Un grand jour.")
    save_with_quote(alice, article, "Accord signé avec Kyoto", quote, "Un très grand jour.")

    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    history = alice.get(reverse("admin:articles_article_history", args=[article.pk]))
    diff_url = reverse("admin:articles_article_diff", args=[article.pk, versions[0].revision_id])
    assert diff_url in history.text

    diff = alice.get(diff_url)
    assert diff.status_code == 200
    assert "Accord<ins> signé</ins> avec Kyoto" in diff.text
    assert "Carole Delga : Un <ins>très </ins>grand jour." in diff.text
    assert "Chapô" not in diff.text  # unchanged fields are not listed


def test_restoring_an_old_version_brings_back_its_text_and_quotes(editors):
    alice, _ = editors
    article = make_article("Version une", status=S.DRAFT)
    quote = Quote.objects.create(article=article, speaker=make_speaker(), text="Citation une.", position=0)
    save_with_quote(alice, article, "Version une", quote, "Citation une.")
    save_with_quote(alice, article, "Version deux", quote, "Citation deux.")
    old = Version.objects.get_for_object(article).last()
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, old.pk])

    page = alice.get(revision_url)
    assert page.status_code == 200
    assert "Oui, restaurer cette version" in page.text and "Version deux" in page.text  # what will change
    article.refresh_from_db()
    assert article.title == "Version deux"  # looking at an old version changes nothing
    version_before = article.version

    response = alice.post(revision_url, {"confirm": "yes"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Version une"
    assert list(article.quotes.values_list("text", flat=True)) == ["Citation une."]
    assert article.version == version_before + 1  # versions only go up, even through a restore
    latest = Version.objects.get_for_object(article).first().revision
    assert "Restauration de la version du" in latest.get_comment()
    assert latest.user.get_full_name() == "Alice Durand"  # recorded under the name of who restored it


def test_a_writer_cannot_restore_an_old_version_of_a_published_release(client):
    publisher, writer = make_editor("Publication"), make_editor("Rédaction")
    article = make_article("Brouillon", status=S.DRAFT)
    login_verified(client, publisher)
    client.post(change_url(article), form_data(client.get(change_url(article))))
    client.post(change_url(article), form_data(client.get(change_url(article)), status=S.PUBLISHED, title="Publié"))
    draft_version = Version.objects.get_for_object(article).last()
    client.force_login(writer)
    response = client.get(reverse("admin:articles_article_revision", args=[article.pk, draft_version.pk]))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == S.PUBLISHED


def test_a_publishers_save_of_a_published_release_is_recorded_as_its_approval(client):
    login_verified(client, make_editor("Publication", first_name="Paul", last_name="Valet"))
    article = make_article("Communiqué programmé")
    client.post(change_url(article), form_data(client.get(change_url(article)), title="Communiqué corrigé"))
    revision = Version.objects.get_for_object(article).first().revision
    assert "Version approuvée" in revision.get_comment()
    assert revision.user.get_full_name() == "Paul Valet"
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "Version approuvée" in history.text and "Paul Valet" in history.text


# --- A restore touches only what the release owns -------------------------------------------


def restore(client, article, version):
    """Open an old version in the admin's history and confirm its restore, as an editor's browser does."""
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == change_url(article), response
    return response


def test_restoring_a_drafts_old_version_leaves_what_other_releases_show_untouched(editors):
    alice, _ = editors
    contact = PressContact.objects.create(name="Service presse", email="presse@example.org")
    photo, speaker = make_photo(caption="Légende partagée"), make_speaker("Carole Delga")
    live = make_article("En ligne", tags=["Kyoto"])
    live.press_contacts.add(contact)
    place(live, photo)
    Quote.objects.create(article=live, speaker=speaker, text="Citation en ligne.", position=0)

    draft = make_article("Brouillon", status=S.DRAFT, tags=["Kyoto"])
    draft.press_contacts.add(contact)
    place(draft, photo)
    Quote.objects.create(article=draft, speaker=speaker, text="Citation du brouillon.", position=0)
    with reversion.create_revision():
        reversion.add_to_revision(draft)
    old = Version.objects.get_for_object(draft).get()

    # Since then: the shared rows were corrected, and the draft took a second contact and tag
    # that the live release shows too.
    PressContact.objects.filter(pk=contact.pk).update(name="Service presse (nouveau numéro)")
    Speaker.objects.filter(pk=speaker.pk).update(name="Carole Delga-Martin")
    Photo.objects.filter(pk=photo.pk).update(caption="Légende corrigée")
    Tag.objects.filter(name="Kyoto").update(name="Kyōto")
    second = PressContact.objects.create(name="Cabinet", email="cabinet@example.org")
    live.press_contacts.add(second), draft.press_contacts.add(second)
    live.tags.add("Toulouse"), draft.tags.add("Toulouse")
    with reversion.create_revision():
        reversion.add_to_revision(draft)

    restore(alice, draft, old)

    assert list(PressContact.objects.order_by("name").values_list("name", flat=True)) == [
        "Cabinet", "Service presse (nouveau numéro)"]
    assert set(live.press_contacts.all()) == {contact, second}
    assert set(draft.press_contacts.all()) == {contact}  # the draft's links are those of the old version
    assert Speaker.objects.get(pk=speaker.pk).name == "Carole Delga-Martin"
    assert Photo.objects.get(pk=photo.pk).caption == "Légende corrigée"
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Kyōto", "Toulouse"]
    assert sorted(live.tags.names()) == ["Kyōto", "Toulouse"]
    assert list(live.quotes.values_list("text", flat=True)) == ["Citation en ligne."]
    assert list(live.photos.all()) == [photo]


def test_a_version_saved_when_contacts_were_followed_restores_the_links_not_the_contact_cards(editors):
    alice, _ = editors
    contact = PressContact.objects.create(name="Service presse")
    draft = make_article("Brouillon", status=S.DRAFT)
    draft.press_contacts.add(contact)
    with reversion.create_revision():
        reversion.add_to_revision(draft)
        reversion.add_to_revision(contact)  # as every revision did before contacts stopped being followed
    old = Version.objects.get_for_object(draft).get()
    PressContact.objects.filter(pk=contact.pk).update(name="Service presse (nouveau numéro)")
    draft.press_contacts.clear()

    restore(alice, draft, old)
    assert PressContact.objects.get().name == "Service presse (nouveau numéro)"  # the shared card is untouched
    assert list(draft.press_contacts.all()) == [contact]  # the release's link to it came back


def test_a_restored_version_never_brings_back_markup_the_body_may_not_hold(editors):
    alice, _ = editors
    draft = make_article("Brouillon", status=S.DRAFT, body="<p>Texte sûr.</p>")
    with reversion.create_revision():
        reversion.add_to_revision(draft)
    old = Version.objects.get_for_object(draft).get()
    # As if the version had been stored by an older, laxer sanitiser (or by hand).
    data = json.loads(old.serialized_data)
    data[0]["fields"]["body"] = '<p>Texte sûr.</p><script>alert("x")</script><p onclick="x()">Clic</p>'
    Version.objects.filter(pk=old.pk).update(serialized_data=json.dumps(data))
    old.refresh_from_db()

    restore(alice, draft, old)
    draft.refresh_from_db()
    assert "<script" not in draft.body and "onclick" not in draft.body

    # reversion's own restore (the admin's, a shell's) writes past Article.save().
    old.revision.revert(delete=True)
    draft.refresh_from_db()
    assert "<script" not in draft.body and "onclick" not in draft.body
    assert "Texte sûr." in draft.body


def test_a_save_that_does_not_say_which_version_it_edits_is_a_conflict(editors):
    alice, _ = editors
    article = make_article("Titre initial", status=S.DRAFT)
    data = form_data(alice.get(change_url(article)), title="Sans version")
    del data["edit_version"]
    response = alice.post(change_url(article), data)
    assert response.status_code == 200
    assert "ne dit pas quelle version de ce communiqué vous avez ouverte" in response.text
    article.refresh_from_db()
    assert article.title == "Titre initial"
    # The re-displayed form now carries the current version: saving it again, knowingly, works.
    assert alice.post(change_url(article), form_data(response, title="Sans version")).status_code == 302
