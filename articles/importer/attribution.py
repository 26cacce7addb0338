"""Who says what in one release: which capitalised names are people, which person each
office designates, and the speaker of each quote."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import pairwise
from typing import TYPE_CHECKING

from .mentions import Mention, find_mentions, split_sentences
from .vocabulary import ACCORDING_TO, AFTER_QUOTE_VERB, COURTESY, SPEECH_VERB, role_matches

if TYPE_CHECKING:
    from .quotes import QuoteSpan


class Attribution:
    """Who says what in one release. Built once over the body with the quotes blanked out,
    so that words inside quotes never count as mentions or sentence ends."""

    def __init__(self, masked: str, known: dict[str, dict], db_people: list[tuple[str, str]]):
        self.text = masked
        self._counts: dict[str, int] = {}
        self.people: dict[str, dict] = {}  # name -> {"role": own role or "", "organisation", "fixed": bool}
        for name, info in known.items():
            role = info.get("role", "")
            self.people[name] = {"role": role, "organisation": info.get("organisation", ""), "fixed": bool(role)}
        for name, role in db_people:
            if name not in self.people and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", masked):
                self.people[name] = {"role": role, "organisation": "", "fixed": bool(role)}
        self.sentences = split_sentences(masked)
        # People known before reading are split off an office they end ("présidente de Région Carole Delga").
        self.mentions = find_mentions(masked, frozenset(self.people))
        # Sorted starts, for bisection: scanning every mention (or sentence) for each verb,
        # quote and designation made a 200 kB release take minutes.
        self._sentence_starts = [start for start, _end in self.sentences]
        self._mention_starts = [m.start for m in self.mentions]
        self.apposition: dict[int, str] = {}  # designation start -> name
        self._establish()
        self.designations: dict[int, str | None] = {}
        self._resolve_designations(db_people)

    # -- segmentation

    def sentence_of(self, offset: int) -> int:
        """The sentence holding `offset`; the last one for an offset between sentences."""
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i][1]:
            return i
        return len(self.sentences) - 1

    def mentions_between(self, low: int, high: int) -> list[Mention]:
        """The mentions starting at `low` or after, and before `high`, in text order."""
        return self.mentions[bisect_left(self._mention_starts, low) : bisect_left(self._mention_starts, high)]

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
            if a.kind == "name" and b.kind == "role" and not re.match(r"[ \t\u00a0]*(?:[,.;:)!?\n]|$)", self.text[b.end : b.end + 3]):
                # "Au lycée Jean Moulin, la présidente a rappelé": an office that goes on to its verb is
                # the subject of the sentence, not an apposition of the name before it.
                continue
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
            first = next((m for m in self.mentions_between(start, limit) if m.kind != "pronoun"), None)
            if first is None:
                continue
            if first.kind == "name" and first.text not in self.people:
                return first.text
            return None
        return None

    def _speaker_of_verb(self, verb: re.Match) -> Mention | None:
        """The mention a speech verb points to: "X a déclaré", or after a quote "» a conclu X"."""
        pronoun = next((g for g in ("p1", "p2", "p3", "p4") if verb.group(g)), None)
        if pronoun:
            return Mention(verb.start(), verb.end(), "pronoun", verb.group(pronoun).lower())
        s_start, s_end = self.sentences[self.sentence_of(verb.start())]
        before = self.text[s_start : verb.start()]
        if before.rstrip(" ,\u00a0").endswith(("»", "”", '"')):
            # Inverted subject after a quote: the first mention after the verb, fillers allowed.
            following = self.mentions_between(verb.end(), s_end)
            return following[0] if following else None
        previous = [m for m in self.mentions_between(s_start, verb.start()) if m.end <= verb.start()]
        if previous and re.fullmatch(r"[\s,]*", self.text[previous[-1].end : verb.start()]):
            last = previous[-1]
            if last.kind == "role" and last.start in self.apposition_candidates(previous):
                return self.apposition_candidates(previous)[last.start]
            return last
        return None

    def apposition_candidates(self, previous: list[Mention]) -> dict[int, Mention]:
        """For "Name, role, a déclaré": the name standing in apposition before each designation."""
        found = {}
        for a, b in pairwise(previous):
            if a.kind == "name" and b.kind == "role" and re.fullmatch(r"\s*,\s*", self.text[a.end : b.start]):
                found[b.start] = a
        return found

    def mention_count(self, name: str) -> int:
        if name not in self._counts:
            self._counts[name] = len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", self.text))
        return self._counts[name]

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
        clusters: list[list[Mention]] = []
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

    def resolve(self, mention: Mention | None) -> str | None:
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
            for mention in self.mentions_between(start, limit):
                if mention.kind != "pronoun":
                    person = self.resolve(mention)
                    if person:
                        return person
        return None

    def speaker(self, span: QuoteSpan) -> str | None:
        """Explicit attribution after the quote, then before it; else the current subject."""
        s_start, s_end = self.sentences[self.sentence_of(span.close)]
        after = self.text[span.close + 1 : s_end]
        lead = re.match(r"[\s,]*", after).end()
        verb = SPEECH_VERB.match(self.text, span.close + 1 + lead) or AFTER_QUOTE_VERB.match(self.text, span.close + 1 + lead)
        if verb:
            # "», a déclaré X" / '," said X': the verb names the speaker; one that cannot be
            # resolved ("», précise l'ARS") is not replaced by whoever was spoken of before.
            span.explicit = True
            return self.resolve(self._speaker_of_verb(verb))
        named, person = self._subject_then_verb(span.close + 1 + lead, s_end)
        if named:
            span.explicit = True
            return person
        according = re.match(r"[\s,]*(?:selon|d[’']après|according\s+to)\s+", after, re.IGNORECASE)
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
            before = [m for m in self.mentions_between(o_start, o_start + len(tail)) if m.end <= o_start + len(tail)]
            last = before[-1] if before else None
            if last is not None and last.kind == "role":
                last = self.apposition_candidates(before).get(last.start, last)  # "According to X, head of Y, “…”"
            if last is not None and (tail.endswith(":") or ACCORDING_TO.search(self.text[o_start : last.start])):
                span.explicit = True
                person = self.resolve(last)
                if person:
                    return person
        return self.subject_before(span.open)

    def _subject_then_verb(self, offset: int, limit: int) -> tuple[bool, str | None]:
        """After a quote, '" Rahman said', '» Carole Delga, présidente de Région, a ajouté': the speaker
        named by a subject and its speech verb, with nothing else between the quote and them.
        (False, None) when no subject and verb follow the quote."""
        verb = SPEECH_VERB.search(self.text, offset, limit)
        if verb is None or verb.start() - offset > 200:
            return False, None
        between = self.text[offset : verb.start()]
        mentions = self.mentions_between(offset, verb.start())
        rest = between
        for mention in reversed(mentions):
            rest = rest[: mention.start - offset] + rest[mention.end - offset :]
        if mentions and not rest.strip(" ,\u00a0"):
            return True, self.resolve(self._speaker_of_verb(verb))
        surname = re.fullmatch(r"[\s,]*([A-ZÀ-Ý][\w’'-]+)\s+", between)
        if surname and not mentions:
            # A surname alone: somebody named in full earlier in the release.
            matching = [name for name in self.people if name.split()[-1] == surname.group(1)]
            return True, (matching[0] if len(matching) == 1 else None)
        return False, None

    def _mention_after(self, offset: int) -> Mention | None:
        """The mention starting at `offset`, a courtesy title ("Mme", "M.") allowed before it."""
        following = self.mentions[bisect_left(self._mention_starts, offset) :][:1]
        for mention in following:
            gap = self.text[offset : mention.start]
            return mention if re.fullmatch(rf"(?:{COURTESY}\s*)?", gap) else None
        return None

