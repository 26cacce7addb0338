"""Downloading one photo in high definition: only when a public release shows it, credit inside."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from PIL import Image, IptcImagePlugin

from articles.models import Article, Photo
from tests.factories import CAMERA_SECRETS, camera_jpeg, image_upload, make_article, make_credit, make_photo, place

pytestmark = pytest.mark.django_db

S = Article.Status


def download_url(photo):
    return reverse("articles:photo-download", args=[photo.pk])


@pytest.fixture
def photo():
    return make_photo(
        image=SimpleUploadedFile("DSC_4242.jpg", camera_jpeg(size=(900, 600)), content_type="image/jpeg"),
        credit=make_credit("Nicolas Datiche"),
        caption="Signature de l’accord à Kyoto",
        licence="Usage presse uniquement",
    )


def test_a_photo_of_a_public_release_downloads_as_an_attachment_with_its_credit_inside(client, photo):
    place(make_article(), photo)
    response = client.get(download_url(photo))
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        'attachment; filename="signature-de-laccord-a-kyoto-nicolas-datiche.jpg"'
    )
    data = b"".join(response.streaming_content)
    for secret in CAMERA_SECRETS:
        assert secret not in data, secret
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (900, 600)  # the full-resolution master
        exif = im.getexif()
        assert 0x8825 not in exif  # no GPS
        assert exif[0x013B] == "Nicolas Datiche"
        assert exif[0x8298] == "(c) Nicolas Datiche - Usage presse uniquement"  # EXIF ASCII: ASCII only
        assert exif[0x010E] == "Signature de l'accord a Kyoto"
        iptc = IptcImagePlugin.getiptcinfo(im)  # picture desks read IPTC first: the exact text, UTF-8
        assert iptc[(2, 120)].decode() == "Signature de l’accord à Kyoto"
        assert iptc[(2, 116)].decode() == "© Nicolas Datiche — Usage presse uniquement"
    assert b"photoshop:Credit>Nicolas Datiche<" in data  # XMP, read by agencies' tools


@pytest.mark.parametrize(
    "status, offset",
    [(S.DRAFT, None), (S.REVIEW, None), (S.PUBLISHED, timedelta(hours=2)), (S.WITHDRAWN, -timedelta(days=1))],
    ids=["draft", "review", "embargoed", "withdrawn"],
)
def test_a_photo_shown_only_by_a_release_the_public_cannot_see_is_404(client, photo, status, offset):
    place(make_article(status=status, publish_at=timezone.now() + offset if offset else None), photo)
    assert client.get(download_url(photo)).status_code == 404


def test_a_library_photo_or_a_guessed_id_is_404(client, photo):
    assert client.get(download_url(photo)).status_code == 404
    missing = (Photo.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    assert client.get(reverse("articles:photo-download", args=[missing])).status_code == 404


def test_a_photo_also_in_a_draft_downloads_through_its_public_release(client, photo):
    place(make_article(status=S.DRAFT), photo)
    place(make_article(), photo)
    assert client.get(download_url(photo)).status_code == 200


def test_an_embargoed_photo_downloads_from_the_minute_its_release_goes_live(client, photo, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    place(make_article(publish_at=timezone.now() + timedelta(minutes=1)), photo)
    assert client.get(download_url(photo)).status_code == 404
    time_machine.shift(timedelta(minutes=1))
    assert client.get(download_url(photo)).status_code == 200


def test_the_article_page_offers_each_photo_in_high_definition_and_cards_do_not(client, photo):
    second = make_photo(caption="Le stand")
    article = place(make_article(), photo, second)
    html = client.get(article.get_absolute_url()).content.decode()
    for p in (photo, second):
        assert f'href="{download_url(p)}"' in html
    assert html.count("Télécharger en haute définition") == 2
    assert "(900 × 600 px)" in html
    home = client.get("/").content.decode()
    assert "Crédit photo : Nicolas Datiche" in home
    assert download_url(photo) not in home


def _downloaded_name(client, photo) -> str:
    place(make_article(), photo)
    disposition = client.get(download_url(photo))["Content-Disposition"]
    return disposition.removeprefix('attachment; filename="').removesuffix('"')


def test_a_long_caption_is_cut_at_a_word_boundary_and_the_extension_kept(client):
    photo = make_photo(
        caption="La présidente de Région coupe le ruban lors de la cérémonie d’inauguration du tramway de Montpellier",
        credit=make_credit("Nicolas Datiche"),
    )
    name = _downloaded_name(client, photo)
    assert name == "la-presidente-de-region-coupe-le-ruban-lors-de-la-ceremonie-nicolas-datiche.jpg"
    words = "la presidente de region coupe le ruban lors de la ceremonie dinauguration du tramway".split()
    assert all(part in words for part in name.removesuffix("-nicolas-datiche.jpg").split("-"))


def test_a_download_name_spells_ligatures_and_keeps_decimals(client):
    photo = make_photo(caption="Vœux : 4,2 milliards pour l’œuvre", credit=make_credit("Jørgen Æbelø"))
    assert _downloaded_name(client, photo) == "voeux-4-2-milliards-pour-loeuvre-jorgen-aebelo.jpg"


def test_a_credit_with_no_latin_letter_leaves_just_the_caption(client):
    photo = make_photo(caption="Signature à Kyoto", credit=make_credit("京都府"), image=image_upload("x.png", "PNG"))
    assert _downloaded_name(client, photo) == "signature-a-kyoto.png"
