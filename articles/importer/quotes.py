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


def find_quotes(flat: str, body: Body) -> list[QuoteSpan]:
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
        spans.append(QuoteSpan(start, close_at))
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


def attribute_quotes(body: Body, known: dict[str, dict]) -> tuple[list[QuoteSpec], dict[str, dict], list[str]]:
    """Quotes with their speakers' names, the speakers' roles, and warnings.

    Names come from speech verbs, appositions, the front matter and existing
    speakers; a designation ("la présidente de Région") resolves to whoever holds
    that office in the release; a quote without any attribution goes to the
    subject of the nearest sentence that designates someone.
    """
    flat = body.flat()
    spans = find_quotes(flat, body)
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
