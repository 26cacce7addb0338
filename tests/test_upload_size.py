"""How big a request or a photo may be, and what an editor reads when theirs is bigger."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from articles.images import size_pair
from articles.models import Photo
from tests.factories import image_bytes, make_credit, make_editor
from tests.test_hostile_photos import media_files

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("size", "limit", "shown"),
    [
        (30 * MB, 25 * MB, ("30 Mo", "25 Mo")),
        (int(25.4 * MB), 25 * MB, ("25,4 Mo", "25,0 Mo")),
        (25 * MB + 20_000, 25 * MB, ("25,02 Mo", "25,00 Mo")),
        (25 * MB + 2_000, 25 * MB, ("25,002 Mo", "25,000 Mo")),
        (25 * MB + 1, 25 * MB, ("26 214 401 octets", "26 214 400 octets")),
    ],
)
def test_a_size_and_its_limit_are_shown_with_the_decimals_that_tell_them_apart(size, limit, shown):
    with translation.override("fr"):
        got = size_pair(size, limit)
    # French groups thousands with a (narrow) non-breaking space; compare on plain spaces.
    assert tuple(s.replace("\u202f", " ").replace("\xa0", " ") for s in got) == shown


def test_a_photo_just_over_the_limit_says_by_how_much(client, settings):
    data = image_bytes(size=(300, 200))
    settings.PHOTO_MAX_BYTES = len(data) - 300  # a few hundred bytes too heavy
    client.force_login(make_editor("Publication"))
    response = client.post(
        reverse("admin:articles_photo_add"),
        {"image": SimpleUploadedFile("lourde.jpg", data, content_type="image/jpeg"), "caption": "", "alt_text": "A",
         "credit": make_credit().pk, "licence": "", "rights_expire_on": "", "focal_x": "0.5", "focal_y": "0.5"},
    )
    [message] = response.context["adminform"].form.errors["image"]
    size, limit = size_pair(len(data), settings.PHOTO_MAX_BYTES)
    assert size != limit
    assert message == f"Ce fichier pèse {size} ; la limite est de {limit}."
    assert Photo.objects.count() == 0 and media_files() == []


def test_a_request_body_over_the_limit_is_refused_unread_with_a_french_413(client, settings):
    settings.REQUEST_MAX_BYTES = 200_000
    client.force_login(make_editor("Publication"))
    upload = SimpleUploadedFile("enorme.jpg", b"\xff" * 300_000, content_type="image/jpeg")
    response = client.post(
        reverse("admin:articles_photo_add"),
        {"image": upload, "alt_text": "A", "credit": make_credit().pk, "focal_x": "0.5", "focal_y": "0.5"},
    )
    assert response.status_code == 413
    assert response["Connection"] == "close"
    text = response.content.decode()
    assert "<h1>Envoi trop volumineux</h1>" in text
    assert "la limite est de 0,2 Mo" in text and "Une photo ne peut dépasser 25 Mo" in text
    assert "Rien n&#x27;a été enregistré" in text or "Rien n'a été enregistré" in text
    assert Photo.objects.count() == 0 and media_files() == []


def test_the_limit_counts_the_declared_length_whatever_the_path(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    big = client.generic("POST", reverse("articles:search"), b"x" * 1001, content_type="application/octet-stream")
    assert big.status_code == 413
    small = client.generic("POST", reverse("articles:search"), b"x" * 1000, content_type="application/octet-stream")
    assert small.status_code != 413


def test_the_default_limit_is_one_photo_and_a_form(settings):
    from pressroom import settings as project

    assert project.REQUEST_MAX_BYTES == project.PHOTO_MAX_BYTES + project.DATA_UPLOAD_MAX_MEMORY_SIZE == 30 * MB
