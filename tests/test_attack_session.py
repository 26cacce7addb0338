"""Attacks on what landed on 1 December (issues #14, #16, #17), each kept as the specification
of the answer found: tag names and contact roles per language in the hands of each role, a tag
address taken over under /en/, and pages cached while a second process edits what they show, and the media bucket down."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from taggit.models import Tag

from articles.models import Article, PressContact, PressContactRole, TagTranslation
from articles.publishing import workflow
from articles.translations.services import start_translation
from tests.factories import login_verified, make_article, make_editor
from tests.test_translated_captions_and_tags import full_form_data, published_group

pytestmark = pytest.mark.django_db

S = Article.Status


# --- Each role, on the tag's and the contact's admin pages ----------------------------------------


@pytest.mark.parametrize("role", ["Rédaction", "Publication"])
def test_both_editorial_groups_may_name_tags_and_contact_roles_in_other_languages(role):
    # Without the inline's own permissions Django drops the inline from the page: only a superuser
    # could give a tag its English name or a contact its English role.
    group = Group.objects.get(name=role)
    codenames = set(group.permissions.values_list("codename", flat=True))
    for model in ("tagtranslation", "presscontactrole"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= codenames, model


def test_a_publisher_names_a_tag_in_english_from_the_tag_page(client, publisher):
    tag = Tag.objects.create(name="Économie")
    login_verified(client, publisher)
    address = reverse("admin:taggit_tag_change", args=[tag.pk])
    form = client.get(address)
    assert form.status_code == 200
    data = full_form_data(form, **{"translations-TOTAL_FORMS": "1", "translations-0-language": "en",
                                   "translations-0-name": "Economy", "translations-0-slug": ""})
    response = client.post(address, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert TagTranslation.objects.get(tag=tag).name == "Economy"


def test_a_writer_names_in_english_a_tag_only_drafts_carry(client):
    tag = Tag.objects.create(name="Vœux")
    make_article("Brouillon", status=S.DRAFT, publish_at=None, tags=[tag])
    client.force_login(make_editor("Rédaction"))
    address = reverse("admin:taggit_tag_change", args=[tag.pk])
    data = full_form_data(client.get(address), **{"translations-TOTAL_FORMS": "1", "translations-0-language": "en",
                                                  "translations-0-name": "Greetings", "translations-0-slug": ""})
    assert client.post(address, data).status_code == 302
    assert TagTranslation.objects.get(tag=tag).slug == "greetings"


def test_a_writer_cannot_rename_in_english_a_tag_a_live_translation_shows(client, publisher):
    original, english, _photo = published_group(publisher=publisher)
    tag = original.tags.get(name="Économie")
    TagTranslation.objects.create(tag=tag, language="en", name="Economy")
    writer = make_editor("Rédaction")
    client.force_login(writer)
    address = reverse("admin:taggit_tag_change", args=[tag.pk])
    page = client.get(address)
    assert page.status_code == 200
    # Read-only, inline included: no field of the translations to type in.
    assert 'name="translations-0-name"' not in page.text
    data = {"name": "Économie", "slug": "economie", "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "1", "translations-0-id": str(tag.translations.get().pk),
            "translations-0-tag": str(tag.pk), "translations-0-language": "en",
            "translations-0-name": "<script>alert(1)</script>Hijacked", "translations-0-slug": "hijacked"}
    assert client.post(address, data).status_code == 403
    assert TagTranslation.objects.get(tag=tag).name == "Economy"


def test_a_writer_cannot_give_a_live_contact_a_role_in_english(client, publisher):
    original = make_article("Avec contact", contacts=1)
    contact = original.press_contacts.get()
    writer = make_editor("Rédaction")
    client.force_login(writer)
    address = reverse("admin:articles_presscontact_change", args=[contact.pk])
    data = {"name": contact.name, "email": contact.email, "role": "", "phone": "",
            "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0",
            "roles-0-language": "en", "roles-0-role": "CEO (not really)"}
    assert client.post(address, data).status_code == 403
    assert not PressContactRole.objects.exists()


# --- A tag's address under /en/ taken over by another tag's English name ---------------------------


def test_an_english_tag_name_cannot_take_the_address_another_tag_has_under_en(client, publisher):
    original, english, _photo = published_group(publisher=publisher)  # tags Économie and Kyoto, no English names
    assert client.get("/en/tags/kyoto/").status_code == 200
    # A writer creates a new tag, used by no live release (so not locked), named "Kyoto" in English.
    writer = make_editor("Rédaction")
    client.force_login(writer)
    data = {"name": "Bidon", "slug": "bidon", "translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "0",
            "translations-0-language": "en", "translations-0-name": "Kyoto", "translations-0-slug": "kyoto"}
    refused = client.post(reverse("admin:taggit_tag_add"), data)
    assert refused.status_code == 200 and "Un autre mot-clé a déjà cette adresse" in refused.text
    assert not TagTranslation.objects.exists()
    client.logout()
    # Left blank (the importer, the shell, the form), the slug is derived past the other tag's.
    bidon = Tag.objects.create(name="Bidon")
    derived = TagTranslation.objects.create(tag=bidon, language="en", name="Kyoto")
    assert derived.slug == "kyoto-2"
    page = client.get("/en/tags/kyoto/")
    assert page.status_code == 200 and english.title in page.text


def test_the_tag_and_contact_rules_hold_outside_the_admin_too(publisher):
    """The shell, the importer or a job writing the rows meet the same rules as the admin's form."""
    from django.core.exceptions import ValidationError

    published_group(publisher=publisher)  # the live tag Kyoto, at /en/tags/kyoto/
    bidon = Tag.objects.create(name="Bidon")
    with pytest.raises(ValidationError, match="Un autre mot-clé a déjà cette adresse"):
        TagTranslation.objects.create(tag=bidon, language="en", name="Kyoto", slug="kyoto")
    with pytest.raises(ValidationError):
        TagTranslation.objects.create(tag=bidon, language="fr", name="Bidon français")
    with pytest.raises(ValidationError):
        TagTranslation.objects.create(tag=bidon, language="en", name="x" * 101)
    contact = PressContact.objects.create(name="Camille Martin", role="Relations presse")
    with pytest.raises(ValidationError):
        PressContactRole.objects.create(contact=contact, language="fr", role="Relations presse")
    assert not TagTranslation.objects.filter(tag=bidon).exists()
    assert not PressContactRole.objects.exists()


