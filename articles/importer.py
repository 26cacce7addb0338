"""The release importer: a press office's text file in, one article with its photos,
credits, quotes, speakers, tags and contacts out, in one transaction.

A release is plain text or Markdown (by its extension), with an optional YAML
front matter. Everything is read and checked first (front matter, dates, photos,
credits, quotes); only then is anything written, so a bad file leaves no row and
no stored file behind. Errors name the line of the release they come from.

Quotes are attributed by a small, general heuristic over French press prose:
see `attribute_quotes()`.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

import markdown
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from .models import Article, ArticlePhoto, Credit, Photo, PressContact, Quote, Speaker
from .sanitize import sanitize_html
from .search import refresh_search_document

# The help text of Article.publish_at promises Paris time to editors, whatever the server's zone.
PARIS = ZoneInfo("Europe/Paris")
MARKDOWN_SUFFIXES = {".md", ".markdown"}
KNOWN_FIELDS = {
    "title", "standfirst", "date", "location", "language", "status", "tags",
    "photo", "photos", "speakers", "contacts",
}


class ReleaseError(Exception):
    """A release that cannot be imported; the message starts with the line it concerns."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"ligne {line} : {message}")


# --------------------------------------------------------------------------- parsed release


@dataclass
class PhotoSpec:
    path: Path
    caption: str
    alt_text: str
    credit: str | None
    line: int


@dataclass
class ContactSpec:
    name: str
    role: str
    email: str
    phone: str
    line: int


@dataclass
class QuoteSpec:
    text: str
    speaker: str | None  # a person's name, or None when nobody could be found
    line: int


@dataclass
class ParsedRelease:
    title: str
    standfirst: str = ""
    publish_at: datetime | None = None
    location: str = ""
    language: str = "fr"
    status: str = Article.Status.DRAFT
    tags: list[str] = field(default_factory=list)
    photos: list[PhotoSpec] = field(default_factory=list)
    contacts: list[ContactSpec] = field(default_factory=list)
    credit_lines: list[tuple[str, int]] = field(default_factory=list)
    body_html: str = ""
    quotes: list[QuoteSpec] = field(default_factory=list)
    speakers: dict[str, dict] = field(default_factory=dict)  # name -> {"role", "organisation"}
    warnings: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # front matter field -> line


@dataclass
class ImportResult:
    article: Article
    created: bool
    photos: list[Photo] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    new_credits: list[Credit] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    admin_url: str = ""
    public_url: str = ""


# --------------------------------------------------------------------------- front matter


def _node_lines(node, first_line: int):
    """Line numbers parallel to the YAML data: {key: (line, children)} / [(line, children)]."""
    if isinstance(node, yaml.MappingNode):
        return {
            k.value: (first_line + k.start_mark.line, _node_lines(v, first_line))
            for k, v in node.value
            if isinstance(k, yaml.ScalarNode)
        }
    if isinstance(node, yaml.SequenceNode):
        return [(first_line + item.start_mark.line, _node_lines(item, first_line)) for item in node.value]
    return None


