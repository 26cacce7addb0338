"""Backups of the database and the media, and their restore (`manage.py backup` / `restore`).

One backup is one folder, `pressroom-YYYYMMDD-HHMMSSZ/`, holding:

- `database.pgdump` (pg_dump's custom format) or `database.sqlite3` (SQLite's backup API);
- `media.tar`, every file of MEDIA_ROOT;
- `MANIFEST.json`: the SHA-256 of the dump, of the archive and of every media file, the
  row count of every table, the applied migrations, the application's version;
- `SHA256SUMS`, the same hashes for `sha256sum -c` on any machine.

The dump is taken first, then the media: uploads get random names and are never
rewritten in place, so every file a dumped row names is already on disk when the media
are archived. A file deleted between the two (a photo removed, renditions remade during
the backup) would be missing: the backup checks, and names such files in the manifest.

A restore checks everything before it touches anything, then replaces the database and
the media folder, then checks the row counts and the files' hashes again.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from . import database, media
from .errors import BackupError, RestoreCheckFailed

__all__ = ["BackupError", "RestoreCheckFailed", "create_backup", "prune_backups", "restore_backup", "verify_backup"]

FORMAT = "pressroom-backup/1"
MANIFEST = "MANIFEST.json"
SUMS = "SHA256SUMS"
MEDIA_ARCHIVE = "media.tar"
FOLDER_PREFIX = "pressroom-"
_MANIFEST_MAX_BYTES = 512 * 1024 * 1024


@dataclass
class RestoreReport:
    manifest: dict
    warnings: list[str] = field(default_factory=list)


def app_version() -> str:
    """`git describe` of the running code when it is a git checkout, else "inconnue"."""
    try:
        done = subprocess.run(
            ["git", "describe", "--tags", "--always", "--dirty"],
            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "inconnue"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "inconnue"


def _folder_name(now: datetime) -> str:
    return FOLDER_PREFIX + now.strftime("%Y%m%d-%H%M%SZ")


def create_backup(*, dest: Path | None = None, using: str = "default") -> tuple[Path, dict]:
    """Back up the database `using` and MEDIA_ROOT into a new folder under `dest`
    (settings.BACKUP_ROOT by default); returns the folder and its manifest.

    The folder appears under its final name only once complete: an interrupted backup
    leaves a hidden `.en-cours-*` folder, never one that looks whole.
    """
    connection = connections[using]
    vendor = database.vendor_of(connection)
    dest = Path(dest or settings.BACKUP_ROOT)
    media_root = Path(settings.MEDIA_ROOT)
    if dest.resolve().is_relative_to(media_root.resolve()):
        # /media/ is served to the public, and each backup would archive the previous ones.
        raise BackupError(f"le dossier des sauvegardes « {dest} » ne doit pas être dans MEDIA_ROOT ({media_root}).")
    dest.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).replace(microsecond=0)
    # Private to the account making it: a backup holds password hashes and embargoed releases.
    work = Path(tempfile.mkdtemp(prefix=".en-cours-", dir=dest))
    try:
        dump_path = work / database.DUMP_FILES[vendor]
        contents = database.dump(connection, dump_path)
        files, skipped = media.archive(media_root, work / MEDIA_ARCHIVE)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "app_version": app_version(),
            "django_version": django.get_version(),
            "python_version": platform.python_version(),
            "database": {
                "engine": vendor,
                "name": str(connection.settings_dict["NAME"]),
                "file": dump_path.name,
                "size": dump_path.stat().st_size,
                "sha256": media.sha256_file(dump_path),
            },
            "media": {
                "root": str(media_root),
                "file": MEDIA_ARCHIVE,
                "size": (work / MEDIA_ARCHIVE).stat().st_size,
                "sha256": media.sha256_file(work / MEDIA_ARCHIVE),
                "files": files,
                "skipped": skipped,
                # Named by a row of the dump but absent from the media folder.
                "missing": sorted(contents.files - set(files)),
            },
            "row_counts": contents.row_counts,
            "migrations": contents.migrations,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        sums = [(manifest["database"]["sha256"], dump_path.name), (manifest["media"]["sha256"], MEDIA_ARCHIVE),
                (media.sha256_file(work / MANIFEST), MANIFEST)]
        (work / SUMS).write_text("".join(f"{digest}  {name}\n" for digest, name in sums))
        for path in work.iterdir():
            path.chmod(0o600)
        final = dest / _folder_name(now)
        suffix = 1
        while final.exists():
            suffix += 1
            final = dest / f"{_folder_name(now)}-{suffix}"
        os.rename(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final, manifest


def _read_manifest(source: Path) -> dict:
    path = source / MANIFEST
    if not source.is_dir():
        raise BackupError(f"« {source} » n'est pas un dossier de sauvegarde.")
    if not path.is_file():
        raise BackupError(f"« {source} » ne contient pas de {MANIFEST} : ce n'est pas une sauvegarde complète.")
    if path.stat().st_size > _MANIFEST_MAX_BYTES:
        raise BackupError(f"{MANIFEST} est anormalement gros : la sauvegarde est refusée.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        wrong = [
            name for name, ok in (
                ("format", manifest.get("format") == FORMAT),
                ("database", isinstance(manifest["database"]["sha256"], str) and isinstance(manifest["database"]["size"], int)),
                ("media", isinstance(manifest["media"]["sha256"], str) and isinstance(manifest["media"]["size"], int)),
                ("media.files", isinstance(manifest["media"]["files"], dict)),
                ("row_counts", isinstance(manifest["row_counts"], dict)),
            ) if not ok
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        wrong = [str(exc)]
    if wrong:
        raise BackupError(f"{MANIFEST} est illisible ou incomplet ({', '.join(wrong)}) : la sauvegarde est refusée.")
    return manifest


def _check_file(path: Path, expected: dict, what: str) -> None:
    if not path.is_file():
        raise BackupError(f"{what} (« {path.name} ») est absent de la sauvegarde.")
    size = path.stat().st_size
    if size != expected["size"]:
        raise BackupError(
            f"{what} (« {path.name} ») fait {size} octets au lieu de {expected['size']} : "
            "la sauvegarde est tronquée ou modifiée, elle est refusée."
        )
    if media.sha256_file(path) != expected["sha256"]:
        raise BackupError(
            f"{what} (« {path.name} ») ne correspond pas à son empreinte SHA-256 : "
            "la sauvegarde a été modifiée ou endommagée, elle est refusée."
        )


def verify_backup(source: Path, *, using: str = "default") -> dict:
    """Check a backup folder without changing anything; returns its manifest.

    Raises BackupError, with a French message, for a missing or unreadable manifest, a
    backup of another database engine, a dump or an archive whose size or SHA-256 differs,
    an archive holding links or unsafe paths, or media files differing from the manifest.
    """
    source = Path(source)
    manifest = _read_manifest(source)
    vendor = database.vendor_of(connections[using])
    if manifest["database"].get("engine") != vendor:
        raise BackupError(
            f"cette sauvegarde vient d'une base {manifest['database'].get('engine')}, "
            f"la base configurée est {vendor} : elle ne peut pas y être restaurée."
        )
    # Fixed names, never the manifest's: a crafted manifest cannot point outside the folder.
    dump_path = source / database.DUMP_FILES[vendor]
    _check_file(dump_path, manifest["database"], "le dump de la base")
    _check_file(source / MEDIA_ARCHIVE, manifest["media"], "l'archive des médias")
    media.check_archive(source / MEDIA_ARCHIVE, manifest["media"]["files"])
    database.check_dump(connections[using], dump_path)
    return manifest


def _migration_warnings(manifest: dict) -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = {f"{app}.{name}" for app, name in loader.disk_migrations}
    in_backup = {f"{app}.{name}" for app, names in manifest.get("migrations", {}).items() for name in names}
    installed = {config.label for config in apps.get_app_configs()}
    in_backup = {key for key in in_backup if key.split(".")[0] in installed}
    warnings = []
    if on_disk - in_backup:
        warnings.append(
            f"la sauvegarde précède {len(on_disk - in_backup)} migration(s) du code actuel : "
            "lancez « manage.py migrate »."
        )
    if in_backup - on_disk:
        warnings.append(
            f"la sauvegarde contient {len(in_backup - on_disk)} migration(s) inconnue(s) du code actuel "
            f"(sauvegarde faite avec la version {manifest.get('app_version')}) : déployez cette version."
        )
    return warnings


def restore_backup(source: Path, *, using: str = "default") -> RestoreReport:
    """Replace the database `using` and MEDIA_ROOT with the backup in `source`.

    Everything is verified first (verify_backup), and the media are extracted and checked
    beside MEDIA_ROOT before anything changes. The media folder is swapped in, then the
    database restored in one transaction; if that fails, the old media folder comes back.
    Finally the row counts and every media file's hash are checked against the manifest.
    Writes by the site during the restore would make those checks fail: stop it first.
    """
    source = Path(source)
    connection = connections[using]
    manifest = verify_backup(source, using=using)
    vendor = database.vendor_of(connection)
    # Through a link, the folder it points to is replaced, and the link keeps working.
    media_root = Path(settings.MEDIA_ROOT).resolve()
    expected_files = manifest["media"]["files"]
    staging = media.stage(source / MEDIA_ARCHIVE, media_root, expected_files)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    try:
        aside = media.swap(staging, media_root, stamp=stamp)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        database.restore(connection, source / database.DUMP_FILES[vendor])
    except BaseException:
        media.swap_back(media_root, aside)
        raise

    from articles import page_cache  # the restored content retires every cached page

    page_cache.bump_generation()

    report = RestoreReport(manifest=manifest)
    live = database.live_contents(connection)
    differing = sorted(
        table for table, count in manifest["row_counts"].items() if live.row_counts.get(table) != count
    )
    if differing:
        table = differing[0]
        raise RestoreCheckFailed(
            f"après restauration, {len(differing)} table(s) n'ont pas le nombre de lignes attendu "
            f"(dont {table} : {live.row_counts.get(table)} au lieu de {manifest['row_counts'][table]}). "
            "Le site écrivait-il pendant la restauration ? Arrêtez-le et recommencez."
            + (f" L'ancien dossier des médias est gardé dans « {aside} »." if aside else "")
        )
    try:
        media.compare(media.hash_tree(media_root), expected_files, where="le dossier des médias restauré")
    except BackupError as exc:
        raise RestoreCheckFailed(str(exc)) from exc
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    extra = sorted(set(live.row_counts) - set(manifest["row_counts"]))
    if extra:
        report.warnings.append(
            f"{len(extra)} table(s) absente(s) de la sauvegarde sont restées en place (dont {extra[0]})."
        )
    if manifest["media"].get("missing"):
        report.warnings.append(
            f"{len(manifest['media']['missing'])} fichier(s) nommé(s) par la base manquaient déjà "
            f"au moment de la sauvegarde (dont « {manifest['media']['missing'][0]} »)."
        )
    report.warnings.extend(_migration_warnings(manifest))
    return report


def prune_backups(*, root: Path | None = None, keep: int) -> list[Path]:
    """Delete all but the `keep` newest complete backups under `root`; returns those deleted.

    Only folders named like a backup and holding a manifest are considered: nothing
    else in the folder is ever deleted.
    """
    root = Path(root or settings.BACKUP_ROOT)
    if keep < 1:
        raise BackupError("il faut garder au moins une sauvegarde.")
    if not root.is_dir():
        return []
    complete = sorted(
        path for path in root.iterdir()
        if path.name.startswith(FOLDER_PREFIX) and path.is_dir() and not path.is_symlink() and (path / MANIFEST).is_file()
    )
    doomed = complete[:-keep]
    for path in doomed:
        shutil.rmtree(path)
    return doomed
