"""The body of a release: text or Markdown to HTML, with the photo credit lines taken out."""

from __future__ import annotations

import bisect
import html
import re

import markdown

# "(Crédit photo: X)", "Crédit photo : X", "Photo : X", "© X": a whole line, or a parenthesis ending one.
_CREDIT_WORDS = r"(?:cr[ée]dits?\s+photos?|photos?\s+cr[ée]dits?|photos?|cr[ée]dits?|©)"
CREDIT_LINE = re.compile(rf"^\s*\(?\s*(?:{_CREDIT_WORDS}\s*:|©)\s*(?P<name>[^()]+?)\s*\)?\s*\.?\s*$", re.IGNORECASE)
CREDIT_TAIL = re.compile(rf"\s*\(\s*(?:{_CREDIT_WORDS}\s*:|©)\s*(?P<name>[^()]+?)\s*\)\s*\.?\s*$", re.IGNORECASE)


def credit_in(line: str, markdown_text: bool) -> tuple[str | None, str]:
    """(credit name, the line without it) — or (None, line) when the line carries no credit."""
    probe = line.strip().strip("*_") if markdown_text else line
    match = CREDIT_LINE.match(probe)
    if match:
        return match.group("name").strip(" *_"), ""
    match = CREDIT_TAIL.search(line)
    if match:
        return match.group("name").strip(" *_"), line[: match.start()].rstrip()
    return None, line


class Body:
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
