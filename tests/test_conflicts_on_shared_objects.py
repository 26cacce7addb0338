"""Two editors on one photo, credit, speaker, tag or press contact: nobody's change is silently lost.

Each test drives the real admin change page with two browsers (two clients logged in as
two publishers). The one who saves second is refused with the release's conflict message,
naming who changed it and when, and keeps what they typed; a second save, made knowingly,
goes through. The rule holds whatever the browser posts.
"""

import threading
import time

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from taggit.models import Tag

from articles import edit_lock
from articles.admin.common import conflict_error
from articles.models import Credit, Photo, PressContact, Speaker
from tests.factories import (
    admin_form_data,
    image_upload,
    login_verified,
    make_credit,
    make_editor,
    make_photo,
    make_speaker,
)

pytestmark = pytest.mark.django_db


def _tag():
    return Tag.objects.create(name="Kyoto", slug="kyoto")


# For each kind: how to make one, its admin URL name, what Alice changes, what Bruno changes,
# the noun and the participle the message uses.
KINDS = {
    "photo": (lambda: make_photo(caption="Le temple"), "admin:articles_photo_change",
              {"caption": "Le temple d'or au matin"}, {"licence": "CC BY 4.0"}, "cette photo", "ouverte"),
    "credit": (lambda: make_credit("Nicolas Datiche"), "admin:articles_credit_change",
               {"organisation": "Région Occitanie"}, {"url": "https://datiche.example.org"}, "ce crédit photo", "ouvert"),
    "speaker": (lambda: make_speaker("Carole Delga"), "admin:articles_speaker_change",
                {"role": "présidente de Région"}, {"organisation": "Région Occitanie"}, "cet intervenant", "ouvert"),
    "contact": (lambda: PressContact.objects.create(name="Service presse"), "admin:articles_presscontact_change",
                {"phone": "05 61 00 00 00"}, {"email": "presse@example.org"}, "ce contact presse", "ouvert"),
    "tag": (_tag, "admin:taggit_tag_change", {"name": "Kyōto"}, {"slug": "kyoto-japon"}, "ce mot-clé", "ouvert"),
}
POPUP_KINDS = ["photo", "credit", "speaker", "contact"]  # opened from a release's or a photo's form


@pytest.fixture
def browsers():
    """Alice's and Bruno's browsers, both logged in as publishers."""
    alice, bruno = Client(), Client()
    login_verified(alice, make_editor("Publication", first_name="Alice", last_name="Durand"))
    login_verified(bruno, make_editor("Publication", first_name="Bruno", last_name="Martin"))
    return alice, bruno


def stored(obj, field):
    return getattr(type(obj).objects.get(pk=obj.pk), field)


