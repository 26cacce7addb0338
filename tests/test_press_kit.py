"""The press kit: what a journalist finds in the ZIP, and who may download it."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, PressContact, Quote
from tests.factories import (
    CAMERA_SECRETS,
    camera_jpeg,
    image_upload,
    make_article,
    make_credit,
    make_photo,
    make_speaker,
    place,
)

pytestmark = pytest.mark.django_db

S = Article.Status


def kit_url(article):
    return reverse("articles:press-kit", args=[article.slug])


@pytest.fixture
def kyoto():
    credit = make_credit("Nicolas Datiche", organisation="Région Occitanie")
    signing = make_photo(
        image=SimpleUploadedFile("IMG_0001.jpg", camera_jpeg(size=(1200, 800)), content_type="image/jpeg"),
        credit=credit,
        caption="Signature de l’accord à Kyoto",
        alt_text="Deux personnes signent un document",
        licence="CC BY 4.0",
        rights_expire_on=timezone.localdate() + timedelta(days=400),
    )
    stand = make_photo(
        image=image_upload("stand.png", fmt="PNG", size=(300, 200)),
        credit=make_credit("Agence Sud Images"),
        caption="Le stand de la Région",
    )
    article = make_article(
        "Occitanie à Kyoto",
        location="Kyoto",
        standfirst="La Région signe un accord avec la préfecture de Kyoto.",
        body="<p>Premier paragraphe &amp; suite.</p><h2>Un intertitre</h2><ul><li>un point</li></ul>",
    )
    place(article, signing, stand)
    Quote.objects.create(article=article, speaker=make_speaker("Carole Delga", role="présidente"), text="Un jour historique.")
    article.press_contacts.add(PressContact.objects.create(name="Service presse", email="presse@example.org"))
    return article


def download(client, article) -> tuple[StreamingHttpResponse, zipfile.ZipFile]:
    response = client.get(kit_url(article))
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_kit_holds_the_photos_then_the_captions_and_the_release_text(client, kyoto):
    response, kit = download(client, kyoto)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="dossier-de-presse-occitanie-a-kyoto.zip"'
    assert kit.namelist() == [
        "01-signature-de-laccord-a-kyoto.jpg",
        "02-le-stand-de-la-region.png",
        "LEGENDES.txt",
        "COMMUNIQUE.txt",
    ]
    assert kit.testzip() is None  # every CRC checks out


def test_the_photos_are_the_cleaned_full_resolution_masters_with_the_credit_inside(client, kyoto):
    _, kit = download(client, kyoto)
    data = kit.read("01-signature-de-laccord-a-kyoto.jpg")
    for secret in CAMERA_SECRETS:
        assert secret not in data, secret
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (1200, 800)  # full resolution, not a rendition
        exif = im.getexif()
        assert 0x8825 not in exif  # no GPS block
        assert 0xA431 not in exif.get_ifd(0x8769) and 0xA431 not in exif  # no serial number
        assert exif[0x013B] == "Nicolas Datiche"  # Artist
        assert exif[0x8298] == "(c) Nicolas Datiche / Region Occitanie - CC BY 4.0"  # Copyright (ASCII): Credit.credit_line()
    with kyoto.article_photos.first().photo.image.open("rb") as stored:
        assert data == stored.read()  # exactly the stored public master
    with Image.open(io.BytesIO(kit.read("02-le-stand-de-la-region.png"))) as im:
        assert im.size == (300, 200) and im.format == "PNG"


def test_legendes_gives_each_file_its_caption_credit_and_licence(client, kyoto):
    _, kit = download(client, kyoto)
    text = kit.read("LEGENDES.txt").decode()
    assert "Légendes et crédits — Occitanie à Kyoto" in text
    first, second = text.split("\n\n")[1:3]
    assert "Fichier : 01-signature-de-laccord-a-kyoto.jpg" in first
    assert "Légende : Signature de l’accord à Kyoto" in first
    assert "Crédit photo : Nicolas Datiche / Région Occitanie" in first
    assert "Licence : CC BY 4.0" in first
    assert "Droits d'usage jusqu'au : " in first
    assert "Fichier : 02-le-stand-de-la-region.png" in second
    assert "Crédit photo : Agence Sud Images" in second
    assert "Licence : non précisée" in second


def test_communique_is_the_release_as_plain_text(client, kyoto):
    _, kit = download(client, kyoto)
    text = kit.read("COMMUNIQUE.txt").decode()
    assert text.startswith("Occitanie à Kyoto\n=================\n")
    assert "Kyoto, le " in text
    assert "La Région signe un accord avec la préfecture de Kyoto." in text
    assert "Premier paragraphe & suite.\n\nUn intertitre\n\nun point" in text
    assert "« Un jour historique. »\n— Carole Delga, présidente" in text
    assert "Service presse — presse@example.org" in text
    # The site's own address (SITE_URL), never the Host header the request came with.
    assert f"Source : {settings.SITE_URL}/communiques/occitanie-a-kyoto/" in text


def test_the_release_text_has_no_html_tags(client, kyoto):
    _, kit = download(client, kyoto)
    text = kit.read("COMMUNIQUE.txt").decode()
    for tag in ("<p>", "</p>", "<h2>", "<li>", "&amp;"):
        assert tag not in text


def test_the_kit_is_streamed_as_it_is_read_never_built_in_memory(client, kyoto, monkeypatch, settings):
    # Its build ahead is a job for a worker (test_press_kit_prebuild.py), only queued here.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    opened = []
    real_open = FileSystemStorage.open

    def recording_open(storage, name, mode="rb"):
        opened.append(name)
        return real_open(storage, name, mode)

    monkeypatch.setattr(FileSystemStorage, "open", recording_open)
    response = client.get(kit_url(kyoto))
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    assert not response.has_header("Content-Length")
    assert opened == []  # the view returned before reading a single photo
    # How many photo files were open when each chunk went out: one after the other, as sent.
    files_open_per_chunk, sizes = [], []
    for chunk in response.streaming_content:
        files_open_per_chunk.append(len(opened))
        sizes.append(len(chunk))
    assert files_open_per_chunk[0] == 0  # the first bytes leave before any photo is read
    assert 1 in files_open_per_chunk  # some bytes leave while only the first photo has been opened
    assert files_open_per_chunk[-1] == 2
    assert max(sizes) <= 64 * 1024 + 1024  # sent in chunks, not as one blob


def test_a_release_without_photos_still_has_its_text_and_an_empty_caption_list(client):
    article = make_article("Sans photo")
    _, kit = download(client, article)
    assert kit.namelist() == ["LEGENDES.txt", "COMMUNIQUE.txt"]


@pytest.mark.parametrize(
    "status, offset",
    [(S.DRAFT, None), (S.REVIEW, None), (S.PUBLISHED, timedelta(hours=2)), (S.WITHDRAWN, -timedelta(days=1)), (S.REMOVED, -timedelta(days=1))],
    ids=["draft", "review", "embargoed", "withdrawn", "removed"],
)
def test_only_a_public_release_has_a_press_kit(client, status, offset):
    article = make_article(status=status, publish_at=timezone.now() + offset if offset else None, photos=1)
    assert client.get(kit_url(article)).status_code == 404


def test_an_embargoed_kit_becomes_downloadable_at_its_minute(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(publish_at=timezone.now() + timedelta(minutes=5), photos=1)
    assert client.get(kit_url(article)).status_code == 404
    time_machine.shift(timedelta(minutes=5))
    assert client.get(kit_url(article)).status_code == 200


def test_the_article_page_offers_the_press_kit(client, kyoto):
    html = client.get(kyoto.get_absolute_url()).content.decode()
    assert f'href="{kit_url(kyoto)}"' in html
    assert "Télécharger le dossier de presse" in html
    assert "2 photos en haute définition" in html


def test_member_names_are_cut_at_a_word_and_spell_ligatures(client):
    article = make_article("Vœux")
    long_caption = "Les vœux de la présidente aux agents de la Région lors de la cérémonie d’inauguration"
    place(article, make_photo(caption=long_caption), make_photo(caption="Budget : 4,2 milliards", image=image_upload("b.png", "PNG")))
    _, kit = download(client, article)
    assert kit.namelist()[:2] == [
        "01-les-voeux-de-la-presidente-aux-agents-de-la-region-lors-de.jpg",
        "02-budget-4-2-milliards.png",
    ]
    assert "Fichier : 01-les-voeux-de-la-presidente-aux-agents-de-la-region-lors-de.jpg" in kit.read("LEGENDES.txt").decode()
