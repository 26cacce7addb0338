"""Slugs and ASCII folding: one rule for addresses, download names and ASCII-only metadata.

`ascii_fold` writes French (and other Latin-script) text in plain ASCII the way a person
would: "Vœux" → "Voeux", "Straße" → "Strasse", "Ørsted" → "Orsted". Django's `slugify`
only drops combining accents (NFKD), so letters that are not "a letter plus an accent"
(œ, æ, ß, ø, ł, đ, þ…) vanished: "Vœux" became "vux". They are spelt out first here.

`slugify_fr` keeps a decimal number readable: "4,2 milliards" → "4-2-milliards", not
"42-milliards" (a different amount).

Existing slugs never change: models only derive a slug when it is blank, and nothing
regenerates them; an address already given keeps working. `legacy_slugify` is the rule
slugs were made with before (issue #16), kept for the importer, which recognises a release
it imported earlier by the slug derived from its title.
"""

import re
import unicodedata

from django.utils.text import slugify

# Latin letters NFKD does not decompose into "base letter + accent", spelt as usual in ASCII.
# (ĳ, ﬁ, ﬂ, ſt… are compatibility ligatures: NFKD already splits them.)
_SPELLED = str.maketrans({
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS",
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "NG",
    "ĸ": "q", "ƒ": "f",
    # Typography: the apostrophe and quotes French uses, dashes, the ellipsis, spaces.
    "’": "'", "‘": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "‹": "'", "›": "'", "–": "-", "—": "-", "‒": "-", "―": "-", "‐": "-", "‑": "-", "−": "-",
    "…": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    "€": "EUR", "©": "(c)", "®": "(R)", "™": "(TM)", "°": " ", "×": "x",
})
# A comma or point between two digits is a decimal (or thousands) separator: keep the numbers apart.
_DECIMAL = re.compile(r"(?<=\d)[.,](?=\d)")


def ascii_fold(text: str) -> str:
    """`text` in printable ASCII, letters spelt out rather than dropped: "Vœux à Kraków" → "Voeux a Krakow".

    Characters with no ASCII spelling (Japanese, emoji) are dropped, and so are control
    characters; what remains may be "" (callers choose their fallback)."""
    # NFKD writes "¾" as "3⁄4" with a fraction slash: an ordinary slash reads the same.
    spelled = unicodedata.normalize("NFKD", str(text).translate(_SPELLED)).replace("\u2044", "/")
    kept = "".join(c for c in spelled if not unicodedata.combining(c))
    ascii_text = kept.encode("ascii", "ignore").decode("ascii")
    # Tabs and line breaks become spaces; every other control character (NUL, ESC…) is dropped.
    ascii_text = re.sub(r"[\t\r\n]+", " ", ascii_text)
    return re.sub(r"[\x00-\x1f\x7f]", "", ascii_text)


def slugify_fr(text: str) -> str:
    """The slug of `text` under the current rule: "Vœux 2026 : 4,2 milliards" → "voeux-2026-4-2-milliards"."""
    return slugify(_DECIMAL.sub("-", ascii_fold(text)))


def legacy_slugify(text: str) -> str:
    """The rule slugs were made with before issue #16 ("Vœux" → "vux", "4,2" → "42"); for recognising them only."""
    return slugify(text)


def cut_at_word(slug: str, limit: int) -> str:
    """`slug` shortened to at most `limit` characters at a hyphen, never inside a word
    ("inauguration-du-tramway", 18 → "inauguration-du"). A first word longer than the limit
    is cut (there is no boundary to keep)."""
    slug = slug.strip("-")
    if len(slug) <= limit:
        return slug
    head = slug[: limit + 1]
    boundary = head.rfind("-")
    return (head[:boundary] if boundary > 0 else slug[:limit]).strip("-")


def unique_slug(model, text: str, *, max_length: int = 200, exclude_pk=None, field: str = "slug") -> str:
    """An ASCII slug for `text` ("Économie à Kyoto" → "economie-a-kyoto"), made unique with -2, -3…

    Only called when a slug is blank (a new row, a recovered release whose address was taken):
    a slug once given is never recomputed, so changing this rule changes no existing address."""
    base = cut_at_word(slugify_fr(text), max_length) or "communique"
    candidate, n = base, 1
    others = model._default_manager.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    while others.filter(**{field: candidate}).exists():
        n += 1
        suffix = f"-{n}"
        candidate = cut_at_word(base, max_length - len(suffix)) + suffix
    return candidate
