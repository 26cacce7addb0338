"""A release printed from a real Chromium (print media, A4), read back with pypdf: what lands on paper."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from articles.importer.service import import_release
from articles.models import Article, ArticlePhoto, PressContact, Quote, Speaker
from tests.browser.conftest import photo_upload

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[2] / "articles" / "demo"


def printed(page, url: str) -> tuple[PdfReader, str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return reader, "\n".join(p.extract_text() for p in reader.pages)


@pytest.fixture
def short_release(transactional_db):
    """A one-page release as offices send them: a photo, a quote in the text and in the quotes, a contact."""
    from articles.models import Credit, Photo

    article = Article.objects.create(
        title="La Région ouvre un nouveau lycée à Albi",
        standfirst="Le lycée accueillera 800 élèves dès la rentrée.",
        body="<p>La présidente de Région a inauguré le lycée ce matin.</p>"
             "<p>« Ce lycée est une chance pour le Tarn », a déclaré Carole Delga.</p>"
             '<p>Le dossier complet est <a href="https://www.laregion.fr/lycee">en ligne</a>.</p>',
        location="Albi", status=Article.Status.PUBLISHED, publish_at=timezone.now() - timedelta(hours=1),
    )
    photo = Photo.objects.create(image=photo_upload("lycee.jpg"), caption="Le nouveau lycée",
                                 alt_text="Un bâtiment moderne", credit=Credit.objects.create(name="Antoine Darnaud"))
    ArticlePhoto.objects.create(article=article, photo=photo, position=0)
    speaker = Speaker.objects.create(name="Carole Delga", role="présidente de Région")
    Quote.objects.create(article=article, speaker=speaker, text="Ce lycée est une chance pour le Tarn", position=0)
    Quote.objects.create(article=article, speaker=speaker, text="Nous tenons nos engagements.", position=1)
    article.press_contacts.add(PressContact.objects.create(name="Service de presse", email="presse@example.org"))
    article.save()
    return article


def test_a_one_page_release_prints_on_one_a4_page_with_its_address_and_each_quote_once(page, short_release):
    reader, text = printed(page, short_release.get_absolute_url())
    assert len(reader.pages) == 1
    assert text.count("Ce lycée est une chance pour le Tarn") == 1  # in the text, not again under Citations
    assert text.count("Nous tenons nos engagements.") == 1  # only under Citations
    assert "Carole Delga" in text and "présidente de Région" in text  # who said it stays
    assert f"{settings.SITE_URL}{short_release.get_absolute_url()}" in text.replace("\n", "")
    assert "(https://www.laregion.fr/lycee)" in text  # a link's target, printed after it
    for screen_only in ("Télécharger", "Rechercher", "Mots recherchés", "Communiqués liés", "carnet d'adresses", "vCard"):
        assert screen_only not in text


def test_printed_labels_are_black_and_headings_stay_with_what_follows(page, short_release):
    page.goto(short_release.get_absolute_url())
    page.emulate_media(media="print")
    for selector in (".dateline", ".credit", ".quote footer", "h1"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).color") == "rgb(0, 0, 0)", selector
    assert page.eval_on_selector("h2", "e => getComputedStyle(e).breakAfter") == "avoid"
    assert page.eval_on_selector("figure", "e => getComputedStyle(e).breakInside") == "avoid"
    page.emulate_media(media="screen")
    assert not page.is_visible(".print-url")  # the address is for paper only


def test_the_demo_release_prints_on_two_pages_with_each_quote_once(page, transactional_db):
    import_release(path=DEMO / "occitanie-kyoto.md", stdout=io.StringIO())
    article = Article.objects.get(language="fr")
    reader, text = printed(page, article.get_absolute_url())
    # Measured with Debian chromium on A4: 4 pages before issue #16 (quotes twice, grey, no address), 2 now.
    assert len(reader.pages) <= 2
    flat = " ".join(text.split())
    for quote in article.quotes.all():
        words = " ".join(quote.text.split())[:40]
        assert flat.count(words) == 1, words
