"""The quotes of a release: «…» and “…” passages found, their words cleaned, and each
attributed to a speaker."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import MAX_QUOTES_PER_ARTICLE, Speaker
from .attribution import Attribution
from .body import Body
from .release import QuoteSpec, ReleaseError

QUOTE_MARKS = {"«": "»", "“": "”"}
# A few words in guillemets without any speech verb are a name or an expression, not a quote.
MIN_UNATTRIBUTED_WORDS = 4
# Passages in guillemets, quotes or not (« French Tech »): a bound on the attribution's work.
MAX_QUOTED_PASSAGES = 4 * MAX_QUOTES_PER_ARTICLE


@dataclass
class QuoteSpan:
    """A quote's opening and closing marks in the flat body; `explicit` once the attribution
    finds a speech verb or a "selon" naming its speaker."""

    open: int
    close: int
    explicit: bool = False


def find_quotes(flat: str, body: Body, warnings: list[str] | None = None) -> list[QuoteSpan]:
    """Top-level «…», “…” and "…" passages, then the GOV.UK way: "Minister X said:" followed
    by paragraphs without quotation marks.

    A quote may run over paragraphs (the closing mark comes at its very end, a new paragraph
    may reopen with « or "); a « or “ never closed is an error; a straight " never closed
    (an inch sign, a typo) is left alone with a warning."""
    spans, i = [], 0
    opener = re.compile('[«“"]')
    while match := opener.search(flat, i):
        start = match.start()
        if match.group() == '"':
            close_at = _straight_close(flat, start)
            if close_at is None:
                if warnings is not None:
                    warnings.append(f"ligne {body.line_at(start)} : guillemet \" jamais refermé, ignoré")
                i = start + 1
                continue
            spans.append(QuoteSpan(start, close_at))
            i = close_at + 1
            continue
        closing = QUOTE_MARKS[match.group()]
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
        spans.append(QuoteSpan(start, close_at))
        i = close_at + 1
    spans += _unmarked_statements(flat, spans)
    return sorted(spans, key=lambda span: span.open)


def _straight_close(flat: str, start: int) -> int | None:
    """The " closing the one at `start`; one opening a paragraph continues the quote ("…¶"…")."""
    j = start + 1
    while (close_at := flat.find('"', j)) != -1:
        if _starts_paragraph(flat, close_at) and close_at > start + 1:
            j = close_at + 1
            continue
        return close_at
    return None


# "Education Secretary Bridget Phillipson said:" / "a déclaré :" ending a paragraph.
_STATEMENT_INTRO = re.compile(r"[ \t\u00a0\u202f]*:[ \t\u00a0\u202f]*$")
_FIRST_PERSON = re.compile(
    r"(?<![\w’'])(?:I|I[’']m|I[’']ve|[Ww]e|[Ww]e[’'](?:re|ve)|[Oo]ur|[Uu]s|[Mm]y|[Mm]e|[Nn]ous|[Nn]otre|[Nn]os|[Jj]e|[Jj][’']|[Mm]on|[Mm]a|[Mm]es)(?![\w’'])"
)
# A statement runs over a few paragraphs at most (GOV.UK's are one to four).
MAX_STATEMENT_PARAGRAPHS = 6


def _unmarked_statements(flat: str, marked: list[QuoteSpan]) -> list[QuoteSpan]:
    """Paragraphs that follow "X said:" without any quotation mark: the first one, and the next
    ones while they speak in the first person and introduce nobody else. The span runs from
    the newline ending the "said:" line to the one ending the statement."""
    from .vocabulary import SPEECH_VERB

    lines, offset = [], 0
    for line in flat.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    paragraphs = [(start, line) for start, line in lines if line.strip()]
    inside = [(span.open, span.close) for span in marked]
    found = []
    for k, (start, line) in enumerate(paragraphs[:-1]):
        end = start + len(line)
        if not _STATEMENT_INTRO.search(line) or any(o <= end and c >= start for o, c in inside):
            continue
        verbs = list(SPEECH_VERB.finditer(line))
        if not verbs or line[verbs[-1].end() :].strip(" \t\u00a0\u202f:"):
            continue  # "… said:" with the verb right before the colon
        first_start, first = paragraphs[k + 1]
        if first.lstrip()[:1] in "«“\"" or any(o <= first_start + len(first) and c >= first_start for o, c in inside):
            continue
        last = k + 1
        while last + 1 < len(paragraphs) and last - k < MAX_STATEMENT_PARAGRAPHS:
            following = paragraphs[last + 1][1]
            if (
                not _FIRST_PERSON.search(following) or SPEECH_VERB.search(following)
                or _STATEMENT_INTRO.search(following) or following.lstrip()[:1] in "«“\""
            ):
                break
            last += 1
        close = paragraphs[last][0] + len(paragraphs[last][1])
        found.append(QuoteSpan(end, close, explicit=True))
    return found


def _starts_paragraph(text: str, offset: int) -> bool:
    return text[:offset].rstrip(" \t\u00a0\u202f").endswith("\n")


def quote_text(raw: str, markdown_text: bool) -> str:
    """The quoted words: no guillemets, whitespace normalised, one line per paragraph."""
    paragraphs = []
    raw = re.sub(r",\s*$", "", raw)  # '"…to live," said X': the comma belongs to the sentence around the quote
    for part in re.split(r"\n+", raw):
        if markdown_text:
            part = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", part)
            part = re.sub(r"^\s*>\s?", "", part).replace("**", "").replace("__", "").replace("*", "")
        part = " ".join(part.split()).strip("«»“”\" \u00a0\u202f")
        if part:
            paragraphs.append(part)
    return "\n".join(paragraphs)


def _is_title(text: str) -> bool:
    """Most words capitalised and no sentence end: the title of a work or an exhibition."""
    words = re.findall(r"[^\W\d_][\w’'-]*", text)
    capitals = sum(1 for word in words if word[0].isupper())
    return len(words) <= 12 and capitals * 2 > len(words) and not re.search(r"[.!?]\s*$", text)


def attribute_quotes(body: Body, known: dict[str, dict]) -> tuple[list[QuoteSpec], dict[str, dict], list[str]]:
    """Quotes with their speakers' names, the speakers' roles, and warnings.

    Names come from speech verbs, appositions, the front matter and existing
    speakers; a designation ("la présidente de Région") resolves to whoever holds
    that office in the release; a quote without any attribution goes to the
    subject of the nearest sentence that designates someone.
    """
    flat = body.flat()
    quotes, warnings, used = [], [], set()
    spans = find_quotes(flat, body, warnings)
    if len(spans) > MAX_QUOTED_PASSAGES:
        # Refused before the attribution, whose cost grows with each passage to attribute.
        raise ReleaseError(
            body.line_at(spans[MAX_QUOTED_PASSAGES].open),
            f"{len(spans)} passages entre guillemets : un communiqué en compte {MAX_QUOTED_PASSAGES} au plus "
            f"(et {MAX_QUOTES_PER_ARTICLE} citations)",
        )
    masked = list(flat)
    for span in spans:
        for k in range(span.open + 1, span.close):
            masked[k] = " "
    db_people = list(Speaker.objects.values_list("name", "role"))
    analysis = Attribution("".join(masked), known, db_people)

    for span in spans:
        text = quote_text(flat[span.open + 1 : span.close], body.markdown)
        if not text:
            continue
        name = analysis.speaker(span)
        if not span.explicit and (len(text.split()) < MIN_UNATTRIBUTED_WORDS or _is_title(text)):
            continue  # « French Tech », "Vikings: Raiders and Traders": a name or a title, not somebody's words
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
