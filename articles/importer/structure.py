"""The parts of a release that press offices write around the text: the "COMMUNIQUÉ DE
PRESSE" label, the dateline ("Toulouse, le 12 novembre 2026"), the chapô and the
press-contact block. Each is recognised into its field and out of the body, with a warning
that says what was read, so an editor can check a guess."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from .release import ContactSpec, ParsedRelease

PARIS = ZoneInfo("Europe/Paris")
Lines = list[tuple[int, str]]

_LABEL = re.compile(
    r"^\W*(?:communiqu[ée]s?(?:\s+de\s+presse)?|dossier\s+de\s+presse|information\s+presse|invitation\s+presse|"
    r"pour\s+diffusion\s+imm[ée]diate|press\s+release|news\s+release|news\s+story|for\s+immediate\s+release|"
    r"(?:from|de)\s*:.*)\W*$",
    re.IGNORECASE,
)
MONTHS = {
    **{m: i for i, m in enumerate(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(), start=1)},
    **{m: i for i, m in enumerate(
        "january february march april may june july august september october november december".split(), start=1)},
}
_DATE = rf"(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<year>\d{{4}})"
# "Toulouse, le 12 novembre 2026", "Paris, 19 janvier 2026", "Leeds, 9 September 2026", "Published 12 March 2026".
_DATELINE = re.compile(
    rf"^\s*(?:(?P<place>[A-ZÀ-Ý][^\d,:;«»\"“”]{{0,60}}?)\s*,\s*(?:le\s+)?|(?:published|publié\s+le|le)\s+)"
    rf"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?{_DATE}\s*\.?\s*$",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"^\W*(?:contacts?\s+(?:presse|m[ée]dias?)|relations?\s+presse|press\s+(?:contacts?|office|enquiries)|"
    r"media\s+(?:contacts?|enquiries))\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+\d{2}\s?\(?0?\)?\s?|0)\d(?:[\s.-]?\d{2,4}){3,5}")
# A chapô is a few lines at most; a longer first paragraph is the text itself.
MAX_STANDFIRST_CHARS = 400


def drop_labels(lines: Lines, warnings: list[str]) -> Lines:
    """Remove "COMMUNIQUÉ DE PRESSE", "Press release", "From: …" among the first lines."""
    kept, seen = [], 0
    for number, line in lines:
        if line.strip() and seen < 4:
            seen += 1
            if _LABEL.match(line.strip()):
                warnings.append(f"ligne {number} : « {line.strip()[:60]} » est une mention d'en-tête, pas le titre : ignorée")
                continue
        kept.append((number, line))
    return kept


def read_around_text(release: ParsedRelease, lines: Lines, *, has_standfirst: bool, wrapped: bool) -> Lines:
    """Dateline, press contacts and chapô into their fields; the body lines left. `wrapped`:
    Markdown whose paragraphs are separated by blank lines (a line is then not a paragraph)."""
    lines, after_dateline = _dateline(release, lines)
    lines = _contacts(release, lines)
    if not has_standfirst and after_dateline is not None:
        # Only in the classic layout (title, dateline, chapô): elsewhere the first paragraph
        # is the text itself, and often introduces who speaks.
        lines = _standfirst(release, lines, wrapped, after_dateline)
    return lines


def _dateline(release: ParsedRelease, lines: Lines) -> tuple[Lines, int | None]:
    for k, (number, line) in enumerate(lines[:6]):
        match = _DATELINE.match(line)
        if not match:
            continue
        try:
            day = datetime(int(match["year"]), MONTHS[match["month"].lower()], int(match["day"]), tzinfo=PARIS)
        except ValueError:
            release.warnings.append(f"ligne {number} : date impossible dans « {line.strip()} », laissée dans le texte")
            return lines, None
        read = []
        if match["place"] and not release.location:
            release.location = match["place"].strip()[:120]
            read.append(f"lieu « {release.location} »")
        if release.publish_at is None:
            release.publish_at = day
            read.append(f"date du {day:%d/%m/%Y}")
        release.warnings.append(f"ligne {number} : ligne de date « {line.strip()} » lue ({', '.join(read) or 'déjà renseignées'}) et retirée du texte")
        return lines[:k] + lines[k + 1 :], k
    return lines, None


def _contacts(release: ParsedRelease, lines: Lines) -> Lines:
    for k, (number, line) in enumerate(lines):
        match = _CONTACT.match(line.strip())
        if not match:
            continue
        block, end = [match["rest"]], k + 1
        while end < len(lines) and lines[end][1].strip() and len(block) < 4 and (
            _EMAIL.search(lines[end][1]) or _PHONE.search(lines[end][1]) or not block[0].strip()
        ):
            block.append(lines[end][1])
            end += 1
        text = " ".join(block)
        email = _EMAIL.search(text)
        phone = _PHONE.search(text)
        if not email and not phone:
            continue
        rest = text
        for found in (email, phone):
            if found:
                rest = rest.replace(found.group(), " ")
        name = " ".join(re.sub(r"[,;:|/–—-]+", " ", rest).split()) or "Service de presse"
        release.contacts.append(ContactSpec(
            name=name[:200], role="Relations presse" if name != "Service de presse" else "",
            email=email.group() if email else "", phone=" ".join(phone.group().split())[:40] if phone else "", line=number,
        ))
        release.warnings.append(f"ligne {number} : bloc « contact presse » lu comme contact ({name}) et retiré du texte")
        return lines[:k] + lines[end:]
    return lines


def _standfirst(release: ParsedRelease, lines: Lines, wrapped: bool, start: int) -> Lines:
    paragraphs = [k for k, (_n, line) in enumerate(lines) if line.strip() and k >= start]
    if len(paragraphs) < 3:
        return lines
    k = paragraphs[0]
    number, line = lines[k]
    text = line.strip()
    if wrapped and k + 1 < len(lines) and lines[k + 1][1].strip():
        return lines  # a paragraph over several lines (Markdown): not a one-line chapô
    bold = re.fullmatch(r"(\*\*|__)([^*_]+)\1", text)
    if bold:
        text = bold.group(2).strip()  # a chapô in bold, as Markdown writers mark it
    elif re.search(r"[*_\[\]<>`#]", text) or text.startswith(("-", "+")):
        return lines  # markup: part of the text as written
    if len(text) > MAX_STANDFIRST_CHARS or re.search(r"[«»“”\"]", text) or not text.endswith((".", "!", "…")):
        return lines
    release.standfirst = text
    release.lines["standfirst"] = number
    release.warnings.append(f"ligne {number} : premier paragraphe pris comme chapô (« {text[:50]}… »)")
    return lines[:k] + lines[k + 1 :]


_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|to|with|will|has|have|is|are|said|this|for)\b", re.IGNORECASE)
_FRENCH_WORDS = re.compile(r"\b(?:le|la|les|et|des|du|une|est|sont|dans|pour|avec|a déclaré)\b", re.IGNORECASE)


def guess_language(text: str) -> str:
    """"en" when English function words clearly outnumber French ones, else "fr"."""
    english, french = len(_ENGLISH_WORDS.findall(text)), len(_FRENCH_WORDS.findall(text))
    return "en" if english > 2 * max(french, 1) else "fr"


def _credit_words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", name.lower()))


def known_credit_name(name: str, existing: list[str]) -> str | None:
    """An existing credit spelled otherwise: "Région Occitanie / Antoine Darnaud" is
    "Antoine Darnaud (Région Occitanie)". Same words, in any order and punctuation."""
    words = _credit_words(name)
    same = [other for other in existing if other.lower() != name.lower() and _credit_words(other) == words]
    return same[0] if len(same) == 1 else None
