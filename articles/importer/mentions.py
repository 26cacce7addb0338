"""The body split into sentences, and the people it mentions: names, offices
("la présidente de la Région") and pronouns. Read over the text with the quotes blanked out."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .vocabulary import DESIGNATION, NAME_PARTICLES, NOT_NAME, PRONOUN, WORD

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


@dataclass
class Mention:
    start: int
    end: int
    kind: str  # "name", "role" or "pronoun"
    text: str


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence or line; "M. Dupont" does not end one."""
    bounds, start = [], 0
    for match in re.finditer(r"\n|[.!?…]+(?=[\s»”)]|$)", text):
        # Only the three characters before the dot can make an abbreviation ("xMM", " Dr"): searching
        # the whole text before it made this quadratic (16 s for a 200 kB release).
        before = text[max(0, match.start() - 3) : match.start()]
        if match.group().startswith(".") and re.search(r"(?<![\w’'-])(?:M|MM|Dr|Pr|Me|St|[A-Z])$", before):
            continue  # "M. Dupont", "J. Dupont": not the end of a sentence
        bounds.append((start, match.end()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def find_mentions(text: str) -> list[Mention]:
    """Designations of an office, runs of capitalised words and pronouns, in text order."""
    mentions = []
    for match in DESIGNATION.finditer(text):
        end = _designation_end(text, match.end("noun"))
        noun = match.group("noun")
        role = text[match.start("noun") : end]
        if not noun.isupper():
            role = role[0].lower() + role[1:]
        mentions.append(Mention(match.start(), end, "role", role))
    # A name inside a designation is part of it. Designations come in text order (they may
    # overlap): with the furthest end reached so far, bisection finds whether any covers a
    # name, instead of scanning them all for each name.
    role_starts, reach = [m.start for m in mentions], []
    for m in mentions:
        reach.append(max(m.end, reach[-1]) if reach else m.end)
    for start, end, name in _name_runs(text):
        i = bisect.bisect_right(role_starts, start) - 1
        if i < 0 or start >= reach[i]:
            mentions.append(Mention(start, end, "name", name))
    for match in PRONOUN.finditer(text):
        mentions.append(Mention(match.start(), match.end(), "pronoun", match.group().lower()))
    return sorted(mentions, key=lambda m: m.start)


def _designation_end(text: str, pos: int) -> int:
    """Where a designation's complement stops: at punctuation, or at a word that is not part of an office."""
    token = re.compile(r"[ \t\u00a0\u202f]*(/|[\w][\w’'-]*)")
    end, prev = pos, "noun"
    while match := token.match(text, pos):
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


def _name_runs(text: str):
    """Runs of two or more capitalised words ("Carole Delga", "Horiba Médical"): possible names."""
    run = []

    def flush():
        words = list(run)
        while words and (words[0].group().lower() in NOT_NAME or words[0].group().lower() in NAME_PARTICLES):
            words.pop(0)
        while words and words[-1].group().lower() in NAME_PARTICLES:
            words.pop()
        if sum(1 for w in words if w.group()[0].isupper()) >= 2:
            yield words[0].start(), words[-1].end(), text[words[0].start() : words[-1].end()]

    for match in WORD.finditer(text):
        word = match.group()
        joined = run and re.fullmatch(r"[ \u00a0]", text[run[-1].end() : match.start()])
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
