"""An IPTC-IIM block for a JPEG: who took the photo, whose credit, the copyright and the caption.

Picture desks' tools (Photo Mechanic, Lightroom, agency ingest systems, exiftool's
IPTC group) read IPTC-IIM before XMP. Pillow reads it (`IptcImagePlugin.getiptcinfo`) but
cannot write it, and the Python libraries that can were weighed and left out (README,
"Dependencies"): the block is a few hundred bytes of a simple, frozen format, written here.

Layout (IPTC-IIM 4.2, "Information Interchange Model"; Adobe Photoshop File Format,
"Image Resource Blocks"):

    APP13 segment  = FF ED, length (2 bytes, big-endian, counting itself), payload
    payload        = "Photoshop 3.0\\0", then image resources
    image resource = "8BIM", resource id (2 bytes), name (Pascal string, padded to even: 00 00),
                     data size (4 bytes), data (padded to even)
    resource 0x0404 (IPTC-NAA) = IIM datasets, record 1 before record 2
    resource 0x0425 (IPTC digest) = MD5 of the 0x0404 data: tells readers (Photoshop, exiftool)
                     the IPTC block and the XMP written with it agree
    IIM dataset    = 1C, record number, dataset number, length (2 bytes, big-endian), data

Datasets written, with the standard's maximum lengths (in bytes, not characters):
    1:90  CodedCharacterSet   ESC % G: the text of record 2 is UTF-8
    2:00  RecordVersion       4
    2:80  By-line             32      the photographer
    2:110 Credit              32      the credit line as the pages print it
    2:116 Copyright Notice    128
    2:120 Caption/Abstract    2000
Longer values are cut at a character boundary (never inside a UTF-8 sequence), at a word
when one is near (the full text is in XMP and the EXIF XP tags, which have no such limits), and
control characters are dropped: an ESC inside a value could be read as a switch of
character set by ISO 2022 readers.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

APP13 = 0xED
PHOTOSHOP_SIGNATURE = b"Photoshop 3.0\x00"
IPTC_NAA = 0x0404
IPTC_DIGEST = 0x0425
UTF8 = b"\x1b%G"  # ISO 2022 escape sequence for UTF-8 (ISO-IR 196)

# (record, dataset): maximum length in bytes, from the IIM specification.
BY_LINE = (2, 80)
CREDIT = (2, 110)
COPYRIGHT_NOTICE = (2, 116)
CAPTION = (2, 120)
MAX_BYTES = {BY_LINE: 32, CREDIT: 32, COPYRIGHT_NOTICE: 128, CAPTION: 2000}

# C0 and C1 control characters and DEL. Line breaks in a caption become spaces first.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """One line of printable text: NFC (an accented letter is one character, so it is never
    split from its accent), line breaks as spaces, control characters and lone surrogates dropped."""
    text = unicodedata.normalize("NFC", str(value))
    text = re.sub(r"\s*[\r\n\t]+\s*", " ", text)
    text = _CONTROLS.sub("", text)
    return text.encode("utf-8", "ignore").decode("utf-8").strip()


def utf8_within(text: str, limit: int) -> bytes:
    """`text` in UTF-8, at most `limit` bytes, cut before a character rather than inside one."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return data
    cut = limit
    while cut > 0 and data[cut] & 0xC0 == 0x80:  # a continuation byte: the character started earlier
        cut -= 1
    return data[:cut]


def fit(text: str, limit: int) -> bytes:
    """`text` within `limit` bytes: whole when it fits; otherwise cut before a character and, when
    the cut falls inside a word and a space lies in the second half, at that space
    ("Nicolas Datiche / Région Occitanie", 32 → "Nicolas Datiche / Région", not "…/ Région Occi")."""
    data = utf8_within(text, limit)
    if len(data) == len(text.encode("utf-8")):
        return data
    kept = data.decode("utf-8")
    if not text[len(kept)].isspace():
        space = kept.rfind(" ")
        if space > 0 and len(kept[:space].encode("utf-8")) >= limit // 2:
            kept = kept[:space]
    return kept.rstrip(" /-–—,;:").encode("utf-8")


def _dataset(record: int, number: int, data: bytes) -> bytes:
    return bytes((0x1C, record, number)) + len(data).to_bytes(2, "big") + data


def iim_records(*, by_line: str = "", credit: str = "", copyright_notice: str = "", caption: str = "") -> bytes:
    """The IIM datasets (the content of resource 0x0404), UTF-8, each value within its limit.
    An empty value is left out rather than written empty."""
    out = [_dataset(1, 90, UTF8), _dataset(2, 0, (4).to_bytes(2, "big"))]
    for key, value in ((BY_LINE, by_line), (CREDIT, credit), (COPYRIGHT_NOTICE, copyright_notice), (CAPTION, caption)):
        data = fit(clean_text(value), MAX_BYTES[key])
        if data:
            out.append(_dataset(*key, data))
    return b"".join(out)


def _resource(resource_id: int, data: bytes) -> bytes:
    padding = b"\x00" * (len(data) % 2)
    return b"8BIM" + resource_id.to_bytes(2, "big") + b"\x00\x00" + len(data).to_bytes(4, "big") + data + padding


def app13_payload(records: bytes) -> bytes:
    """The APP13 segment's payload (without its marker and length): the IIM block and its digest."""
    digest = hashlib.md5(records, usedforsecurity=False).digest()
    return PHOTOSHOP_SIGNATURE + _resource(IPTC_NAA, records) + _resource(IPTC_DIGEST, digest)


def app13_segment(records: bytes) -> bytes:
    """The whole APP13 segment, ready to insert among a JPEG's header segments."""
    payload = app13_payload(records)
    return bytes((0xFF, APP13)) + (len(payload) + 2).to_bytes(2, "big") + payload
