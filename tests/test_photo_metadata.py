"""What a downloaded photo says about itself, read as a picture desk's tools read it (issue #16).

Each standard gets what it allows: EXIF's ASCII tags hold ASCII ("Region", never the
UTF-8 bytes Pillow showed as "RÃ©gion"); the exact text is in EXIF's UTF-16 XP tags, in
XMP, and in an IPTC-IIM block (UTF-8, declared by 1:90) that agency tools read first.
The files are real JPEGs and PNGs made with Pillow, cleaned by the real photo job, and
read back with Pillow and with exiftool.
"""

import io
import json
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, IptcImagePlugin

from articles.photos import iptc
from tests.factories import camera_jpeg, exif_text, image_upload, make_credit, make_photo, xp_text
from tests.processes import need

pytestmark = pytest.mark.django_db

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
}
JAPANESE = "京都府知事とオクシタニー地域圏議長が協力協定に署名しました"


def stored_bytes(fieldfile) -> bytes:
    with fieldfile.open("rb") as fh:
        return fh.read()


def files_of(photo) -> dict[str, bytes]:
    """The master and one JPEG rendition: the two ways a file gets its metadata (copied
    segment by segment, or encoded by Pillow)."""
    photo.refresh_from_db()
    return {"master": stored_bytes(photo.image), "w480-jpeg": stored_bytes(photo.rendition("w480-jpeg").file)}