def messages_in(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_the_second_editor_is_told_who_changed_it_and_keeps_what_they_typed(browsers, kind):
    make, url_name, alices, brunos, noun, opened = KINDS[kind]
    alice, bruno = browsers
    obj = make()
    url = reverse(url_name, args=[obj.pk])
    page_a, page_b = alice.get(url), bruno.get(url)
    (a_field, a_value), (b_field, b_value) = *alices.items(), *brunos.items()
    b_before = stored(obj, b_field)

    first = alice.post(url, admin_form_data(page_a, **alices))
    assert first.status_code == 302, first.context and first.context["adminform"].form.errors
    second = bruno.post(url, admin_form_data(page_b, **brunos))

    assert second.status_code == 200
    html = messages_in(second)
    assert f"Attention : Alice Durand a modifié {noun} le " in html
    assert f"(Europe/Paris), après que vous l&#x27;avez {opened}. Rien n&#x27;a été enregistré" in html
    assert second.context["adminform"].form[b_field].value() == b_value  # his text, re-displayed
    assert f'value="{b_value}"' in html
    assert stored(obj, a_field) == a_value  # Alice's change is kept
    assert stored(obj, b_field) == b_before  # and nothing of Bruno's was saved

    # Having compared, Bruno saves the re-displayed form on purpose: his version goes in.
    again = bruno.post(url, admin_form_data(second))
    assert again.status_code == 302, again.context and again.context["adminform"].form.errors
    assert stored(obj, b_field) == b_value


def test_the_caption_and_the_licence_of_one_photo_both_survive_two_editors(browsers):
    """The issue's case: one changed the caption, the other the licence, and the caption was lost."""
    alice, bruno = browsers
    photo = make_photo(caption="Le temple")
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    page_a, page_b = alice.get(url), bruno.get(url)
    alice.post(url, admin_form_data(page_a, caption="Le temple d'or"))
    refused = bruno.post(url, admin_form_data(page_b, licence="CC BY 4.0"))
    # Bruno reads the current caption in another tab and keeps it with his licence.
    merged = bruno.post(url, admin_form_data(refused, caption="Le temple d'or", licence="CC BY 4.0"))
    assert merged.status_code == 302
    photo.refresh_from_db()
    assert (photo.caption, photo.licence) == ("Le temple d'or", "CC BY 4.0")


@pytest.mark.parametrize("kind", POPUP_KINDS)
def test_the_same_refusal_in_a_popup_window(browsers, kind):
    make, url_name, alices, brunos, noun, _ = KINDS[kind]
    alice, bruno = browsers
    obj = make()
    url = reverse(url_name, args=[obj.pk]) + "?_to_field=id&_popup=1"
    page_a, page_b = alice.get(url), bruno.get(url)
    assert page_b.context["is_popup"]
    popup = {"_popup": "1", "_to_field": "id"}

    assert alice.post(url, admin_form_data(page_a, **alices, **popup)).status_code == 200
    second = bruno.post(url, admin_form_data(page_b, **brunos, **popup))
    assert second.status_code == 200 and second.context["is_popup"]
    assert f"Attention : Alice Durand a modifié {noun} le " in messages_in(second)
    (b_field, b_value), = brunos.items()
    assert stored(obj, b_field) != b_value

    # The knowing second save closes the popup as usual, with the object's new label for the opener.
    again = bruno.post(url, admin_form_data(second, **popup))
    assert again.status_code == 200
    assert "admin/popup_response.html" in [t.name for t in again.templates]
    assert stored(obj, b_field) == b_value


def test_adding_from_a_popup_needs_no_token(browsers):
    alice, _ = browsers
    url = reverse("admin:articles_credit_add") + "?_to_field=id&_popup=1"
    response = alice.post(url, {"name": "Agence Sud Images", "organisation": "", "url": "", "slug": "", "_popup": "1",
                                "_to_field": "id"})
    assert response.status_code == 200
    assert "admin/popup_response.html" in [t.name for t in response.templates]
    assert Credit.objects.filter(name="Agence Sud Images").exists()


# --- Whatever the browser posts --------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("token", [None, "", "abc", "9" * 40 + "." + "0" * 64, "12.34", "١٢٣." + "0" * 64])
def test_a_save_that_does_not_say_what_it_opened_is_refused(browsers, kind, token):
    make, url_name, alices, _, noun, _ = KINDS[kind]
    alice, _ = browsers
    obj = make()
    url = reverse(url_name, args=[obj.pk])
    data = admin_form_data(alice.get(url), **alices)
    if token is None:
        del data["edit_token"]
    else:
        data["edit_token"] = token
    (field, value), = alices.items()
    before = stored(obj, field)

    response = alice.post(url, data)
    assert response.status_code == 200
    assert f"Ce formulaire ne dit pas quelle version de {noun} vous avez ouverte" in messages_in(response)
    assert stored(obj, field) == before
    # The re-displayed form now carries the current state: saving it again, knowingly, works.
    assert alice.post(url, admin_form_data(response)).status_code == 302
    assert stored(obj, field) == value


def test_an_old_page_posted_again_is_refused(browsers):
    """Alice saves, then posts the page she had opened before her own save (a second tab, the Back button)."""
    alice, _ = browsers
    speaker = make_speaker("Carole Delga")
    url = reverse("admin:articles_speaker_change", args=[speaker.pk])
    old_page = alice.get(url)
    assert alice.post(url, admin_form_data(alice.get(url), role="présidente")).status_code == 302
    response = alice.post(url, admin_form_data(old_page, organisation="Région"))
    assert response.status_code == 200
    assert "Attention : Alice Durand a modifié cet intervenant le " in messages_in(response)
    assert (stored(speaker, "role"), stored(speaker, "organisation")) == ("présidente", "")


def test_a_forged_token_for_the_current_state_is_only_a_fresh_page(browsers):
    """A token is not a secret: one computed from the stored values is what a new GET would give."""
    alice, bruno = browsers
    contact = PressContact.objects.create(name="Service presse")
    url = reverse("admin:articles_presscontact_change", args=[contact.pk])
    stale = admin_form_data(bruno.get(url), email="presse@example.org")
    PressContact.objects.filter(pk=contact.pk).update(phone="05 61 00 00 00")
    stale["edit_token"] = edit_lock.opened_token(PressContact.objects.get(pk=contact.pk))
    assert bruno.post(url, stale).status_code == 302


def test_a_change_made_outside_the_admin_is_caught_too_without_a_name(browsers):
    """The importer, a shell or a queryset update writes no admin log: the message says only that it changed."""
    alice, _ = browsers
    photo = make_photo(caption="Le temple")
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    page = alice.get(url)
    Photo.objects.filter(pk=photo.pk).update(caption="Corrigée par l'import")
    response = alice.post(url, admin_form_data(page, licence="CC BY 4.0"))
    assert response.status_code == 200
    html = messages_in(response)
    assert "Attention : cette photo a été modifiée après que vous l&#x27;avez ouverte. Rien n&#x27;a été enregistré" in html
    assert "votre version remplacera alors l&#x27;actuelle" in html
    assert stored(photo, "caption") == "Corrigée par l'import" and stored(photo, "licence") == ""


def test_an_admin_change_made_before_the_page_was_opened_is_not_blamed(browsers):
    """Alice's earlier save is in the admin log, but the change Bruno missed came from elsewhere."""
    alice, bruno = browsers
    credit = make_credit("Nicolas Datiche")
    url = reverse("admin:articles_credit_change", args=[credit.pk])
    assert alice.post(url, admin_form_data(alice.get(url), organisation="Région")).status_code == 302
    page = bruno.get(url)
    Credit.objects.filter(pk=credit.pk).update(url="https://example.org")
    response = bruno.post(url, admin_form_data(page, organisation="Région Occitanie"))
    assert "Attention : ce crédit photo a été modifié après que vous l&#x27;avez ouvert." in messages_in(response)
    assert "Alice Durand a modifié" not in messages_in(response)


# --- A photo's files follow the saved state ---------------------------------------------------


def test_a_refused_photo_save_leaves_the_files_alone_and_the_knowing_save_remakes_them(browsers):
    alice, bruno = browsers
    photo = make_photo(caption="Le temple", image=image_upload("large.jpg", size=(1200, 800)))
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    page_a, page_b = alice.get(url), bruno.get(url)

    alice.post(url, admin_form_data(page_a, caption="Le temple d'or"))
    photo.refresh_from_db()
    after_alice = (photo.image.name, photo.rendition("social-jpeg").file.name)

    refused = bruno.post(url, admin_form_data(page_b, focal_x="0.1", focal_y="0.9"))
    assert refused.status_code == 200
    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.image.name, photo.rendition("social-jpeg").file.name) == after_alice
    assert (photo.focal_x, photo.focal_y) == (0.5, 0.5)

    assert bruno.post(url, admin_form_data(refused, caption="Le temple d'or")).status_code == 302
    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.focal_x, photo.focal_y) == (0.1, 0.9)
    assert photo.rendition("social-jpeg").file.name != after_alice[1]  # recropped around the new point


