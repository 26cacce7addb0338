"""The admin, as an editor sees it: French pages, lists with thumbnails and Paris times, safe uploads."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from articles.models import Article, ArticlePhoto, Credit, Photo, PressContact, Quote, Speaker
from tests.admin_posts import article_data, inline_prefixes, management, url
from tests.factories import (
    edit_token_of,
    image_bytes,
    image_upload,
    make_article,
    make_credit,
    make_photo,
    make_speaker,
)

pytestmark = pytest.mark.django_db

S = Article.Status




def media_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []








def form_errors(response):
    return response.context["adminform"].form.errors


# --- Pages load -----------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Article, Photo, Credit, Speaker, PressContact])
def test_the_changelist_and_add_pages_load_in_french(admin_client, model):
    for view in ("changelist", "add"):
        response = admin_client.get(url(model, view))
        assert response.status_code == 200
        assert response.headers["Content-Language"] == "fr"


def test_the_change_pages_load(admin_client):
    article = make_article(photos=1, quotes=1, contacts=1, tags=["Kyoto"])
    photo = article.photos.get()
    objects = [article, photo, photo.credit, article.quotes.get().speaker, article.press_contacts.get()]
    for obj in objects:
        response = admin_client.get(url(type(obj), "change", obj.pk))
        assert response.status_code == 200, type(obj)


def test_the_article_list_shows_the_lead_thumbnail_the_paris_time_and_the_tags(admin_client):
    article = make_article("Accord avec Kyoto", publish_at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC), photos=2, tags=["Kyoto", "Économie"])
    lead = article.lead_photo
    response = admin_client.get(url(Article))
    assert response.status_code == 200
    assert "3 mars 2026 10:00 (Europe/Paris)" in response.text
    assert "Économie, Kyoto" in response.text
    thumb = lead.rendition("thumb-jpeg").file.url
    assert f'<img src="{thumb}" alt="{lead.alt_text}" width="64" height="64"' in response.text
    second = article.photos.exclude(pk=lead.pk).get()
    assert second.rendition("thumb-jpeg").file.url not in response.text  # only the lead photo is shown


def test_an_article_without_date_or_photo_says_so_in_the_list(admin_client):
    make_article("Brouillon sans date", status=S.DRAFT)
    response = admin_client.get(url(Article))
    assert "non programmée" in response.text
    assert "<img src=\"/media" not in response.text


def test_the_state_column_says_each_state_as_people_say_it(admin_client):
    make_article("En ligne")
    make_article("Sous embargo", publish_at=timezone.now() + timedelta(days=1))
    make_article("Brouillon", status=S.DRAFT)
    make_article("À relire", status=S.REVIEW)
    make_article("Retiré", status=S.WITHDRAWN)
    response = admin_client.get(url(Article) + "?o=1")  # ordered by title
    cells = [cell.split("</td>")[0] for cell in response.text.split('class="field-state_column"')[1:]]
    words = [re.search(r'release-state--[\w-]+">([^<]+)<', cell).group(1) for cell in cells]
    titles = [article.title for article in response.context["cl"].result_list]
    assert dict(zip(titles, words, strict=True)) == {
        "En ligne": "En ligne", "Sous embargo": "Programmé", "Brouillon": "Brouillon", "À relire": "En relecture",
        "Retiré": "Retiré",
    }
    assert 'alt="True"' not in response.text and 'alt="False"' not in response.text  # no red ✗ for a scheduled one


@pytest.mark.parametrize(("state", "shown"), [
    ("brouillon", "Brouillon"), ("relecture", "À relire"), ("programme", "Sous embargo"),
    ("en-ligne", "En ligne"), ("retire", "Retiré"),
])
def test_the_list_filters_by_state_as_people_say_it(admin_client, state, shown):
    make_article("En ligne")
    make_article("Sous embargo", publish_at=timezone.now() + timedelta(days=1))
    make_article("Brouillon", status=S.DRAFT)
    make_article("À relire", status=S.REVIEW)
    make_article("Retiré", status=S.WITHDRAWN)
    response = admin_client.get(url(Article), {"etat": state})
    assert [a.title for a in response.context["cl"].result_list] == [shown]
    filters = response.text.split('id="changelist-filter"')[1]
    for word in ("Brouillon", "En relecture", "Programmé", "En ligne", "Retiré", "Supprimé"):
        assert word in filters
    assert "Communiqués" in response.text and "Sélectionnez l'objet" not in response.text


# --- Adding and changing an article ---------------------------------------------------------


def test_adding_an_article_saves_its_quotes_photos_tags_contacts_in_order_and_its_author(admin_client, admin_user):
    add = admin_client.get(url(Article, "add"))
    prefixes = inline_prefixes(add)
    assert prefixes == {ArticlePhoto: "article_photos", Quote: "quotes"}
    p_photo, p_quote = prefixes[ArticlePhoto], prefixes[Quote]
    first, second = make_photo(caption="Signature"), make_photo(caption="Kyoto de nuit")
    delga, kimura = make_speaker("Carole Delga"), make_speaker("Kimura Hiroshi")
    contact = PressContact.objects.create(name="Service presse")

    data = article_data(
        title="Économie à Kyoto",
        status=S.PUBLISHED,
        publish_at_0="03/03/2026",
        publish_at_1="10:00",
        tags="Kyoto, Économie",
        press_contacts=[contact.pk],
        **management(p_photo, 2),
        **{f"{p_photo}-0-photo": second.pk, f"{p_photo}-0-position": "1"},
        **{f"{p_photo}-1-photo": first.pk, f"{p_photo}-1-position": "0"},
        **management(p_quote, 2),
        **{f"{p_quote}-0-speaker": kimura.pk, f"{p_quote}-0-text": "Bienvenue.", f"{p_quote}-0-position": "2"},
        **{f"{p_quote}-1-speaker": delga.pk, f"{p_quote}-1-text": "Un accord historique.", f"{p_quote}-1-position": "1"},
    )
    response = admin_client.post(url(Article, "add"), data)
    assert response.status_code == 302, response.context and form_errors(response)

    article = Article.objects.get()
    assert article.slug == "economie-a-kyoto"
    assert article.publish_at == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # 10:00 in Paris
    assert [q.speaker.name for q in article.quotes.all()] == ["Carole Delga", "Kimura Hiroshi"]
    assert [p.photo for p in article.article_photos.all()] == [first, second]
    assert article.lead_photo == first
    assert sorted(article.tags.names()) == ["Kyoto", "Économie"]
    assert list(article.press_contacts.all()) == [contact]
    assert article.created_by == admin_user
    assert article.updated_by == admin_user


def test_changing_an_article_saves_it_and_records_who_changed_it(admin_client, admin_user, django_user_model):
    author = django_user_model.objects.create_user("auteur")
    article = make_article("Ancien titre", status=S.DRAFT, created_by=author, updated_by=author)
    quote = Quote.objects.create(article=article, speaker=make_speaker(), text="Avant.", position=0)
    change = admin_client.get(url(Article, "change", article.pk))
    prefixes = inline_prefixes(change)
    p_photo, p_quote = prefixes[ArticlePhoto], prefixes[Quote]

    data = article_data(
        title="Nouveau titre",
        slug=article.slug,
        edit_version=change.context["adminform"].form["edit_version"].value(),  # as the browser posts it back
        **management(p_photo, 0),
        **management(p_quote, 1, initial=1),
        **{
            f"{p_quote}-0-id": quote.pk,
            f"{p_quote}-0-article": article.pk,
            f"{p_quote}-0-speaker": quote.speaker_id,
            f"{p_quote}-0-text": "Après.",
            f"{p_quote}-0-position": "0",
        },
    )
    response = admin_client.post(url(Article, "change", article.pk), data)
    assert response.status_code == 302, response.context and form_errors(response)
    article.refresh_from_db()
    quote.refresh_from_db()
    assert article.title == "Nouveau titre"
    assert quote.text == "Après."
    assert article.created_by == author
    assert article.updated_by == admin_user


def test_a_duplicate_slug_is_refused_with_a_french_message(admin_client):
    make_article("Premier", slug="accord-kyoto")
    data = article_data(title="Second", slug="accord-kyoto", **management("article_photos", 0), **management("quotes", 0))
    response = admin_client.post(url(Article, "add"), data)
    assert response.status_code == 200
    message = "Un autre communiqué utilise déjà ce slug : choisissez-en un autre."
    assert form_errors(response)["slug"] == [message]
    assert escape(message) in response.text
    assert Article.objects.count() == 1


# --- "Voir sur le site" ------------------------------------------------------------------------


def test_a_live_article_offers_its_public_page(admin_client):
    article = make_article()
    response = admin_client.get(url(Article, "change", article.pk))
    assert f'<a href="{article.get_absolute_url()}" class="viewsitelink">Voir sur le site</a>' in response.text
    assert "Ouvrir la page publique" in response.text  # the "page publique" field


@pytest.mark.parametrize(
    ("status", "offset", "note"),
    [
        (S.DRAFT, None, None),  # a draft has no "page publique" field at all (fields by state)
        (S.PUBLISHED, timedelta(days=2), "Pas encore public : sous embargo jusqu&#x27;au "),
        (S.WITHDRAWN, timedelta(days=-2), "Pas encore public."),
    ],
)
def test_an_article_the_public_cannot_see_offers_no_link_but_a_note(admin_client, status, offset, note):
    article = make_article(status=status, publish_at=timezone.now() + offset if offset else None)
    response = admin_client.get(url(Article, "change", article.pk))
    assert response.status_code == 200
    assert "Voir sur le site" not in response.text
    assert article.get_absolute_url() not in response.text
    if note:
        assert note in response.text
    else:
        assert "field-public_link" not in response.text


# --- Search, filters, action ------------------------------------------------------------------


def test_searching_a_speaker_name_finds_the_articles_quoting_them(admin_client):
    quoted = make_article("Accord de Kyoto")
    Quote.objects.create(article=quoted, speaker=make_speaker("Carole Delga"), text="Un", position=0)
    Quote.objects.create(article=quoted, speaker=make_speaker("Carole Dupont"), text="Deux", position=1)
    make_article("Autre sujet")
    response = admin_client.get(url(Article), {"q": "Carole"})
    assert response.context["cl"].result_count == 1  # once, although two speakers match
    assert "Accord de Kyoto" in response.text
    assert "Autre sujet" not in response.text


def test_the_list_filters_by_status(admin_client):
    make_article("Publié ce matin")
    make_article("Brouillon en cours", status=S.DRAFT)
    response = admin_client.get(url(Article), {"status__exact": S.DRAFT})
    assert "Brouillon en cours" in response.text
    assert "Publié ce matin" not in response.text


def test_the_list_filters_by_tag(admin_client):
    tagged = make_article("Sur Kyoto", tags=["Kyoto"])
    make_article("Sur Toulouse", tags=["Toulouse"])
    tag = tagged.tags.get()
    response = admin_client.get(url(Article))
    assert f"?tags__id__exact={tag.pk}" in response.text  # the tag is offered in the filter
    response = admin_client.get(url(Article), {"tags__id__exact": tag.pk})
    assert "Sur Kyoto" in response.text
    assert "Sur Toulouse" not in response.text


def test_the_list_filters_by_publication_date(admin_client):
    make_article("Cette semaine")
    make_article("L'an dernier", publish_at=timezone.now() - timedelta(days=400))
    response = admin_client.get(url(Article), {"publish_at__gte": (timezone.now() - timedelta(days=7)).date().isoformat()})
    assert "Cette semaine" in response.text
    assert escape("L'an dernier") not in response.text


def test_the_withdraw_action_asks_for_a_public_reason_then_takes_the_article_off_the_site(admin_client, admin_user):
    live, other = make_article("À retirer"), make_article("À garder")
    confirmation = admin_client.post(url(Article), {"action": "withdraw", "_selected_action": [live.pk]})
    assert confirmation.status_code == 200 and "À retirer" in confirmation.text
    live.refresh_from_db()
    assert live.status == S.PUBLISHED  # nothing happens before the confirmation
    response = admin_client.post(
        url(Article),
        {"action": "withdraw", "_selected_action": [live.pk], "confirm": "yes", "reason": "Chiffres erronés."},
        follow=True,
    )
    assert "1 communiqué retiré du site." in response.text
    live.refresh_from_db()
    other.refresh_from_db()
    assert live.status == S.WITHDRAWN and not live.is_public()
    assert live.updated_by == admin_user
    assert other.status == S.PUBLISHED


# --- Query counts -------------------------------------------------------------------------------


def test_the_article_list_costs_the_same_queries_for_2_or_10_articles(admin_client):
    def list_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url(Article)).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        make_article(photos=2, quotes=2, tags=[f"t{i}", "commun"])
    two = list_queries()
    for i in range(8):
        make_article(photos=2, quotes=2, tags=[f"u{i}", "commun"])
    assert list_queries() == two


def test_the_photo_list_costs_the_same_queries_for_2_or_10_photos(admin_client):
    def list_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url(Photo)).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        make_photo()
    two = list_queries()
    for _ in range(8):
        make_photo()
    assert list_queries() == two


# --- Photo library ----------------------------------------------------------------------------


def photo_data(**fields):
    data = {"caption": "Signature à Kyoto", "alt_text": "Deux personnes signent", "licence": "", "rights_expire_on": "",
            "focal_x": "0.5", "focal_y": "0.5"}
    data.update(fields)
    return data


def test_uploading_a_photo_stores_it_with_its_size_derived(admin_client, settings):
    credit = make_credit("Nicolas Datiche")
    response = admin_client.post(
        url(Photo, "add"), photo_data(image=image_upload("signature.jpg", size=(64, 48)), credit=credit.pk)
    )
    assert response.status_code == 302, response.context and form_errors(response)
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (64, 48)
    assert photo.credit == credit
    assert photo.image.storage.exists(photo.image.name)


def truncated_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.effect_noise((200, 150), 64).convert("RGB").save(buf, "JPEG")
    data = buf.getvalue()
    return data[: len(data) * 2 // 3]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("communique.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "Ce fichier n'est pas une image reconnue : envoyez une photo JPEG, PNG ou WebP."),
        ("photo.jpg", b"pas une image", "Ce fichier n'est pas une image reconnue : envoyez une photo JPEG, PNG ou WebP."),
        ("coupee.jpg", truncated_jpeg(), "Cette image est tronquée ou endommagée : enregistrez-la de nouveau puis réessayez."),
        ("deguisee.jpg", image_bytes("TIFF"), "Format non accepté (TIFF) : envoyez une photo JPEG, PNG ou WebP."),
    ],
    ids=["pdf", "text-named-jpg", "truncated", "tiff-named-jpg"],
)
def test_a_bad_upload_shows_the_french_reason_and_saves_nothing(admin_client, settings, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = admin_client.post(url(Photo, "add"), photo_data(image=upload, credit=make_credit().pk))
    assert response.status_code == 200
    assert form_errors(response)["image"] == [message]
    assert escape(message) in response.text
    assert Photo.objects.count() == 0
    assert media_files(settings) == []


def test_a_photo_over_the_pixel_limit_is_refused_in_french_and_saves_nothing(admin_client, settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    response = admin_client.post(
        url(Photo, "add"), photo_data(image=image_upload("immense.jpg", size=(1200, 1000)), credit=make_credit().pk)
    )
    assert response.status_code == 200
    message = "Image trop grande : 1200 × 1000 pixels (1 mégapixels) ; la limite est de 1 mégapixels."
    assert form_errors(response)["image"] == [message]
    assert escape(message) in response.text
    assert Photo.objects.count() == 0
    assert media_files(settings) == []


def test_a_photo_over_the_weight_limit_is_refused_in_french_and_saves_nothing(admin_client, settings):
    settings.PHOTO_MAX_BYTES = 100
    response = admin_client.post(url(Photo, "add"), photo_data(image=image_upload(), credit=make_credit().pk))
    assert response.status_code == 200
    assert form_errors(response)["image"][0].startswith("Ce fichier pèse")
    assert Photo.objects.count() == 0
    assert media_files(settings) == []


def test_changing_a_photo_caption_keeps_its_image(admin_client):
    photo = make_photo(caption="Avant")
    change = url(Photo, "change", photo.pk)
    response = admin_client.post(
        change, photo_data(caption="Après", alt_text=photo.alt_text, credit=photo.credit_id, **edit_token_of(admin_client, change))
    )
    assert response.status_code == 302, response.context and form_errors(response)
    photo.refresh_from_db()
    assert photo.caption == "Après"
    assert (photo.width, photo.height) == (64, 48)  # the master is rewritten with the new caption, same pixels
    assert photo.image.storage.exists(photo.image.name)


def test_the_photo_list_shows_thumbnail_credit_and_dimensions(admin_client):
    photo = make_photo(caption="Kyoto de nuit", credit=make_credit("Nicolas Datiche"))
    response = admin_client.get(url(Photo))
    assert photo.rendition("thumb-jpeg").file.url in response.text
    assert "Kyoto de nuit" in response.text
    assert "Nicolas Datiche" in response.text
    assert "64 × 48" in response.text


def test_the_photo_page_shows_a_preview_and_its_dimensions(admin_client):
    photo = make_photo()
    response = admin_client.get(url(Photo, "change", photo.pk))
    # The whole picture, uncropped (the focal point is picked on it: tests/test_photo_admin.py).
    assert f'src="{photo.rendition("w960-jpeg").file.url}"' in response.text
    assert 'width="64" height="48"' in response.text
    assert "64 × 48" in response.text


def test_photos_are_found_by_caption_alt_text_or_credit(admin_client):
    make_photo(caption="Signature", alt_text="Deux mains", credit=make_credit("Nicolas Datiche"))
    make_photo(caption="Paysage", alt_text="Une colline", credit=make_credit("Agence Zen"))
    for query in ("Signature", "mains", "Datiche"):
        response = admin_client.get(url(Photo), {"q": query})
        assert response.context["cl"].result_count == 1, query
        assert "Signature" in response.text


def test_the_photo_list_filters_by_credit(admin_client):
    datiche = make_credit("Nicolas Datiche")
    make_photo(caption="De Datiche", credit=datiche)
    make_photo(caption="D'ailleurs", credit=make_credit("Agence Zen"))
    response = admin_client.get(url(Photo), {"credit__id__exact": datiche.pk})
    assert "De Datiche" in response.text
    assert escape("D'ailleurs") not in response.text


def test_the_article_photo_inline_shows_each_photo_preview(admin_client):
    article = make_article(photos=1)
    response = admin_client.get(url(Article, "change", article.pk))
    assert article.lead_photo.rendition("thumb-jpeg").file.url in response.text
    assert "la première est la photo principale" in response.text


# --- Autocomplete, credits, speakers ---------------------------------------------------------


def test_the_autocompletes_find_speakers_photos_credits_and_contacts(admin_client):
    make_speaker("Carole Delga")
    make_photo(caption="Signature à Kyoto", credit=make_credit("Nicolas Datiche"))
    PressContact.objects.create(name="Service presse")
    cases = [
        ("quote", "speaker", "Delga", "Carole Delga"),
        ("articlephoto", "photo", "Kyoto", "Signature à Kyoto"),
        ("photo", "credit", "Datiche", "Nicolas Datiche"),
        ("article", "press_contacts", "presse", "Service presse"),
    ]
    for model_name, field, term, expected in cases:
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "articles", "model_name": model_name, "field_name": field, "term": term},
        )
        assert response.status_code == 200, (model_name, field)
        assert [r["text"] for r in response.json()["results"]] == [expected]


def test_the_credit_list_counts_each_credit_photos(admin_client):
    datiche = make_credit("Nicolas Datiche")
    make_photo(credit=datiche)
    make_photo(credit=datiche)
    make_credit("Agence Zen")
    response = admin_client.get(url(Credit), {"o": "3"})  # fewest photos first
    counts = [(c.name, c.photo_count) for c in response.context["cl"].result_list]
    assert counts == [("Agence Zen", 0), ("Nicolas Datiche", 2)]
    assert '<td class="field-photo_count">2</td>' in response.text


@pytest.mark.parametrize("model", [Article, Speaker])
def test_the_slug_is_left_to_the_model_rule_not_prefilled_by_the_admins_javascript(admin_client, model):
    # Issue #16: Django's URLify wrote "4,2 milliards" as "42-milliards" and cut mid-word; the
    # model's rule (articles/slugs.py) is the only one, for the admin as for the importer and the API.
    response = admin_client.get(url(model, "add"))
    assert 'data-prepopulated-fields="[]"' in response.text


def test_a_release_saved_in_the_admin_without_slug_gets_the_model_rule(admin_client):
    data = article_data(title="Vœux : 4,2 milliards pour l’Occitanie", slug="",
                        **management("article_photos", 0), **management("quotes", 0))
    response = admin_client.post(url(Article, "add"), data)
    assert response.status_code == 302, response.context and form_errors(response)
    assert Article.objects.get().slug == "voeux-4-2-milliards-pour-loccitanie"


def test_a_speaker_saved_without_slug_gets_one_from_the_name(admin_client):
    response = admin_client.post(url(Speaker, "add"), {"name": "Carole Delga", "role": "", "organisation": "", "slug": ""})
    assert response.status_code == 302
    assert Speaker.objects.get().slug == "carole-delga"