def iptc_of(data: bytes) -> dict[tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as im:
        return IptcImagePlugin.getiptcinfo(im)


def xmp_of(data: bytes) -> ET.Element:
    with Image.open(io.BytesIO(data)) as im:
        xmp = im.info["xmp"]
    return ET.fromstring(xmp.decode() if isinstance(xmp, bytes) else xmp)  # raises if not well-formed


def xmp_text(root: ET.Element, path: str) -> str:
    return "".join(root.find(f".//{path}", NS).itertext())


@pytest.fixture
def accented_photo():
    return make_photo(
        image=SimpleUploadedFile("DSC_0001.jpg", camera_jpeg(size=(800, 500)), content_type="image/jpeg"),
        credit=make_credit("Jérôme Lœb", organisation="Région Occitanie"),
        caption="Vœux de la présidente à l’Hôtel de Région",
        licence="Usage presse",
    )


def test_exif_ascii_tags_hold_ascii_that_every_reader_decodes_the_same(accented_photo):
    for name, data in files_of(accented_photo).items():
        with Image.open(io.BytesIO(data)) as im:
            exif = im.getexif()
        assert exif_text(exif, 0x013B) == "Jerome Loeb", name  # Artist
        assert exif_text(exif, 0x8298) == "(c) Jerome Loeb / Region Occitanie - Usage presse", name  # Copyright
        assert exif_text(exif, 0x010E) == "Voeux de la presidente a l'Hotel de Region", name  # ImageDescription
        # The exact text, in the UTF-16 tags Windows reads:
        assert xp_text(exif, 0x9C9D) == "Jérôme Lœb", name
        assert xp_text(exif, 0x9C9B) == "Vœux de la présidente à l’Hôtel de Région", name
        assert xp_text(exif, 0x9C9C) == "© Jérôme Lœb / Région Occitanie — Usage presse", name


def test_xmp_holds_the_exact_text(accented_photo):
    for name, data in files_of(accented_photo).items():
        root = xmp_of(data)
        assert xmp_text(root, "dc:creator") == "Jérôme Lœb", name
        assert xmp_text(root, "dc:rights") == "© Jérôme Lœb / Région Occitanie — Usage presse", name
        assert xmp_text(root, "dc:description") == "Vœux de la présidente à l’Hôtel de Région", name
        assert xmp_text(root, "photoshop:Credit") == "Jérôme Lœb / Région Occitanie", name


def test_an_iptc_block_in_utf8_gives_byline_credit_copyright_and_caption(accented_photo):
    for name, data in files_of(accented_photo).items():
        info = iptc_of(data)
        assert info[(1, 90)] == b"\x1b%G", name  # CodedCharacterSet: UTF-8
        assert info[(2, 80)].decode() == "Jérôme Lœb", name  # By-line
        # Credit: 32 bytes at most; cut at a word, the whole line is in XMP's photoshop:Credit.
        assert info[(2, 110)].decode() == "Jérôme Lœb / Région", name
        assert info[(2, 116)].decode() == "© Jérôme Lœb / Région Occitanie — Usage presse", name  # Copyright Notice
        assert info[(2, 120)].decode() == "Vœux de la présidente à l’Hôtel de Région", name  # Caption/Abstract


def test_a_japanese_caption_is_kept_whole_where_unicode_is_allowed_and_left_out_of_ascii_tags():
    photo = make_photo(caption=JAPANESE, credit=make_credit("山田太郎"))
    for name, data in files_of(photo).items():
        with Image.open(io.BytesIO(data)) as im:
            exif = im.getexif()
        assert 0x010E not in exif and 0x013B not in exif, name  # nothing ASCII can say: no "????"
        assert xp_text(exif, 0x9C9B) == JAPANESE, name
        assert iptc_of(data)[(2, 120)].decode() == JAPANESE, name
        assert iptc_of(data)[(2, 80)].decode() == "山田太郎", name
        assert xmp_text(xmp_of(data), "dc:description") == JAPANESE, name


def test_long_values_are_cut_to_the_iptc_limits_at_a_character_boundary():
    long_name = "Éléonore " * 6  # 9 characters, 11 bytes each time: 32 bytes falls inside an "É"
    caption = JAPANESE * 10  # 290 characters (a caption holds 300), 870 bytes: within Caption's 2,000
    photo = make_photo(caption=caption, credit=make_credit(long_name.strip(), organisation="Région Occitanie " * 10))
    data = files_of(photo)["master"]
    info = iptc_of(data)
    for key, limit, full in (
        ((2, 80), 32, long_name.strip()),
        ((2, 110), 32, photo.credit.credit_line()),
        ((2, 116), 128, f"© {photo.credit.credit_line()}"),
        ((2, 120), 2000, caption),
    ):
        if len(full.encode()) <= limit:
            assert info[key].decode() == full, key
            continue
        value = info[key]
        assert len(value) <= limit, key
        text = value.decode()  # never a broken UTF-8 sequence
        assert full.startswith(text), key
        # Cut at a word, or else at most one character short of the limit.
        assert full[len(text):][:1] in (" ", "/") or len(full.encode()[:limit]) - len(value) < 4, key
    # XMP has no limit: the whole caption travels there.
    assert xmp_text(xmp_of(data), "dc:description") == caption


def test_a_caption_longer_than_iim_allows_is_cut_at_2000_bytes_before_a_character():
    caption = "éé" + JAPANESE * 40  # 3,484 bytes; "éé" puts a 3-byte character across byte 2,000
    records = iptc.iim_records(caption=caption)
    [(key, value)] = [(k, v) for k, v in parse_iim(records) if k == (2, 120)]
    assert len(value) == 1999 and caption.startswith(value.decode())


def parse_iim(records: bytes):
    """The IIM datasets as ((record, number), value), read the way the specification lays them out."""
    i = 0
    while i < len(records):
        assert records[i] == 0x1C
        length = int.from_bytes(records[i + 3:i + 5], "big")
        yield (records[i + 1], records[i + 2]), records[i + 5:i + 5 + length]
        i += 5 + length


def test_nul_and_escape_bytes_never_reach_the_iim_block():
    records = iptc.iim_records(by_line="A\x00B\x1b%@C\x1c\x02\x50", caption="\x00\x1b%G")
    assert [k for k, _ in parse_iim(records)] == [(1, 90), (2, 0), (2, 80), (2, 120)]
    assert dict(parse_iim(records))[(2, 80)] == b"AB%@CP"
    assert dict(parse_iim(records))[(2, 120)] == b"%G"


def test_hostile_characters_cannot_break_the_blocks():
    hostile = "AB\x1b%@C\x1c\x02\x78D\r\nE ]]></rdf:li><x:evil/> & \ufffe\uffff F\x7f\x85G"
    photo = make_photo(caption=hostile, credit=make_credit("Nom <b>&amp;\x1c</b>"))
    for name, data in files_of(photo).items():
        info = iptc_of(data)
        caption = info[(2, 120)].decode()
        assert caption == "AB%@CxD E ]]></rdf:li><x:evil/> & \ufffe\uffff FG", name
        assert set(info) == {(1, 90), (2, 0), (2, 80), (2, 110), (2, 116), (2, 120)}, name  # no dataset smuggled in
        root = xmp_of(data)  # still well-formed XML
        assert xmp_text(root, "dc:description") == "AB%@CxD E ]]></rdf:li><x:evil/> &  FG", name
        assert root.find(".//x:evil", NS) is None, name
        assert xmp_text(root, "dc:creator") == "Nom <b>&amp;</b>", name


def test_a_png_master_carries_exif_and_xmp_and_no_app13():
    photo = make_photo(image=image_upload("stand.png", "PNG", size=(300, 200)), caption="Stand de la Région",
                       credit=make_credit("Agence Sud"))
    data = stored_bytes(photo.image)
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "PNG"
        assert exif_text(im.getexif(), 0x010E) == "Stand de la Region"
        assert xp_text(im.getexif(), 0x9C9B) == "Stand de la Région"


def test_a_long_credit_line_is_cut_at_a_word_in_iptc():
    assert iptc.fit("Nicolas Datiche / Région Occitanie", 32) == "Nicolas Datiche / Région".encode()
    assert iptc.fit("Nicolas Datiche", 32) == b"Nicolas Datiche"
    assert iptc.fit("Ab Cdefghijklmnopqrstuvwxyz", 10) == b"Ab Cdefghi"  # no space in the second half: at a character
    assert iptc.fit("京都府知事と議長", 9) == "京都府".encode()


def test_iim_values_are_cut_before_a_character_never_inside_one():
    assert iptc.utf8_within("ééé", 5) == "éé".encode()
    assert iptc.utf8_within("ééé", 6) == "ééé".encode()
    assert iptc.utf8_within("京都", 5) == "京".encode()
    assert iptc.utf8_within("😀a", 3) == b""
    assert iptc.utf8_within("abc", 2) == b"ab"


def test_the_app13_segment_is_laid_out_as_photoshop_and_iim_specify():
    records = iptc.iim_records(by_line="Jérôme", caption="Vœux")
    segment = iptc.app13_segment(records)
    assert segment[:2] == b"\xff\xed"
    assert int.from_bytes(segment[2:4], "big") == len(segment) - 2
    assert segment[4:18] == b"Photoshop 3.0\x00"
    assert segment[18:24] == b"8BIM\x04\x04"
    assert records.startswith(b"\x1c\x01\x5a\x00\x03\x1b%G")  # record 1 (envelope) first: 1:90 = UTF-8
    assert b"\x1c\x02\x50\x00\x08J\xc3\xa9r\xc3\xb4me" in records  # 2:80 By-line, 8 bytes
    assert b"\x1c\x02\x6e" not in records  # an empty Credit is left out


def exiftool_json(data: bytes, tmp_path) -> dict:
    # exiftool is installed by .ci/run; missing, this fails in CI (tests/processes.need).
    program = need("exiftool", package="libimage-exiftool-perl")
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    result = subprocess.run([program, "-j", "-a", "-G1", str(path)],
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)[0]


def test_exiftool_reads_every_field_and_finds_the_iptc_digest_current(accented_photo, tmp_path):
    for name, data in files_of(accented_photo).items():
        tags = exiftool_json(data, tmp_path)
        assert tags["IPTC:CodedCharacterSet"] == "UTF8", name
        assert tags["IPTC:By-line"] == "Jérôme Lœb", name
        assert tags["IPTC:Credit"] == "Jérôme Lœb / Région", name
        assert tags["IPTC:CopyrightNotice"] == "© Jérôme Lœb / Région Occitanie — Usage presse", name
        assert tags["IPTC:Caption-Abstract"] == "Vœux de la présidente à l’Hôtel de Région", name
        assert tags["Photoshop:IPTCDigest"] == tags["File:CurrentIPTCDigest"], name  # IPTC and XMP agree
        assert tags["IFD0:Artist"] == "Jerome Loeb", name
        assert tags["IFD0:XPAuthor"] == "Jérôme Lœb", name
        assert tags["XMP-dc:Creator"] == "Jérôme Lœb", name
        assert tags["XMP-photoshop:Credit"] == "Jérôme Lœb / Région Occitanie", name
        warnings = [v for k, v in tags.items() if k.endswith(":Warning")]
        assert not [w for w in warnings if "IPTC" in w or "XMP" in w or "Photoshop" in w], (name, warnings)


def test_exiftool_reads_a_japanese_caption(tmp_path):
    photo = make_photo(caption=JAPANESE, credit=make_credit("山田太郎"))
    tags = exiftool_json(files_of(photo)["master"], tmp_path)
    assert tags["IPTC:Caption-Abstract"] == JAPANESE
    assert tags["IPTC:By-line"] == "山田太郎"


def test_refresh_photo_files_rewrites_the_metadata_of_photos_made_before_the_rules_changed():
    from io import StringIO

    from django.core.management import call_command

    photo = make_photo(caption="Vœux à Montpellier", credit=make_credit("Jérôme Lœb"))
    # As a file written before issue #16: UTF-8 bytes in EXIF's ASCII Artist, no IPTC.
    old = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = "Jérôme Lœb".encode()
    Image.new("RGB", (64, 48)).save(old, "JPEG", exif=exif)
    name = photo.image.name
    photo.image.storage.delete(name)
    photo.image.storage.save(name, io.BytesIO(old.getvalue()))
    assert iptc_of(stored_bytes(photo.image)) is None

    out = StringIO()
    call_command("refresh_photo_files", stdout=out)
    assert "1 photo(s) mise(s) en file d'attente" in out.getvalue()
    for file_name, data in files_of(photo).items():
        assert iptc_of(data)[(2, 80)].decode() == "Jérôme Lœb", file_name
        with Image.open(io.BytesIO(data)) as im:
            assert exif_text(im.getexif(), 0x013B) == "Jerome Loeb", file_name
    photo.refresh_from_db()
    assert photo.files_state == photo.FilesState.READY
