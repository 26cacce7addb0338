"""A release file read and checked, front matter to quotes, without writing anything."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File

from ..models import MAX_QUOTES_PER_ARTICLE, Article, Credit, Photo, PressContact
from ..photos.validation import size_pair
from ..sanitize import sanitize_html
from .body import Body, credit_in
from .frontmatter import apply_front_matter, field_line, field_text, load_front_matter
from .japanese import attribute_japanese_quotes
from .quotes import attribute_quotes
from .release import ParsedRelease, ReleaseError
from .structure import drop_labels, guess_language, known_credit_name, read_around_text

MARKDOWN_SUFFIXES = {".md", ".markdown"}
# A release is a few pages (the sample is 2 kB, a long one 50 kB). Past this, a file is not a
# release: a 22 MB one ran for more than 300 s. The attribution is now linear, but a hostile
# file of this size (a name and a speech verb every 20 characters, or 10,000 one-line Markdown
# paragraphs) still takes about 10 s to read: the bound keeps that the worst case.
MAX_RELEASE_BYTES = 200 * 1024
# Lists in lists, quotes in quotes: Python-Markdown recurses once per level (500 levels in a
# 1 kB line was a RecursionError), and a release needs two or three.
MAX_MARKDOWN_DEPTH = 10
# Each photo is decoded and turned into renditions (seconds for a 24-megapixel one).
MAX_PHOTOS = 30


def parse_release(path: Path) -> ParsedRelease:
    """Read and check a release file without writing anything."""
    try:
        size = path.stat().st_size
        if size > MAX_RELEASE_BYTES:
            shown, limit = size_pair(size, MAX_RELEASE_BYTES)
            raise ReleaseError(1, f"le fichier pèse {shown} ; la limite est de {limit} : un communiqué tient en quelques pages")
        raw = path.read_bytes()
    except OSError as exc:
        raise ReleaseError(1, f"impossible de lire {path} ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReleaseError(raw[: exc.start].count(b"\n") + 1, "le fichier n'est pas en UTF-8") from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "\x00" in text:
        # PostgreSQL cannot store a NUL character in text: refused here, with its line, not at the write.
        line = next(i for i, line in enumerate(lines, start=1) if "\x00" in line)
        raise ReleaseError(line, "caractère nul (octet 0x00) dans le fichier : enregistrez-le de nouveau en texte UTF-8")
    markdown_text = path.suffix.lower() in MARKDOWN_SUFFIXES
    if markdown_text:
        check_markdown(lines)

    data, field_lines, body_from = {}, {}, 0
    if lines and lines[0].strip() == "---":
        closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if closing is None:
            raise ReleaseError(1, "l'en-tête ouvert par « --- » n'est jamais refermé par une ligne « --- »")
        data, field_lines = load_front_matter("\n".join(lines[1:closing]), first_line=2)
        body_from = closing + 1
    body_lines = [(i + 1, lines[i]) for i in range(body_from, len(lines))]
    label_warnings: list[str] = []
    body_lines = drop_labels(body_lines, label_warnings)

    title = field_text(data.get("title"), line=field_line(field_lines, "title"), name="title")
    if not title:
        # No title field: the first non-empty line is the title, and not part of the body.
        first = next((k for k, (_n, line) in enumerate(body_lines) if line.strip()), None)
        if first is None:
            raise ReleaseError(body_lines[0][0] if body_lines else 1, "le communiqué n'a ni titre ni texte")
        title = body_lines[first][1].strip()
        drop = 1
        if markdown_text:
            title = title.strip("#").strip()
            if first + 1 < len(body_lines) and re.fullmatch(r"\s*(=+|-+)\s*", body_lines[first + 1][1]):
                drop = 2  # a setext heading's underline
        body_lines = body_lines[:first] + body_lines[first + drop :]
    release = ParsedRelease(title=title, warnings=label_warnings)
    apply_front_matter(release, data, field_lines, path.parent)
    wrapped = markdown_text and any(not line.strip() for _n, line in body_lines[1:-1])
    body_lines = read_around_text(release, body_lines, has_standfirst=bool(release.standfirst), wrapped=wrapped)
    if "language" not in data:
        guessed = guess_language("\n".join(line for _n, line in body_lines))
        if guessed != release.language:
            release.language = guessed
            release.warnings.append(f"langue devinée : « {guessed} » (ajoutez « language: » en en-tête pour la fixer)")

    kept = []
    for number, line in body_lines:
        credit, rest = credit_in(line, markdown_text)
        if credit:
            release.credit_lines.append((credit, number))
            if not rest.strip():
                continue
        kept.append((number, rest))
    _match_known_credits(release)
    body = Body(kept, markdown_text)
    release.body_html = sanitize_html(body.html())
    if "standfirst" in release.lines and "standfirst" not in data:
        # A chapô read from the text still introduces people ("X, présidente de…, a inauguré"):
        # the attribution reads it before the body.
        number = release.lines["standfirst"]
        body = Body([(number, release.standfirst), (number, ""), *kept], markdown_text)
    if release.language == "ja":  # 「…」と知事は述べた: read by its own rules (japanese.py)
        release.quotes, release.speakers, quote_warnings = attribute_japanese_quotes(body, release.speakers)
    else:
        release.quotes, release.speakers, quote_warnings = attribute_quotes(body, release.speakers)
    release.warnings += quote_warnings
    check_release(release)
    return release


def _match_known_credits(release: ParsedRelease) -> None:
    """Credits spelled as an existing one in other words take its name; a credit line with no
    photo to credit is said, since the credit would otherwise wait unnoticed."""
    names = [*(name for name, _n in release.credit_lines), *(p.credit for p in release.photos if p.credit)]
    if not names:
        return
    existing = list(Credit.objects.values_list("name", flat=True)[:5000])
    renamed = {}
    for name in names:
        known = known_credit_name(name, existing)
        if known:
            renamed[name] = known
    for old, new in renamed.items():
        release.warnings.append(f"crédit « {old} » reconnu comme le crédit existant « {new} »")
    release.credit_lines = [(renamed.get(name, name), n) for name, n in release.credit_lines]
    for photo in release.photos:
        photo.credit = renamed.get(photo.credit, photo.credit)
    if release.credit_lines and not release.photos and not release.translation_of:
        # A translation shows its original's photos: the service matches its credit lines to theirs.
        for name, number in release.credit_lines:
            release.warnings.append(
                f"ligne {number} : crédit photo « {name} » sans photo dans le communiqué : retiré du texte "
                "et gardé sur le communiqué comme crédit en attente, proposé pour la prochaine photo ajoutée"
            )


# A nesting level at the start of a line: "> ", "- ", "* ", "+ ", "1. ", or four spaces (a tab).
_NESTING = re.compile(r"(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+| {4}|\t)")


# Python-Markdown's inline parsing is quadratic in the markup of one paragraph: 4,000 "[" took
# 16 s (the 50,000 of a 200 kB file, most of an hour), 100,000 "*" 6 s. A paragraph has a few
# links and a few words in bold or italics.
MAX_BRACKETS_PER_PARAGRAPH = 200
MAX_EMPHASIS_PER_PARAGRAPH = 1000  # "*" and "_" together: e-mail addresses and URLs have some


def check_markdown(lines: list[str]) -> None:
    """Refuse Markdown that Python-Markdown would take minutes, or its whole stack, to read."""
    brackets, emphasis, paragraph_start = 0, 0, 1
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            brackets, emphasis, paragraph_start = 0, 0, number + 1
            continue
        brackets += line.count("[")
        emphasis += line.count("*") + line.count("_")
        if brackets > MAX_BRACKETS_PER_PARAGRAPH:
            raise ReleaseError(
                paragraph_start,
                f"plus de {MAX_BRACKETS_PER_PARAGRAPH} crochets « [ » dans un même paragraphe : "
                "un paragraphe ne compte que quelques liens",
            )
        if emphasis > MAX_EMPHASIS_PER_PARAGRAPH:
            raise ReleaseError(
                paragraph_start,
                f"plus de {MAX_EMPHASIS_PER_PARAGRAPH} signes « * » ou « _ » dans un même paragraphe : "
                "simplifiez la mise en forme",
            )
        depth, pos = 0, 0
        while (match := _NESTING.match(line, pos)) and match.end() > pos:
            depth, pos = depth + 1, match.end()
            if depth > MAX_MARKDOWN_DEPTH:
                raise ReleaseError(
                    number,
                    f"plus de {MAX_MARKDOWN_DEPTH} niveaux de listes ou de citations imbriquées : "
                    "simplifiez la mise en forme",
                )


def check_release(release: ParsedRelease) -> None:
    """Everything the database would refuse, found before anything is written."""
    attributed = [quote for quote in release.quotes if quote.speaker is not None]
    if len(attributed) > MAX_QUOTES_PER_ARTICLE:
        raise ReleaseError(
            attributed[MAX_QUOTES_PER_ARTICLE].line,
            f"ce communiqué aurait {len(attributed)} citations : {MAX_QUOTES_PER_ARTICLE} au plus. "
            "Gardez les plus importantes (les autres peuvent rester dans le texte, sans guillemets).",
        )
    if len(release.photos) > MAX_PHOTOS:
        raise ReleaseError(
            release.photos[MAX_PHOTOS].line, f"{len(release.photos)} photos : un communiqué en importe {MAX_PHOTOS} au plus"
        )
    article = Article(
        title=release.title, standfirst=release.standfirst, location=release.location,
        language=release.language, status=release.status, publish_at=release.publish_at,
    )
    try:
        article.full_clean(exclude=["slug", "body"], validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        line = release.lines.get({"publish_at": "date"}.get(name, name), 1)
        raise ReleaseError(line, f"{name} : {' '.join(messages)}") from exc
    fallback_credit = release.credit_lines[0][0] if release.credit_lines else None
    for photo in release.photos:
        if not photo.path.is_file():
            raise ReleaseError(photo.line, f"fichier photo introuvable : {photo.path}")
        photo.credit = photo.credit or fallback_credit
        if not photo.credit:
            raise ReleaseError(
                photo.line,
                f"la photo {photo.path.name} n'a pas de crédit : ajoutez « credit: » ou une ligne « Crédit photo : … » au texte",
            )
        with photo.path.open("rb") as fh:
            candidate = Photo(image=File(fh, name=photo.path.name), caption=photo.caption, alt_text=photo.alt_text)
            try:
                candidate.full_clean(exclude=["credit"])
            except ValidationError as exc:
                messages = " ".join(m for ms in exc.message_dict.values() for m in ms)
                raise ReleaseError(photo.line, f"photo {photo.path.name} refusée : {messages}") from exc
    for contact in release.contacts:
        try:
            PressContact(name=contact.name, role=contact.role, email=contact.email, phone=contact.phone).full_clean()
        except ValidationError as exc:
            messages = " ".join(m for ms in exc.message_dict.values() for m in ms)
            raise ReleaseError(contact.line, f"contact « {contact.name} » : {messages}") from exc
