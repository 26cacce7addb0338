"""Quotes in a Japanese release (issue #14): 「…」 and 『…』, and who said them.

Japanese press releases quote in brackets and name the speaker around them, the verb last:

- 「…」と山田知事は述べました。 / 「…」と述べた。 (the speaker before the quote, or the sentence's subject)
- 山田啓二京都府知事は「…」と語った。 / 議長はこの機会に「…」と述べました。
- デルガ議長は次のように述べました。「…」 (the quote opening the next sentence or paragraph)
- a paragraph that is a quote alone: the current subject's words, as in French releases.

Words are not separated by spaces and names are not capitalised, so the French attribution
(attribution.py) cannot read them. Who is a person is read from the designation around the
quote ("デルガ議長", "山田知事", "同氏") and matched, in order, to the release's known speakers:
the aliases a translation's front matter gives them (`speakers: - name: Carole Delga,
aliases: [デルガ議長, 議長]`), then the speakers already in the press room whose name appears in
the designation, then (service.py) the original's speaker for the quote at the same place when
the translation has as many quotes as its original — a translation quotes the same people.
『…』 alone is a title (a work, an exhibition, a programme), a quote only with its verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import MAX_QUOTES_PER_ARTICLE, Speaker
from .body import Body
from .release import QuoteSpec, ReleaseError

BRACKETS = {"「": "」", "『": "』"}
# Verbs of speech, by their stem: 述べました, 語った, 話し, 強調しました, 締めくくりました…
SPEECH_STEMS = ("述べ", "語", "話し", "話す", "強調", "締めくく", "挨拶", "あいさつ", "コメント", "説明", "明らかに",
                "訴え", "呼びかけ", "意気込みを", "期待を", "抱負を", "感謝", "歓迎", "発表", "言", "答え", "示し")
_VERB = "(?:" + "|".join(re.escape(stem) for stem in SPEECH_STEMS) + ")"
# 」と(、)山田知事は(この場で)述べました / 」と述べた / 」と語り、 : the quotative と and a verb of speech.
AFTER = re.compile(rf"^[\s\u3000]*と[、,]?[\s\u3000]*(?:(?P<who>[^。「」『』\n]{{1,40}}?)(?:は|が)[、,]?)?[^。「」『』\n]{{0,20}}?{_VERB}")
# 知事は「 / 議長はこの機会に「 / 山田氏が、「 : a subject marked は or が before the quote in its sentence.
BEFORE = re.compile(r"(?P<who>[^。、「」『』\n\s]{1,40}?)(?:は|が)[、,]?[^。「」『』\n]{0,30}$")
# デルガ議長は次のように述べました。 / 以下のように語った： announcing the quote that follows.
ANNOUNCE = re.compile(rf"(?P<who>[^。、「」『』\n\s]{{1,40}}?)(?:は|が)[、,]?[^。「」『』\n]{{0,30}}(?:次のように|以下のように|こう){_VERB}[^。\n]*[。:：]?[\s\u3000]*$")
SUBJECT = re.compile(r"(?P<who>[^。、「」『』\n\s]{1,40}?)(?:は|が)")
# What designates a person: a title after the name, or a title alone referring back.
TITLES = ("知事", "副知事", "議長", "副議長", "社長", "会長", "理事長", "大臣", "市長", "町長", "村長", "区長", "代表",
          "代表取締役", "最高経営責任者", "CEO", "教授", "所長", "長官", "大使", "総領事", "部長", "局長", "委員長",
          "総裁", "頭取", "学長", "院長", "センター長", "氏", "さん", "様")
_TITLE = re.compile("(?:" + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)) + ")$")
PRONOUNS = ("同氏", "同知事", "同議長", "同社長", "彼", "彼女")
MIN_UNATTRIBUTED_CHARS = 12  # a short 「…」 with no verb is a name or a term: 「おもてなし」


@dataclass
class Bracket:
    open: int
    close: int
    mark: str


def find_brackets(flat: str, body: Body) -> list[Bracket]:
    """Top-level 「…」 and 『…』 (a 『』 inside 「」 is a quote within the quote), over paragraphs."""
    found, i = [], 0
    opener = re.compile("[「『]")
    while match := opener.search(flat, i):
        mark, depth, j = match.group(), 0, match.start()
        closing = BRACKETS[mark]
        while True:
            j += 1
            if j >= len(flat):
                raise ReleaseError(body.line_at(match.start()), f"la citation ouverte par {mark} n'est jamais fermée par {closing}")
            if flat[j] == mark:
                depth += 1
            elif flat[j] == closing:
                if depth == 0:
                    break
                depth -= 1
        found.append(Bracket(match.start(), j, mark))
        i = j + 1
    return found


def quote_text(raw: str) -> str:
    paragraphs = [" ".join(part.split()).strip("「」 \u3000") for part in raw.split("\n")]
    return "\n".join(p for p in paragraphs if p)


class JapaneseSpeakers:
    """Designations ("デルガ議長", "議長", "同氏") to speaker names: front-matter aliases, then existing speakers."""

    def __init__(self, known: dict[str, dict]):
        self.aliases = sorted(
            ((alias, name) for name, info in known.items() for alias in [name, *info.get("aliases", [])] if alias),
            key=lambda pair: -len(pair[0]),
        )
        self.names = [name for name in Speaker.objects.values_list("name", flat=True).order_by("name")[:5000]]
        self.last: str | None = None

    def resolve(self, who: str | None) -> str | None:
        if not who:
            return None
        who = re.split(r"[、の]", who)[-1] if not any(alias in who for alias, _n in self.aliases) else who
        if who in PRONOUNS or who.startswith("同"):
            return self.last
        for alias, name in self.aliases:
            if alias in who:
                return name
        for name in self.names:
            if name in who:
                return name
        return None

    def designates_someone(self, who: str | None) -> bool:
        return bool(who) and (bool(_TITLE.search(who)) or who in PRONOUNS or who.startswith("同")
                              or any(alias in who for alias, _n in self.aliases))


def attribute_japanese_quotes(body: Body, known: dict[str, dict]) -> tuple[list[QuoteSpec], dict[str, dict], list[str]]:
    """Quotes of a Japanese text with their speakers' names (None when unknown: service.py may take
    the original's), the speakers as known, and warnings."""
    flat = body.flat()
    speakers = JapaneseSpeakers(known)
    quotes: list[QuoteSpec] = []
    warnings: list[str] = []
    brackets = find_brackets(flat, body)
    if len(brackets) > 4 * MAX_QUOTES_PER_ARTICLE:
        raise ReleaseError(body.line_at(brackets[4 * MAX_QUOTES_PER_ARTICLE].open),
                           f"{len(brackets)} passages entre crochets : un communiqué en compte {4 * MAX_QUOTES_PER_ARTICLE} au plus")
    for bracket in brackets:
        text = quote_text(flat[bracket.open + 1 : bracket.close])
        if not text:
            continue
        explicit, who = _designation(flat, bracket)
        if not explicit:
            alone = _alone_in_paragraph(flat, bracket)
            if bracket.mark == "『" or (not alone and len(text) < MIN_UNATTRIBUTED_CHARS):
                continue  # 『作品名』, 「おもてなし」: a title or a term, not somebody's words
            who = _subject_before(flat, bracket.open, speakers)
        name = speakers.resolve(who) if who else None
        if name is None and not explicit and speakers.last is not None:
            name = speakers.last  # a quote standing alone continues the current speaker
        if name is not None:
            speakers.last = name
        quotes.append(QuoteSpec(text=text, speaker=name, line=body.line_at(bracket.open),
                                designation=(who or "") if name is None else ""))
    used = {q.speaker for q in quotes if q.speaker}
    people = {name: {"role": info.get("role", ""), "organisation": info.get("organisation", "")}
              for name, info in known.items() if name in used}
    people.update({name: {"role": "", "organisation": ""} for name in used if name not in people})
    return quotes, people, warnings


