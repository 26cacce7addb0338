"""The files behind a photo: a cleaned master and a fixed set of renditions.

Work done once, when an editor saves a photo, never on a visitor's request:
- the master keeps the pixels (turned upright from its EXIF orientation) but none
  of the camera's metadata (GPS, serial numbers, XMP, comments); instead it carries
  the credit and caption as each standard allows (issue #16): EXIF's ASCII tags in ASCII
  (Artist, Copyright, ImageDescription: "Region"), the exact text in EXIF's UTF-16 XP tags,
  XMP (dc:creator, dc:rights, dc:description, photoshop:Credit) and, in a JPEG, IPTC-IIM
  (By-line, Credit, Copyright Notice, Caption/Abstract in UTF-8), so the credit travels
  with a download;
- renditions are resized copies in WebP and JPEG for `srcset`, a square thumbnail
  and a 1200×630 social card cropped around the editor's focal point.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from ..slugs import ascii_fold
from . import iptc
from .iptc import clean_text

# Keep ICC colour profiles (they are not personal); drop every other metadata block.
_KEPT_INFO = ("icc_profile",)

SAVE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True, "progressive": True},
    "WEBP": {"quality": 82, "method": 4},
    "PNG": {"optimize": True},
}
EXTENSIONS = {"JPEG": "jpg", "WEBP": "webp", "PNG": "png"}


@dataclass(frozen=True)
class Spec:
    name: str
    width: int
    height: int | None  # None: keep the aspect ratio
    format: str  # "JPEG" or "WEBP"

    @property
    def is_crop(self) -> bool:
        return self.height is not None


WIDTHS = (480, 960, 1600)
SPECS: dict[str, Spec] = {}
for _w in WIDTHS:
    for _fmt in ("WEBP", "JPEG"):
        _s = Spec(f"w{_w}-{_fmt.lower()}", _w, None, _fmt)
        SPECS[_s.name] = _s
for _s in (
    Spec("thumb-webp", 320, 320, "WEBP"),
    Spec("thumb-jpeg", 320, 320, "JPEG"),
    Spec("social-jpeg", 1200, 630, "JPEG"),
):
    SPECS[_s.name] = _s


# What each kind of page loads: cards offer 480 and 960 px; the article page every width
# and the social card (OpenGraph). The square thumbnail is for the admin.
CARD_SPECS = tuple(f"w{w}-{f}" for w in (480, 960) for f in ("webp", "jpeg"))
PAGE_SPECS = tuple(name for name in SPECS if name.startswith("w")) + ("social-jpeg",)
FALLBACK_SPEC = "w960-jpeg"  # the <img src> for browsers without srcset; never the master
# Every spec the code names, named here once.
THUMB_SPEC = "thumb-jpeg"  # the admin's square thumbnails
PREVIEW_SPEC = FALLBACK_SPEC  # the whole picture, uncropped: the admin's focal point picker
LARGE_SPEC = "w1600-jpeg"  # the large JPEG every reader and crawler decodes (JSON-LD)
SOCIAL_SPEC = "social-jpeg"  # the 1200×630 crop OpenGraph and Twitter cards expect


# What the photo's metadata says, worked out once per file from the photo's fields.
def _metadata(photo) -> dict[str, str]:
    # Artist / By-line / dc:creator is the person who took the picture; the full credit line
    # (with the organisation) goes in Credit and Copyright, as the public pages print it.
    line = photo.credit.credit_line()
    return {
        "creator": clean_text(photo.credit.name),
        "credit": clean_text(line),
        "rights": clean_text(f"© {line}" + (f" — {photo.licence}" if photo.licence else "")),
        "caption": clean_text(photo.caption or ""),
    }


# EXIF tags: ASCII ones (TIFF 6.0 / EXIF 2.32: 7-bit ASCII only), and the UCS-2 "XP" ones
# Windows' Explorer reads and writes, which hold any text.
ARTIST, COPYRIGHT, IMAGE_DESCRIPTION = 0x013B, 0x8298, 0x010E
XP_TITLE, XP_COMMENT, XP_AUTHOR = 0x9C9B, 0x9C9C, 0x9C9D


def _ucs2(text: str) -> bytes:
    return text.encode("utf-16-le") + b"\x00\x00"


def _exif_for(photo) -> Image.Exif:
    """EXIF that every reader decodes the same way.

    The ASCII tags hold ASCII only ("Région" → "Region", "Vœux" → "Voeux"): UTF-8 bytes
    there were read as "RÃ©gion" by Pillow and by every reader that follows the standard.
    The exact text is in the XP tags (UTF-16), in XMP and in IPTC. A value with no ASCII
    spelling at all (a Japanese caption) is left out of the ASCII tags rather than written empty.
    """
    meta = _metadata(photo)
    exif = Image.Exif()
    for tag, key in ((ARTIST, "creator"), (COPYRIGHT, "rights"), (IMAGE_DESCRIPTION, "caption")):
        folded = ascii_fold(meta[key]).strip()
        if folded:
            exif[tag] = folded
    exif[XP_AUTHOR] = _ucs2(meta["creator"])
    if meta["caption"]:
        exif[XP_TITLE] = _ucs2(meta["caption"])
    exif[XP_COMMENT] = _ucs2(meta["rights"])
    return exif


def _xml_text(text: str) -> str:
    """Text for an XML element: escaped, without the characters XML 1.0 forbids (U+FFFE, U+FFFF)."""
    return escape(text.replace("\ufffe", "").replace("\uffff", ""))


def _xmp_for(photo) -> bytes:
    meta = _metadata(photo)
    creator, line, rights, caption = (_xml_text(meta[k]) for k in ("creator", "credit", "rights", "caption"))
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{caption}</rdf:li></rdf:Alt></dc:description>'
        f"<photoshop:Credit>{line}</photoshop:Credit>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def _iptc_for(photo) -> bytes:
    """The APP13 segment (IPTC-IIM, UTF-8) of a JPEG: articles/photos/iptc.py."""
    meta = _metadata(photo)
    return iptc.app13_segment(iptc.iim_records(
        by_line=meta["creator"], credit=meta["credit"], copyright_notice=meta["rights"], caption=meta["caption"],
    ))


def _strip(im: Image.Image) -> Image.Image:
    im.info = {k: v for k, v in im.info.items() if k in _KEPT_INFO}
    return im


def _encode(im: Image.Image, fmt: str, photo) -> bytes:
    if fmt in ("JPEG",) and im.mode not in ("RGB", "L"):
        im = _flatten(im)
    buf = io.BytesIO()
    options = dict(SAVE_OPTIONS[fmt])
    options["exif"] = _exif_for(photo).tobytes()
    if fmt in ("JPEG", "WEBP"):
        options["xmp"] = _xmp_for(photo)
    if fmt == "JPEG":  # WebP and PNG have no place for IPTC-IIM: their EXIF and XMP carry the same text
        options["extra"] = _iptc_for(photo)
    icc = im.info.get("icc_profile")
    if icc:
        options["icc_profile"] = icc
    im.save(buf, fmt, **options)
    return buf.getvalue()


def _flatten(im: Image.Image) -> Image.Image:
    """JPEG has no transparency: lay the image on white rather than on black."""
    rgba = im.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    background.info = {k: v for k, v in im.info.items() if k in _KEPT_INFO}
    return background


def open_upright(fileobj) -> tuple[Image.Image, str]:
    """Decode an image once, turned upright by its EXIF orientation, with its metadata dropped."""
    fileobj.seek(0)
    src = Image.open(fileobj)
    fmt = src.format
    src.load()
    # In place: no second full-size copy when the photo is already upright.
    upright = ImageOps.exif_transpose(src, in_place=True) or src
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if "A" in upright.getbands() or "transparency" in upright.info else "RGB")
    return _strip(upright), fmt


# JPEG segments kept in a master cleaned without decoding: APP0 (JFIF), APP2 when it is an ICC
# profile, APP14 (Adobe: how to read the colours) and every segment that is the picture itself.
# Dropped: APP1 (EXIF with GPS and serials, XMP), APP2 others (MPF previews), APP3–APP13
# (Photoshop IPTC...), APP15, COM (comments), and anything after the first image (MPF previews).
_DROPPED_APPS = set(range(0xE1, 0xF0)) - {0xE2, 0xEE}


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


def jpeg_without_metadata(data: bytes, photo) -> bytes | None:
    """The same JPEG, pixels untouched, without camera metadata and with our credit: or None.

    Copies the compressed picture as it is, segment by segment, so an upright JPEG is
    cleaned in milliseconds, with no decode and no loss of quality. None when the file
    must be decoded instead (not upright, CMYK, not a well-formed JPEG).
    """
    try:
        with Image.open(io.BytesIO(data)) as im:  # reads the header only
            if im.format != "JPEG" or im.mode not in ("RGB", "L") or im.getexif().get(0x0112, 1) != 1:
                return None
    except Exception:
        return None
    if data[:2] != b"\xff\xd8":
        return None
    out, i, n, credited = [b"\xff\xd8"], 2, len(data), False
    while i + 1 < n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:  # end of the first image: what follows (MPF previews) is dropped
            out.append(b"\xff\xd9")
            return b"".join(out)
        if i + 4 > n:
            return None
        end = i + 2 + int.from_bytes(data[i + 2:i + 4], "big")
        segment = data[i:end]
        if not credited and marker != 0xE0:
            out += [_segment(0xE1, _exif_for(photo).tobytes()),
                    _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + _xmp_for(photo)),
                    _iptc_for(photo)]
            credited = True
        dropped = marker == 0xFE or marker in _DROPPED_APPS or (marker == 0xE2 and segment[4:16] != b"ICC_PROFILE\x00")
        if not dropped:
            out.append(segment)
        i = end
        if marker == 0xDA:  # start of scan: compressed data up to the next marker (FF00 and RSTn are data)
            j = i
            while True:
                j = data.find(b"\xff", j)
                if j < 0 or j + 1 >= n:
                    return None
                following = data[j + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    j += 1 if following == 0xFF else 2
                    continue
                break
            out.append(data[i:j])
            i = j
    return None


def clean_master(fileobj, photo) -> tuple[ContentFile, Image.Image | None]:
    """The public master file: upright, no camera metadata, the credit written in.

    Returns the file to store and, when it had to be decoded, the decoded image (so the
    renditions can be made from the same decode); an upright JPEG is cleaned without
    decoding (`jpeg_without_metadata`), and the image returned is then None.
    """
    fileobj.seek(0)
    data = fileobj.read()
    lossless = jpeg_without_metadata(data, photo)
    if lossless is not None:
        return ContentFile(lossless, name=f"{uuid.uuid4().hex}.jpg"), None
    im, fmt = open_upright(io.BytesIO(data))
    data = _encode(im, fmt if fmt in SAVE_OPTIONS else "JPEG", photo)
    ext = EXTENSIONS.get(fmt, "jpg")
    cleaned = ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}")
    # We just encoded it from `im`: the field takes its dimensions from here instead of
    # inspecting (decoding) the new master again (articles/images.py, PhotoImageField).
    cleaned._photo_inspection = {"format": fmt, "extension": ext, "width": im.width, "height": im.height}
    return cleaned, im


def _crop_box(width: int, height: int, target_w: int, target_h: int, fx: float, fy: float) -> tuple[int, int, int, int]:
    """The largest box of the target's aspect ratio, centred on the focal point as far as the edges allow."""
    ratio = target_w / target_h
    if width / height > ratio:
        box_h, box_w = height, round(height * ratio)
    else:
        box_w, box_h = width, round(width / ratio)
    left = min(max(round(fx * width - box_w / 2), 0), width - box_w)
    top = min(max(round(fy * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def render(im: Image.Image, spec: Spec, photo) -> tuple[bytes, int, int]:
    """One rendition of an already decoded, upright image."""
    if spec.is_crop:
        box = _crop_box(im.width, im.height, spec.width, spec.height, photo.focal_x, photo.focal_y)
        out = im.resize((spec.width, spec.height), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    else:
        width = min(spec.width, im.width)  # never enlarge
        height = max(1, round(im.height * width / im.width))
        out = im.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0) if width != im.width else im.copy()
    out.info = {k: v for k, v in im.info.items() if k in _KEPT_INFO}
    return _encode(out, spec.format, photo), out.width, out.height


def working_copy(im: Image.Image, longest: int = 1600) -> Image.Image:
    """A copy no larger than the biggest rendition needs, so each rendition resizes a small image."""
    target = max(longest, 1200)  # the social card needs 1200 px of width
    if im.width <= target * 2 and im.height <= target * 2:
        return im
    scale = min(target * 2 / im.width, target * 2 / im.height)
    copy = im.resize((round(im.width * scale), round(im.height * scale)), Image.Resampling.LANCZOS, reducing_gap=3.0)
    copy.info = im.info
    return copy
