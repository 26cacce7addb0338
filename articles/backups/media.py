"""The media folder as a tar archive with the SHA-256 of every file, and its safe return.

An uncompressed tar: photos and renditions are JPEG, PNG or WebP, already compressed,
so gzip would cost CPU for almost nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from .errors import BackupError

CHUNK = 1024 * 1024


class _HashingReader:
    """Hands a file to tarfile while hashing exactly the bytes archived."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.fileobj.read(size)
        self.sha256.update(data)
        return data


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entries(root: Path):
    """Everything under `root` but folders, sorted, as (relative POSIX name, path).

    Links are listed, never followed: a link to a folder shows up as one entry.
    """
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        linked = [name for name in dirnames if (Path(dirpath) / name).is_symlink()]
        for name in filenames + linked:
            path = Path(dirpath) / name
            found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def _is_regular(path: Path) -> bool:
    return stat.S_ISREG(path.lstat().st_mode)


def hash_tree(root: Path) -> dict[str, str]:
    """The SHA-256 of every regular file under `root`, by relative POSIX name."""
    if not root.is_dir():
        return {}
    return {name: sha256_file(path) for name, path in _entries(root) if _is_regular(path)}


def archive(root: Path, target: Path) -> tuple[dict[str, str], list[str]]:
    """Write every regular file under `root` into the tar `target`.

    Returns the SHA-256 of each archived file (computed from the bytes written, in the
    same read) and the names skipped because they are not regular files (links,
    sockets...): a link could point anywhere on the machine, so it is never archived.
    """
    hashes: dict[str, str] = {}
    skipped: list[str] = []
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        if not root.is_dir():
            return hashes, skipped
        for name, path in _entries(root):
            if not _is_regular(path):
                skipped.append(name)
                continue
            with open(path, "rb") as fh:
                info = os.fstat(fh.fileno())
                member = tarfile.TarInfo(name)
                member.size = info.st_size
                member.mtime = int(info.st_mtime)
                member.mode = info.st_mode & 0o755
                reader = _HashingReader(fh)
                tar.addfile(member, reader)
            hashes[name] = reader.sha256.hexdigest()
    return hashes, skipped


def _check_name(name: str) -> None:
    path = PurePosixPath(name)
    if not name or "\\" in name or "\x00" in name or path.is_absolute() or ".." in path.parts:
        raise BackupError(f"l'archive des médias contient un chemin dangereux (« {name} ») : elle est refusée.")


def check_archive(tar_path: Path, expected: dict[str, str]) -> None:
    """Refuse an archive holding anything but plain files at safe relative paths, or whose
    files differ from `expected` (the manifest): missing, extra or changed.

    The whole archive's hash is checked first by the caller; this reads every member
    again because a backup folder could have been rewritten along with its manifest.
    """
    found: dict[str, str] = {}
    try:
        with tarfile.open(tar_path, "r:") as tar:
            for member in tar:
                _check_name(member.name)
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(
                        f"l'archive des médias contient « {member.name} », qui n'est pas un fichier ordinaire "
                        "(lien ou périphérique) : elle est refusée."
                    )
                if member.name in found:
                    raise BackupError(f"l'archive des médias contient deux fois « {member.name} » : elle est refusée.")
                digest = hashlib.sha256()
                fh = tar.extractfile(member)
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
                found[member.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"l'archive des médias est illisible ou tronquée ({exc}).") from exc
    compare(found, expected, where="l'archive des médias")


def compare(found: dict[str, str], expected: dict[str, str], *, where: str) -> None:
    """Raise a BackupError naming the first differences between two {name: sha256} maps."""
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(name for name in set(found) & set(expected) if found[name] != expected[name])
    problems = []
    if missing:
        problems.append(f"{len(missing)} fichier(s) manquant(s) (dont « {missing[0]} »)")
    if extra:
        problems.append(f"{len(extra)} fichier(s) en trop (dont « {extra[0]} »)")
    if changed:
        problems.append(f"{len(changed)} fichier(s) modifié(s) (dont « {changed[0]} »)")
    if problems:
        raise BackupError(f"{where} ne correspond pas au manifeste : " + ", ".join(problems) + ".")


def stage(tar_path: Path, root: Path, expected: dict[str, str]) -> Path:
    """Extract the archive next to `root` (same file system, so the swap is a rename) and
    check every extracted file's hash; returns the staging folder."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.restauration-", dir=root.parent))
    try:
        try:
            with tarfile.open(tar_path, "r:") as tar:
                # "data": no absolute paths, no "..", no links or devices, no set-uid bits, no owners.
                # check_archive refused those already; this is the second lock on the door.
                tar.extractall(staging, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"l'archive des médias ne peut pas être extraite sans danger ({exc}).") from exc
        compare(hash_tree(staging), expected, where="les médias extraits")
        # mkdtemp makes a private folder; the web server must still read the media.
        staging.chmod(root.stat().st_mode & 0o7777 if root.is_dir() else 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def swap(staging: Path, root: Path, *, stamp: str) -> Path | None:
    """Put the staged folder in place of `root`; the old folder is kept aside and returned."""
    aside = None
    if root.exists() or root.is_symlink():
        aside = root.with_name(f".{root.name}.avant-restauration-{stamp}")
        os.rename(root, aside)
    os.rename(staging, root)
    return aside


def swap_back(root: Path, aside: Path | None) -> None:
    """Undo `swap`: the old media folder returns, the restored one is deleted."""
    if root.exists():
        shutil.rmtree(root)
    if aside is not None:
        os.rename(aside, root)