# --- A second process edits what cached pages show ---------------------------------------------


def test_a_tag_renamed_in_english_by_another_process_shows_at_once_on_cached_pages(client, publisher):
    original, english, _photo = published_group(publisher=publisher)
    tag = original.tags.get(name="Économie")
    translated = TagTranslation.objects.create(tag=tag, language="en", name="Economy")
    url = english.get_absolute_url()
    assert ">Economy</a>" in client.get(url).text
    assert client.get(url)["X-Page-Cache"] == "hit"
    # As `manage.py shell -c` does: the shared cache's tokens are bumped by the same receivers.
    translated.name = "The economy"
    translated.save()
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss" and ">The economy</a>" in page.text


def test_a_contact_role_changed_by_another_process_shows_at_once_in_the_cached_vcard(client, publisher):
    original = make_article("Avec contact", status=S.REVIEW, publish_at=None)
    contact = PressContact.objects.create(name="Anne Dupont", email="anne@example.org", role="Relations presse")
    original.press_contacts.add(contact)
    english = start_translation(original=original, language="en", user=publisher)
    Article.objects.filter(pk=english.pk).update(title="With a contact", status=S.REVIEW)
    workflow.publish(article=original, user=publisher)
    english.refresh_from_db()
    role = PressContactRole.objects.create(contact=contact, language="en", role="Press relations")
    with translation.override("en"):
        url = reverse("articles:release-vcards", args=[english.slug])
    first = client.get(url)
    assert first.status_code == 200 and b"Press relations" in first.content
    assert client.get(url)["X-Page-Cache"] == "hit"
    role.role = "Head of press"
    role.save()
    assert b"Head of press" in client.get(url).content
    role.delete()
    assert b"Relations presse" in client.get(url).content


# --- The page cache and who asks --------------------------------------------------------------------


def test_a_cached_page_is_never_served_to_a_logged_in_editor_nor_theirs_to_anonymous(client, publisher):
    original, english, _photo = published_group(publisher=publisher)
    url = english.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    login_verified(client, publisher)
    mine = client.get(url)
    assert mine["X-Page-Cache"] == "bypass" and "private" in mine["Cache-Control"]
    client.logout()
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_the_browser_s_language_never_changes_a_cached_unprefixed_page(client, publisher):
    original, _english, _photo = published_group(publisher=publisher)
    english_first = client.get("/mots-cles/kyoto/", HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="django_language=en")
    assert english_first.status_code == 200 and "Mot-clé" in english_first.text
    assert "Mot-clé" in client.get("/mots-cles/kyoto/").text


# --- A dependency down --------------------------------------------------------------------------


