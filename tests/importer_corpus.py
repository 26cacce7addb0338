"""Measure the importer's quote attribution on the corpus of realistic releases in
tests/data/corpus/ (expected.yaml says, for each file, every quote and who says it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from articles.importer.parsing import parse_release

CORPUS = Path(__file__).parent / "data" / "corpus"


@dataclass
class Score:
    present: int = 0  # quotes a careful reader finds (or titles in quotation marks, expected unnamed)
    correct: int = 0  # attributed to the right person, or left unnamed when nobody may be named
    wrong: list[str] = field(default_factory=list)  # named, but the wrong person: never acceptable
    missed: list[str] = field(default_factory=list)  # not found, or found without a speaker


def _normalise(text: str) -> str:
    return text.replace("’", "'").replace("\u00a0", " ").lower()


def measure(corpus: Path = CORPUS) -> dict[str, Score]:
    """{"fr": Score, "en": Score}: each file is parsed as an editor's import would read it."""
    expected = yaml.safe_load((corpus / "expected.yaml").read_text(encoding="utf-8"))
    scores = {"fr": Score(), "en": Score()}
    for name, quotes in expected.items():
        score = scores[name[:2]]
        found = parse_release(corpus / name).quotes
        for start, speaker in quotes:
            score.present += 1
            match = next((q for q in found if _normalise(q.text).startswith(_normalise(start))), None)
            got = match.speaker if match else None
            if got == speaker:
                score.correct += 1
            elif got is not None:
                score.wrong.append(f"{name}: « {start} » → {got} (attendu : {speaker})")
            else:
                score.missed.append(f"{name}: « {start} » ({'sans auteur' if match else 'non trouvée'}, attendu : {speaker})")
        starts = [_normalise(s) for s, _speaker in quotes]
        for quote in found:
            if quote.speaker and not any(_normalise(quote.text).startswith(s) for s in starts):
                score.wrong.append(f"{name}: passage inattendu attribué à {quote.speaker} (« {quote.text[:40]} »)")
    return scores


def report(scores: dict[str, Score]) -> str:
    lines = []
    for language, score in scores.items():
        share = 100 * score.correct / score.present if score.present else 0
        lines.append(f"{language}: {score.correct}/{score.present} correct ({share:.0f} %), {len(score.wrong)} wrong")
        lines += [f"  wrong: {w}" for w in score.wrong] + [f"  missed: {m}" for m in score.missed]
    return "\n".join(lines)
