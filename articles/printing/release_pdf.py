"""The PDF of a release: its text, lead photo with caption and credit, quotes with their speakers,
press contacts, dateline and canonical address, on A4, in the release's language.

Drawn with ReportLab (pure Python, no system library; its built-in CID fonts render Japanese
without shipping a font file). Built ahead by a job (`tasks.refresh_release_pdf`, queued when
a release goes live or is updated) and kept in storage under a hash of what it shows, like the
press kit (photos/press_kit.py): the download serves the stored file of this very version, or
builds it once and keeps it. The photo drawn is the 960 px JPEG rendition, embedded as it is
stored: no image is decoded or resized here, never the master.

Every text comes from a field a writer or an importer filled: each is escaped before ReportLab's
paragraph markup reads it, and the body is read from its sanitised HTML (articles/sanitize.py)
keeping only paragraphs, headings, list items, bold, italics and links.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import unicodedata
from html import escape
from html.parser import HTMLParser

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from ..discovery.metadata import published_at
from ..paris_time import day_label
from ..photos.files import FALLBACK_SPEC
from ..photos.press_kit import canonical_url, kit_labels
from ..storage import versioned
from ..storage.failures import STORAGE_UNAVAILABLE
from .quotes import quotes_in_body

logger = logging.getLogger(__name__)

FOLDER = "communiques-pdf"
# Raised whenever the layout changes, so that every stored PDF is drawn again on its next request.
LAYOUT = 1

LATIN_FONT, LATIN_BOLD, LATIN_ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
JAPANESE_FONT = "HeiseiKakuGo-W5"  # ReportLab's built-in CID font (Adobe-Japan1): no file to ship
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


# --- What the PDF shows, as plain data (hashed to name the stored file) --------------------------


class _BodyReader(HTMLParser):
    """The sanitised body as blocks of ReportLab paragraph markup: [("p" | "h" | "li", markup)]."""

    BLOCKS = {"p": "p", "div": "p", "blockquote": "p", "li": "li", "h1": "h", "h2": "h", "h3": "h", "h4": "h",
              "h5": "h", "h6": "h", "figcaption": "p", "pre": "p"}
    INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u", "sub": "sub", "sup": "super"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.kind, self.parts, self.open = "p", [], []

    def _flush(self):
        markup = "".join(self.parts) + "".join(f"</{tag}>" for tag in reversed(self.open))
        if re.sub(r"<[^>]+>", "", markup).strip():
            self.blocks.append((self.kind, markup.strip()))
        self.parts, self.open = [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()
            self.kind = self.BLOCKS[tag]
        elif tag == "br":
            self.parts.append("<br/>")
        elif tag in self.INLINE:
            self.parts.append(f"<{self.INLINE[tag]}>")
            self.open.append(self.INLINE[tag])
        elif tag == "a":
            href = _absolute(dict(attrs).get("href") or "")
            if href:
                self.parts.append(f'<a href="{escape(href)}" color="#0b4f8a">')
                self.open.append("a")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()
            self.kind = "p"
        elif (self.INLINE.get(tag) or ("a" if tag == "a" else None)) in self.open:
            name = self.INLINE.get(tag, "a")
            # Close what was opened inside it too: markup ReportLab reads must nest.
            while self.open:
                last = self.open.pop()
                self.parts.append(f"</{last}>")
                if last == name:
                    break

    def handle_data(self, data):
        self.parts.append(escape(data, quote=False))

    def close(self):
        super().close()
        self._flush()


def _absolute(href: str) -> str:
    """A link a reader of the paper can follow: the site's own paths made absolute; others kept
    when they are web or mail addresses (nothing else reaches a PDF reader)."""
    href = href.strip()
    if href.startswith("/") and not href.startswith("//"):
        return settings.SITE_URL + href
    return href if re.match(r"(?i)(https?:|mailto:)", href) else ""


def body_blocks(body_html: str) -> list[tuple[str, str]]:
    reader = _BodyReader()
    reader.feed(body_html or "")
    reader.close()
    return reader.blocks


def _text(value) -> str:
    return escape(str(value or ""), quote=False)


def content_of(article) -> dict:
    """Everything the PDF shows, escaped for ReportLab, from the article's prefetched relations
    (Article.objects.with_page()): no query of its own."""
    t = kit_labels(article)
    with translation.override(article.language):
        first = published_at(article)
        date = t["on"].format(day=day_label(first, article.language)) if first else ""
    placements = list(article.article_photos.all())
    photo = None
    if placements:
        lead = placements[0].photo
        rendition = lead.rendition(FALLBACK_SPEC)  # a JPEG ReportLab embeds as stored
        photo = {
            "file": rendition.file.name if rendition else "",
            "width": rendition.width if rendition else 0,
            "height": rendition.height if rendition else 0,
            "caption": _text(lead.caption),
            "credit": _text(f"{t['credit']}{t['sep']}{lead.credit.credit_line()}"),
        }
    in_body = quotes_in_body(article)
    quotes = []
    for quote in article.quotes.all():
        who = quote.speaker.name + (f", {quote.speaker.role}" if quote.speaker.role else "")
        # Already in the text above: who said it, not the words a second time (printing/quotes.py).
        text = "" if quote.pk in in_body else f"{t['open']}{quote.text}{t['close']}"
        quotes.append({"text": _text(text), "who": _text(f"— {who}")})
    contacts = [
        [_text(" — ".join(filter(None, [c.name, c.role_in(article.language)[0]]))), _text(c.email), _text(c.phone)]
        for c in article.press_contacts.all()  # each role in the release's language (issue #14)
    ]
    return {
        "layout": LAYOUT,
        "language": article.language,
        "site": _text(settings.SITE_NAME),
        "title": _text(article.title),
        "dateline": _text(", ".join(filter(None, [article.location, date]))),
        "standfirst": _text(article.standfirst),
        "body": body_blocks(article.body),
        "photo": photo,
        "quotes_label": _text(t["quotes"]),
        "quotes": quotes,
        "contacts_label": _text(t["contacts"]),
        "contacts": contacts,
        "source": _text(f"{t['source']}{t['sep']}"),
        "url": canonical_url(article),
        "title_plain": article.title,
    }


# --- Drawing -----------------------------------------------------------------------------------


def _fonts_ready() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if JAPANESE_FONT not in pdfmetrics.getRegisteredFontNames():
        from reportlab.lib.fonts import addMapping

        pdfmetrics.registerFont(UnicodeCIDFont(JAPANESE_FONT))
        # One face for <b> and <i> too: the built-in CID font has no bold or italic of its own.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(JAPANESE_FONT, bold, italic, JAPANESE_FONT)


def _styles(japanese: bool) -> dict:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    regular = JAPANESE_FONT if japanese else LATIN_FONT
    bold = JAPANESE_FONT if japanese else LATIN_BOLD
    italic = JAPANESE_FONT if japanese else LATIN_ITALIC
    wrap = "CJK" if japanese else None
    black = colors.black  # paper gets black text, never the screen's greys
    base = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14.5, spaceAfter=6, textColor=black,
                          wordWrap=wrap)
    return {
        "site": ParagraphStyle("site", parent=base, fontSize=8.5, leading=11, spaceAfter=10),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=19, leading=23, spaceAfter=8,
                                keepWithNext=True),
        "dateline": ParagraphStyle("dateline", parent=base, spaceAfter=8, keepWithNext=True),
        "standfirst": ParagraphStyle("standfirst", parent=base, fontName=bold, fontSize=11.5, leading=15.5,
                                     spaceAfter=10),
        "p": base,
        "li": ParagraphStyle("li", parent=base, leftIndent=12, bulletIndent=2),
        "h": ParagraphStyle("h", parent=base, fontName=bold, fontSize=13, leading=17, spaceBefore=8, keepWithNext=True),
        "section": ParagraphStyle("section", parent=base, fontName=bold, fontSize=13, leading=17, spaceBefore=10,
                                  keepWithNext=True),
        "caption": ParagraphStyle("caption", parent=base, fontSize=9, leading=12, spaceAfter=2),
        "credit": ParagraphStyle("credit", parent=base, fontName=italic, fontSize=8.5, leading=11, spaceAfter=10),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=10, spaceAfter=2, keepWithNext=True),
        "who": ParagraphStyle("who", parent=base, leftIndent=10, fontName=bold, spaceAfter=8),
        "url": ParagraphStyle("url", parent=base, fontSize=9, leading=12, spaceBefore=10),
    }


# Letters the Latin font has no glyph for and no decomposition spells: their closest ASCII letter.
_NO_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H",
                                   "‐": "-", "‑": "-", "‒": "-", "−": "-"})


def _drawable(markup: str) -> str:
    """`markup` with each character Helvetica cannot draw (it covers Windows-1252: French, English and
    most Western names) spelt with the letter it is built on: "Gdańsk" → "Gdansk", "Łódź" → "Lódz",
    rather than a black box. Characters it can draw, the quotes and the œ included, are kept."""
    def fold(char: str) -> str:
        try:
            char.encode("cp1252")
            return char
        except UnicodeEncodeError:
            pass
        folded = unicodedata.normalize("NFKD", char.translate(_NO_DECOMPOSITION))
        kept = "".join(c for c in folded if not unicodedata.combining(c))
        try:
            kept.encode("cp1252")
            return kept
        except UnicodeEncodeError:
            return char  # ReportLab tries its Symbol font, or draws a box: nothing better to offer

    return "".join(fold(c) if ord(c) > 0x7F else c for c in markup)


def _para(markup: str, style, japanese_style=None):
    """A paragraph, in the Japanese font when its text has Japanese characters, else the Latin one."""
    from reportlab.platypus import Paragraph

    if japanese_style is not None and _CJK.search(markup):
        style = japanese_style
    else:
        markup = _drawable(markup)
    try:
        return Paragraph(markup, style)
    except ValueError:  # markup ReportLab cannot read after all: its text, escaped, loses only its styling
        plain = escape(re.sub(r"<[^>]+>", "", markup).replace("&amp;", "&").replace("&lt;", "<")
                       .replace("&gt;", ">"), quote=False)
        return Paragraph(plain, style)


def _photo_flowable(photo: dict, frame_width: float, folder: str):
    """The lead photo at most the frame's width and 9 cm high, from its stored JPEG rendition.

    Copied to a local ".jpg" file: ReportLab then reads only the JPEG's header for its size and
    embeds its bytes as they are (DCTDecode), without Pillow; from a file object it would open
    it with Pillow. The rendition lives in storage (the disk or a bucket), hence the copy.
    """
    from reportlab.platypus import Image

    if not photo or not photo["file"] or not photo["width"]:
        return None
    path = os.path.join(folder, "photo.jpg")
    try:
        with default_storage.open(photo["file"], "rb") as fh, open(path, "wb") as out:
            shutil.copyfileobj(fh, out)
    except STORAGE_UNAVAILABLE:
        logger.warning("Release PDF: rendition %s unreadable, drawn without it", photo["file"], exc_info=True)
        return None
    width = frame_width
    height = width * photo["height"] / photo["width"]
    limit = 255.0  # 9 cm: a one-page release stays on one page
    if height > limit:
        width, height = width * limit / height, limit
    image = Image(path, width=width, height=height)
    image.hAlign = "LEFT"
    return image


def render(content: dict) -> bytes:
    """The PDF bytes of `content` (content_of)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    _fonts_ready()
    # Each paragraph in the Latin font unless it holds Japanese characters: a Japanese release's
    # French caption or address keeps its accents and spacing, a French release's Japanese name renders.
    styles, fallback = _styles(False), _styles(True)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=18 * mm,
        title=content["title_plain"], author=settings.SITE_NAME, subject=content["url"], lang=content["language"],
        creator=settings.SITE_NAME,
    )
    with tempfile.TemporaryDirectory(prefix="pressroom-pdf-") as folder:
        _draw(doc, content, styles, fallback, folder)
    return buffer.getvalue()


