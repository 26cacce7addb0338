"""Search over public releases.

Every article keeps `search_document`: the accent-folded, lower-cased text of its
title, standfirst, body, dateline, quotes, speakers, tags, photo captions and credits.

- PostgreSQL: full-text search with the `french_unaccent` configuration (French
  stemming after unaccent; migration 0005), ranked with ts_rank over a stored,
  GIN-indexed tsvector column that PostgreSQL derives from search_document (0006). "coopérations" finds "coopération", "economie" finds "Économie".
- PostgreSQL, English releases: the same with the `english` configuration (stemming);
  Japanese releases: every term must occur as a substring, through a pg_trgm index (0011).
- Other databases (SQLite): every folded term must occur in the document, with a
  light French plural folding ("coopérations" → "cooperation"); ordered by date.

Either way the query starts from Article.objects.public().
"""

from __future__ import annotations

import html
import re
import unicodedata

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..sanitize import html_to_text

MAX_QUERY_LENGTH = 200
KANA_VOICING = "\u3099\u309a"  # combining dakuten and handakuten
_WORD = re.compile(r"[\w’']+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents: "Économie à Kyoto" → "economie a kyoto" (one char per char where possible)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    # Kana voicing marks are letters, not accents: "パ" is not "ハ" (issue #14); NFC puts them back.
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c) or c in KANA_VOICING)
    return unicodedata.normalize("NFC", stripped).replace("’", "'").lower()


def _strip_tags(markup: str) -> str:
    return html_to_text(markup)  # the one HTML → text conversion (articles/sanitize.py)


def with_searched_relations(queryset):
    """What document_for() reads, prefetched: a fixed number of queries for any number of articles."""
    from ..models import ArticlePhoto, Quote

    return queryset.prefetch_related(
        "tags__translations",
        Prefetch("quotes", queryset=Quote.objects.select_related("speaker")),
        Prefetch("article_photos", queryset=ArticlePhoto.objects.select_related("photo__credit")),
    )


def document_for(article) -> str:
    """The searchable text of an article and of everything it shows."""
    parts = [article.title, article.standfirst, _strip_tags(article.body), article.location]
    # A tag under its name and, in a translation, its name in that language (issue #14): "Economy" finds it on /en/.
    for tag in article.tags.all():
        parts += [tag.name, *(t.name for t in tag.translations.all() if t.language == article.language)]
    for quote in article.quotes.all():
        parts += [quote.text, quote.speaker.name, quote.speaker.role, quote.speaker.organisation]
    for placement in article.article_photos.all():
        parts += [placement.shown_caption, placement.photo.credit.name]
    return fold(" ".join(p for p in parts if p))


def refresh_search_document(article) -> None:
    """Store the article's search text; call after its tags, quotes and photos are saved."""
    fresh = with_searched_relations(type(article).objects.filter(pk=article.pk)).first()
    if fresh is None:
        return
    document = document_for(fresh)
    type(article).objects.filter(pk=article.pk).update(search_document=document)
    article.search_document = document


def refresh_search_documents(queryset, *, chunk: int = 500) -> int:
    """Refresh many articles' search text in batches (a renamed speaker quoted 30,000 times).

    A handful of queries per `chunk` articles instead of four per article.
    """
    from ..models import Article

    ids = list(queryset.order_by().values_list("pk", flat=True).distinct())
    for start in range(0, len(ids), chunk):
        batch = list(with_searched_relations(Article.objects.filter(pk__in=ids[start : start + chunk])))
        for article in batch:
            article.search_document = document_for(article)
        Article.objects.bulk_update(batch, ["search_document"])
    return len(ids)


def terms_of(query: str) -> list[str]:
    return [t for t in _WORD.findall(fold(query)) if len(t) > 1][:12]


def _singular(term: str) -> str:
    # Enough French plural folding for a fallback: "cooperations" → "cooperation", "journaux" stays.
    return term[:-1] if len(term) > 3 and term.endswith("s") else term


# PostgreSQL's text search configuration per language (migration 0011 stores each release's vector
# with its own). Japanese is absent on purpose: written without spaces, a sentence would be one
# token; its releases are matched by substring (every term must occur), through a trigram index.
TEXT_SEARCH_CONFIGS = {"fr": "french_unaccent", "en": "english"}

# However many releases match, only the newest RANK_WINDOW are counted and ranked: a
# search for a word in half the archive costs the same at 1,000 and at 100,000 releases.
RANK_WINDOW = 1000