def test_the_files_rewritten_after_a_credit_rename_are_no_conflict_on_the_photo(browsers):
    """Renaming a credit rewrites its photos' masters under new names (a background job):
    derived files, not an editor's change, so a photo page opened before is saved as is."""
    alice, bruno = browsers
    credit = make_credit("Nicolas Datiche")
    photo = make_photo(credit=credit)
    before = photo.image.name
    photo_url = reverse("admin:articles_photo_change", args=[photo.pk])
    page = bruno.get(photo_url)
    credit_url = reverse("admin:articles_credit_change", args=[credit.pk])
    alice.post(credit_url, admin_form_data(alice.get(credit_url), organisation="Région"))
    assert stored(photo, "image").name != before  # the job ran (immediately, in tests)

    assert bruno.post(photo_url, admin_form_data(page, focal_x="0.2")).status_code == 302
    assert stored(photo, "focal_x") == 0.2
    assert stored(photo, "image").name != before  # his save did not write the old file name back


# --- The page itself ---------------------------------------------------------------------------


def test_the_token_is_a_hidden_field_only_where_the_editor_may_save(client):
    writer = make_editor("Rédaction")
    client.force_login(writer)
    from tests.factories import make_article, place

    photo = make_photo()
    place(make_article("En ligne"), photo)  # locked: a writer sees it read-only
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    read_only = client.get(url)
    assert read_only.context["has_change_permission"] is False
    assert "edit_token" not in read_only.content.decode()

    free = make_speaker()
    html = client.get(reverse("admin:articles_speaker_change", args=[free.pk])).content.decode()
    assert '<input type="hidden" name="edit_token"' in html
    assert 'name="edit_token"' not in client.get(reverse("admin:articles_speaker_add")).content.decode()


