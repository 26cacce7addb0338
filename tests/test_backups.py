"""Backups, as an operator lives them: back up, lose everything, restore, and find every
release, every row and every photo file as it was; a damaged or forged backup is refused
before anything changes.

These tests run on the suite's database: SQLite, or PostgreSQL with the real pg_dump and
pg_restore. They commit real data (transaction=True), because pg_dump reads it from
another process, and they restore into the very test database they use.
"""

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from articles.models import Article, Photo, Rendition
from tests.factories import image_upload, make_article, make_credit, make_photo, place

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parent.parent


# --- What the operator compares: computed here, independently of articles/backups/ -----------


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


def media_hashes() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def state():
    return row_counts(), media_hashes()


def wipe() -> None:
    """Lose everything: every table (and on PostgreSQL the whole schema, extensions included), and the media folder."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
    shutil.rmtree(settings.MEDIA_ROOT)
    assert row_counts() == {} and media_hashes() == {}


@pytest.fixture(autouse=True)
def _schema_always_comes_back():
    """If a test fails between the wipe and the restore, the next tests still get their tables."""
    yield
    if "django_migrations" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


@pytest.fixture
def newsroom():
    """A few releases as a press office makes them: real photos with their renditions, quotes, tags."""
    from django.contrib.auth.models import User

    credit = make_credit("Nicolas Datiche", organisation="Région Occitanie")
    kyoto = make_article("Coopération avec Kyoto", quotes=2, tags=["Japon", "Économie"], contacts=1)
    place(
        kyoto,
        make_photo(credit=credit, image=image_upload("kyoto.jpg", size=(1200, 800), color=(200, 30, 30))),
        make_photo(credit=credit, image=image_upload("port.png", fmt="PNG", size=(700, 500), color=(20, 90, 200))),
    )
    make_article("Budget régional", photos=1, quotes=1, tags=["Économie"])
    make_article("Rentrée scolaire", status=Article.Status.PUBLISHED, publish_at=timezone.now() + timedelta(days=2),
                 photos=1, tags=["Éducation"])
    User.objects.create_user("redaction", password="motdepasse-tres-long")
    counts, files = state()
    assert counts["articles_article"] == 3 and counts["articles_photo"] == 4
    assert counts["articles_rendition"] == Rendition.objects.count() > 4 * 5
    assert len(files) == counts["articles_photo"] + counts["articles_rendition"]
    return kyoto


def back_up(dest: Path, *args: str) -> Path:
    out = io.StringIO()
    call_command("backup", "--dest", str(dest), *args, stdout=out, stderr=io.StringIO())
    return Path(re.search(r"Sauvegarde créée : (.+)", out.getvalue()).group(1).strip())


def restore(folder: Path, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("restore", str(folder), "--yes", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "MANIFEST.json").read_text())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite_manifest(folder: Path, change) -> None:
    """What a forger who can write the backup folder does: the manifest follows the files."""
    manifest = manifest_of(folder)
    change(manifest)
    (folder / "MANIFEST.json").write_text(json.dumps(manifest))


def no_restore_leftovers() -> bool:
    parent = Path(settings.MEDIA_ROOT).parent
    return not [path for path in parent.iterdir() if ".restauration-" in path.name or ".avant-restauration-" in path.name]


# --- The drill ---------------------------------------------------------------------------------


def test_the_drill_back_up_wipe_restore_gives_back_every_row_and_every_file(newsroom, client, tmp_path):
    before = state()
    folder = back_up(tmp_path / "sauvegardes")

    wipe()

    output = restore(folder)

    assert "Restauration terminée et vérifiée" in output
    assert state() == before
    # What a reader sees: the release again, its lead photo served from a restored file.
    page = client.get(newsroom.get_absolute_url())
    assert page.status_code == 200
    assert "Coopération avec Kyoto" in page.content.decode()
    lead = Photo.objects.filter(articles=newsroom).order_by("placements__position").first()
    rendition = lead.rendition("w960-jpeg")
    assert rendition.file.url in page.content.decode()
    assert (Path(settings.MEDIA_ROOT) / rendition.file.name).read_bytes() == rendition.file.open("rb").read()
    assert no_restore_leftovers()


def test_a_restore_over_newer_data_brings_back_the_state_of_the_backup(newsroom, tmp_path):
    before = state()
    folder = back_up(tmp_path / "sauvegardes")
    later = make_article("Écrit après la sauvegarde", photos=1, tags=["Tardif"])
    later_photo_file = later.photos.get().image.name
    newsroom.delete()
    assert state() != before

    restore(folder)

    assert state() == before
    assert not Article.objects.filter(title="Écrit après la sauvegarde").exists()
    assert Article.objects.filter(title="Coopération avec Kyoto").exists()
    assert not (Path(settings.MEDIA_ROOT) / later_photo_file).exists()


# --- What one backup holds -----------------------------------------------------------------------


def test_a_backup_is_one_private_folder_with_the_dump_the_media_and_a_manifest_of_every_hash(newsroom, tmp_path):
    counts, files = state()
    folder = back_up(tmp_path / "sauvegardes")

    assert re.fullmatch(r"pressroom-\d{8}-\d{6}Z", folder.name)
    assert folder.stat().st_mode & 0o777 == 0o700
    dump_name = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}[connection.vendor]
    assert sorted(p.name for p in folder.iterdir()) == sorted(["MANIFEST.json", "SHA256SUMS", "media.tar", dump_name])
    magic = {"postgresql": b"PGDMP", "sqlite": b"SQLite format 3\x00"}[connection.vendor]
    assert (folder / dump_name).read_bytes().startswith(magic)

    manifest = manifest_of(folder)
    assert manifest["row_counts"] == counts
    assert manifest["media"]["files"] == files
    assert manifest["media"]["missing"] == [] and manifest["media"]["skipped"] == []
    assert manifest["database"]["sha256"] == sha256(folder / dump_name)
    assert manifest["media"]["sha256"] == sha256(folder / "media.tar")
    assert manifest["app_version"] and manifest["app_version"] != "inconnue"
    applied = set(MigrationRecorder(connection).applied_migrations())
    assert {(app, name) for app, names in manifest["migrations"].items() for name in names} == applied

    with tarfile.open(folder / "media.tar") as tar:
        archived = {m.name: hashlib.sha256(tar.extractfile(m).read()).hexdigest() for m in tar if m.isfile()}
    assert archived == files

    # SHA256SUMS, for `sha256sum -c` on a machine without Python.
    lines = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert lines == {name: sha256(folder / name) for name in (dump_name, "media.tar", "MANIFEST.json")}


def test_a_file_a_row_names_but_missing_from_the_media_is_named_in_the_manifest(newsroom, tmp_path):
    rendition = Rendition.objects.filter(photo__articles=newsroom).first()
    (Path(settings.MEDIA_ROOT) / rendition.file.name).unlink()
    err = io.StringIO()
    call_command("backup", "--dest", str(tmp_path / "b"), stdout=io.StringIO(), stderr=err)
    folder = next((tmp_path / "b").iterdir())
    assert manifest_of(folder)["media"]["missing"] == [rendition.file.name]
    assert "1 fichier(s) nommé(s) par la base sont absents des médias" in err.getvalue()


def test_keep_deletes_only_the_oldest_backups_and_nothing_else(tmp_path):
    dest = tmp_path / "sauvegardes"
    (dest / "notes-de-l-administrateur").mkdir(parents=True)
    (dest / "pressroom-20200101-000000Z").mkdir()  # no manifest: not a backup, never deleted
    old = [dest / f"pressroom-2021010{i}-000000Z" for i in (1, 2)]
    for path in old:
        path.mkdir()
        (path / "MANIFEST.json").write_text("{}")

    newest = back_up(dest, "--keep", "2")

    assert sorted(p.name for p in dest.iterdir()) == sorted(
        ["notes-de-l-administrateur", "pressroom-20200101-000000Z", old[1].name, newest.name]
    )


# --- A damaged or forged backup is refused, and nothing changes -------------------------------------


def flip_one_media_byte(folder: Path) -> None:
    with tarfile.open(folder / "media.tar") as tar:
        member = next(m for m in tar if m.isfile() and m.size > 1000)
    with open(folder / "media.tar", "r+b") as fh:
        fh.seek(member.offset_data + 500)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0x01]))


def refused(folder: Path, message: str) -> None:
    """The restore fails with `message`, and the database and media are exactly as they were."""
    before = state()
    with pytest.raises(CommandError) as error:
        restore(folder)
    assert "rien n'a été modifié" in str(error.value)
    assert message in str(error.value)
    assert state() == before
    assert no_restore_leftovers()


@pytest.fixture
def backup_then_more_work(newsroom, tmp_path):
    """A backup, then a release written after it: a refused restore must keep that release."""
    folder = back_up(tmp_path / "sauvegardes")
    make_article("Écrit après la sauvegarde", photos=1)
    return folder


def test_one_changed_media_byte_is_refused(backup_then_more_work):
    flip_one_media_byte(backup_then_more_work)
    refused(backup_then_more_work, "ne correspond pas à son empreinte SHA-256")


def test_a_changed_media_file_is_refused_even_when_the_archive_hash_was_forged_too(backup_then_more_work):
    folder = backup_then_more_work
    flip_one_media_byte(folder)
    rewrite_manifest(folder, lambda m: m["media"].update(sha256=sha256(folder / "media.tar")))
    refused(folder, "1 fichier(s) modifié(s)")


def test_a_truncated_dump_is_refused(backup_then_more_work):
    dump = next(backup_then_more_work.glob("database.*"))
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    refused(backup_then_more_work, "la sauvegarde est tronquée ou modifiée")


def test_a_truncated_dump_with_a_forged_manifest_is_refused_by_the_database_tools(backup_then_more_work):
    folder = backup_then_more_work
    dump = next(folder.glob("database.*"))
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    rewrite_manifest(folder, lambda m: m["database"].update(sha256=sha256(dump), size=dump.stat().st_size))
    before = state()
    with pytest.raises(CommandError, match="rien n'a été modifié"):
        restore(folder)
    assert state() == before


@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param(lambda info: setattr(info, "name", "../echappe.txt"), id="parent folder"),
        pytest.param(lambda info: setattr(info, "name", "/tmp/absolu.txt"), id="absolute path"),
        pytest.param(lambda info: (setattr(info, "type", tarfile.SYMTYPE), setattr(info, "linkname", "/etc/passwd"),
                                   setattr(info, "size", 0)), id="symbolic link"),
    ],
)
def test_an_archive_reaching_outside_the_media_folder_is_refused(backup_then_more_work, hostile):
    """A forger rewrites media.tar and the manifest so that every hash matches."""
    folder = backup_then_more_work
    with tarfile.open(folder / "media.tar") as original, tarfile.open(folder / "forged.tar", "w") as forged:
        for member in original:
            forged.addfile(member, original.extractfile(member))
        info = tarfile.TarInfo("photos/ajout.jpg")
        payload = b"not a photo"
        info.size = len(payload)
        hostile(info)
        forged.addfile(info, io.BytesIO(payload) if info.isfile() else None)
    os.replace(folder / "forged.tar", folder / "media.tar")
    rewrite_manifest(folder, lambda m: (
        m["media"].update(sha256=sha256(folder / "media.tar"), size=(folder / "media.tar").stat().st_size),
        m["media"]["files"].update({info.name: hashlib.sha256(payload).hexdigest()}),
    ))

    refused(folder, "l'archive des médias contient")
    assert not (Path(settings.MEDIA_ROOT).parent / "echappe.txt").exists()
    assert not Path("/tmp/absolu.txt").exists()


def test_a_folder_without_a_manifest_is_refused(backup_then_more_work):
    (backup_then_more_work / "MANIFEST.json").unlink()
    refused(backup_then_more_work, "ne contient pas de MANIFEST.json")


def test_a_backup_of_another_database_engine_is_refused(backup_then_more_work):
    rewrite_manifest(backup_then_more_work, lambda m: m["database"].update(engine="oracle"))
    refused(backup_then_more_work, "cette sauvegarde vient d'une base oracle")


def test_check_verifies_a_backup_without_restoring_it(backup_then_more_work):
    before = state()
    out = io.StringIO()
    call_command("restore", str(backup_then_more_work), "--check", stdout=out)
    assert "Sauvegarde intacte" in out.getvalue()
    assert state() == before
    flip_one_media_byte(backup_then_more_work)
    with pytest.raises(CommandError, match="ne correspond pas à son empreinte"):
        call_command("restore", str(backup_then_more_work), "--check", stdout=io.StringIO())


def test_restore_asks_for_confirmation_and_any_answer_but_oui_changes_nothing(backup_then_more_work, monkeypatch):
    before = state()
    monkeypatch.setattr(sys, "stdin", io.StringIO("non\n"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Restauration annulée, rien n'a été modifié"):
        call_command("restore", str(backup_then_more_work), stdout=out)
    assert "va REMPLACER toute la base" in out.getvalue()
    assert state() == before


# --- The commands as cron runs them: real processes --------------------------------------------------


def test_backup_and_restore_work_as_separate_processes_on_a_database_file(tmp_path):
    """`manage.py backup` from cron, later `manage.py restore` typed by an operator, on a SQLite file."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'pressroom.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_ROOT": str(tmp_path / "sauvegardes"),
        "DJANGO_SETTINGS_MODULE": "pressroom.settings",
        "DEBUG": "1",
    }
    env.pop("REDIS_URL", None)

    def manage(*args, stdin=None):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, input=stdin,
                              capture_output=True, text=True, timeout=120)

    assert manage("migrate", "--noinput").returncode == 0
    assert manage("import_release", "articles/demo/occitanie-kyoto.md").returncode == 0
    made = manage("backup")
    assert made.returncode == 0, made.stderr
    folder = Path(re.search(r"Sauvegarde créée : (.+)", made.stdout).group(1).strip())
    assert folder.parent == tmp_path / "sauvegardes"
    files_before = {p.relative_to(tmp_path / "media"): sha256(p) for p in (tmp_path / "media").rglob("*") if p.is_file()}
    assert files_before

    shutil.rmtree(tmp_path / "media")
    (tmp_path / "pressroom.sqlite3").unlink()

    declined = manage("restore", str(folder), stdin="non\n")
    assert declined.returncode != 0 and "Restauration annulée" in declined.stderr
    assert not (tmp_path / "media").exists()

    done = manage("restore", str(folder), stdin="oui\n")
    assert done.returncode == 0, done.stderr
    assert "Restauration terminée et vérifiée" in done.stdout
    files_after = {p.relative_to(tmp_path / "media"): sha256(p) for p in (tmp_path / "media").rglob("*") if p.is_file()}
    assert files_after == files_before
    listed = manage("shell", "-c", "from articles.models import Article; print(Article.objects.public().count())", "--no-imports")
    assert listed.stdout.strip() == "1"


def test_backups_are_never_written_inside_the_public_media_folder(newsroom):
    with pytest.raises(CommandError, match="ne doit pas être dans MEDIA_ROOT"):
        call_command("backup", "--dest", str(Path(settings.MEDIA_ROOT) / "sauvegardes"), stdout=io.StringIO())
    assert not (Path(settings.MEDIA_ROOT) / "sauvegardes").exists()


def test_a_restore_whose_result_differs_from_the_manifest_says_so(backup_then_more_work):
    """The counts are checked again after the restore: a manifest that overstates them is caught."""
    rewrite_manifest(backup_then_more_work, lambda m: m["row_counts"].update(articles_article=99))
    with pytest.raises(CommandError) as error:
        restore(backup_then_more_work)
    assert "la vérification a échoué" in str(error.value)
    assert "articles_article : 3 au lieu de 99" in str(error.value)
