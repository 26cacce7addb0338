"""The press kit: a streamed ZIP of a release's cleaned full-resolution photos,
their captions and credits (LEGENDES.txt) and the release text (COMMUNIQUE.txt)."""

from __future__ import annotations

import html
import re
from pathlib import PurePath

from django.utils import formats, timezone
from django.utils.text import slugify
from zipstream import ZIP_DEFLATED, ZIP_STORED, ZipStream


def photo_filename(index: int, photo) -> str:
    ext = PurePath(photo.image.name).suffix.lower() or ".jpg"
    stem = slugify(photo.caption or photo.alt_text)[:60].strip("-") or "photo"
    return f"{index:02d}-{stem}{ext}"


def _text(body_html: str) -> str:
    text = re.sub(r"</(p|h[2-4]|li|blockquote)>", "\n\n", body_html)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(text)).strip()


def captions_text(article, placements) -> str:
    lines = [f"Légendes et crédits — {article.title}", ""]
    for index, placement in enumerate(placements, start=1):
        photo = placement.photo
        lines += [
            f"Fichier : {photo_filename(index, photo)}",
            f"Légende : {photo.caption or '—'}",
            f"Crédit photo : {photo.credit.name}",
            f"Licence : {photo.licence or 'non précisée'}",
            f"Texte alternatif : {photo.alt_text}",
            "",
        ]
    return "\n".join(lines)


def release_text(article, url: str) -> str:
    published = timezone.localtime(article.publish_at)
    dateline = ", ".join(filter(None, [article.location, f"le {formats.date_format(published, 'j F Y')}"]))
    parts = [article.title, "=" * min(len(article.title), 78), "", dateline, ""]
    if article.standfirst:
        parts += [article.standfirst, ""]
    parts += [_text(article.body), ""]
    quotes = list(article.quotes.all())
    if quotes:
        parts += ["Citations", "---------", ""]
        for quote in quotes:
            who = quote.speaker.name + (f", {quote.speaker.role}" if quote.speaker.role else "")
            parts += [f"« {quote.text} »", f"— {who}", ""]
    contacts = list(article.press_contacts.all())
    if contacts:
        parts += ["Contacts presse", "---------------", ""]
        for contact in contacts:
            parts.append(" — ".join(filter(None, [contact.name, contact.role, contact.email, contact.phone])))
        parts.append("")
    parts.append(f"Source : {url}")
    return "\n".join(parts)


def press_kit_stream(article, url: str) -> ZipStream:
    """A ZIP built as it is sent: files are read from storage chunk by chunk, never held whole."""
    placements = list(article.article_photos.all())
    zs = ZipStream(compress_type=ZIP_STORED, sized=False)  # photos are already compressed
    for index, placement in enumerate(placements, start=1):
        zs.add(_chunks(placement.photo.image), photo_filename(index, placement.photo))
    zs.add(captions_text(article, placements).encode(), "LEGENDES.txt", compress_type=ZIP_DEFLATED)
    zs.add(release_text(article, url).encode(), "COMMUNIQUE.txt", compress_type=ZIP_DEFLATED)
    return zs


def _chunks(fieldfile, size: int = 64 * 1024):
    with fieldfile.storage.open(fieldfile.name, "rb") as fh:
        while chunk := fh.read(size):
            yield chunk
