"""The press kit: a streamed ZIP of a release's cleaned full-resolution photos,
their captions and credits (LEGENDES.txt) and the release text (COMMUNIQUE.txt)."""

from __future__ import annotations

from pathlib import PurePath

from django.utils import formats, translation
from django.utils.text import slugify
from zipstream import ZIP_DEFLATED, ZIP_STORED, ZipStream

from ..sanitize import html_to_text
from ..storage.streaming import iter_chunks
from ..templatetags.articles_extras import french_date


def photo_filename(index: int, photo) -> str:
    ext = PurePath(photo.image.name).suffix.lower() or ".jpg"
    stem = slugify(photo.caption or photo.alt_text)[:60].strip("-") or "photo"
    return f"{index:02d}-{stem}{ext}"


def captions_text(article, placements) -> str:
    """LEGENDES.txt: for each photo of the kit, its file name, caption, credit and licence."""
    lines = [f"Légendes et crédits — {article.title}", ""]
    for index, placement in enumerate(placements, start=1):
        photo = placement.photo
        lines += [
            f"Fichier : {photo_filename(index, photo)}",
            f"Légende : {photo.caption or '—'}",
            f"Crédit photo : {photo.credit.credit_line()}",
            f"Licence : {photo.licence or 'non précisée'}",
        ]
        if photo.rights_expire_on:
            lines.append(f"Droits d'usage jusqu'au : {formats.date_format(photo.rights_expire_on, 'j F Y')}")
        lines += [f"Texte alternatif : {photo.alt_text}", ""]
    return "\n".join(lines)


def release_text(article, url: str) -> str:
    """COMMUNIQUE.txt: the release as plain text, with its quotes, contacts and address."""
    # publish_at is empty only for a release shown before it is scheduled (a preview).
    date = f"le {french_date(article.publish_at)}" if article.publish_at else ""
    dateline = ", ".join(filter(None, [article.location, date]))
    parts = [article.title, "=" * min(len(article.title), 78), "", dateline, ""]
    if article.standfirst:
        parts += [article.standfirst, ""]
    parts += [html_to_text(article.body), ""]
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
    # French month names whatever the browser asks, like the public pages (base.html).
    with translation.override("fr"):
        captions, release = captions_text(article, placements), release_text(article, url)
    zs.add(captions.encode(), "LEGENDES.txt", compress_type=ZIP_DEFLATED)
    zs.add(release.encode(), "COMMUNIQUE.txt", compress_type=ZIP_DEFLATED)
    return zs


def _chunks(fieldfile):
    # Streamed from the local disk or the bucket alike, never opened by a local path.
    return iter_chunks(fieldfile.storage, fieldfile.name)
