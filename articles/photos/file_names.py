"""The names photo files get on a reader's disk: a single download and a press kit's members.

Readable and safe on every system: ASCII under the slug rule (articles/slugs.py: "Vœux" →
"voeux", "4,2" → "4-2"), each part cut at a word boundary, never inside a word
("…-inaugurati.jpg"), and the file's real extension always kept.
"""

from pathlib import PurePath

from ..slugs import cut_at_word, slugify_fr

# Characters per part: the whole name stays well under the 255 bytes file systems allow,
# and short enough to read in a download bar.
CAPTION_LIMIT = 60
CREDIT_LIMIT = 40


def _extension(photo, default: str = "") -> str:
    return PurePath(photo.image.name).suffix.lower() or default


def _caption_stem(photo) -> str:
    return cut_at_word(slugify_fr(photo.caption or photo.alt_text), CAPTION_LIMIT) or "photo"


def photo_download_name(photo) -> str:
    """ "signature-de-l-accord-nicolas-datiche.jpg": what the photo shows and who took it."""
    credit = cut_at_word(slugify_fr(photo.credit.name), CREDIT_LIMIT)
    stem = f"{_caption_stem(photo)}-{credit}" if credit else _caption_stem(photo)
    return f"{stem}{_extension(photo)}"


def press_kit_member_name(index: int, photo) -> str:
    """ "01-voeux-de-la-presidente.jpg": the photo's place in the release, then what it shows."""
    return f"{index:02d}-{_caption_stem(photo)}{_extension(photo, '.jpg')}"
