"""The optional YAML front matter of a release: fields checked, with the file line of each
for the error messages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ..models import Article
from ..paris_time import local_time_problem
from .release import CaptionSpec, ContactSpec, ParsedRelease, PhotoSpec, ReleaseError

# The help text of Article.publish_at promises Paris time to editors, whatever the server's zone.
PARIS = ZoneInfo("Europe/Paris")
# Elements of the front matter once its aliases are expanded. A release's header has a few
# dozen; a 343-byte "billion laughs" (nine aliases of nine aliases...) expands to hundreds of
# millions, and walking them (for the line numbers, the tags) never ended.
MAX_YAML_NODES = 2000
KNOWN_FIELDS = {
    "title", "standfirst", "date", "location", "language", "status", "tags",
    "photo", "photos", "speakers", "contacts", "translation_of", "captions",
}
# A tag's or a caption's length, as the models store them.
TAG_NAME_MAX = 100
CAPTION_MAX, ALT_MAX = 300, 250

IMPORTABLE_STATUSES = (Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED)


def _node_lines(node, first_line: int):
    """Line numbers parallel to the YAML data: {key: (line, children)} / [(line, children)]."""
    if isinstance(node, yaml.MappingNode):
        return {
            k.value: (first_line + k.start_mark.line, _node_lines(v, first_line))
            for k, v in node.value
            if isinstance(k, yaml.ScalarNode)
        }
    if isinstance(node, yaml.SequenceNode):
        return [(first_line + item.start_mark.line, _node_lines(item, first_line)) for item in node.value]
    return None


def load_front_matter(text: str, first_line: int) -> tuple[dict, dict]:
    """YAML to data plus line numbers. `first_line` is the file line of the YAML's first line.

    PyYAML is used directly rather than through python-frontmatter's loader: only
    the composed node tree keeps the line of each field, which the error messages need.
    """
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise ReleaseError(first_line, "en-tête YAML trop imbriqué (listes dans des listes…) : simplifiez-le") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = first_line + mark.line if mark else first_line
            problem = getattr(exc, "problem", None) or str(exc)
            raise ReleaseError(line, f"en-tête YAML invalide ({problem})") from exc
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise ReleaseError(first_line, "l'en-tête YAML doit être une liste de champs « nom: valeur »")
        _check_size_and_text(node, first_line)
        data = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node))
            try:
                data[key] = loader.construct_object(value_node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                # PyYAML raises a bare ValueError for an impossible date such as 2019-02-30.
                line = first_line + value_node.start_mark.line
                raw = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
                if key == "date":
                    raise ReleaseError(line, f"date impossible « {raw} » ({exc})") from exc
                raise ReleaseError(line, f"valeur « {raw} » illisible pour « {key} » ({exc})") from exc
        return data, _node_lines(node, first_line)
    finally:
        loader.dispose()


def _check_size_and_text(root: yaml.MappingNode, first_line: int) -> None:
    """Refuse, before anything is built from it, a header that expands past MAX_YAML_NODES
    (aliases counted each time they are used, a self-referencing alias counted as too many)
    or whose text holds a NUL character (a "\\0" escape: PostgreSQL cannot store it)."""
    sizes: dict[int, int] = {}

    def size(node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = MAX_YAML_NODES + 1  # reached again while counting it: it contains itself
        total = 1
        if isinstance(node, yaml.ScalarNode):
            if "\x00" in node.value:
                raise ReleaseError(first_line + node.start_mark.line, "caractère nul (\\0) dans l'en-tête YAML")
        else:
            children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
            for child in children:
                total += size(child)
                if total > MAX_YAML_NODES:
                    break
        sizes[id(node)] = total = min(total, MAX_YAML_NODES + 1)
        return total

    count = 1
    try:
        for key, value in root.value:
            count += size(key) + size(value)
            if count > MAX_YAML_NODES:
                raise ReleaseError(
                    first_line + key.start_mark.line,
                    f"en-tête YAML trop volumineux une fois ses alias développés (plus de {MAX_YAML_NODES} éléments) : "
                    "écrivez chaque valeur en entier, sans alias (*nom)",
                )
    except RecursionError:
        raise ReleaseError(first_line, "en-tête YAML trop imbriqué (listes dans des listes…) : simplifiez-le") from None


def field_line(lines, *path, default: int = 1) -> int:
    """The line of a field, e.g. field_line(lines, "photos", 0, "file"); the nearest known parent otherwise."""
    found, node = default, lines
    for step in path:
        try:
            found, node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return found


def field_text(value, *, line: int, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ReleaseError(line, f"« {name} » doit être un texte")
    return str(value).strip()


def _parse_date(value, line: int) -> datetime:
    """ISO date or date-time; a time without zone is Paris time, a bare date is midnight in Paris."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        raw = str(value).strip()
        try:
            parsed = parse_datetime(raw)
            if parsed is None:
                day = parse_date(raw)
                parsed = datetime(day.year, day.month, day.day) if day else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ReleaseError(line, f"date illisible « {raw} » : écrivez par exemple 2019-10-30 ou 2019-10-30 10:00")
    if timezone.is_naive(parsed):
        # Refused as in the admin: a skipped or repeated Paris hour would go live at a guessed minute.
        if problem := local_time_problem(parsed):
            raise ReleaseError(line, problem)
        parsed = parsed.replace(tzinfo=PARIS)
    return parsed