def test_the_conflict_message_follows_the_admins_language(browsers):
    alice, bruno = browsers
    credit = make_credit("Nicolas Datiche")
    url = reverse("admin:articles_credit_change", args=[credit.pk])
    page_a, page_b = alice.get(url), bruno.get(url)
    alice.post(url, admin_form_data(page_a, organisation="Région"))
    response = bruno.post(url, admin_form_data(page_b, url="https://example.org"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Warning: Alice Durand edited this photo credit on " in messages_in(response)
    with translation.override("en"):
        assert conflict_error(noun="this tag").messages == [
            "Warning: this tag was changed after you opened it. Nothing has been saved and your text is kept "
            "below. Open the current version in another tab to compare, keep what needs keeping, then save "
            "again: your version will then replace the current one."]


# --- Real locking on PostgreSQL ---------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the whole file)")
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_one_in_progress_then_is_refused(django_user_model):
    """Bruno's save arrives while Alice's is still being written (row locked): it waits, then sees hers."""
    from django.db import transaction

    bruno = Client()
    # A superuser: an earlier transactional test may have flushed the role groups the data
    # migrations created, and the role does not matter to a row lock.
    login_verified(bruno, django_user_model.objects.create_superuser("bruno", first_name="Bruno", last_name="Martin"))
    speaker = make_speaker("Carole Delga")
    url = reverse("admin:articles_speaker_change", args=[speaker.pk])
    page = bruno.get(url)
    locked, release = threading.Event(), threading.Event()

    def alice_saving():
        try:
            with transaction.atomic():
                Speaker.objects.select_for_update().get(pk=speaker.pk)
                locked.set()
                release.wait(10)
                Speaker.objects.filter(pk=speaker.pk).update(role="présidente")
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=alice_saving)
    thread.start()
    assert locked.wait(10)
    results = {}

    def bruno_saving():
        try:
            results["response"] = bruno.post(url, admin_form_data(page, organisation="Région"))
        finally:
            connection.close()

    post = threading.Thread(target=bruno_saving)
    post.start()
    time.sleep(0.5)
    assert post.is_alive()  # waiting on Alice's lock, not saving over it
    release.set()
    thread.join(10), post.join(10)
    assert "Attention : cet intervenant a été modifié après que vous l&#x27;avez ouvert." in messages_in(results["response"])
    speaker.refresh_from_db()
    assert (speaker.role, speaker.organisation) == ("présidente", "")