def _load_front_matter(text: str, first_line: int) -> tuple[dict, dict]:
    """YAML to data plus line numbers. `first_line` is the file line of the YAML's first line.

    PyYAML is used directly rather than through python-frontmatter's loader: only
    the composed node tree keeps the line of each field, which the error messages need.
    """
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = first_line + mark.line if mark else first_line
            problem = getattr(exc, "problem", None) or str(exc)
            raise ReleaseError(line, f"en-tête YAML invalide ({problem})") from exc
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise ReleaseError(first_line, "l'en-tête YAML doit être une liste de champs « nom: valeur »")
        data = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node))
            try:
                data[key] = loader.construct_object(value_node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                # PyYAML raises a bare ValueError for an impossible date such as 2019-02-30.
                line = first_line + value_node.start_mark.line
                raw = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
                if key == "date":
                    raise ReleaseError(line, f"date impossible « {raw} » ({exc})") from exc
                raise ReleaseError(line, f"valeur « {raw} » illisible pour « {key} » ({exc})") from exc
        return data, _node_lines(node, first_line)
    finally:
        loader.dispose()


def _line(lines, *path, default: int = 1) -> int:
    """The line of a field, e.g. _line(lines, "photos", 0, "file"); the nearest known parent otherwise."""
    found, node = default, lines
    for step in path:
        try:
            found, node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return found


def _text(value, *, line: int, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ReleaseError(line, f"« {name} » doit être un texte")
    return str(value).strip()


def _parse_date(value, line: int) -> datetime:
    """ISO date or date-time; a time without zone is Paris time, a bare date is midnight in Paris."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        raw = str(value).strip()
        try:
            parsed = parse_datetime(raw)
            if parsed is None:
                day = parse_date(raw)
                parsed = datetime(day.year, day.month, day.day) if day else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ReleaseError(line, f"date illisible « {raw} » : écrivez par exemple 2019-10-30 ou 2019-10-30 10:00")
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=PARIS)
    return parsed


def _apply_front_matter(release: ParsedRelease, data: dict, lines: dict, base: Path) -> None:
    release.lines = {key: _line(lines, key) for key in data}
    for key in data:
        if key not in KNOWN_FIELDS:
            release.warnings.append(f"ligne {_line(lines, key)} : champ « {key} » inconnu, ignoré")
    release.standfirst = _text(data.get("standfirst"), line=_line(lines, "standfirst"), name="standfirst")
    release.location = _text(data.get("location"), line=_line(lines, "location"), name="location")
    if data.get("date") not in (None, ""):
        release.publish_at = _parse_date(data["date"], _line(lines, "date"))
    if "language" in data:
        language = _text(data["language"], line=_line(lines, "language"), name="language").lower()
        codes = [code for code, _name in settings.LANGUAGES]
        if language not in codes:
            raise ReleaseError(_line(lines, "language"), f"langue « {language} » inconnue ; langues possibles : {', '.join(codes)}")
        release.language = language
    if "status" in data:
        status = _text(data["status"], line=_line(lines, "status"), name="status").lower()
        if status not in Article.Status.values:
            raise ReleaseError(
                _line(lines, "status"), f"état « {status} » inconnu ; états possibles : {', '.join(Article.Status.values)}"
            )
        release.status = status
    tags = data.get("tags") or []
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list):
        raise ReleaseError(_line(lines, "tags"), "« tags » doit être une liste")
    release.tags = [str(tag).strip() for tag in tags if str(tag).strip()]

    photo_items = []
    if data.get("photo"):
        photo_items.append((data["photo"], _line(lines, "photo"), ("photo",)))
    photos = data.get("photos") or []
    if not isinstance(photos, list):
        raise ReleaseError(_line(lines, "photos"), "« photos » doit être une liste")
    photo_items += [(item, _line(lines, "photos", i), ("photos", i)) for i, item in enumerate(photos)]
    for item, line, path in photo_items:
        if isinstance(item, str):
            item = {"file": item}
        if not isinstance(item, dict) or not item.get("file"):
            raise ReleaseError(line, "une photo se décrit par « file » (chemin du fichier), « caption », « alt » et « credit »")
        caption = _text(item.get("caption"), line=line, name="caption")
        alt = _text(item.get("alt"), line=line, name="alt")
        if not alt and caption:
            alt = caption
            release.warnings.append(f"ligne {line} : photo sans texte alternatif (« alt ») : la légende en tient lieu")
        release.photos.append(
            PhotoSpec(
                path=(base / str(item["file"])).resolve(),
                caption=caption,
                alt_text=alt,
                credit=_text(item.get("credit"), line=line, name="credit") or None,
                line=_line(lines, *path, "file", default=line),
            )
        )

    for key, target in (("speakers", "speakers"), ("contacts", "contacts")):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise ReleaseError(_line(lines, key), f"« {key} » doit être une liste")
        for i, item in enumerate(items):
            line = _line(lines, key, i)
            if not isinstance(item, dict) or not str(item.get("name") or "").strip():
                raise ReleaseError(line, f"chaque entrée de « {key} » a besoin d'un « name »")
            name = str(item["name"]).strip()
            if target == "speakers":
                release.speakers[name] = {
                    "role": _text(item.get("role"), line=line, name="role"),
                    "organisation": _text(item.get("organisation"), line=line, name="organisation"),
                }
            else:
                release.contacts.append(
                    ContactSpec(
                        name=name,
                        role=_text(item.get("role"), line=line, name="role"),
                        email=_text(item.get("email"), line=line, name="email"),
                        phone=_text(item.get("phone"), line=line, name="phone"),
                        line=line,
                    )
                )


# --------------------------------------------------------------------------- body text

# "(Crédit photo: X)", "Crédit photo : X", "Photo : X", "© X": a whole line, or a parenthesis ending one.
_CREDIT_WORDS = r"(?:cr[ée]dits?\s+photos?|photos?\s+cr[ée]dits?|photos?|cr[ée]dits?|©)"
CREDIT_LINE = re.compile(rf"^\s*\(?\s*(?:{_CREDIT_WORDS}\s*:|©)\s*(?P<name>[^()]+?)\s*\)?\s*\.?\s*$", re.IGNORECASE)
CREDIT_TAIL = re.compile(rf"\s*\(\s*(?:{_CREDIT_WORDS}\s*:|©)\s*(?P<name>[^()]+?)\s*\)\s*\.?\s*$", re.IGNORECASE)


def _credit_in(line: str, markdown_text: bool) -> tuple[str | None, str]:
    """(credit name, the line without it) — or (None, line) when the line carries no credit."""
    probe = line.strip().strip("*_") if markdown_text else line
    match = CREDIT_LINE.match(probe)
    if match:
        return match.group("name").strip(" *_"), ""
    match = CREDIT_TAIL.search(line)
    if match:
        return match.group("name").strip(" *_"), line[: match.start()].rstrip()
    return None, line


class _Body:
    """The body's source text with a map from offsets back to file lines."""

    def __init__(self, lines: list[tuple[int, str]], markdown_text: bool):
        self.text = "\n".join(text for _n, text in lines)
        self.markdown = markdown_text
        self._starts, self._numbers, offset = [], [], 0
        for number, text in lines:
            self._starts.append(offset)
            self._numbers.append(number)
            offset += len(text) + 1
        # Press offices often write Markdown one paragraph per line, with no blank line
        # anywhere (the sample release does): read such a file as it was meant.
        content = self.text.strip("\n")
        self.line_paragraphs = markdown_text and "\n" in content and not re.search(r"\n\s*\n", content)

    def line_at(self, offset: int) -> int:
        return self._numbers[max(bisect.bisect_right(self._starts, offset) - 1, 0)] if self._numbers else 1

    def html(self) -> str:
        if self.markdown:
            source = self.text.replace("\n", "\n\n") if self.line_paragraphs else self.text
            return markdown.markdown(source, output_format="html")
        return "\n".join(f"<p>{html.escape(line.strip(), quote=False)}</p>" for line in self.text.split("\n") if line.strip())

    def flat(self) -> str:
        """Paragraphs one per line, same offsets: in Markdown a single newline is only a wrap."""
        if not self.markdown or self.line_paragraphs:
            return self.text
        return re.sub(r"(?<=[^\n])\n(?=[^\n])", " ", self.text)


# --------------------------------------------------------------------------- quotes

QUOTE_MARKS = {"«": "»", "“": "”"}
# A few words in guillemets without any speech verb are a name or an expression, not a quote.
MIN_UNATTRIBUTED_WORDS = 4


@dataclass
class _Span:
    open: int
    close: int
    explicit: bool = False


def find_quotes(flat: str, body: _Body) -> list[_Span]:
    """Top-level «…» and “…” passages. A quote may run over paragraphs (the closing mark
    comes at its very end, a new paragraph may reopen with «); one never closed is an error."""
    spans, i = [], 0
    opener = re.compile("[«“]")
    while match := opener.search(flat, i):
        start, closing = match.start(), QUOTE_MARKS[match.group()]
        j = start + 1
        while True:
            close_at = flat.find(closing, j)
            reopen_at = flat.find(match.group(), j)
            if close_at == -1 or (reopen_at != -1 and reopen_at < close_at and not _starts_paragraph(flat, reopen_at)):
                raise ReleaseError(
                    body.line_at(start), f"la citation ouverte par {match.group()} n'est jamais fermée par {closing}"
                )
            if reopen_at != -1 and reopen_at < close_at:
                j = reopen_at + 1  # "« …¶« …»": the French way of continuing a quote over paragraphs
                continue
            break
        spans.append(_Span(start, close_at))
        i = close_at + 1
    return spans


def _starts_paragraph(text: str, offset: int) -> bool:
    return text[:offset].rstrip(" \t\u00a0\u202f").endswith("\n")


def quote_text(raw: str, markdown_text: bool) -> str:
    """The quoted words: no guillemets, whitespace normalised, one line per paragraph."""
    paragraphs = []
    for part in re.split(r"\n+", raw):
        if markdown_text:
            part = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", part)
            part = re.sub(r"^\s*>\s?", "", part).replace("**", "").replace("__", "").replace("*", "")
        part = " ".join(part.split()).strip("«»“” \u00a0\u202f")
        if part:
            paragraphs.append(part)
    return "\n".join(paragraphs)


# --------------------------------------------------------------------------- attribution

# Nouns that designate a person by office: « la présidente de la Région », « le gouverneur ».
ROLE_NOUNS = sorted(
    """président présidente vice-président vice-présidente directeur directrice gouverneur gouverneure
    maire ministre secrétaire délégué déléguée conseiller conseillère préfet préfète adjoint adjointe
    porte-parole fondateur fondatrice cofondateur cofondatrice co-fondateur co-fondatrice PDG CEO
    patron patronne responsable chef cheffe sénateur sénatrice député députée ambassadeur ambassadrice
    consul consule recteur rectrice commissaire gérant gérante administrateur administratrice
    coordinateur coordinatrice représentant représentante dirigeant dirigeante élu élue""".split(),
    key=len,
    reverse=True,
)
DESIGNATION = re.compile(
    r"(?<![\w’'-])(?:(?:le|la)\s+|l[’']\s*)?(?:(?:nouvelle|nouveau|nouvel|ancienne|ancien|actuelle|actuel)\s+)?"
    rf"(?P<noun>{'|'.join(map(re.escape, ROLE_NOUNS))})(?![\w-])",
    re.IGNORECASE,
)
SPEECH_PAST = (
    "déclaré conclu ajouté souligné rappelé affirmé indiqué expliqué précisé estimé annoncé insisté commenté "
    "confié résumé poursuivi lancé martelé assuré noté observé relevé répondu témoigné détaillé déploré salué "
    "reconnu confirmé averti prévenu plaidé jugé considéré insisté"
).split()
SPEECH_PRESENT = (
    "déclare conclut ajoute souligne rappelle affirme indique explique précise estime annonce insiste commente "
    "confie résume poursuit lance martèle assure note observe relève répond témoigne détaille déplore salue "
    "reconnaît confirme avertit prévient plaide juge considère"
).split()
_ADVERB = r"(?:[\w’']+ment|encore|alors|aussi|ainsi|même|déjà|bien|enfin|ensuite|d[’']ailleurs)"
SPEECH_VERB = re.compile(
    r"(?<![\w’'-])(?:"
    rf"(?:a|avait|aura|ont)(?:-t-(?P<p1>il|elle))?(?:\s+{_ADVERB})*\s+(?:{'|'.join(SPEECH_PAST)})(?:-(?:t-)?(?P<p2>il|elle))?"
    r"|s[’']est\s+(?:réjoui|félicité|exclamé)e?"
    rf"|(?:{'|'.join(SPEECH_PRESENT)})(?:-t-(?P<p3>il|elle)|-(?P<p4>il|elle))?"
    r"|se\s+(?:réjouit|félicite|exclame)"
    r")(?![\w-])",
    re.IGNORECASE,
)
ACCORDING_TO = re.compile(r"(?<![\w’'-])(?:selon|d[’']après|pour)\s+(?:(?:M\.|MM\.|Mme|Mlle|Monsieur|Madame|Dr|Pr)\s*)?$", re.IGNORECASE)
PRONOUN = re.compile(r"(?<![\w’'-])(?:elle|il)(?![\w’'-])", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_][\w’'-]*")

# Capitalised words that start sentences or precede a name without being part of it.
NOT_NAME = set(
    """le la les un une des ce cet cette ces selon pour afin suite monsieur madame mademoiselle mme mlle
    et mais avec dans en au aux à a elle il nous notre nos leur leurs lors après avant depuis chez par sur
    sous entre vers outre enfin ainsi aussi puis de du d’ l’ c’est""".split()
) | {n.lower() for n in ROLE_NOUNS}
NAME_PARTICLES = {"de", "du", "des", "van", "von", "da", "di", "del", "ben", "el", "le", "la"}
# What may follow an office noun inside a designation ("présidente de la Région Occitanie / …").
_PREPOSITIONS = {"de", "du", "des", "à", "au", "aux", "en", "pour"}
_ARTICLES = {"la", "le", "les"}
_STOP = set(
    """qui que qu dont où et ou mais a ont est sont était sera se sa son ses ne y il elle avec lors
    pendant après avant selon sur dans par chez comme ainsi aussi également ensuite alors puis notamment""".split()
)
_ADJECTIVES = set(
    """adjoint adjointe général générale délégué déléguée exécutif exécutive honoraire sortant sortante
    chargé chargée associé associée technique commercial commerciale financier financière scientifique
    opérationnel opérationnelle marketing""".split()
)
_ADJ_SUFFIXES = ("al", "ale", "aux", "ien", "ienne", "ique", "aire", "el", "elle", "if", "ive")
_ROLE_FILLER = {"de", "du", "des", "la", "le", "les", "à", "au", "aux", "en", "pour", "et", "/"}


def _role_words(role: str) -> list[str]:
    words = re.findall(r"[\w-]+", re.sub(r"\b[dl][’']", " ", role.lower().replace("'", "’")).replace("’", " "))
    return [w for w in words if w not in _ROLE_FILLER]


def role_matches(designation: str, role: str) -> bool:
    """Whether a designation can name the holder of `role`: same office, nothing the role lacks.

    "présidente de Région" matches "présidente de la Région Occitanie / Pyrénées-Méditerranée";
    "président de la société Horiba Médical" does not (another office, another gender).
    """
    d, r = _role_words(designation), _role_words(role)
    return bool(d and r) and d[0] == r[0] and set(d) <= set(r)


@dataclass
class _Mention:
    start: int
    end: int
    kind: str  # "name", "role" or "pronoun"
    text: str


class Attribution:
    """Who says what in one release. Built once over the body with the quotes blanked out,
    so that words inside quotes never count as mentions or sentence ends."""

    def __init__(self, masked: str, spans: list[_Span], known: dict[str, dict], db_people: list[tuple[str, str]]):
        self.text = masked
        self.spans = spans
        self.sentences = self._sentences()
        self.mentions = self._mentions()
        self.people: dict[str, dict] = {}  # name -> {"role": own role or "", "organisation", "fixed": bool}
        for name, info in known.items():
            role = info.get("role", "")
            self.people[name] = {"role": role, "organisation": info.get("organisation", ""), "fixed": bool(role)}
        for name, role in db_people:
            if name not in self.people and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", masked):
                self.people[name] = {"role": role, "organisation": "", "fixed": bool(role)}
        self.apposition: dict[int, str] = {}  # designation start -> name
        self._establish()
        self.designations: dict[int, str | None] = {}
        self._resolve_designations(db_people)

    # -- segmentation

    def _sentences(self) -> list[tuple[int, int]]:
        bounds, start = [], 0
        for match in re.finditer(r"\n|[.!?…]+(?=[\s»”)]|$)", self.text):
            if match.group().startswith(".") and re.search(r"(?<![\w’'-])(?:M|MM|Dr|Pr|Me|St|[A-Z])$", self.text[: match.start()]):
                continue  # "M. Dupont", "J. Dupont": not the end of a sentence
            bounds.append((start, match.end()))
            start = match.end()
        bounds.append((start, len(self.text)))
        return [(s, e) for s, e in bounds if self.text[s:e].strip()]

    def sentence_of(self, offset: int) -> int:
        for i, (start, end) in enumerate(self.sentences):
            if start <= offset < end:
                return i
        return len(self.sentences) - 1

    def _mentions(self) -> list[_Mention]:
        mentions = []
        for match in DESIGNATION.finditer(self.text):
            end = self._designation_end(match.end("noun"))
            noun = match.group("noun")
            role = self.text[match.start("noun") : end]
            if not noun.isupper():
                role = role[0].lower() + role[1:]
            mentions.append(_Mention(match.start(), end, "role", role))
        taken = [(m.start, m.end) for m in mentions]
        for start, end, name in self._name_runs():
            if not any(s <= start < e for s, e in taken):
                mentions.append(_Mention(start, end, "name", name))
        for match in PRONOUN.finditer(self.text):
            mentions.append(_Mention(match.start(), match.end(), "pronoun", match.group().lower()))
        return sorted(mentions, key=lambda m: m.start)

    def _designation_end(self, pos: int) -> int:
        """Where a designation's complement stops: at punctuation, or at a word that is not part of an office."""
        token = re.compile(r"[ \t\u00a0\u202f]*(/|[\w][\w’'-]*)")
        end, prev = pos, "noun"
        while match := token.match(self.text, pos):
            tok, pos = match.group(1), match.end()
            low = tok.lower().replace("'", "’")
            if tok == "/":
                if prev != "cap":
                    break
                prev = "slash"
                continue
            elided = re.match(r"([a-z]+)’(.*)$", low)
            if elided:
                if elided.group(1) not in ("d", "l"):
                    break
                if not elided.group(2):
                    prev = "prep"
                    continue
                end, prev = pos, "cap" if tok[2:3].isupper() else "lower"
                continue
            if low in _PREPOSITIONS:
                prev = "prep"
                continue
            if low in _ARTICLES:
                if prev != "prep":
                    break
                prev = "art"
                continue
            if tok[0].isupper():
                if prev == "noun":
                    break  # "la ministre Agnès Dupin": a name in apposition, not part of the office
                end, prev = pos, "cap"
                continue
            if low in _STOP:
                break
            if prev in ("prep", "art") or (prev in ("noun", "lower") and (low in _ADJECTIVES or low.endswith(_ADJ_SUFFIXES))):
                end, prev = pos, "lower"
                continue
            break
        return end

    def _name_runs(self):
        """Runs of two or more capitalised words ("Carole Delga", "Horiba Médical"): possible names."""
        run = []

        def flush():
            words = list(run)
            while words and (words[0].group().lower() in NOT_NAME or words[0].group().lower() in NAME_PARTICLES):
                words.pop(0)
            while words and words[-1].group().lower() in NAME_PARTICLES:
                words.pop()
            if sum(1 for w in words if w.group()[0].isupper()) >= 2:
                yield words[0].start(), words[-1].end(), self.text[words[0].start() : words[-1].end()]

        for match in WORD.finditer(self.text):
            word = match.group()
            joined = run and re.fullmatch(r"[ \u00a0]", self.text[run[-1].end() : match.start()])
            capital = word[0].isupper() and not re.match(r"[A-Za-zÀ-ÿ]’", word)
            if capital or (run and word in NAME_PARTICLES):
                if run and not joined:
                    yield from flush()
                    run = []
                run.append(match)
            else:
                yield from flush()
                run = []
        yield from flush()

    # -- who is a person

    def _establish(self) -> None:
        """A capitalised pair is a person only when it speaks, is quoted "selon" it, or has an office."""
        for verb in SPEECH_VERB.finditer(self.text):
            subject = self._speaker_of_verb(verb)
            if subject is not None and subject.kind == "name":
                self.people.setdefault(subject.text, {"role": "", "organisation": "", "fixed": False})
        for match in re.finditer(r"(?<![\w’'-])(?:selon|d[’']après|pour)\s+", self.text, re.IGNORECASE):
            mention = self._mention_after(match.end())
            if mention is None or mention.kind != "name":
                continue
            # "selon X" always reports speech; "pour X," only when a quote follows.
            if match.group().lower().startswith("pour") and not re.match(r"\s*,\s*[«“]", self.text[mention.end :]):
                continue
            self.people.setdefault(mention.text, {"role": "", "organisation": "", "fixed": False})
        # Appositions: "Keiji Yamada, gouverneur de la préfecture de Kyoto", "la présidente, Carole Delga,"
        # and "la ministre Agnès Dupin".
        for a, b in pairwise(self.mentions):
            gap = self.text[a.end : b.start]
            if not (re.fullmatch(r"\s*,\s*", gap) or (a.kind == "role" and re.fullmatch(r"[ \u00a0]", gap))):
                continue
            pair = {a.kind: a, b.kind: b}
            if set(pair) == {"name", "role"}:
                name, role = pair["name"].text, pair["role"].text
                person = self.people.setdefault(name, {"role": "", "organisation": "", "fixed": False})
                self.apposition[pair["role"].start] = name
                if not person["fixed"] and len(role) > len(person["role"]):
                    person["role"] = role
        # "Marie Curie a visité le site. Elle a déclaré : « … »": with nobody else in view,
        # the name opening the sentence a speaking pronoun refers back to is a person.
        for verb in SPEECH_VERB.finditer(self.text):
            subject = self._speaker_of_verb(verb)
            if subject is not None and subject.kind == "pronoun":
                name = self._antecedent_name(subject.start)
                if name:
                    self.people.setdefault(name, {"role": "", "organisation": "", "fixed": False})

    def _antecedent_name(self, offset: int) -> str | None:
        """The name that opens the nearest sentence with a subject, unless a designation or known person comes first."""
        index = self.sentence_of(offset)
        for i in range(index, -1, -1):
            start, end = self.sentences[i]
            limit = offset if i == index else end
            first = next((m for m in self.mentions if start <= m.start < limit and m.kind != "pronoun"), None)
            if first is None:
                continue
            if first.kind == "name" and first.text not in self.people:
                return first.text
            return None
        return None

    def _speaker_of_verb(self, verb: re.Match) -> _Mention | None:
        """The mention a speech verb points to: "X a déclaré", or after a quote "» a conclu X"."""
        pronoun = next((g for g in ("p1", "p2", "p3", "p4") if verb.group(g)), None)
        if pronoun:
            return _Mention(verb.start(), verb.end(), "pronoun", verb.group(pronoun).lower())
        s_start, s_end = self.sentences[self.sentence_of(verb.start())]
        before = self.text[s_start : verb.start()]
        if before.rstrip(" ,\u00a0").endswith(("»", "”")):
            # Inverted subject after a quote: the first mention after the verb, fillers allowed.
            for mention in self.mentions:
                if verb.end() <= mention.start < s_end:
                    return mention
            return None
        previous = [m for m in self.mentions if s_start <= m.start and m.end <= verb.start()]
        if previous and re.fullmatch(r"[\s,]*", self.text[previous[-1].end : verb.start()]):
            last = previous[-1]
            if last.kind == "role" and last.start in self.apposition_candidates(previous):
                return self.apposition_candidates(previous)[last.start]
            return last
        return None

    def apposition_candidates(self, previous: list[_Mention]) -> dict[int, _Mention]:
        """For "Name, role, a déclaré": the name standing in apposition before each designation."""
        found = {}
        for a, b in pairwise(previous):
            if a.kind == "name" and b.kind == "role" and re.fullmatch(r"\s*,\s*", self.text[a.end : b.start]):
                found[b.start] = a
        return found

    def mention_count(self, name: str) -> int:
        return len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", self.text))

    def _resolve_designations(self, db_people: list[tuple[str, str]]) -> None:
        """Each designation to a person: an office known for someone named in the release
        (front matter, existing speaker, apposition); otherwise the most-mentioned person
        without an office of their own takes the most frequent office left."""
        unresolved = []
        for mention in self.mentions:
            if mention.kind != "role":
                continue
            if mention.start in self.apposition:
                self.designations[mention.start] = self.apposition[mention.start]
                continue
            holders = [name for name, p in self.people.items() if p["role"] and role_matches(mention.text, p["role"])]
            if holders:
                self.designations[mention.start] = max(holders, key=self.mention_count)
            else:
                unresolved.append(mention)
        # Group the rest by office: the longest designation leads, shorter compatible ones join it.
        clusters: list[list[_Mention]] = []
        for mention in sorted(unresolved, key=lambda m: -len(m.text)):
            for cluster in clusters:
                if role_matches(mention.text, cluster[0].text):
                    cluster.append(mention)
                    break
            else:
                clusters.append([mention])
        roleless = [name for name, p in self.people.items() if not p["role"]]
        if clusters and roleless:
            person = max(roleless, key=lambda n: (self.mention_count(n), -self.text.find(n)))
            cluster = max(clusters, key=lambda c: (len(c), -min(m.start for m in c)))
            for mention in cluster:
                self.designations[mention.start] = person
            clusters.remove(cluster)
        # Last resort: somebody already in the press room whose office is exactly this one.
        for cluster in clusters:
            for mention in cluster:
                exact = {n for n, role in db_people if role and role_matches(mention.text, role) and role_matches(role, mention.text)}
                self.designations[mention.start] = exact.pop() if len(exact) == 1 else None

    # -- who said it

    def resolve(self, mention: _Mention | None) -> str | None:
        if mention is None:
            return None
        if mention.kind == "name":
            return mention.text if mention.text in self.people else None
        if mention.kind == "role":
            return self.designations.get(mention.start)
        return self.subject_before(mention.start)

    def subject_before(self, offset: int) -> str | None:
        """The current subject at `offset`: the first person designated in this sentence
        before it, else in the nearest preceding sentence that designates one."""
        index = self.sentence_of(offset)
        for i in range(index, -1, -1):
            start, end = self.sentences[i]
            limit = offset if i == index else end
            for mention in self.mentions:
                if start <= mention.start < limit and mention.kind != "pronoun":
                    person = self.resolve(mention)
                    if person:
                        return person
        return None

    def speaker(self, span: _Span) -> str | None:
        """Explicit attribution after the quote, then before it; else the current subject."""
        s_start, s_end = self.sentences[self.sentence_of(span.close)]
        after = self.text[span.close + 1 : s_end]
        lead = re.match(r"[\s,]*", after).end()
        verb = SPEECH_VERB.match(self.text, span.close + 1 + lead)
        if verb:
            span.explicit = True
            person = self.resolve(self._speaker_of_verb(verb))
            if person:
                return person
        according = re.match(r"[\s,]*(?:selon|d[’']après)\s+", after, re.IGNORECASE)
        if according:
            span.explicit = True
            person = self.resolve(self._mention_after(span.close + 1 + according.end()))
            if person:
                return person

        o_start, _o_end = self.sentences[self.sentence_of(span.open)]
        prefix = self.text[o_start : span.open]
        verbs = list(SPEECH_VERB.finditer(prefix))
        tail = prefix.rstrip()
        if verbs and (tail.endswith(":") or re.search(r"(?:que|qu[’'])$", tail) or tail.endswith(verbs[-1].group())):
            span.explicit = True
            verb = SPEECH_VERB.match(self.text, o_start + verbs[-1].start())
            person = self.resolve(self._speaker_of_verb(verb))
            if person:
                return person
        if tail.endswith(":") or tail.endswith(","):
            before = [m for m in self.mentions if o_start <= m.start and m.end <= o_start + len(tail)]
            if before and (tail.endswith(":") or ACCORDING_TO.search(self.text[o_start : before[-1].start])):
                span.explicit = True
                person = self.resolve(before[-1])
                if person:
                    return person
        return self.subject_before(span.open)

    def _mention_after(self, offset: int) -> _Mention | None:
        """The mention starting at `offset`, a courtesy title ("Mme", "M.") allowed before it."""
        for mention in self.mentions:
            if mention.start >= offset:
                gap = self.text[offset : mention.start]
                return mention if re.fullmatch(r"(?:(?:M\.|MM\.|Mme|Mlle|Monsieur|Madame|Dr|Pr)\s*)?", gap) else None
        return None


def attribute_quotes(body: _Body, known: dict[str, dict]) -> tuple[list[QuoteSpec], dict[str, dict], list[str]]:
    """Quotes with their speakers' names, the speakers' roles, and warnings.

    Names come from speech verbs, appositions, the front matter and existing
    speakers; a designation ("la présidente de Région") resolves to whoever holds
    that office in the release; a quote without any attribution goes to the
    subject of the nearest sentence that designates someone.
    """
    flat = body.flat()
    spans = find_quotes(flat, body)
    masked = list(flat)
    for span in spans:
        for k in range(span.open + 1, span.close):
            masked[k] = " "
    db_people = list(Speaker.objects.values_list("name", "role"))
    analysis = Attribution("".join(masked), spans, known, db_people)

    quotes, warnings, used = [], [], set()
    for span in spans:
        text = quote_text(flat[span.open + 1 : span.close], body.markdown)
        if not text:
            continue
        name = analysis.speaker(span)
        if not span.explicit and len(text.split()) < MIN_UNATTRIBUTED_WORDS:
            continue  # « French Tech », “Made in Occitanie”: a name in guillemets, not somebody's words
        line = body.line_at(span.open)
        if name is None:
            warnings.append(f"ligne {line} : citation sans auteur identifiable, non enregistrée (« {text[:50]}… »)")
        else:
            used.add(name)
        quotes.append(QuoteSpec(text=text, speaker=name, line=line))

    speakers = {}
    for name in used:
        person = analysis.people.get(name, {"role": "", "organisation": "", "fixed": False})
        role = person["role"]
        if not person["fixed"]:
            # A person's office is the longest designation resolved to them.
            held = [m.text for m in analysis.mentions if m.kind == "role" and analysis.designations.get(m.start) == name]
            role = max([role, *held], key=len)
        speakers[name] = {"role": role, "organisation": person.get("organisation", "")}
    return quotes, speakers, warnings


# --------------------------------------------------------------------------- parsing


def parse_release(path: Path) -> ParsedRelease:
    """Read and check a release file without writing anything."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReleaseError(1, f"impossible de lire {path} ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReleaseError(raw[: exc.start].count(b"\n") + 1, "le fichier n'est pas en UTF-8") from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markdown_text = path.suffix.lower() in MARKDOWN_SUFFIXES

    data, field_lines, body_from = {}, {}, 0
    if lines and lines[0].strip() == "---":
        closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if closing is None:
            raise ReleaseError(1, "l'en-tête ouvert par « --- » n'est jamais refermé par une ligne « --- »")
        data, field_lines = _load_front_matter("\n".join(lines[1:closing]), first_line=2)
        body_from = closing + 1
    body_lines = [(i + 1, lines[i]) for i in range(body_from, len(lines))]

    title = _text(data.get("title"), line=_line(field_lines, "title"), name="title")
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
    release = ParsedRelease(title=title)
    _apply_front_matter(release, data, field_lines, path.parent)

    kept = []
    for number, line in body_lines:
        credit, rest = _credit_in(line, markdown_text)
        if credit:
            release.credit_lines.append((credit, number))
            if not rest.strip():
                continue
        kept.append((number, rest))
    body = _Body(kept, markdown_text)
    release.body_html = sanitize_html(body.html())
    release.quotes, release.speakers, quote_warnings = attribute_quotes(body, release.speakers)
    release.warnings += quote_warnings
    _check(release)
    return release


def _check(release: ParsedRelease) -> None:
    """Everything the database would refuse, found before anything is written."""
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


# --------------------------------------------------------------------------- the service


def find_imported(title: str) -> Article | None:
    """The article an earlier import of this release created: same title, slug derived from it."""
    base = slugify(title)[:200].strip("-") or "communique"
    for article in Article.objects.filter(title=title):
        if article.slug == base or re.fullmatch(rf"{re.escape(base)}-\d+", article.slug):
            return article
    return None


def import_release(*, path: str | Path, user=None, stdout: TextIO | None = None) -> ImportResult:
    """Import one release file in one transaction; importing it again changes nothing.

    Raises ReleaseError ("ligne N : …") for a file that cannot be imported, before
    anything is written.
    """
    path = Path(path)
    release = parse_release(path)
    existing = find_imported(release.title)
    if existing is not None:
        result = ImportResult(article=existing, created=False, warnings=release.warnings)
        _report(result, stdout)
        return result

    stored_files: list[tuple] = []
    try:
        with transaction.atomic():
            result = _write(release, user, stored_files)
    except BaseException:
        # The rows are rolled back; the files they pointed to must go too.
        for storage, name in stored_files:
            storage.delete(name)
        raise
    _report(result, stdout)
    return result


def _write(release: ParsedRelease, user, stored_files: list) -> ImportResult:
    credits_by_name: dict[str, Credit] = {}
    new_credits = []
    for name in [*(c for c, _n in release.credit_lines), *(p.credit for p in release.photos)]:
        if name and name.lower() not in credits_by_name:
            credit = Credit.objects.filter(name__iexact=name).first()
            if credit is None:
                credit = Credit.objects.create(name=name)
                new_credits.append(credit)
            credits_by_name[name.lower()] = credit

    publish_at = release.publish_at
    if publish_at is None and release.status == Article.Status.PUBLISHED:
        publish_at = timezone.now()  # published without a date: public from the moment of the import
    article = Article.objects.create(
        title=release.title, standfirst=release.standfirst, body=release.body_html,
        location=release.location, language=release.language, status=release.status,
        publish_at=publish_at, created_by=user, updated_by=user,
        first_published_at=publish_at if release.status == Article.Status.PUBLISHED else None,
    )
    if release.tags:
        article.tags.add(*release.tags)

    photos = []
    for position, spec in enumerate(release.photos):
        with spec.path.open("rb") as fh:
            photo = Photo(
                image=File(fh, name=spec.path.name), caption=spec.caption, alt_text=spec.alt_text,
                credit=credits_by_name[spec.credit.lower()],
            )
            photo.save()
        stored_files.append((photo.image.storage, photo.image.name))
        for rendition in getattr(photo, "renditions", Photo.objects.none()).all():
            stored_files.append((rendition.file.storage, rendition.file.name))
        ArticlePhoto.objects.create(article=article, photo=photo, position=position)
        photos.append(photo)

    for spec in release.contacts:
        contact = PressContact.objects.filter(name=spec.name, email=spec.email).first()
        if contact is None:
            contact = PressContact.objects.create(name=spec.name, role=spec.role, email=spec.email, phone=spec.phone)
        article.press_contacts.add(contact)

    speakers: dict[str, Speaker] = {}
    for name, info in release.speakers.items():
        speaker = Speaker.objects.filter(name__iexact=name).first()
        if speaker is None:
            speaker = Speaker.objects.create(name=name, role=info["role"][:300], organisation=info["organisation"][:200])
        elif not speaker.role and info["role"]:
            speaker.role = info["role"][:300]
            speaker.save(update_fields=["role"])
        speakers[name] = speaker

    quotes, warnings = [], list(release.warnings)
    for spec in release.quotes:
        if spec.speaker is None:
            continue
        quotes.append(Quote.objects.create(article=article, speaker=speakers[spec.speaker], text=spec.text, position=len(quotes)))
    refresh_search_document(article)  # after tags, quotes and photos: they are searched too
    return ImportResult(
        article=article, created=True, photos=photos, credits=list(credits_by_name.values()),
        new_credits=new_credits, speakers=list(speakers.values()), quotes=quotes, warnings=warnings,
    )


def _report(result: ImportResult, stdout: TextIO | None) -> None:
    article = result.article
    try:
        result.admin_url = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    except NoReverseMatch:
        result.admin_url = ""
    result.public_url = settings.SITE_URL + article.get_absolute_url()
    if stdout is None:
        return
    write = stdout.write
    if not result.created:
        write(f"Déjà importé : « {article.title} » — rien de nouveau.\n")
    else:
        write(f"Communiqué importé : « {article.title} » ({article.get_status_display().lower()})\n")
    if result.admin_url:
        write(f"  Administration : {result.admin_url}\n")
    if article.is_public():
        write(f"  Page publique  : {result.public_url}\n")
    elif article.status == Article.Status.PUBLISHED and article.publish_at:
        when = formats.date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
        write(f"  Page publique  : {result.public_url} (sous embargo : en ligne à partir du {when})\n")
    else:
        write(f"  Page publique  : {result.public_url} (pas encore en ligne : la page n'existe qu'une fois le communiqué publié)\n")
    if result.created:
        for photo in result.photos:
            write(f"  Photo : {photo} — crédit {photo.credit.name}\n")
        for credit in result.credits:
            state = "créé" if credit in result.new_credits else "déjà connu"
            write(f"  Crédit photo {state} : {credit.name}\n")
        counts = Counter(quote.speaker_id for quote in result.quotes)
        for speaker in result.speakers:
            write(f"  Intervenant : {speaker} — {counts[speaker.pk]} citation(s)\n")
        tags = ", ".join(sorted(article.tags.names()))
        if tags:
            write(f"  Mots-clés : {tags}\n")
        contacts = ", ".join(str(c) for c in article.press_contacts.all())
        if contacts:
            write(f"  Contacts presse : {contacts}\n")
    for warning in result.warnings:
        write(f"  Attention, {warning}\n")
