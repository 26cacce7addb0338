"""Photos: what is refused at upload, and what the stored files carry (and never carry)."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Photo, Rendition
from articles.photos.files import SPECS
from articles.photos.validation import inspect_image
from tests.factories import exif_text, image_bytes, make_credit, make_photo, xp_text

pytestmark = pytest.mark.django_db


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_declaring(width, height) -> bytes:
    """A tiny PNG whose header claims width × height: a decompression bomb's calling card."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


def refused(data, name="photo.jpg") -> ValidationError:
    with pytest.raises(ValidationError) as info:
        inspect_image(upload(name, data))
    return info.value


def test_a_png_declaring_100_megapixels_is_refused_before_decoding():
    error = refused(png_declaring(10_000, 10_000), "bombe.png")
    assert "mégapixels" in error.messages[0]


def test_a_truncated_jpeg_is_refused_as_damaged():
    data = image_bytes("JPEG", size=(400, 300))
    error = refused(data[: len(data) // 2])
    assert "tronquée ou endommagée" in error.messages[0]


def test_a_tiff_renamed_jpg_is_refused_by_its_content():
    error = refused(image_bytes("TIFF", size=(40, 30)), "deguise.jpg")
    assert "TIFF" in error.messages[0] and "JPEG, PNG ou WebP" in error.messages[0]


def test_an_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    error = refused(svg, "logo.svg")
    assert "n'est pas une image reconnue" in error.messages[0]


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 1000
    error = refused(image_bytes("PNG", size=(300, 300), color=(1, 2, 3, 255)) + b"\0" * 2000, "gros.png")
    assert "limite" in error.messages[0]


def test_jpeg_png_and_webp_are_accepted():
    for fmt in ("JPEG", "PNG", "WEBP"):
        assert inspect_image(upload(f"ok.{fmt.lower()}", image_bytes(fmt)))["format"] == fmt


def camera_jpeg(orientation=1, size=(600, 400)) -> bytes:
    """A JPEG as a camera writes it: GPS, serial number, author, XMP and a comment."""
    im = Image.new("RGB", size, (30, 120, 200))
    im.paste((250, 20, 20), (0, 0, size[0] // 4, size[1] // 4))  # a red mark in the top-left corner
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = "Appareil de Jean Secret"  # Artist written by the camera owner
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (43.0, 36.0, 0.0), "E", (3.0, 52.0, 0.0)
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif, comment=b"secret comment", xmp=b"<x:xmpmeta>GPSLatitude secret-xmp</x:xmpmeta>")
    return buf.getvalue()




def all_public_files(photo):
    yield photo.image
    for rendition in photo.renditions.all():
        yield rendition.file


def test_camera_metadata_never_survives_in_any_stored_file_but_the_credit_does():
    photo = make_photo(
        image=upload("IMG_0001.jpg", camera_jpeg()),
        credit=make_credit("Nicolas Datiche"),
        caption="Signature de l’accord à Kyoto",
    )
    files = list(all_public_files(photo))
    assert len(files) == 1 + len(SPECS)
    for f in files:
        data = f.read()
        f.close()
        for secret in (b"SERIAL-123456", b"Jean Secret", b"secret comment", b"secret-xmp"):
            assert secret not in data, (f.name, secret)
        with Image.open(io.BytesIO(data)) as im:
            exif = im.getexif()
            assert 0x8825 not in exif, f"GPS left in {f.name}"
            assert exif_text(exif, 0x013B) == "Nicolas Datiche"
            assert exif_text(exif, 0x8298) == "(c) Nicolas Datiche"  # no organisation: the name alone
            assert exif_text(exif, 0x010E) == "Signature de l'accord a Kyoto"  # ASCII, as EXIF requires
            assert xp_text(exif, 0x9C9B) == "Signature de l’accord à Kyoto"  # the exact text
            assert exif.get(0x0112) in (None, 1)


def test_renditions_of_a_rotated_photo_are_upright():
    # Orientation 6: the camera was turned; the stored pixels are landscape, the picture is portrait.
    photo = make_photo(image=upload("tourne.jpg", camera_jpeg(orientation=6, size=(600, 400))))
    assert (photo.width, photo.height) == (400, 600)
    w480 = photo.rendition("w480-jpeg")
    assert (w480.width, w480.height) == (400, 600)  # never enlarged
    with photo.image.open("rb") as fh, Image.open(fh) as im:
        assert im.size == (400, 600)
        # After turning 90° clockwise, the red top-left mark is in the top-right corner.
        assert im.convert("RGB").getpixel((390, 10))[0] > 200


def test_a_valid_photo_has_every_rendition_once_after_save():
    photo = make_photo(image=upload("grande.jpg", image_bytes("JPEG", size=(2400, 1600))))
    specs = {r.spec: r for r in photo.renditions.all()}
    assert set(specs) == set(SPECS)
    assert (specs["w1600-webp"].width, specs["w1600-webp"].height) == (1600, 1067)
    assert (specs["w480-jpeg"].width, specs["w480-jpeg"].height) == (480, 320)
    assert (specs["thumb-jpeg"].width, specs["thumb-jpeg"].height) == (320, 320)
    assert (specs["social-jpeg"].width, specs["social-jpeg"].height) == (1200, 630)
    with specs["w960-webp"].file.open("rb") as fh, Image.open(fh) as im:
        assert im.format == "WEBP"
    photo.caption = "Nouvelle légende"
    photo.save()
    assert Rendition.objects.filter(photo=photo).count() == len(SPECS)


def test_the_social_card_is_cropped_around_the_focal_point():
    im = Image.new("RGB", (2000, 2000), (0, 0, 255))
    im.paste((255, 0, 0), (0, 1600, 2000, 2000))  # a red band at the bottom
    buf = io.BytesIO()
    im.save(buf, "PNG")
    photo = make_photo(image=upload("carre.png", buf.getvalue(), "image/png"))
    photo.focal_y = 1.0
    photo.save()
    with photo.rendition("social-jpeg").file.open("rb") as fh, Image.open(fh) as card:
        assert card.convert("RGB").getpixel((600, 620))[0] > 200  # the band is in the crop
    photo.focal_y = 0.0
    photo.save()
    with photo.rendition("social-jpeg").file.open("rb") as fh, Image.open(fh) as card:
        assert card.convert("RGB").getpixel((600, 620))[2] > 200  # only blue at the top


def test_a_renamed_credit_is_written_into_the_files():
    from articles.photos.services import refresh_credit_photos

    credit = make_credit("Nicolas Datiche")
    photo = make_photo(credit=credit)
    credit.name = "Nicolas Datiche / Région Occitanie"
    credit.save()
    assert refresh_credit_photos(credit) == 1
    photo.refresh_from_db()
    with photo.image.open("rb") as fh, Image.open(fh) as im:
        assert xp_text(im.getexif(), 0x9C9D) == "Nicolas Datiche / Région Occitanie"


def test_the_files_carry_the_full_credit_line_and_the_photographer_as_artist():
    photo = make_photo(credit=make_credit("Nicolas Datiche", organisation="Région Occitanie"))
    with photo.image.open("rb") as fh, Image.open(fh) as im:
        exif = im.getexif()
        assert exif_text(exif, 0x013B) == "Nicolas Datiche"  # Artist: who took it
        assert exif_text(exif, 0x8298) == "(c) Nicolas Datiche / Region Occitanie"  # Credit.credit_line()
        assert xp_text(exif, 0x9C9C) == "© Nicolas Datiche / Région Occitanie"
        xmp = im.info.get("xmp", b"")
        xmp = xmp.decode() if isinstance(xmp, bytes) else xmp
    assert "<photoshop:Credit>Nicolas Datiche / Région Occitanie</photoshop:Credit>" in xmp
    assert "<rdf:li>Nicolas Datiche</rdf:li>" in xmp  # dc:creator


def test_a_refused_upload_stores_nothing(settings):
    before = Photo.objects.count()
    photo = Photo(image=upload("faux.jpg", b"pas une image"), alt_text="x", credit=make_credit())
    with pytest.raises(ValidationError):
        photo.full_clean()
    assert Photo.objects.count() == before
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else True