def search(queryset, query: str, language: str | None = None):
    """Filter and order `queryset` (already public, in `language`: French by default) by `query`."""
    terms = terms_of(query)
    if not terms:
        return queryset.none()
    # Issue #14: the page's language decides (the queryset holds that language's releases only).
    config = TEXT_SEARCH_CONFIGS.get((language or settings.LANGUAGE_CODE).split("-")[0])
    full_text = connection.vendor == "postgresql" and config is not None
    if full_text:
        tsquery = f"websearch_to_tsquery('{config}'::regconfig, %s)"
        # Unqualified on purpose: inside the subquery below the table is aliased (U0).
        vector = "search_vector"  # stored and GIN-indexed (migration 0006)
        folded = " ".join(terms)
        matching = queryset.extra(where=[f"{vector} @@ {tsquery}"], params=[folded])
    else:
        matching = queryset
        for term in terms:
            matching = matching.filter(search_document__contains=_singular(term))
    newest = matching.order_by("-publish_at", "-id").values("pk")[:RANK_WINDOW]
    results = queryset.filter(pk__in=newest)
    if full_text:
        # Highlighted by PostgreSQL (headline(), below), which stems and folds accents as the search
        # did: the body is not read, the search text never is.
        return results.defer("body", "search_document").annotate(
            rank=RawSQL(f"ts_rank({vector}, {tsquery})", [folded]),
            headline_title=RawSQL(f"ts_headline('{config}'::regconfig, {_unmarked('title')}, {tsquery}, %s)",
                                  [folded, TITLE_HEADLINE]),
            headline_excerpt=RawSQL(_excerpt_headline(config, tsquery), [folded, folded, EXCERPT_HEADLINE, folded]),
        ).order_by("-rank", "-publish_at", "-id")
    return results.defer("search_document").order_by("-publish_at", "-id")


# PostgreSQL's ts_headline returns raw text with the found words between StartSel and StopSel. The
# text is the stored title, standfirst and body (HTML stripped by a regular expression, entities
# still encoded): never markup to trust. So the selection is marked with two characters that
# are first removed from the text (_unmarked), and headline() escapes every piece of text and
# turns only those characters into <mark> and </mark>.
_OPEN, _CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧
TITLE_HEADLINE = f'StartSel="{_OPEN}", StopSel="{_CLOSE}", HighlightAll=true'
# About the 220 characters of the Python excerpt: one fragment of 15 to 35 words around the best match.
EXCERPT_HEADLINE = f'StartSel="{_OPEN}", StopSel="{_CLOSE}", MaxFragments=1, MaxWords=35, MinWords=15, ShortWord=2'
_EXCERPT_TEXT = "coalesce(standfirst, '') || ' ' || regexp_replace(body, '<[^>]*>', ' ', 'g')"
_MARKERS = re.compile(f"([{_OPEN}{_CLOSE}])")


def _unmarked(sql: str) -> str:
    return f"translate({sql}, '{_OPEN}{_CLOSE}', '')"


# ts_headline parses (and stems) all the text it is given: over a whole body, 0.8 ms a release, the
# largest part of a page of results' SQL at 100,000 releases (issue #17). It is given EXCERPT_WINDOW
# characters of the text instead, from EXCERPT_LEAD characters (and a word boundary) before the first
# place where a word of the query may be: a regular expression made of the query's own stems
# (querytree: "coopérations" → 'cooper'), each letter with its accented and capital forms, at the
# start of a word (French stems begin their words; one letter short, 'regiona' also finds "régionaux").
# Where it finds nothing (the words are only in the title, a quote or a tag, or a stem does not
# begin its word), the text's beginning: what ts_headline shows when nothing matches. In the window,
# any of the query's words is marked (the query's stems joined by "or"): with "and", a window that
# holds one word and not the other would show no mark at all.
EXCERPT_WINDOW = 600
EXCERPT_LEAD = 150
_LETTER_FORMS = {"a": "aàâäAÀÂÄ", "e": "eéèêëEÉÈÊË", "i": "iîïIÎÏ", "o": "oôöOÔÖ", "u": "uùûüUÙÛÜ", "y": "yÿYŸ", "c": "cçCÇ"}


def _stems(tsquery: str, expression: str) -> str:
    """SQL aggregating `expression` over the query's stems, each `quoted` as in querytree's text
    ('lyce', a quote doubled), and `stem`; excluded words (!'osaka') are left out."""
    return (
        f"(SELECT {expression} FROM (SELECT m[1] AS quoted, replace(substr(m[1], 2, char_length(m[1]) - 2), '''''', '''') AS stem"
        rf" FROM regexp_matches(querytree({tsquery}), '(?<!!)(''(?:[^'']|'''')+'')', 'g') AS m) AS stems)"
    )