def _draw(doc, content, styles, fallback, folder) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    story = [
        _para(content["site"], styles["site"], fallback["site"]),
        _para(content["title"], styles["title"], fallback["title"]),
    ]
    if content["dateline"]:
        story.append(_para(content["dateline"], styles["dateline"], fallback["dateline"]))
    if content["standfirst"]:
        story.append(_para(content["standfirst"], styles["standfirst"], fallback["standfirst"]))
    image = _photo_flowable(content["photo"], doc.width, folder)
    if image is not None:
        figure = [image, Spacer(1, 3)]
        if content["photo"]["caption"]:
            figure.append(_para(content["photo"]["caption"], styles["caption"], fallback["caption"]))
        figure.append(_para(content["photo"]["credit"], styles["credit"], fallback["credit"]))
        story.append(KeepTogether(figure))
    for kind, markup in content["body"]:
        if kind == "li":
            story.append(_para(f"<bullet>•</bullet>{markup}", styles["li"], fallback["li"]))
        else:
            story.append(_para(markup, styles[kind], fallback[kind]))
    if content["quotes"]:
        story.append(_para(content["quotes_label"], styles["section"], fallback["section"]))
        for quote in content["quotes"]:
            parts = [_para(quote["text"], styles["quote"], fallback["quote"])] if quote["text"] else []
            parts.append(_para(quote["who"], styles["who"], fallback["who"]))
            story.append(KeepTogether(parts))
    if content["contacts"]:
        contacts = [_para(content["contacts_label"], styles["section"], fallback["section"])]
        for name, email, phone in content["contacts"]:
            contacts.append(_para("<br/>".join(filter(None, [f"<b>{name}</b>" if name else "", email, phone])),
                                  styles["p"], fallback["p"]))
        story.append(KeepTogether(contacts))
    url = escape(content["url"])
    story.append(_para(f'{content["source"]}<a href="{url}" color="#0b4f8a">{url}</a>', styles["url"],
                       fallback["url"]))

    def footer(canvas, document):
        # Every page says where it comes from: a page torn from the rest still names its source.
        canvas.saveState()
        canvas.setFont(JAPANESE_FONT if _CJK.search(content["url"]) else LATIN_FONT, 8)
        canvas.drawString(document.leftMargin, 10 * mm, content["url"])
        canvas.drawRightString(A4[0] - document.rightMargin, 10 * mm, str(document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)


# --- Stored once per version -------------------------------------------------------------------


class ReleasePdf(versioned.StoredVersion):
    """The PDF one public release shows now, and its file in storage."""

    ROOT, EXTENSION, NAME = FOLDER, "pdf", "Release PDF"

    def __init__(self, article):
        self.article = article
        self.content = content_of(article)

    @property
    def fingerprint(self) -> str:
        """A hash of everything the PDF shows: a new title, photo rendition or contact is a new version."""
        data = json.dumps(self.content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(data).hexdigest()[:40]

    @property
    def filename(self) -> str:
        return f"communique-{self.article.slug}.pdf"

    def file(self) -> ContentFile:
        return ContentFile(render(self.content))

    def build(self) -> str:
        """Draw this version's PDF into storage unless it is there, delete the release's older ones;
        the stored name (storage/versioned.py)."""
        name, _built = self.store()
        if name is None:  # lost a race to a file gone since: as when storage fails, the caller draws it
            raise OSError(f"release PDF {self.done_marker}: stored file vanished")
        return name


def discard_release_pdfs(article_id: int, *, keep: set | None = None) -> int:
    """Delete the release's stored PDFs but those in `keep`; how many files."""
    return versioned.discard(FOLDER, article_id, keep=keep)
