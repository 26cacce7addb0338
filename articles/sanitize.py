"""The one allowlist for rich text: what an editor may put in a release body.

Everything else (scripts, event handlers, styles, iframes, javascript: links)
is removed on the server by nh3, whatever wrote the HTML: the admin editor,
the importer or a script.
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "u", "s", "sub", "sup",
    "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Return `html` reduced to the allowlist; an editor's empty paragraph becomes ""."""
    cleaned = _cleaner.clean(html or "").strip()
    if cleaned in {"<p></p>", "<p><br></p>"}:
        return ""
    return cleaned


_BLOCK_END = re.compile(r"</(?:p|h[2-4]|li|blockquote|ul|ol)>|<hr\s*/?>", re.IGNORECASE)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(body_html: str) -> str:
    """A sanitised body as plain text: a blank line between blocks, a newline for <br>, entities decoded.

    The one conversion used by the press kit (COMMUNIQUE.txt), the search document and
    its excerpts, and the admin's history diff. Inline tags vanish without a space, so
    "<strong>Kyo</strong>to" stays one word.
    """
    text = _BLOCK_END.sub("\n\n", body_html or "")
    text = _LINE_BREAK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