def new_person(designation: str) -> tuple[str, str] | None:
    """(name, title) for a designation that names somebody the press room does not know yet:
    "田中太郎社長" → ("田中太郎", "社長"), "マリー・デュポン氏" → ("マリー・デュポン", ""). None when the
    name cannot be told from an office or a place ("山田啓二京都府知事", "議長")."""
    title = _TITLE.search(designation)
    name = designation[: title.start()] if title else designation
    katakana_name = re.fullmatch(r"[\u30a0-\u30ff]+(?:[・=＝][\u30a0-\u30ff]+)+", name)
    kanji_name = re.fullmatch(r"[\u4e00-\u9fff\u3040-\u309f]{2,4}", name)
    if not title or not (katakana_name or kanji_name):
        return None
    role = title.group()
    return name, "" if role in ("氏", "さん", "様") else role


def _designation(flat: str, bracket: Bracket) -> tuple[bool, str | None]:
    """(explicit, who): the verb of speech and the designation around the quote, when there are."""
    after = AFTER.match(flat, bracket.close + 1)
    sentence_start = max(flat.rfind("。", 0, bracket.open), flat.rfind("\n", 0, bracket.open)) + 1
    before = BEFORE.search(flat[sentence_start : bracket.open])
    if after:
        if after.group("who"):
            return True, after.group("who")
        return True, before.group("who") if before else None
    # 「…」 opening its sentence after "X は次のように述べました。"
    if not flat[sentence_start : bracket.open].strip(" \u3000"):
        previous_end = sentence_start - 1
        previous_start = max(flat.rfind("。", 0, max(previous_end, 0)), flat.rfind("\n", 0, max(previous_end, 0))) + 1
        announced = ANNOUNCE.search(flat[previous_start : previous_end + 1])
        if announced:
            return True, announced.group("who")
    if before and re.search(_VERB, flat[bracket.close + 1 : bracket.close + 30].split("。")[0]):
        return True, before.group("who")
    return False, None


def _alone_in_paragraph(flat: str, bracket: Bracket) -> bool:
    start = flat.rfind("\n", 0, bracket.open) + 1
    end = flat.find("\n", bracket.close)
    end = len(flat) if end == -1 else end
    return not flat[start : bracket.open].strip(" \u3000") and not flat[bracket.close + 1 : end].strip(" \u3000。")


def _subject_before(flat: str, offset: int, speakers: JapaneseSpeakers) -> str | None:
    """The last subject (X は / X が) designating a person before `offset`."""
    for match in reversed(list(SUBJECT.finditer(flat, max(0, offset - 2000), offset))):
        if speakers.designates_someone(match.group("who")):
            return match.group("who")
    return None
