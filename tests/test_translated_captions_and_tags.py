"""Translations, the details (issue #14): each translation writes its own caption and alternative
text under the photos it shares, tags have a name and an address per language, the path words
are translated (/en/releases/…) and the old addresses move there for good, and every public
string of the interface exists in English and Japanese."""

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation.template import templatize

from articles.importer.release import ReleaseError
from articles.importer.service import import_release
from articles.models import Article, ArticlePhoto, TagTranslation
from articles.publishing import workflow
from articles.translations.services import start_translation
from tests.factories import login_verified, make_article, make_photo, place

pytestmark = pytest.mark.django_db

S = Article.Status
DEMO = Path(__file__).resolve().parent.parent / "articles" / "demo"


def published_group(*, publisher, at=None, tags=("Économie", "Kyoto")):
    """A French original with one photo and an English translation, published together (at `at`)."""
    photo = make_photo(caption="Le pavillon d'or au printemps.", alt_text="Un temple doré au bord d'un étang.")
    original = place(make_article("Occitanie et Kyoto", status=S.REVIEW, publish_at=None, tags=list(tags)), photo)
    english = start_translation(original=original, language="en", user=publisher)
    Article.objects.filter(pk=english.pk).update(title="Occitanie and Kyoto", status=S.REVIEW)
    workflow.publish(article=original, user=publisher, **({"publish_at": at} if at else {}))
    original, english = (Article.objects.get(pk=a.pk) for a in (original, english))
    return original, english, photo


def kit_file(client, address, name) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read(name).decode()


def full_form_data(response, **changes) -> dict:
    """An admin change page posted back as a browser would: the form and every inline, as shown."""
    from django import forms

    from tests.factories import admin_form_data

    data = admin_form_data(response)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for form in [formset.management_form, *formset.forms]:
            for name, field in form.fields.items():
                if isinstance(field, forms.FileField):
                    continue
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def translate_caption(article, caption="The Golden Pavilion in spring.", alt="A golden temple by a pond."):
    ArticlePhoto.objects.filter(article=article).update(caption=caption, alt_text=alt)


# --- Captions and alternative text --------------------------------------------------------------


def test_a_translation_shows_its_own_caption_and_alt_text_under_the_shared_photo(client, publisher):
    original, english, photo = published_group(publisher=publisher)
    translate_caption(english)
    page = client.get(english.get_absolute_url()).text
    assert '<span class="caption">The Golden Pavilion in spring.</span>' in page
    assert 'alt="A golden temple by a pond."' in page
    assert "Le pavillon d&#x27;or" not in page and "Un temple doré" not in page
    # The photo, its file and its credit stay one: the original still says it in French.
    french = client.get(original.get_absolute_url()).text
    assert '<span class="caption">Le pavillon d&#x27;or au printemps.</span>' in french
    assert 'alt="Un temple doré au bord d&#x27;un étang."' in french
    assert english.article_photos.get().photo == photo
    # The English home page's card describes the image in English.
    assert 'alt="A golden temple by a pond."' in client.get("/en/").text


def test_an_untranslated_caption_falls_back_to_the_original_marked_as_french(client, publisher):
    original, english, _photo = published_group(publisher=publisher)
    page = client.get(english.get_absolute_url()).text
    assert '<span class="caption" lang="fr">Le pavillon d&#x27;or au printemps.</span>' in page
    assert 'lang="fr"' in re.search(r"<img [^>]*alt=\"Un temple doré[^>]*>", page).group(0)
    # The public never sees the editor's warning; the preview shows it.
    assert "non traduit" not in page


def test_the_preview_tells_the_editor_what_is_left_to_translate(client, publisher):
    _original, english, _photo = published_group(publisher=publisher)
    login_verified(client, publisher)
    preview = client.get(reverse("articles:article-preview", args=[english.pk])).text
    # In the language of the page previewed, next to the caption it concerns.
    assert "Caption or alternative text not translated: the original is shown." in preview
    translate_caption(english)
    assert "non traduit" not in client.get(reverse("articles:article-preview", args=[english.pk])).text


