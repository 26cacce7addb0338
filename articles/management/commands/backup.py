"""`python manage.py backup [--dest DIR] [--keep N]`: the database and the media, in one folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Sauvegarde la base (pg_dump au format custom, ou l'API de sauvegarde de SQLite) et les médias "
        "(archive tar), avec un manifeste des empreintes SHA-256 et du nombre de lignes par table, "
        "dans un nouveau dossier daté."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dest", type=Path, default=None,
            help="Dossier où créer la sauvegarde (par défaut BACKUP_ROOT : backups/ dans le projet).",
        )
        parser.add_argument(
            "--keep", type=int, default=None,
            help="Après une sauvegarde réussie, ne garder que les N plus récentes de ce dossier.",
        )
        parser.add_argument("--database", default="default", help="La base à sauvegarder (alias de DATABASES).")

    def handle(self, *args, dest=None, keep=None, database="default", **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep doit valoir au moins 1.")
        try:
            folder, manifest = create_backup(dest=dest, using=database)
            pruned = prune_backups(root=dest or settings.BACKUP_ROOT, keep=keep) if keep else []
        except BackupError as exc:
            raise CommandError(f"Sauvegarde impossible : {exc}") from exc
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde créée : {folder}"))
        self.stdout.write(
            f"  base {manifest['database']['engine']} : {len(manifest['row_counts'])} tables, {rows} lignes, "
            f"{manifest['database']['size']} octets ({manifest['database']['file']})"
        )
        self.stdout.write(
            f"  médias : {len(manifest['media']['files'])} fichiers, {manifest['media']['size']} octets (media.tar)"
        )
        self.stdout.write(f"  version : {manifest['app_version']}")
        for name in manifest["media"]["skipped"]:
            self.stderr.write(f"Attention : « {name} » n'est pas un fichier ordinaire (lien ?) et n'a pas été archivé.")
        missing = manifest["media"]["missing"]
        if missing:
            self.stderr.write(
                f"Attention : {len(missing)} fichier(s) nommé(s) par la base sont absents des médias "
                f"(dont « {missing[0]} ») ; ils sont listés dans MANIFEST.json."
            )
        for path in pruned:
            self.stdout.write(f"  ancienne sauvegarde supprimée : {path}")
