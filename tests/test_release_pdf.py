"""The PDF of a release: what a journalist files away or prints, drawn once per version and kept.

Read back with pypdf, as a reader's PDF viewer would: the texts, the pages, the embedded photo.
"""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from articles.importer.service import import_release
from articles.models import Article, PressContact, Quote
from articles.printing.release_pdf import FOLDER, ReleasePdf
from articles.publishing import embargo, workflow
from articles.tasks import refresh_release_pdf
from tests.factories import make_article, make_credit, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

S = Article.Status
DEMO = Path(__file__).resolve().parent.parent / "articles" / "demo"


def pdf_files(article) -> list[str]:
    try:
        return sorted(n for n in default_storage.listdir(f"{FOLDER}/{article.pk}")[1] if n.endswith(".pdf"))
    except FileNotFoundError:
        return []


def download(client, article) -> tuple:
    response = client.get(reverse("articles:release-pdf", args=[article.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def text_of(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def pages_of(body: bytes) -> int:
    return len(PdfReader(io.BytesIO(body)).pages)


@pytest.fixture
def release(publisher, settings):
    """A complete release, in review, then published by a publisher (the went-live job draws its PDF)."""
    settings.SITE_URL = "https://presse.example.org"
    article = make_article(
        "Vœux 2027 : « cœur » de l’Occitanie",
        status=S.REVIEW, location="Toulouse",
        standfirst="La présidente présente ses vœux aux “forces vives”.",
        body="<p>Un texte <strong>important</strong> sur l’œuvre commune.</p>"
             "<h2>Un intertitre</h2><p>« Nous avançons ensemble », a déclaré Carole Delga.</p>"
             '<ul><li>Premier point</li><li>Second point</li></ul><p><a href="/archives/">Les archives</a></p>',
    )
    place(article, make_photo(credit=make_credit("Antoine Darnaud"), caption="La salle des Illustres"))
    speaker = make_speaker("Carole Delga", role="présidente de Région")
    Quote.objects.create(article=article, speaker=speaker, text="Nous avançons ensemble", position=0)
    Quote.objects.create(article=article, speaker=make_speaker("Jean Dupont", role="maire"),
                         text="Une année décisive pour l’emploi.", position=1)
    article.press_contacts.add(PressContact.objects.create(name="Service de presse", role="Relations presse",
                                                           email="presse@example.org", phone="05 61 33 50 50"))
    return workflow.publish(article=article, user=publisher)


def test_the_pdf_holds_the_release_as_a_journalist_files_it(client, release):
    _, body = download(client, release)
    text = text_of(body)
    for expected in [
        "Vœux 2027 : « cœur » de l’Occitanie",  # œ, guillemets and curly apostrophes survive
        "Toulouse, le",
        "La présidente présente ses vœux aux “forces vives”.",
        "Un texte important sur l’œuvre commune.",
        "Un intertitre",
        "Premier point", "Second point",
        "La salle des Illustres", "Crédit photo : Antoine Darnaud",
        "Citations", "— Carole Delga, présidente de Région", "« Une année décisive pour l’emploi. »",
        "— Jean Dupont, maire",
        "Contacts presse", "Service de presse — Relations presse", "presse@example.org", "05 61 33 50 50",
        f"https://presse.example.org{release.get_absolute_url()}",
    ]:
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(body))
    assert reader.metadata.title == release.title
    assert pages_of(body) == 1  # a one-page release on one A4 page
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points


def test_a_quote_already_in_the_text_is_printed_once_with_its_speaker(client, release):
    text = text_of(download(client, release)[1])
    assert text.count("Nous avançons ensemble") == 1
    assert text.count("Une année décisive pour l’emploi.") == 1  # not in the body: in the Citations


def test_the_photo_is_its_stored_rendition_embedded_as_it_is_never_the_master(client, release):
    _, body = download(client, release)
    photo = release.article_photos.get().photo
    rendition = photo.renditions.get(spec="w960-jpeg")
    stream = PdfReader(io.BytesIO(body)).pages[0].images[0].indirect_reference.get_object()
    assert "/DCTDecode" in stream["/Filter"]
    with rendition.file.open("rb") as fh:
        assert stream.get_data() == fh.read()  # the JPEG's own bytes: nothing decoded nor re-encoded
    with photo.image.open("rb") as fh:
        assert fh.read() not in body


def test_going_live_draws_the_pdf_once_and_the_download_sends_that_file(client, release):
    files = pdf_files(release)
    assert len(files) == 1
    assert refresh_release_pdf.call(release.pk) == "already built"
    assert refresh_release_pdf.call(release.pk) == "already built"
    _, body = download(client, release)
    with default_storage.open(f"{FOLDER}/{release.pk}/{files[0]}", "rb") as stored:
        assert stored.read() == body
    assert pdf_files(release) == files


def test_an_update_of_a_public_release_draws_a_new_pdf_and_drops_the_old_one(client, release, publisher):
    before = pdf_files(release)
    article = Article.objects.get(pk=release.pk)
    article.title = "Vœux 2027, version corrigée"
    article.save()
    workflow.publish(article=article, user=publisher)  # an approved correction: the "updated" event
    after = pdf_files(release)
    assert len(after) == 1 and after != before
    assert "Vœux 2027, version corrigée" in text_of(download(client, release)[1])


def test_a_pdf_not_built_yet_is_drawn_on_the_first_download_and_kept(client):
    article = make_article("Publié sans passer par le workflow", photos=1)
    assert pdf_files(article) == []
    first = download(client, article)[1]
    assert len(pdf_files(article)) == 1
    second = download(client, article)[1]
    assert first == second and len(pdf_files(article)) == 1


@pytest.mark.parametrize("leave", ["withdraw", "remove", "send_back_to_review"])
def test_a_release_that_leaves_the_site_has_no_pdf_anywhere(client, release, publisher, leave):
    assert pdf_files(release)
    if leave == "withdraw":
        workflow.withdraw(article=release, user=publisher, reason="Erreur de chiffres.")
    else:
        getattr(workflow, leave)(article=release, user=publisher)
    assert client.get(reverse("articles:release-pdf", args=[release.slug])).status_code == 404
    assert pdf_files(release) == []


def test_an_embargoed_release_has_no_pdf_before_its_time_even_through_its_embargo_link(client, publisher, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article("Sous embargo", status=S.REVIEW)
    workflow.publish(article=article, user=publisher, publish_at=timezone.now() + timedelta(hours=1))
    url = reverse("articles:release-pdf", args=[article.slug])
    assert client.get(url).status_code == 404
    assert pdf_files(article) == []
    link = embargo.create_link(article=article, user=publisher, recipient_name="Claire",
                               expires_at=timezone.now() + timedelta(days=1))
    assert url not in client.get(embargo.link_path(link)).text  # the embargo page does not offer it
    time_machine.shift(timedelta(hours=1, minutes=1))
    assert client.get(url).status_code == 200


def test_the_release_page_offers_the_pdf_and_a_preview_does_not(client, release, publisher):
    url = reverse("articles:release-pdf", args=[release.slug])
    html = client.get(release.get_absolute_url()).text
    assert f'<a href="{url}" download>Télécharger en PDF</a>' in html
    from tests.factories import login_verified

    login_verified(client, publisher)
    assert url not in client.get(reverse("articles:article-preview", args=[release.pk])).text


HOSTILE = '<b>gras</b> </para><font name="Nope">x</font> & <br> <a href="javascript:alert(1)">clic</a> ]]> \x0b\x07 😀'


def test_hostile_markup_in_every_field_is_printed_as_text(client):
    article = make_article(
        HOSTILE[:190], standfirst=HOSTILE, location="<i>Albi</i>",
        body='<p>Texte <a href="javascript:alert(1)">piège</a> <strong><em>imbriqué</strong></em> &amp; &lt;para&gt;'
             '</p><p><a href="https://example.org/?a=1&amp;b=&quot;2&quot;">lien</a></p>'
             '<table><tr><td>cellule</td></tr></table><img src="x" onerror="alert(1)"><script>alert(1)</script>',
        photos=1, contacts=1,
    )
    Quote.objects.create(article=article, speaker=make_speaker("<script>Nom</script>", role="</para>&"),
                         text=HOSTILE)
    _, body = download(client, article)
    text = text_of(body)
    assert '<font name="Nope">x</font>' in text and "</para>" in text
    assert "<i>Albi</i>" in text and "<script>Nom</script>" in text
    assert "Texte piège imbriqué & <para>" in text
    links = [annot.get_object()["/A"]["/URI"] for page in PdfReader(io.BytesIO(body)).pages
             for annot in page.get("/Annots", []) if "/A" in annot.get_object()]
    assert "https://example.org/?a=1&b=\"2\"" in links
    assert [uri for uri in links if not uri.startswith(("http://", "https://", "mailto:"))] == []
    assert "cellule" in text  # a table's text stays, as text


def test_the_japanese_translation_prints_in_japanese(client):
    for name in ("occitanie-kyoto.md", "occitanie-kyoto.en.md", "occitanie-kyoto.ja.md"):
        import_release(path=DEMO / name, stdout=io.StringIO())
    japanese = Article.objects.get(language="ja")
    english = Article.objects.get(language="en")
    if not japanese.is_public():
        pytest.skip("the demo's Japanese translation is not published by the importer")
    ja_text = text_of(download(client, japanese)[1])
    assert japanese.title in ja_text.replace("\n", "")
    assert "報道関係のお問い合わせ" in ja_text  # the contacts' label in the release's language
    en_text = text_of(download(client, english)[1])
    assert english.title in en_text.replace("\n", " ") and "Press contacts" in en_text


def test_the_demo_release_prints_on_two_pages_at_most(client):
    import_release(path=DEMO / "occitanie-kyoto.md", stdout=io.StringIO())
    article = Article.objects.get(language="fr")
    assert pages_of(download(client, article)[1]) <= 2


def test_drawing_reads_no_query_beyond_the_page_prefetch(django_assert_num_queries, release):
    article = Article.objects.public().with_page().get(pk=release.pk)
    with django_assert_num_queries(0):
        assert len(ReleasePdf(article).fingerprint) == 40


def test_the_embargo_link_offers_the_pdf_drawn_for_its_reader_and_never_stored(client, publisher):
    article = make_article("Accord sous embargo", status=S.REVIEW, photos=1, quotes=1)
    workflow.publish(article=article, user=publisher, publish_at=timezone.now() + timedelta(hours=2))
    link = embargo.create_link(article=article, user=publisher, recipient_name="Claire",
                               expires_at=timezone.now() + timedelta(days=1))
    token = embargo.make_token(link)
    url = reverse("articles:embargo-pdf", args=[article.slug, token])
    assert f'href="{url}" download>Télécharger en PDF</a>' in client.get(embargo.link_path(link)).text
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
    assert "Accord sous embargo" in text_of(response.content)
    assert pdf_files(article) == []  # storage keeps only what the public may download
    assert link.visits.count() == 2  # the page and the PDF
    embargo.revoke(link=link, user=publisher)
    assert client.get(url).status_code == 404


def test_storage_failing_still_gives_the_reader_the_pdf_and_nothing_is_kept_by_the_page_cache(client, release):
    from unittest import mock

    with mock.patch.object(default_storage, "exists", side_effect=OSError("bucket unreachable")):
        response, body = download(client, release)
    assert response.streaming  # never stored by the page cache (page_cache: streamed answers are not kept)
    assert "Vœux 2027" in text_of(body)


# --- The page on paper: its quote marks follow edits, through the fragment cache -----------------


def test_a_quote_in_the_text_is_marked_for_print_once_and_the_mark_follows_an_edit(client):
    article = make_article("Page imprimée", body="<p>« Un jour historique », a dit la présidente.</p>", quotes=0)
    quote = Quote.objects.create(article=article, speaker=make_speaker("Carole Delga"), text="Un autre propos.")
    html = client.get(article.get_absolute_url()).text
    assert 'class="quote"' in html and "quote--in-body" not in html
    quote.text = "Un jour historique"
    quote.save()
    html = client.get(article.get_absolute_url()).text  # the cached fragment was retired by the edit
    assert 'class="quote quote--in-body"' in html
    assert f'<p class="print-only print-url">{article.get_absolute_url()}' not in html  # absolute, SITE_URL-based
    from django.conf import settings

    assert f'<p class="print-only print-url">{settings.SITE_URL}{article.get_absolute_url()}</p>' in html


def test_names_beyond_the_latin_fonts_letters_are_spelt_with_their_base_letter_not_a_box(client):
    article = make_article("Partenariat avec Gdańsk, Łódź et İzmir", body="<p>Signé à Gdańsk par Łukasz Wałęsa.</p>")
    text = text_of(download(client, article)[1])
    assert "Partenariat avec Gdansk, Lódz et Izmir" in text and "Signé à Gdansk par Lukasz Walesa." in text
    assert "■" not in text


def test_a_download_costs_the_same_few_queries_however_many_quotes_photos_and_contacts(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(article):
        download(client, article)  # the first one draws and stores it
        with CaptureQueriesContext(connection) as queries:
            download(client, article)
        return len(queries)

    small = cost(make_article("Petit", photos=1, quotes=1, contacts=1))
    big = cost(make_article("Grand", photos=4, quotes=5, contacts=3, tags=["a", "b", "c"]))
    assert small == big <= 8, (small, big)