def bucket_down(settings):
    """Media on an S3 bucket whose server does not answer (nothing listens on port 9): what
    botocore raises then is its own EndpointConnectionError, not an OSError."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "articles.storage.backends.MediaStorage",
        "OPTIONS": {"bucket_name": "down", "endpoint_url": "http://127.0.0.1:9", "access_key": "x",
                    "secret_key": "y", "region_name": "us-east-1", "addressing_style": "path",
                    "signature_version": "s3v4", "default_acl": None, "querystring_auth": True},
    }}


@pytest.fixture(name="bucket_down")
def _bucket_down(settings):
    bucket_down(settings)


def test_the_bucket_down_still_gives_the_reader_the_release_pdf(client, bucket_down):
    release = make_article("Vœux 2027")
    response = client.get(reverse("articles:release-pdf", args=[release.slug]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_bucket_down_still_gives_the_reader_the_press_kit(client, bucket_down):
    release = make_article("Vœux 2027")
    response = client.get(reverse("articles:press-kit", args=[release.slug]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_bucket_down_makes_a_photo_download_a_french_503_not_a_500(client, settings):
    release = make_article("Avec photo", photos=1)
    photo = release.photos.get()
    bucket_down(settings)
    response = client.get(reverse("articles:photo-download", args=[photo.pk]))
    assert response.status_code == 503


# --- Hostile text in what the new pages echo ---------------------------------------------------------


def test_markup_in_a_title_body_or_query_is_text_in_the_search_highlights(client):
    make_article('Kyoto <img src=x onerror=alert(1)> "accord"',
                 body="<p>Accord &lt;script&gt;alert(2)&lt;/script&gt; signé à Kyoto ⟦ ⟧.</p>")
    page = client.get(reverse("articles:search"), {"q": "kyoto accord"})
    assert page.status_code == 200 and "<mark>" in page.text
    for raw in ("<img src=x", "<script>alert(2)"):
        assert raw not in page.text
    echoed = client.get(reverse("articles:search"), {"q": '"><script>alert(3)</script>'})
    assert echoed.status_code == 200 and "<script>alert(3)" not in echoed.text


def test_markup_in_a_tag_name_or_contact_role_of_a_translation_is_text(client, publisher):
    original, english, _photo = published_group(publisher=publisher)
    TagTranslation.objects.create(tag=original.tags.get(name="Économie"), language="en",
                                  name='<img src=x onerror=alert(1)>')
    contact = PressContact.objects.create(name="Anne", email="anne@example.org", role="Presse")
    english.press_contacts.add(contact)
    PressContactRole.objects.create(contact=contact, language="en", role='<script>alert(2)</script>')
    page = client.get(english.get_absolute_url()).text
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;img src=x" in page
    assert b"<img" not in client.get("/sitemap.xml").content


def test_a_scheduled_translation_s_tag_name_leaks_through_no_public_address(client, publisher):
    from datetime import timedelta

    from django.utils import timezone

    original, english, _photo = published_group(publisher=publisher, at=timezone.now() + timedelta(hours=2))
    TagTranslation.objects.create(tag=original.tags.get(name="Économie"), language="en", name="Secret economy")
    assert client.get("/en/tags/secret-economy/").status_code == 404
    assert client.get("/en/tags/economie/").status_code == 404  # and no redirect spelling its name
    sitemap = client.get("/sitemap.xml")
    texts = [sitemap.content]
    for section in ("tags", "articles", "pages"):
        response = client.get(f"/sitemap-{section}.xml")
        assert response.status_code == 200, section
        texts.append(response.content)
    assert not any(b"secret" in text for text in texts)
    assert b"secret" not in client.get("/en/feeds/atom/").content
    search = client.get("/en/search/", {"q": "economy"})
    assert list(search.context["articles"]) == [] and b"Secret economy" not in search.content


def test_staff_outside_the_editorial_groups_reach_no_preview_and_no_translation_inline(client):
    from django.contrib.auth.models import User

    draft = make_article("Brouillon secret", status=S.DRAFT, publish_at=None, contacts=1, tags=["Kyoto"])
    contact, tag = draft.press_contacts.get(), draft.tags.get()
    client.force_login(User.objects.create_user("stagiaire", is_staff=True))
    for address in [f"/apercu/{draft.pk}/", f"/apercu/{draft.pk}/contacts-presse.vcf",
                    f"/apercu/{draft.pk}/dossier-de-presse.zip", f"/apercu/{draft.pk}/mots-cles/kyoto/",
                    f"/en/preview/{draft.pk}/"]:
        response = client.get(address)
        assert response.status_code in (403, 404) and b"Brouillon secret" not in response.content, address
    assert client.post(reverse("admin:taggit_tag_change", args=[tag.pk]), {
        "name": "Kyoto", "slug": "kyoto", "translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "0",
        "translations-0-language": "en", "translations-0-name": "Hijack"}).status_code == 403
    assert client.post(reverse("admin:articles_presscontact_change", args=[contact.pk]), {
        "name": contact.name, "email": contact.email, "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0",
        "roles-0-language": "en", "roles-0-role": "Hijack"}).status_code == 403
    assert not TagTranslation.objects.exists() and not PressContactRole.objects.exists()
