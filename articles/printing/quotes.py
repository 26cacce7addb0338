"""Which quotes a release's body already holds, so that paper shows each quote once.

Writers put a quote in the text and again in the release's quotes (which the pages,
the API and the speaker pages use as data: who said what). On screen the "Citations"
block presents them; on paper (the print style sheet, the PDF) a quote whose words are
already in the body is not printed a second time, only who said it.
"""

from __future__ import annotations

import re
import unicodedata

from ..sanitize import html_to_text

# Quotation marks and apostrophes in every form writers and importers use, compared as one.
_MARKS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "«": " ", "»": " ", "“": " ", "”": " ",
                        "„": " ", '"': " ", "「": " ", "」": " ", "『": " ", "』": " ", "\u00a0": " ",
                        "\u202f": " "})


def normalised(text: str) -> str:
    """Lower case, one kind of apostrophe, no quotation marks, spaces collapsed: what a reader compares."""
    text = unicodedata.normalize("NFC", text or "").translate(_MARKS).casefold()
    return re.sub(r"\s+", " ", text).strip(" .,;:!?…-—–")


def quotes_in_body(article) -> set[int]:
    """The ids of `article`'s quotes whose words stand in its body (its prefetched quotes; no query then).

    Kept on the instance: the page's template asks once per quote.
    """
    found = getattr(article, "_quotes_in_body", None)
    if found is None:
        body = normalised(html_to_text(article.body))
        found = set()
        for quote in article.quotes.all():
            words = normalised(quote.text)
            if words and words in body:
                found.add(quote.pk)
        article._quotes_in_body = found
    return found
