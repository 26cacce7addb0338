"""Hostile release files: a French error naming the line, nothing stored, and never a
traceback, a database error or an endless run (issue #10, section 3)."""

import io
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.importer import import_release
from articles.importer.frontmatter import MAX_YAML_NODES
from articles.importer.parsing import MAX_PHOTOS, MAX_RELEASE_BYTES
from articles.models import Article, Credit, Photo, PressContact, Quote, Speaker

from .factories import image_bytes

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "occitanie-kyoto.txt"


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in (Article, Photo, Credit, Speaker, Quote, PressContact)}


def media_files() -> list:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def refused(path: Path, *, within: float = 5.0) -> str:
    """Import `path` through the command; it must fail cleanly, quickly, and leave nothing behind."""
    before = counts()
    started = time.perf_counter()
    with pytest.raises(CommandError) as error:
        call_command("import_release", str(path), stdout=io.StringIO())
    assert time.perf_counter() - started < within
    assert counts() == before
    assert media_files() == []
    return str(error.value)


# --- NUL characters: PostgreSQL cannot store them ------------------------------------------


def test_a_nul_byte_in_a_front_matter_field_is_refused_with_its_line(tmp_path):
    path = tmp_path / "communique.md"
    path.write_bytes(b"---\ntitle: Titre\nlocation: Tou\x00louse\n---\nTexte.\n")
    assert refused(path) == (
        "ligne 3 : caractère nul (octet 0x00) dans le fichier : enregistrez-le de nouveau en texte UTF-8"
    )


def test_a_nul_byte_in_the_body_is_refused_with_its_line(tmp_path):
    path = tmp_path / "communique.txt"
    path.write_bytes(b"Titre\n\nPremier paragraphe.\nSecond\x00 paragraphe.\n")
    assert refused(path).startswith("ligne 4 : caractère nul")


def test_a_yaml_nul_escape_is_refused_with_its_line(tmp_path):
    path = tmp_path / "communique.md"
    path.write_text('---\ntitle: Titre\ntags:\n  - Kyoto\n  - "Ja\\0pon"\n---\nTexte.\n', encoding="utf-8")
    assert yaml.safe_load('t: "Ja\\0pon"')["t"] == "Ja\x00pon"  # what PyYAML makes of it
    assert refused(path) == "ligne 5 : caractère nul (\\0) dans l'en-tête YAML"


# --- YAML that expands itself ----------------------------------------------------------------


def billion_laughs() -> str:
    """The classic: nine aliases of nine aliases, nine levels deep (9⁹ = 387 million strings)."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_front_matter_is_refused_at_once_with_its_line(tmp_path):
    bomb = billion_laughs()
    assert len(bomb.encode()) < 350  # the file: 343 bytes
    path = tmp_path / "communique.md"
    path.write_text(f"---\ntitle: Titre\n{bomb}---\nTexte.\n", encoding="utf-8")
    message = refused(path, within=2.0)
    # a: 10 elements, b: 1 + 9 × 10 = 91, c: 820, d: 7,381: the header passes the bound at "d".
    assert message.startswith("ligne 6 : en-tête YAML trop volumineux une fois ses alias développés")
    assert f"plus de {MAX_YAML_NODES} éléments" in message


def test_an_alias_that_contains_itself_is_refused(tmp_path):
    path = tmp_path / "communique.md"
    path.write_text("---\ntitle: Titre\ntags: &t [Kyoto, *t]\n---\nTexte.\n", encoding="utf-8")
    assert refused(path).startswith("ligne 3 : en-tête YAML trop volumineux")


def test_a_deeply_nested_front_matter_is_refused(tmp_path):
    path = tmp_path / "communique.txt"  # plain text: the Markdown checks would answer first
    path.write_text("---\ntitle: Titre\ntags: " + "[" * 1500 + "]" * 1500 + "\n---\nTexte.\n", encoding="utf-8")
    assert refused(path, within=15.0).startswith("ligne 2 : en-tête YAML trop imbriqué")


def test_a_few_honest_aliases_still_import(tmp_path):
    path = tmp_path / "communique.md"
    path.write_text(
        "---\ntitle: Deux contacts\ncontacts:\n  - &presse {name: Service presse, email: presse@example.org}\n"
        "speakers:\n  - name: Carole Delga\n    role: présidente\n---\nTexte.\n",
        encoding="utf-8",
    )
    result = import_release(path=path)
    assert [c.name for c in result.article.press_contacts.all()] == ["Service presse"]


# --- Size, Markdown, quotes and photos -------------------------------------------------------


def test_a_22_megabyte_file_is_refused_at_once_saying_its_size_and_the_limit(tmp_path):
    path = tmp_path / "enorme.txt"
    text = SAMPLE.read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as fh:
        while fh.tell() < 22 * 1024 * 1024:
            fh.write(text)
    assert refused(path, within=1.0) == (
        "ligne 1 : le fichier pèse 22,0 Mo ; la limite est de 0,2 Mo : un communiqué tient en quelques pages"
    )


def test_a_release_just_under_the_size_limit_is_read_within_seconds(tmp_path):
    """Realistic prose at the limit: the attribution is linear now (a 200 kB file took 16 s, 22 MB never ended)."""
    title, body = SAMPLE.read_text(encoding="utf-8").split("\n", 1)
    body = body.replace("«", "").replace("»", "")  # no quotes, or the quote cap answers first
    path = tmp_path / "long.txt"
    path.write_text(title + "\n" + body * (MAX_RELEASE_BYTES // len(body.encode()) - 1), encoding="utf-8")
    assert MAX_RELEASE_BYTES * 0.9 < path.stat().st_size <= MAX_RELEASE_BYTES
    started = time.perf_counter()
    result = import_release(path=path)
    assert time.perf_counter() - started < 20
    assert result.created


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("- " * 500 + "fin\n", "niveaux de listes ou de citations"),  # a RecursionError in Python-Markdown
        ("> " * 40 + "fin\n", "niveaux de listes ou de citations"),
        ("[" * 50_000 + "x\n", "crochets « [ »"),  # quadratic: most of an hour
        ("*" * 50_000 + "x" + "*" * 50_000 + "\n", "signes « * » ou « _ »"),
    ],
    ids=["nested-lists", "nested-quotes", "brackets", "stars"],
)
def test_markdown_that_would_take_minutes_or_the_whole_stack_is_refused(tmp_path, markdown, words):
    path = tmp_path / "communique.md"
    path.write_text("# Titre\n\nUn paragraphe.\n\n" + markdown, encoding="utf-8")
    message = refused(path, within=2.0)
    assert message.startswith("ligne 5 : ") and words in message


def test_too_many_passages_in_guillemets_are_refused_before_attribution(tmp_path):
    path = tmp_path / "communique.txt"
    path.write_text("Titre\n\n" + "« Bonjour » a dit Anne. " * 2_000 + "\n", encoding="utf-8")
    assert "passages entre guillemets" in refused(path, within=3.0)


def test_too_many_photos_are_refused_with_the_line_of_the_first_one_over(tmp_path):
    (tmp_path / "vue.jpg").write_bytes(image_bytes(size=(40, 30)))
    items = "".join("  - {file: vue.jpg, alt: Vue, credit: Nicolas Datiche}\n" for _ in range(MAX_PHOTOS + 1))
    path = tmp_path / "communique.md"
    path.write_text(f"---\ntitle: Titre\nphotos:\n{items}---\nTexte.\n", encoding="utf-8")
    assert refused(path) == f"ligne {4 + MAX_PHOTOS} : {MAX_PHOTOS + 1} photos : un communiqué en importe {MAX_PHOTOS} au plus"
