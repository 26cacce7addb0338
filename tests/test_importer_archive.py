"""`import_release` on a folder or a ZIP of releases: a press office moving from its old site."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).parent / "data" / "corpus"


def old_site(tmp_path) -> Path:
    site = tmp_path / "ancien-site"
    (site / "2026").mkdir(parents=True)
    for name in ("fr-region-train.txt", "en-police-appeal.txt"):
        shutil.copy(CORPUS / name, site / "2026" / name)
    shutil.copy(CORPUS / "fr-prefecture-secheresse.txt", site / "secheresse.txt")
    (site / "casse.md").write_text("---\ntitle: [pas fermé\n---\nTexte.\n", encoding="utf-8")
    (site / ".DS_Store").write_text("x")
    (site / "notes.pdf").write_bytes(b"%PDF")
    return site


def run(path) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_release", str(path), stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_a_folder_is_imported_with_a_progress_bar_a_summary_and_each_error_with_its_file_and_line(tmp_path):
    out, err, failure = run(old_site(tmp_path))
    assert Article.objects.count() == 3
    assert "Communiqués créés : 3" in out and "Déjà importés, passés : 0" in out and "En erreur : 1" in out
    assert "casse.md, ligne 2 : en-tête YAML invalide" in out
    assert "[" + "#" * 30 + "] 4/4" in err  # the progress bar, finished
    assert failure is not None  # the exit status says a file was left out


def test_running_it_again_creates_nothing_and_says_what_was_skipped(tmp_path):
    site = old_site(tmp_path)
    run(site)
    out, _err, _failure = run(site)
    assert Article.objects.count() == 3
    assert "Communiqués créés : 0" in out and "Déjà importés, passés : 3" in out


def test_a_zip_of_releases_is_imported_like_a_folder(tmp_path):
    site = old_site(tmp_path)
    (site / "casse.md").unlink()
    archive = tmp_path / "releases.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in site.rglob("*"):
            zipped.write(path, path.relative_to(site))
    out, _err, failure = run(archive)
    assert failure is None
    assert "Communiqués créés : 3" in out
    assert Article.objects.filter(language="en").count() == 1  # the English release read as English


def test_a_zip_whose_paths_leave_its_folder_is_refused_before_anything_is_written(tmp_path):
    archive = tmp_path / "piege.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../../evil.txt", "Titre\nTexte.\n")
    _out, _err, failure = run(archive)
    assert failure is not None and "sortirait du dossier" in str(failure)
    assert not (tmp_path.parent / "evil.txt").exists()
    assert Article.objects.count() == 0