def test_the_press_kit_the_feed_and_the_api_give_the_translated_caption(client, publisher):
    original, english, photo = published_group(publisher=publisher)
    translate_caption(english)
    captions = kit_file(client, f"/en/releases/{english.slug}/press-kit.zip", "LEGENDES.txt")
    assert "Caption: The Golden Pavilion in spring." in captions
    assert "Alternative text: A golden temple by a pond." in captions
    assert "Légende : Le pavillon d'or au printemps." in kit_file(
        client, f"/communiques/{original.slug}/dossier-de-presse.zip", "LEGENDES.txt")
    feed = client.get("/en/feeds/rss/").text
    assert "The Golden Pavilion in spring." in feed and "Le pavillon" not in feed
    [shown] = client.get(f"/api/v1/releases/{english.pk}").json()["photos"]
    assert (shown["caption"], shown["alt_text"], shown["caption_fallback_language"]) == (
        "The Golden Pavilion in spring.", "A golden temple by a pond.", "")
    ArticlePhoto.objects.filter(article=english).update(caption="")
    [shown] = client.get(f"/api/v1/releases/{english.pk}").json()["photos"]
    assert (shown["caption"], shown["caption_fallback_language"]) == ("Le pavillon d'or au printemps.", "fr")


def test_hostile_markup_in_a_translated_caption_is_text(client, publisher):
    _original, english, _photo = published_group(publisher=publisher)
    translate_caption(english, caption='<script>alert("x")</script>', alt='"><img src=x onerror=alert(1)>')
    response = client.get(english.get_absolute_url())
    assert response.status_code == 200
    assert "<script>alert" not in response.text and "onerror=alert(1)>" not in response.text
    assert "&lt;script&gt;" in response.text


# --- The admin ------------------------------------------------------------------------------------


