"""The release importer: a press office's text file in, one article with its photos,
credits, quotes, speakers, tags and contacts out, in one transaction.

A release is plain text or Markdown (by its extension), with an optional YAML
front matter. Everything is read and checked first (front matter, dates, photos,
credits, quotes); only then is anything written, so a bad file leaves no row and
no stored file behind. Errors name the line of the release they come from.

Quotes are attributed by a small, general heuristic over French press prose:
see `quotes.attribute_quotes()`.

The modules, in the order a release goes through them:

- `release`: the error class and what a release says once read (`ParsedRelease` and its specs);
- `frontmatter`: the YAML header, with the line of every field;
- `body`: the body text to HTML, and the credit lines taken out of it;
- `quotes`: the quoted passages, and who said each (`attribute_quotes()`);
- `vocabulary`, `mentions`, `attribution`: the French words the attribution reads,
  the people and offices named in the text, and who says what;
- `parsing`: a file to a checked `ParsedRelease`, writing nothing;
- `service`: `import_release()`, the one-transaction write, and the summary for the editor.
"""

from .parsing import parse_release
from .release import ParsedRelease, ReleaseError
from .service import ImportResult, find_imported, import_release
from .vocabulary import role_matches

__all__ = [
    "ImportResult",
    "ParsedRelease",
    "ReleaseError",
    "find_imported",
    "import_release",
    "parse_release",
    "role_matches",
]
