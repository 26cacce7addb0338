"""Hostile photos get a French message, leave no row and no file, and never a 500:
through the admin's photo form (a logged-in publisher), the importer and plain code.

Django's ImageField reads a new file's dimensions as soon as it is assigned, before
any validator; these files used to break right there (issue #10, section 3).
"""

import io
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from articles.models import Article, Credit, Photo
from tests.factories import image_bytes, make_credit, make_editor, pixel_bomb_png, ztxt_bomb_png

pytestmark = pytest.mark.django_db

BOMB_MESSAGE = "Image trop grande : la limite est de 40 mégapixels."
ZTXT_MESSAGE = "Cette image contient des métadonnées texte trop volumineuses : enregistrez-la de nouveau sans métadonnées puis réessayez."

HOSTILE = {
    "pixel bomb": (pixel_bomb_png, BOMB_MESSAGE),
    "zTXt bomb": (ztxt_bomb_png, ZTXT_MESSAGE),
}


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_hostile_files_are_what_they_claim():
    bomb = pixel_bomb_png()
    assert len(bomb) < 200
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))  # past Pillow's own limit, not just ours
    ztxt = ztxt_bomb_png()
    assert len(ztxt) < 200_000
    start = ztxt.index(b"zTXt") + 4 + len(b"Comment\x00\x00")
    inflated = zlib.decompressobj().decompress(ztxt[start:])
    assert len(inflated) == 100 * 1024 * 1024


@pytest.fixture
def publisher_client(client):
    client.force_login(make_editor("Publication"))
    return client


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_the_admin_refuses_a_hostile_photo_in_french_and_stores_nothing(publisher_client, case):
    build, message = HOSTILE[case]
    upload = SimpleUploadedFile("photo.png", build(), content_type="image/png")
    response = publisher_client.post(
        reverse("admin:articles_photo_add"),
        {"image": upload, "caption": "Vue", "alt_text": "Une vue", "credit": make_credit().pk,
         "licence": "", "rights_expire_on": "", "focal_x": "0.5", "focal_y": "0.5"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"] == [message]
    assert escape(message) in response.text
    assert Photo.objects.count() == 0
    assert media_files() == []


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_the_importer_refuses_a_hostile_photo_with_its_line_and_stores_nothing(tmp_path, case):
    build, message = HOSTILE[case]
    (tmp_path / "vue.png").write_bytes(build())
    release = tmp_path / "communique.md"
    release.write_text(
        "---\ntitle: Une vue\nphotos:\n  - file: vue.png\n    alt: Une vue\n    credit: Nicolas Datiche\n---\nTexte.\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_release", str(release), stdout=io.StringIO())
    assert str(error.value) == f"ligne 4 : photo vue.png refusée : {message}"
    assert (Article.objects.count(), Photo.objects.count(), Credit.objects.count()) == (0, 0, 0)
    assert media_files() == []


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_code_assigning_a_hostile_photo_gets_the_same_message_from_full_clean(case):
    build, message = HOSTILE[case]
    photo = Photo(image=SimpleUploadedFile("x.png", build()), alt_text="A", credit=make_credit())
    assert (photo.width, photo.height) == (None, None)  # nothing read past our own check
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert error.value.message_dict["image"] == [message]


def test_a_good_photo_is_inspected_once_and_gets_its_dimensions():
    upload = SimpleUploadedFile("ok.jpg", image_bytes(size=(120, 90)))
    photo = Photo(image=upload, alt_text="A", credit=make_credit())
    assert (photo.width, photo.height) == (120, 90)
    photo.full_clean()
    photo.save()
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (120, 90)