def _stems_pattern(tsquery: str) -> str:
    """SQL for the pattern '\\m(c[oô…][oô…]p[eé…]|ky[oô…]t)' of the query's stems, one letter short beyond four."""
    stem = "CASE WHEN char_length(stem) > 4 THEN left(stem, -1) ELSE stem END"
    stem = rf"regexp_replace({stem}, '([^[:alnum:]_])', '\\\1', 'g')"  # regular-expression characters escaped
    for letter, forms in _LETTER_FORMS.items():  # no class holds a plain letter replaced after it
        stem = f"replace({stem}, '{letter}', '[{forms}]')"
    return _stems(tsquery, rf"'\m(' || string_agg({stem}, '|') || ')'")


def _excerpt_headline(config: str, tsquery: str) -> str:
    """ts_headline of the standfirst and body, over EXCERPT_WINDOW characters from before the first word found.

    Its parameters: the query twice (the words marked), EXCERPT_HEADLINE, the query (the window's stems).
    """
    any_word = _stems(tsquery, "string_agg(quoted, ' | ')::tsquery")
    window = (
        f"CASE WHEN found <= {EXCERPT_LEAD} THEN left(excerpt_text, {EXCERPT_WINDOW})"
        # From the start of a word: the window's first word is never cut.
        rf" ELSE regexp_replace(substr(excerpt_text, found - {EXCERPT_LEAD}, {EXCERPT_WINDOW}), '^\S*\s+', '') END"
    )
    return (
        f"(SELECT ts_headline('{config}'::regconfig, {_unmarked(window)}, coalesce({any_word}, {tsquery}), %s)"
        f" FROM (SELECT excerpt_text, regexp_instr(excerpt_text, {_stems_pattern(tsquery)}, 1, 1, 0, 'i') AS found"
        f" FROM (SELECT {_EXCERPT_TEXT} AS excerpt_text) AS text) AS excerpt)"
    )


def headline(raw: str, *, ellipsis_unless_starts: str | None = None) -> SafeString:
    """ts_headline's answer as safe HTML: text escaped (entities decoded first), only the selection in <mark>."""
    out, inside = [], False
    for piece in _MARKERS.split(raw or ""):
        if piece == _OPEN:
            if not inside:
                out.append("<mark>")
            inside = True
        elif piece == _CLOSE:
            if inside:
                out.append("</mark>")
            inside = False
        else:
            out.append(escape(re.sub(r"\s+", " ", html.unescape(piece))))
    if inside:
        out.append("</mark>")
    marked = "".join(out).strip()
    if ellipsis_unless_starts is not None:
        plain = _MARKERS.sub("", re.sub(r"\s+", " ", html.unescape(raw or ""))).strip()
        start = re.sub(r"\s+", " ", html_to_text(ellipsis_unless_starts)).strip()
        if plain and start and not start.startswith(plain[:40]):
            marked = "… " + marked
        if marked and not marked.endswith((".", "!", "?", "…")):
            marked += " …"
    return mark_safe(marked)


def highlight(text: str, query: str, width: int = 220) -> SafeString:
    """An excerpt of `text` around the first term found, with every term in <mark>."""
    plain = re.sub(r"\s+", " ", _strip_tags(text)).strip()
    stems = sorted({_singular(t) for t in terms_of(query)}, key=len, reverse=True)
    # Positions in `folded` must be positions in `plain`: folding the whole text keeps its
    # length for nearly every French text (é → e); only when it does not (a ligature, a
    # fraction such as ¾), fold character by character.
    folded = fold(plain)
    if len(folded) != len(plain):
        folded = "".join((fold(c) or c)[:1] for c in plain)
    spans = []
    for stem in stems:
        for match in re.finditer(re.escape(stem), folded):
            spans.append((match.start(), match.end()))
    spans.sort()
    if len(plain) <= width or not spans:
        start = 0
    else:
        # Start a third of the width before the first match, on a word boundary, never mid-word.
        start = max(0, spans[0][0] - width // 3)
        if start > 0:
            space = plain.find(" ", start, spans[0][0])
            start = space + 1 if space != -1 else spans[0][0]
    end = min(len(plain), start + width)
    if end < len(plain):
        space = plain.rfind(" ", start, end)
        if space > start:
            end = space
    out, cursor = [], start
    for s, e in spans:
        if s < cursor or e > end:
            continue
        out += [escape(plain[cursor:s]), "<mark>", escape(plain[s:e]), "</mark>"]
        cursor = e
    out.append(escape(plain[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(plain) else ""
    return mark_safe(prefix + "".join(out) + suffix)