def apply_front_matter(release: ParsedRelease, data: dict, lines: dict, base: Path) -> None:
    release.lines = {key: field_line(lines, key) for key in data}
    for key in data:
        if key not in KNOWN_FIELDS:
            release.warnings.append(f"ligne {field_line(lines, key)} : champ « {key} » inconnu, ignoré")
    release.standfirst = field_text(data.get("standfirst"), line=field_line(lines, "standfirst"), name="standfirst")
    release.location = field_text(data.get("location"), line=field_line(lines, "location"), name="location")
    if data.get("date") not in (None, ""):
        release.publish_at = _parse_date(data["date"], field_line(lines, "date"))
    if "language" in data:
        language = field_text(data["language"], line=field_line(lines, "language"), name="language").lower()
        codes = [code for code, _name in settings.LANGUAGES]
        if language not in codes:
            raise ReleaseError(field_line(lines, "language"), f"langue « {language} » inconnue ; langues possibles : {', '.join(codes)}")
        release.language = language
    if data.get("translation_of") not in (None, ""):
        # The original's slug: the address it already has ("occitanie-japon-…"), never a guess on its title.
        release.translation_of = field_text(data["translation_of"], line=field_line(lines, "translation_of"),
                                            name="translation_of").strip().strip("/").split("/")[-1]
    if "status" in data:
        status = field_text(data["status"], line=field_line(lines, "status"), name="status").lower()
        # An import creates a release: a withdrawal or a removal is a publisher's act on one
        # that exists (with a public reason), never something a file can ask for.
        if status not in IMPORTABLE_STATUSES:
            why = "impossible à l'import (un retrait ou une suppression se fait dans l'administration)" if status in Article.Status.values else "inconnu"
            raise ReleaseError(
                field_line(lines, "status"), f"état « {status} » {why} ; états possibles : {', '.join(IMPORTABLE_STATUSES)}"
            )
        release.status = status
    tags = data.get("tags") or []
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list):
        raise ReleaseError(field_line(lines, "tags"), "« tags » doit être une liste")
    release.tags = []
    for i, tag in enumerate(tags):
        line = field_line(lines, "tags", i)
        if isinstance(tag, dict):
            # "- Économie: Economy": the original's tag, under its name in this translation's language.
            if not release.translation_of or len(tag) != 1:
                raise ReleaseError(line, "un mot-clé « original: traduction » ne s'écrit que dans une traduction "
                                         "(front matter « translation_of »), un par ligne")
            (original, translated), = tag.items()
            original = field_text(original, line=line, name="tags")
            translated = field_text(translated, line=line, name="tags")
            if not original or not translated or len(translated) > TAG_NAME_MAX:
                raise ReleaseError(line, f"mot-clé traduit vide ou trop long ({TAG_NAME_MAX} caractères au plus)")
            release.tags.append(original)
            release.tag_names[original] = (translated, line)
        elif isinstance(tag, list):
            raise ReleaseError(line, "« tags » : un mot-clé par ligne")
        elif str(tag).strip():
            release.tags.append(str(tag).strip())

    captions = data.get("captions") or []
    if captions and not release.translation_of:
        raise ReleaseError(field_line(lines, "captions"), "« captions » ne sert qu'à une traduction (front matter "
                                                          "« translation_of ») : un original décrit ses photos dans « photo » ou « photos »")
    if not isinstance(captions, list):
        raise ReleaseError(field_line(lines, "captions"), "« captions » doit être une liste, une entrée par photo de l'original")
    for i, item in enumerate(captions):
        line = field_line(lines, "captions", i)
        if isinstance(item, str):
            item = {"caption": item}
        if not isinstance(item, dict):
            raise ReleaseError(line, "une légende traduite se décrit par « caption » et « alt »")
        caption = field_text(item.get("caption"), line=line, name="caption")
        alt = field_text(item.get("alt"), line=line, name="alt")
        if len(caption) > CAPTION_MAX or len(alt) > ALT_MAX:
            raise ReleaseError(line, f"légende ({CAPTION_MAX} caractères au plus) ou texte alternatif ({ALT_MAX}) trop long")
        release.captions.append(CaptionSpec(caption=caption, alt_text=alt, line=line))

    photo_items = []
    if data.get("photo"):
        photo_items.append((data["photo"], field_line(lines, "photo"), ("photo",)))
    photos = data.get("photos") or []
    if not isinstance(photos, list):
        raise ReleaseError(field_line(lines, "photos"), "« photos » doit être une liste")
    photo_items += [(item, field_line(lines, "photos", i), ("photos", i)) for i, item in enumerate(photos)]
    for item, line, path in photo_items:
        if isinstance(item, str):
            item = {"file": item}
        if not isinstance(item, dict) or not item.get("file"):
            raise ReleaseError(line, "une photo se décrit par « file » (chemin du fichier), « caption », « alt » et « credit »")
        caption = field_text(item.get("caption"), line=line, name="caption")
        alt = field_text(item.get("alt"), line=line, name="alt")
        if not alt and caption:
            alt = caption
            release.warnings.append(f"ligne {line} : photo sans texte alternatif (« alt ») : la légende en tient lieu")
        release.photos.append(
            PhotoSpec(
                path=(base / str(item["file"])).resolve(),
                caption=caption,
                alt_text=alt,
                credit=field_text(item.get("credit"), line=line, name="credit") or None,
                line=field_line(lines, *path, "file", default=line),
            )
        )

    for key, target in (("speakers", "speakers"), ("contacts", "contacts")):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise ReleaseError(field_line(lines, key), f"« {key} » doit être une liste")
        for i, item in enumerate(items):
            line = field_line(lines, key, i)
            if not isinstance(item, dict) or not str(item.get("name") or "").strip():
                raise ReleaseError(line, f"chaque entrée de « {key} » a besoin d'un « name »")
            name = str(item["name"]).strip()
            if target == "speakers":
                # `aliases`: how a text names them where their name is not spelled out ("デルガ議長", issue #14).
                aliases = item.get("aliases") or []
                if isinstance(aliases, str):
                    aliases = [aliases]
                if not isinstance(aliases, list) or len(aliases) > 20:
                    raise ReleaseError(line, "« aliases » : une liste (20 au plus) des façons dont le texte nomme la personne")
                release.speakers[name] = {
                    "role": field_text(item.get("role"), line=line, name="role"),
                    "organisation": field_text(item.get("organisation"), line=line, name="organisation"),
                    "aliases": [field_text(a, line=line, name="aliases")[:100] for a in aliases if str(a).strip()],
                }
            else:
                release.contacts.append(
                    ContactSpec(
                        name=name,
                        role=field_text(item.get("role"), line=line, name="role"),
                        email=field_text(item.get("email"), line=line, name="email"),
                        phone=field_text(item.get("phone"), line=line, name="phone"),
                        line=line,
                    )
                )
