"""A press office's old site in one go: a folder (or a ZIP) of releases imported one by one,
each in its own transaction through `import_release`, so that running it again skips what
is already there and one bad file stops nothing but itself."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError

from .release import ReleaseError
from .service import import_release

RELEASE_SUFFIXES = {".md", ".markdown", ".txt"}
# An archive of a few hundred releases with their photos is a few hundred megabytes; past these
# bounds it is not an archive of releases (or it is a ZIP bomb), and nothing is extracted.
MAX_ARCHIVE_FILES = 20_000
MAX_ARCHIVE_BYTES = 2 * 1024**3


class ArchiveError(Exception):
    """An archive that cannot be read at all (not a ZIP, too large, a path leaving the folder)."""


@dataclass
class ArchiveReport:
    created: list[tuple[str, str]] = field(default_factory=list)  # (file, title)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # already imported: (file, title)
    errors: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, message)
    warnings: int = 0


def release_files(folder: Path) -> list[Path]:
    """The releases in `folder` and below, in name order; hidden files and folders left out."""
    found = [
        path for path in folder.rglob("*")
        if path.is_file() and path.suffix.lower() in RELEASE_SUFFIXES
        and not any(part.startswith((".", "__MACOSX")) for part in path.relative_to(folder).parts)
    ]
    return sorted(found, key=lambda path: str(path.relative_to(folder)).lower())


def extract(archive: Path, into: Path) -> None:
    """Extract a ZIP whose every member stays inside `into`, within the bounds above."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if len(members) > MAX_ARCHIVE_FILES:
                raise ArchiveError(f"{len(members)} fichiers dans l'archive : {MAX_ARCHIVE_FILES} au plus")
            if sum(member.file_size for member in members) > MAX_ARCHIVE_BYTES:
                raise ArchiveError("l'archive décompressée dépasserait 2 Go")
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise ArchiveError(f"« {member.filename} » sortirait du dossier de l'archive : archive refusée")
            zipped.extractall(into)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"archive ZIP illisible ({exc})") from exc


def import_archive(*, path: str | Path, user=None, progress: Callable[[int, int, str], None] | None = None) -> ArchiveReport:
    """Import every release of a folder or ZIP under `user`; `progress(done, total, name)` after each."""
    path = Path(path)
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="pressroom-archive-") as folder:
            extract(path, Path(folder))
            return _import_folder(Path(folder), user, progress)
    if not path.is_dir():
        raise ArchiveError(f"{path} n'est ni un dossier ni une archive ZIP")
    return _import_folder(path, user, progress)


def _import_folder(folder: Path, user, progress) -> ArchiveReport:
    report = ArchiveReport()
    files = release_files(folder)
    for done, file in enumerate(files, start=1):
        name = str(file.relative_to(folder))
        try:
            result = import_release(path=file, user=user)
        except ReleaseError as exc:
            report.errors.append((name, exc.line, exc.message))
        except (PermissionDenied, ValidationError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            report.errors.append((name, 1, "refusé : " + " ".join(messages)))
        else:
            (report.created if result.created else report.skipped).append((name, result.article.title))
            report.warnings += len(result.warnings)
        if progress is not None:
            progress(done, len(files), name)
    return report
