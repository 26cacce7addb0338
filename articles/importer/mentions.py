"""The body split into sentences, and the people it mentions: names, offices
("la présidente de la Région") and pronouns. Read over the text with the quotes blanked out."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .given_names import NAMED_AFTER_SOMEONE, is_given_name
from .vocabulary import DESIGNATION, NAME_PARTICLES, NOT_NAME, PRONOUN, WORD

# What may follow an office noun inside a designation ("présidente de la Région Occitanie / …",
# "head of logistics at Yorkshire Chamber of Commerce").
_PREPOSITIONS = {"de", "du", "des", "à", "au", "aux", "en", "pour", "of", "for", "at"}
_ARTICLES = {"la", "le", "les", "the"}
# "ministre du Travail et de l'Emploi", "Secretary of State for Science, Innovation and Technology".
_CONJUNCTIONS = {"et", "and"}
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
        # Only the four characters before the dot can make an abbreviation (" MM", "Prof"): searching
        # the whole text before it made this quadratic (16 s for a 200 kB release).
        before = text[max(0, match.start() - 4) : match.start()]
        if match.group().startswith(".") and re.search(r"(?<![\w’'-])(?:M|MM|Dr|Pr|Me|St|Mr|Mrs|Ms|Prof|[A-Z])$", before):
            continue  # "M. Dupont", "J. Dupont", "Mr. Smith": not the end of a sentence
        bounds.append((start, match.end()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def find_mentions(text: str, known_names: frozenset[str] = frozenset()) -> list[Mention]:
    """Designations of an office, runs of capitalised words and pronouns, in text order.

    `known_names` are people known before reading (front matter, the press room's
    speakers): one of them ending a designation is split off it as a name.
    """
    mentions, split_names = [], []
    for match in DESIGNATION.finditer(text):
        end = _designation_end(text, match.end("noun"))
        start, noun_start = match.start(), match.start("noun")
        noun = match.group("noun")
        if noun[0].isupper() and start == noun_start:
            start = noun_start = _capitalised_prefix(text, noun_start)  # "Education Secretary", "Council Leader"
        name = _trailing_name(text, match.end("noun"), end, known_names)
        if name is not None:
            end = name[0]
            while end > noun_start and text[end - 1] in " \u00a0":
                end -= 1
            split_names.append(Mention(name[0], name[1], "name", text[name[0] : name[1]]))
        role = text[noun_start:end]
        if not noun.isupper():
            role = role[0].lower() + role[1:]
        mentions.append(Mention(start, end, "role", role))
    # A name inside a designation is part of it. Designations come in text order (they may
    # overlap): with the furthest end reached so far, bisection finds whether any covers a
    # name, instead of scanning them all for each name.
    role_starts, reach = [m.start for m in mentions], []
    for m in mentions:
        reach.append(max(m.end, reach[-1]) if reach else m.end)
    taken = {m.start for m in split_names}
    mentions += split_names
    for start, end, name in _name_runs(text):
        i = bisect.bisect_right(role_starts, start) - 1
        if i < 0 or start >= reach[i]:
            mentions.append(Mention(start, end, "name", name))
        elif end > reach[i]:
            # "Education Secretary Bridget Phillipson": the office's capitals ran into the name.
            for s, e, rest in _name_runs(text[reach[i] : end]):
                if s + reach[i] not in taken:
                    mentions.append(Mention(s + reach[i], e + reach[i], "name", rest))
                    taken.add(s + reach[i])
    for match in PRONOUN.finditer(text):
        mentions.append(Mention(match.start(), match.end(), "pronoun", match.group().lower()))
    return sorted(mentions, key=lambda m: m.start)


def _capitalised_prefix(text: str, start: int) -> int:
    """Where an English office begins when capitalised words qualify it: "Education Secretary"."""
    for _ in range(3):
        match = re.search(r"([A-Z][\w’'-]*)[ \u00a0]$", text[max(0, start - 40) : start])
        if not match or match.group(1).lower() in NOT_NAME:
            break
        start -= len(match.group())
    return start


def _trailing_name(text: str, noun_end: int, end: int, known_names: frozenset[str]) -> tuple[int, int] | None:
    """A person's name ending a designation ("présidente de Région Carole Delga"), as (start, end).

    A name known before reading always counts; otherwise only two or three capitalised
    words starting with a common given name, after an office complement that keeps a
    capital of its own, and not after a word that usually names a place after someone.
    """
    words = list(re.finditer(r"[^\W\d_][\w’'-]*", text[noun_end:end]))
    for size in (3, 2):
        if len(words) <= size:
            continue
        tail = words[-size:]
        if not all(w.group()[0].isupper() or w.group() in NAME_PARTICLES for w in tail):
            continue
        if not re.fullmatch(r"[ \u00a0]", text[noun_end + words[-size - 1].end() : noun_end + tail[0].start()]):
            continue
        start, stop = noun_end + tail[0].start(), noun_end + tail[-1].end()
        if text[start:stop] in known_names:
            return start, stop
        before = words[-size - 1].group()
        if before[0].isupper() and before.lower() not in NAMED_AFTER_SOMEONE and is_given_name(tail[0].group()):
            if tail[-1].group()[0].isupper() and not tail[-1].group().isupper():
                return start, stop
    return None


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
        if low in _CONJUNCTIONS:
            if prev != "cap":
                break
            prev = "conj"  # "du Travail et de l'Emploi": only a preposition or a capital may follow
            continue
        if low in _ARTICLES:
            if prev != "prep":
                break
            prev = "art"
            continue
        if tok[0].isupper():
            if prev in ("noun", "adj"):
                break  # "la ministre Agnès Dupin", "le conseiller municipal Romain Cujives": a name in apposition
            end, prev = pos, "cap"
            continue
        if low in _STOP:
            break
        if prev in ("prep", "art"):
            end, prev = pos, "lower"
            continue
        if prev in ("noun", "lower", "adj") and (low in _ADJECTIVES or low.endswith(_ADJ_SUFFIXES)):
            end, prev = pos, "adj" if prev in ("noun", "adj") else "lower"
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