def test_the_translation_form_edits_its_captions_with_the_original_beside(client, publisher):
    from tests.admin_posts import url

    original = place(make_article("Occitanie et Kyoto", status=S.DRAFT, publish_at=None),
                     make_photo(caption="Le pavillon d'or.", alt_text="Un temple doré."))
    draft = start_translation(original=original, language="en", user=publisher)
    login_verified(client, publisher)
    form = client.get(url(Article, "change", draft.pk))
    assert "Légende et texte alternatif de la traduction" in form.text
    assert "« Le pavillon d&#x27;or. »" in form.text and "Non traduit (légende, texte alternatif)" in form.text
    prefix = "article_photos-0-"
    data = full_form_data(form, **{f"{prefix}caption": "The Golden Pavilion.", f"{prefix}alt_text": "A golden temple."})
    response = client.post(url(Article, "change", draft.pk), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert draft.article_photos.values_list("caption", "alt_text").get() == ("The Golden Pavilion.", "A golden temple.")
    # The original's form has no such fields: its captions are the photo's own.
    assert "Légende et texte alternatif de la traduction" not in client.get(url(Article, "change", original.pk)).text


def test_a_tag_is_given_its_names_in_the_tag_form(client):
    from django.contrib.auth.models import User
    from taggit.models import Tag

    tag = Tag.objects.create(name="Économie")
    superuser = User.objects.create_superuser("root", "root@example.org", "x")
    login_verified(client, superuser)
    address = reverse("admin:taggit_tag_change", args=[tag.pk])
    form = client.get(address)
    assert '<option value="ja">' in form.text and '<option value="fr">' not in form.text
    data = full_form_data(form, **{"translations-TOTAL_FORMS": "1", "translations-0-language": "en",
                                    "translations-0-name": "Economy", "translations-0-slug": ""})
    response = client.post(address, data)
    assert response.status_code == 302, response.context["errors"]
    assert TagTranslation.objects.get(tag=tag).slug == "economy"


# --- Tags in each language -----------------------------------------------------------------------


def test_a_translated_page_names_its_tags_in_its_language_and_links_their_pages_there(client, publisher):
    original, english, _photo = published_group(publisher=publisher)
    economy = TagTranslation.objects.create(tag=original.tags.get(name="Économie"), language="en", name="Economy")
    page = client.get(english.get_absolute_url()).text
    assert '<a href="/en/tags/economy/">Economy</a>' in page
    assert '<a href="/en/tags/kyoto/" lang="fr">Kyoto</a>' in page  # no English name yet: French, said so
    assert '<a href="/mots-cles/economie/">Économie</a>' in client.get(original.get_absolute_url()).text
    assert '<meta property="article:tag" content="Economy">' in page
    assert economy.slug == "economy"


def test_a_tag_page_in_each_language_lists_that_languages_releases_under_its_name(client, publisher):
    original, english, _photo = published_group(publisher=publisher)
    TagTranslation.objects.create(tag=original.tags.get(name="Économie"), language="en", name="Economy")
    english_page = client.get("/en/tags/economy/")
    assert english_page.status_code == 200
    assert "<h1>Tag: Economy</h1>" in english_page.text
    assert [a.language for a in english_page.context["articles"]] == ["en"]
    assert [a.language for a in client.get("/mots-cles/economie/").context["articles"]] == ["fr"]
    # The tag's pages link each other, French first as x-default.
    assert '<link rel="alternate" hreflang="fr" href="http://127.0.0.1:8000/mots-cles/economie/">' in english_page.text
    assert '<link rel="alternate" hreflang="en" href="http://127.0.0.1:8000/en/tags/economy/">' in english_page.text
    assert '<link rel="alternate" hreflang="x-default" href="http://127.0.0.1:8000/mots-cles/economie/">' in english_page.text
    # Its French slug under /en/ moves to the English address for good; its feeds are there too.
    moved = client.get("/en/tags/economie/?page=1")
    assert (moved.status_code, moved["Location"]) == (301, "/en/tags/economy/")
    assert client.get("/en/tags/economie/feeds/rss/")["Location"] == "/en/tags/economy/feeds/rss/"
    feed = feedparser.parse(client.get("/en/tags/economy/feeds/rss/").content)
    assert feed.feed.title.endswith("“Economy”") or "Economy" in feed.feed.title
    assert [e.title for e in feed.entries] == ["Occitanie and Kyoto"]


def test_the_api_names_a_translation_s_tags_in_its_language_and_says_when_french_stands_in(client, publisher):
    original, english, _photo = published_group(publisher=publisher)
    TagTranslation.objects.create(tag=original.tags.get(name="Économie"), language="en", name="Economy")
    site = settings.SITE_URL
    shown = {t["slug"]: t for t in client.get(f"/api/v1/releases/{english.pk}").json()["tags"]}
    assert shown["economie"] == {"name": "Economy", "slug": "economie", "url": f"{site}/en/tags/economy/",
                                 "name_fallback_language": ""}
    # No English name yet: the French one, said so, and the tag's English page at its French slug.
    assert shown["kyoto"] == {"name": "Kyoto", "slug": "kyoto", "url": f"{site}/en/tags/kyoto/",
                              "name_fallback_language": "fr"}
    assert client.get("/en/tags/kyoto/").status_code == 200
    # The original keeps its French names and addresses; the lists say the same as one release.
    french = {t["slug"]: t for t in client.get(f"/api/v1/releases/{original.pk}").json()["tags"]}
    assert french["economie"] == {"name": "Économie", "slug": "economie", "url": f"{site}/mots-cles/economie/",
                                  "name_fallback_language": ""}
    listed = {r["id"]: r for r in client.get("/api/v1/releases").json()["items"]}
    assert {t["name"] for t in listed[english.pk]["tags"]} == {"Economy", "Kyoto"}
    assert {t["name"] for t in listed[original.pk]["tags"]} == {"Économie", "Kyoto"}
    # The release's own address is in its language too.
    assert listed[english.pk]["url"] == f"{site}{english.get_absolute_url()}"


def test_a_tag_page_under_en_shows_nothing_before_the_groups_time(client, publisher, time_machine):
    soon = timezone.now() + timedelta(minutes=2)
    original, english, _photo = published_group(publisher=publisher, at=soon)
    TagTranslation.objects.create(tag=original.tags.get(name="Économie"), language="en", name="Economy")
    french_only = make_article("Déjà en ligne", tags=["Économie"])
    assert client.get("/en/tags/economy/").status_code == 404
    assert client.get("/en/tags/economy/feeds/rss/").status_code == 404
    french = client.get("/mots-cles/economie/").text
    assert "Occitanie et Kyoto" not in french and french_only.title in french
    assert "/en/tags/economy/" not in french  # no hreflang to a page that does not exist yet
    assert list(client.get("/en/search/", {"q": "Economy"}).context["articles"]) == []
    time_machine.move_to(soon + timedelta(seconds=1), tick=False)
    page = client.get("/en/tags/economy/")
    assert page.status_code == 200 and "Occitanie and Kyoto" in page.text
    assert "/en/tags/economy/" in client.get("/mots-cles/economie/").text
    assert [a.language for a in client.get("/en/search/", {"q": "Economy"}).context["articles"]] == ["en"]


def test_hostile_and_out_of_range_tag_addresses_are_404_never_500(client, publisher):
    original, _english, _photo = published_group(publisher=publisher)
    TagTranslation.objects.create(tag=original.tags.get(name="Économie"), language="ja", name='<b>経済</b>"')
    # No Japanese release carries it yet: it does not exist there, and no redirect tells its name.
    assert client.get("/ja/tags/economie/").status_code == 404
    for address in ["/en/tags/" + "a" * 5000 + "/", "/ja/tags/%00/", "/en/releases/" + "x" * 3000 + "/",
                    "/en/archives/99999/", "/en/photos/99999999999999999999999/download/", "/en/speakers/nobody/"]:
        assert client.get(address).status_code == 404, address


# --- Translated path words ------------------------------------------------------------------------


def test_english_and_japanese_addresses_use_translated_words_and_french_keeps_todays(publisher):
    original, english, _photo = published_group(publisher=publisher)
    assert original.get_absolute_url() == f"/communiques/{original.slug}/"
    assert english.get_absolute_url() == f"/en/releases/{english.slug}/"
    with translation.override("ja"):
        assert reverse("articles:speaker-detail", args=["carole-delga"]) == "/ja/speakers/carole-delga/"
        assert reverse("articles:feed-atom") == "/ja/feeds/atom/"
    with translation.override("en"):
        assert reverse("articles:search") == "/en/search/"
        assert reverse("articles:accessibility") == "/en/accessibility/"


def test_the_old_english_addresses_move_for_good_to_the_translated_ones(client, publisher):
    _original, english, _photo = published_group(publisher=publisher)
    for old, new in [
        (f"/en/communiques/{english.slug}/", f"/en/releases/{english.slug}/"),
        (f"/en/communiques/{english.slug}/dossier-de-presse.zip", f"/en/releases/{english.slug}/press-kit.zip"),
        ("/en/recherche/?q=kyoto", "/en/search/?q=kyoto"),
        ("/ja/flux/rss/", "/ja/feeds/rss/"),
        ("/en/mots-cles/kyoto/", "/en/tags/kyoto/"),
        ("/ja/accessibilite/", "/ja/accessibility/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get(f"/en/releases/{english.slug}/").status_code == 200


def test_an_old_address_that_names_nothing_public_stays_a_404(client, publisher):
    soon = timezone.now() + timedelta(hours=1)
    _original, english, _photo = published_group(publisher=publisher, at=soon)
    moved = client.get(f"/en/communiques/{english.slug}/")
    assert moved.status_code == 301  # the address moves whatever it names ...
    assert client.get(moved["Location"]).status_code == 404  # ... and the new one shows nothing before its time


def test_the_switcher_hreflang_sitemap_and_feeds_use_the_translated_addresses(client, publisher):
    original, english, _photo = published_group(publisher=publisher)
    page = client.get(original.get_absolute_url()).text
    assert f'<link rel="alternate" hreflang="en" href="http://127.0.0.1:8000/en/releases/{english.slug}/">' in page
    assert f'<a href="/en/releases/{english.slug}/" hreflang="en" lang="en">English</a>' in page
    assert f"/en/releases/{english.slug}/" in client.get("/sitemap-articles.xml").text
    assert f"http://127.0.0.1:8000/en/releases/{english.slug}/" in client.get("/en/feeds/atom/").text
    assert '<a href="/en/search/"' in client.get("/en/").text or 'action="/en/search/"' in client.get("/en/").text


# --- The importer -----------------------------------------------------------------------------------


def test_the_demo_translations_bring_their_captions_and_tag_names(client):
    for name in ("occitanie-kyoto.md", "occitanie-kyoto.en.md", "occitanie-kyoto.ja.md"):
        import_release(path=DEMO / name, stdout=io.StringIO())
    members = {a.language: a for a in Article.objects.all()}
    english, japanese = members["en"].article_photos.get(), members["ja"].article_photos.get()
    assert english.caption.startswith("Kyoto at sunset") and english.alt_text.startswith("A torii gate")
    assert japanese.caption.startswith("夕暮れの京都") and japanese.alt_text
    assert english.photo == japanese.photo == members["fr"].article_photos.get().photo
    names = dict(TagTranslation.objects.filter(language="ja").values_list("tag__name", "name"))
    assert names["Économie"] == "経済" and names["Kyoto"] == "京都"
    assert sorted(members["en"].tags.names()) == sorted(members["fr"].tags.names())
    page = client.get(members["ja"].get_absolute_url()).text
    assert "夕暮れの京都" in page and '<a href="/ja/tags/economie/">経済</a>' in page


def test_importing_a_translation_summarises_its_tags_in_its_language_and_its_credit_as_the_shared_photo_s(client):
    from articles.models import Credit

    import_release(path=DEMO / "occitanie-kyoto.md", stdout=io.StringIO())
    summary = io.StringIO()
    import_release(path=DEMO / "occitanie-kyoto.en.md", stdout=summary)
    text = summary.getvalue()
    tags = next(line for line in text.splitlines() if line.startswith("  Mots-clés : "))
    assert "Economy (Économie)" in tags and "Japan (Japon)" in tags and "International cooperation (Coopération" in tags
    # The file names these under their French names only: said apart, since the page shows them so.
    assert "  Mots-clés sans nom dans la langue du communiqué (le nom français est affiché) : Kyocera, Kyoto, Panasonic, Sigfox, Vogo" in text
    assert "Kyoto" not in tags
    # "(Photo credit: Nicolas Datiche)" is the credit of the photo the translation shares: recognised,
    # neither a warning nor a credit waiting for a photo, nor a second credit.
    assert "Attention" not in text, text
    assert "Crédit photo : Nicolas Datiche — celui de la photo de l'original" in text
    english = Article.objects.get(language="en")
    assert english.pending_credit is None and Credit.objects.count() == 1
    assert "Photo credit" not in english.body


def test_a_translation_s_credit_that_no_photo_of_its_original_has_is_reported(tmp_path):
    from articles.models import Credit

    import_release(path=DEMO / "occitanie-kyoto.md", stdout=io.StringIO())
    slug = Article.objects.get().slug
    path = write(tmp_path, "t.md", f"---\ntitle: A translation\nlanguage: en\ntranslation_of: {slug}\n---\n"
                                   "Some text.\n\n(Photo credit: Jeanne Martin)\n")
    summary = io.StringIO()
    import_release(path=path, stdout=summary)
    assert ("Attention, ligne 8 : crédit photo « Jeanne Martin » inconnu de l'original (les photos de "
            "l'original, que la traduction montre, sont créditées « Nicolas Datiche »)") in summary.getvalue()
    assert "crédit en attente" not in summary.getvalue()
    assert not Credit.objects.filter(name="Jeanne Martin").exists()
    assert Article.objects.get(language="en").pending_credit is None


def test_a_press_contact_s_role_is_given_in_each_language_of_the_demo(client):
    from articles.models import PressContact, PressContactRole

    for name in ("occitanie-kyoto.md", "occitanie-kyoto.en.md", "occitanie-kyoto.ja.md"):
        import_release(path=DEMO / name, stdout=io.StringIO())
    # One contact, matched by name and e-mail: its French role stays, the files give the others.
    contact = PressContact.objects.get()
    assert contact.role == "Relations presse"
    assert dict(PressContactRole.objects.values_list("language", "role")) == {"en": "Press relations", "ja": "報道担当"}
    members = {a.language: a for a in Article.objects.all()}
    english, japanese, french = members["en"], members["ja"], members["fr"]
    assert "<strong>Service de presse de la Région</strong>, Press relations" in client.get(english.get_absolute_url()).text
    assert "<strong>Service de presse de la Région</strong>, 報道担当" in client.get(japanese.get_absolute_url()).text
    assert "<strong>Service de presse de la Région</strong>, Relations presse" in client.get(french.get_absolute_url()).text
    [shown] = client.get(f"/api/v1/releases/{english.pk}").json()["press_contacts"]
    assert (shown["role"], shown["role_fallback_language"]) == ("Press relations", "")
    response = client.get(f"/en/releases/{english.slug}/press-contacts.vcf")
    vcard = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
    assert "TITLE:Press relations" in vcard
    assert "Service de presse de la Région — Press relations" in kit_file(
        client, f"/en/releases/{english.slug}/press-kit.zip", "COMMUNIQUE.txt")
    from tests.test_release_pdf import text_of

    with translation.override("en"):
        pdf = client.get(reverse("articles:release-pdf", args=[english.slug]))
    assert pdf.status_code == 200
    assert "Service de presse de la Région — Press relations" in text_of(
        b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    # A role not given in a language: the French one, marked so on the page and in the API.
    PressContactRole.objects.filter(language="en").delete()
    page = client.get(english.get_absolute_url()).text
    assert '<strong>Service de presse de la Région</strong>, <span lang="fr">Relations presse</span>' in page
    [shown] = client.get(f"/api/v1/releases/{english.pk}").json()["press_contacts"]
    assert (shown["role"], shown["role_fallback_language"]) == ("Relations presse", "fr")


def test_a_translation_file_s_other_role_for_a_contact_already_named_is_reported(tmp_path):
    from articles.models import PressContactRole

    import_release(path=DEMO / "occitanie-kyoto.md", stdout=io.StringIO())
    contact = Article.objects.get().press_contacts.get()
    PressContactRole.objects.create(contact=contact, language="en", role="Press office")
    summary = io.StringIO()
    import_release(path=DEMO / "occitanie-kyoto.en.md", stdout=summary)
    assert ("contact « Service de presse de la Région » : fonction « Press relations » du fichier ignorée, "
            "le contact a déjà « Press office »") in summary.getvalue()
    assert "Contacts presse : Service de presse de la Région (Press office)" in summary.getvalue()
    assert PressContactRole.objects.get().role == "Press office"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_importer_refuses_captions_and_tag_names_it_cannot_place(tmp_path):
    import_release(path=DEMO / "occitanie-kyoto.md", stdout=io.StringIO())
    slug = Article.objects.get().slug
    head = f"---\ntitle: A translation\nlanguage: en\ntranslation_of: {slug}\n"
    too_many = write(tmp_path, "a.md", head + "captions:\n  - caption: One\n  - caption: Two\n---\nText.\n")
    with pytest.raises(ReleaseError, match="ligne 7 .*2 légendes traduites pour 1 photo"):
        import_release(path=too_many, stdout=io.StringIO())
    unknown = write(tmp_path, "b.md", head + "tags:\n  - Fromage: Cheese\n---\nText.\n")
    with pytest.raises(ReleaseError, match="ligne 6 .*« Fromage » n'est pas un mot-clé de l'original"):
        import_release(path=unknown, stdout=io.StringIO())
    in_an_original = write(tmp_path, "c.md", "---\ntitle: Original\ncaptions:\n  - caption: One\n---\nText.\n")
    with pytest.raises(ReleaseError, match="ligne 3 .*ne sert qu'à une traduction"):
        import_release(path=in_an_original, stdout=io.StringIO())
    mapping_in_an_original = write(tmp_path, "d.md", "---\ntitle: Original\ntags:\n  - Économie: Economy\n---\nText.\n")
    with pytest.raises(ReleaseError, match="ligne 4 .*ne s'écrit que dans une traduction"):
        import_release(path=mapping_in_an_original, stdout=io.StringIO())
    assert Article.objects.count() == 1 and not TagTranslation.objects.exists()


# --- The interface in English and Japanese ------------------------------------------------------

PUBLIC_TEMPLATES = [
    *sorted((Path(settings.BASE_DIR) / "articles" / "templates" / "articles").rglob("*.html")),
    *sorted((Path(settings.BASE_DIR) / "articles" / "templates" / "alerts").glob("*.html")),
    *sorted(p for p in (Path(settings.BASE_DIR) / "pressroom" / "templates").rglob("*.html")
            if "admin" not in p.parts and "registration" not in p.parts),
]
LITERAL = r"u?'((?:[^'\\]|\\.)*)'"


def template_messages(path: Path) -> set:
    """The messages a template asks for, read as makemessages reads them (Django's templatize)."""
    text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    singular = {m for m in re.findall(r"\bgettext\(" + LITERAL, text)}
    plural = set(re.findall(r"\bngettext\(" + LITERAL + r", " + LITERAL, text))
    unescape = lambda s: s.encode("latin-1", "backslashreplace").decode("unicode_escape")  # noqa: E731
    return {unescape(m) for m in singular} | {(unescape(a), unescape(b)) for a, b in plural}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_string_of_the_public_site_is_translated_in_english_and_japanese(language):
    """A new {% translate %} on a public page without its English or Japanese fails here until
    `make messages` is run and the entry filled in: Django's own catalogue answers, not a parser."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation(language)._catalog
    missing = []
    for path in PUBLIC_TEMPLATES:
        for message in template_messages(path):
            key = (message[0], 0) if isinstance(message, tuple) else message
            if key not in catalog:
                missing.append((path.name, message))
    assert len(PUBLIC_TEMPLATES) > 30
    assert missing == []


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_address_has_its_words_in_english_and_japanese(language):
    from articles.urls import urlpatterns

    untranslated = {"", "sitemap.xml", "sitemap-<slug:section>.xml", "robots.txt"}  # the same in every language
    named = [p for p in urlpatterns if p.name]
    assert [p.name for p in named if isinstance(p.pattern._route, str) and p.pattern._route not in untranslated] == []
    with translation.override(language):
        routes = [str(p.pattern._route) for p in named if not isinstance(p.pattern._route, str)]
    french_words = r"communiques|mots-cles|intervenants|recherche|flux|abonnement|apercu|contacts-presse|telecharger"
    assert routes and not [r for r in routes if re.search(french_words, r)]


# --- Japanese quotes ------------------------------------------------------------------------------

JAPANESE_RELEASE = """---
title: 京都府とオクシタニー地域圏、ワイン交流で覚書
language: ja
speakers:
  - name: 山田啓二
    role: 京都府知事
    aliases: [山田知事, 知事]
---
京都府の山田啓二知事は12日、府庁で記者会見を開き、オクシタニー地域圏との交流拡大を発表した。
「京都とオクシタニーは、ともに千年の歴史を持つ文化の地です。若い世代の交流をさらに進めたい」と山田知事は述べました。
会見には、ワイン生産者組合の田中太郎会長も同席した。田中太郎会長は「両地域の生産者が互いに学び合う、またとない機会になる」と語った。
秋には『千年の都とワイン』と題した展示会も開かれる。
知事は次のように締めくくりました。
「この覚書を第一歩として、具体的な成果を積み上げてまいります」
会場では「おもてなし」の心を伝える茶会も催された。
"""


def test_japanese_quotes_in_brackets_keep_their_speakers(tmp_path):
    result = import_release(path=write(tmp_path, "kyoto.ja.md", JAPANESE_RELEASE), stdout=io.StringIO())
    quotes = [(q.speaker.name, q.speaker.role, q.text[:10]) for q in result.article.quotes.all()]
    assert quotes == [
        ("山田啓二", "京都府知事", "京都とオクシタニーは"),  # 「…」と山田知事は述べました
        ("田中太郎", "会長", "両地域の生産者が互いに"[:10]),  # 田中太郎会長は「…」と語った: a new speaker, name and title
        ("山田啓二", "京都府知事", "この覚書を第一歩として"[:10]),  # 知事は次のように締めくくりました。¶「…」
    ]  # 『千年の都とワイン』 is a title, 「おもてなし」 a word: neither is a quote
    assert "\n" not in quotes[0][2] and result.warnings == []


def test_the_japanese_translation_quotes_the_originals_speakers(client):
    for name in ("occitanie-kyoto.md", "occitanie-kyoto.ja.md"):
        import_release(path=DEMO / name, stdout=io.StringIO())
    original, japanese = Article.objects.get(language="fr"), Article.objects.get(language="ja")
    assert [q.speaker for q in japanese.quotes.all()] == [q.speaker for q in original.quotes.all()]
    assert japanese.quotes.count() == 3
    texts = [q.text for q in japanese.quotes.all()]
    assert texts[0].startswith("パナソニックは") and texts[2].endswith("いっそう確かなものにしました")
    assert "\n" in texts[2]  # the quote runs over two paragraphs, as in the original
    # The speaker's page in Japanese lists the Japanese quotes.
    speaker = original.quotes.first().speaker
    with translation.override("ja"):
        address = reverse("articles:speaker-detail", args=[speaker.slug])
    assert "パナソニックは" in client.get(address).text


def test_a_japanese_bracket_never_closed_is_refused_naming_its_line(tmp_path):
    path = write(tmp_path, "a.ja.md", "---\ntitle: 題\nlanguage: ja\n---\n知事は「終わらない発言と述べた。\n次の段落。\n")
    with pytest.raises(ReleaseError, match="ligne 5 .*「 n'est jamais fermée par 」"):
        import_release(path=path, stdout=io.StringIO())
    assert not Article.objects.exists()


def test_the_japanese_catalogue_is_compiled_and_complete():
    """Like the English one (test_english.py): no fuzzy entry, none left empty, placeholders kept."""
    from tests.test_english import parse_po

    po = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    assert po.with_suffix(".mo").exists()
    placeholders = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]")
    problems = []
    for entry in (e for e in parse_po(po) if e.get("msgid")):
        translated = entry.get("msgstr") if "msgid_plural" not in entry else entry.get("msgstr[0]")
        if "fuzzy" in entry["flags"] or not translated:
            problems.append(entry["msgid"])
        elif not set(placeholders.findall(translated)) <= set(placeholders.findall(entry["msgid"] + entry.get("msgid_plural", ""))):
            problems.append(("placeholder", entry["msgid"]))
    assert problems == []


def test_a_translation_s_vcards_cost_the_same_queries_for_one_contact_or_five(client):
    """Each contact's role in the release's language is read with the contacts, never one query each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import PressContact, PressContactRole

    for name in ("occitanie-kyoto.md", "occitanie-kyoto.en.md"):
        import_release(path=DEMO / name, stdout=io.StringIO())
    english = Article.objects.get(language="en")
    address = f"/en/releases/{english.slug}/press-contacts.vcf"

    def queries() -> tuple[int, str]:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
            body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert response.status_code == 200
        return len(captured), body

    one, _body = queries()
    for n in range(4):
        contact = PressContact.objects.create(name=f"Attachée {n}", role="Relations presse")
        PressContactRole.objects.create(contact=contact, language="en", role=f"Press officer {n}")
        english.press_contacts.add(contact)
    five, body = queries()
    assert five == one
    assert "TITLE:Press officer 3" in body
