"""The press kit: a ZIP of a release's cleaned full-resolution photos, their captions
and credits (LEGENDES.txt) and the release text (COMMUNIQUE.txt).

Built ahead by a job (`tasks.refresh_press_kit`, queued when a release goes live or is
updated) and kept in storage under a name made of a hash of its contents: the download
serves that file when its name matches what the kit would hold now, and otherwise
streams the kit as it is read (and queues its build), so a download is never stale and
never waits for a build. Nothing here decodes an image.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.utils import translation
from zipstream import ZIP_DEFLATED, ZIP_STORED, ZipStream

from ..paris_time import day_label
from ..sanitize import html_to_text
from ..storage import versioned
from ..storage.streaming import iter_chunks
from .file_names import press_kit_member_name

# The kit's text files speak the release's language (issue #14): a journalist in Tokyo gets
# Japanese labels around the Japanese text. Kept here, beside the only texts that use them.
KIT_LABELS = {
    "fr": {"captions": "Légendes et crédits", "file": "Fichier", "caption": "Légende", "credit": "Crédit photo",
           "licence": "Licence", "no_licence": "non précisée", "rights": "Droits d'usage jusqu'au",
           "alt": "Texte alternatif", "on": "le {day}", "quotes": "Citations", "contacts": "Contacts presse",
           "source": "Source", "open": "« ", "close": " »", "sep": " : "},
    "en": {"captions": "Captions and credits", "file": "File", "caption": "Caption", "credit": "Photo credit",
           "licence": "Licence", "no_licence": "not stated", "rights": "Rights of use until",
           "alt": "Alternative text", "on": "{day}", "quotes": "Quotes", "contacts": "Press contacts",
           "source": "Source", "open": "“", "close": "”", "sep": ": "},
    "ja": {"captions": "キャプションとクレジット", "file": "ファイル", "caption": "キャプション", "credit": "写真",
           "licence": "ライセンス", "no_licence": "指定なし", "rights": "使用期限", "alt": "代替テキスト",
           "on": "{day}", "quotes": "発言", "contacts": "報道関係のお問い合わせ", "source": "出典",
           "open": "「", "close": "」", "sep": "："},
}


def kit_labels(article) -> dict:
    return KIT_LABELS.get(article.language, KIT_LABELS["fr"])


def captions_text(article, placements) -> str:
    """LEGENDES.txt: for each photo of the kit, its file name, caption, credit and licence."""
    t = kit_labels(article)
    sep = t["sep"]
    lines = [f"{t['captions']} — {article.title}", ""]
    for index, placement in enumerate(placements, start=1):
        photo = placement.photo
        lines += [
            f"{t['file']}{sep}{press_kit_member_name(index, photo)}",
            f"{t['caption']}{sep}{placement.shown_caption or '—'}",
            f"{t['credit']}{sep}{photo.credit.credit_line()}",
            f"{t['licence']}{sep}{photo.licence or t['no_licence']}",
        ]
        if photo.rights_expire_on:
            lines.append(f"{t['rights']}{sep}{day_label(photo.rights_expire_on, article.language)}")
        lines += [f"{t['alt']}{sep}{placement.shown_alt_text}", ""]
    return "\n".join(lines)


def release_text(article, url: str) -> str:
    """COMMUNIQUE.txt: the release as plain text, with its quotes, contacts and address."""
    # publish_at is empty only for a release shown before it is scheduled (a preview).
    t = kit_labels(article)
    date = t["on"].format(day=day_label(article.publish_at, article.language)) if article.publish_at else ""
    dateline = ", ".join(filter(None, [article.location, date]))
    parts = [article.title, "=" * min(len(article.title), 78), "", dateline, ""]
    if article.standfirst:
        parts += [article.standfirst, ""]
    parts += [html_to_text(article.body), ""]
    quotes = list(article.quotes.all())
    if quotes:
        parts += [t["quotes"], "-" * 9, ""]
        for quote in quotes:
            who = quote.speaker.name + (f", {quote.speaker.role}" if quote.speaker.role else "")
            parts += [f"{t['open']}{quote.text}{t['close']}", f"— {who}", ""]
    contacts = list(article.press_contacts.all())
    if contacts:
        parts += [t["contacts"], "-" * 15, ""]
        for contact in contacts:
            role, _language = contact.role_in(article.language)
            parts.append(" — ".join(filter(None, [contact.name, role, contact.email, contact.phone])))
        parts.append("")
    parts.append(f"{t['source']}{t['sep']}{url}")
    return "\n".join(parts)


logger = logging.getLogger(__name__)

FOLDER = "dossiers-de-presse"


def canonical_url(article) -> str:
    """The release's address as the kit names it: the site's own (SITE_URL), never the Host
    header a request came with, so that every kit of one version is the same file."""
    return settings.SITE_URL + article.get_absolute_url()


class PressKit(versioned.StoredVersion):
    """What one release's kit holds now: its photos, in order, and its two text files."""

    ROOT, EXTENSION, NAME = FOLDER, "zip", "Press kit"

    def __init__(self, article, url: str | None = None):
        self.article = article
        self.placements = list(article.article_photos.all())
        # The release's own language whatever the browser asks (KIT_LABELS, paris_time.day_label).
        with translation.override(article.language):
            self.captions = captions_text(article, self.placements)
            self.release = release_text(article, url or canonical_url(article))

    @property
    def fingerprint(self) -> str:
        """A hash of everything the ZIP holds: a photo's stored file changes name whenever its
        bytes change (a new upload, a credit written anew), and the texts are hashed whole."""
        digest = hashlib.sha256()
        for placement in self.placements:
            digest.update(placement.photo.image.name.encode() + b"\0")
        digest.update(self.captions.encode() + b"\0" + self.release.encode())
        return digest.hexdigest()[:40]

    def stream(self) -> ZipStream:
        """A ZIP built as it is sent: files are read from storage chunk by chunk, never held whole."""
        zs = ZipStream(compress_type=ZIP_STORED, sized=False)  # photos are already compressed
        for index, placement in enumerate(self.placements, start=1):
            zs.add(_chunks(placement.photo.image), press_kit_member_name(index, placement.photo))
        zs.add(self.captions.encode(), "LEGENDES.txt", compress_type=ZIP_DEFLATED)
        zs.add(self.release.encode(), "COMMUNIQUE.txt", compress_type=ZIP_DEFLATED)
        return zs

    def file(self) -> File:
        """The whole ZIP, spooled to a temporary file (a large kit never sits in memory)."""
        spool = tempfile.TemporaryFile()
        for chunk in self.stream():
            spool.write(chunk)
        spool.seek(0)
        return File(spool, name=f"kit.{self.EXTENSION}")

    def build(self) -> bool:
        """Write this version's ZIP to storage (if not there yet) and delete the release's older kits;
        True when this call's ZIP is the one kept (storage/versioned.py)."""
        return self.store()[1]


def discard_press_kits(article_id: int, *, keep: set | None = None) -> int:
    """Delete the release's stored kits (ZIPs and markers) but those in `keep`; how many files."""
    return versioned.discard(FOLDER, article_id, keep=keep)


def press_kit_stream(article, url: str | None = None) -> ZipStream:
    """The kit of `article`, streamed as it is read (for a preview or an embargo link)."""
    return PressKit(article, url).stream()


def _chunks(fieldfile):
    # Streamed from the local disk or the bucket alike, never opened by a local path.
    return iter_chunks(fieldfile.storage, fieldfile.name)
