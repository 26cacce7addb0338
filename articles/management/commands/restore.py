"""`python manage.py restore DIR [--yes] [--check]`: a backup made by `manage.py backup`, back in place."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from articles.backups import BackupError, RestoreCheckFailed, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde faite par « manage.py backup » : vérifie d'abord toutes les empreintes "
        "(une sauvegarde modifiée ou tronquée est refusée sans rien changer), puis remplace la base et "
        "le dossier des médias, puis revérifie le nombre de lignes et les empreintes."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="Le dossier de la sauvegarde (backups/pressroom-…).")
        parser.add_argument(
            "--yes", "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Ne pas demander de confirmation (la restauration remplace les données actuelles).",
        )
        parser.add_argument(
            "--check", action="store_true",
            help="Vérifier seulement la sauvegarde, sans rien restaurer.",
        )
        parser.add_argument("--database", default="default", help="La base à remplacer (alias de DATABASES).")

    def handle(self, *args, source, interactive=True, check=False, database="default", **options):
        try:
            manifest = verify_backup(source, using=database)
        except BackupError as exc:
            raise CommandError(f"Sauvegarde refusée, rien n'a été modifié : {exc}") from exc
        summary = (
            f"sauvegarde du {manifest['created_at']} (version {manifest['app_version']}) : "
            f"{len(manifest['row_counts'])} tables, {sum(manifest['row_counts'].values())} lignes, "
            f"{len(manifest['media']['files'])} fichiers de médias"
        )
        if check:
            self.stdout.write(self.style.SUCCESS(f"Sauvegarde intacte : {summary}."))
            return
        if interactive:
            target = connections[database].settings_dict["NAME"]
            self.stdout.write(
                f"La {summary}\nva REMPLACER toute la base « {target} » et le dossier des médias "
                f"« {settings.MEDIA_ROOT} ». Les données actuelles seront perdues."
            )
            answer = input("Tapez « oui » pour continuer : ")
            if answer.strip().lower() != "oui":
                raise CommandError("Restauration annulée, rien n'a été modifié.")
        try:
            report = restore_backup(source, using=database)
        except RestoreCheckFailed as exc:
            raise CommandError(f"La restauration a remplacé les données, mais la vérification a échoué : {exc}") from exc
        except BackupError as exc:
            raise CommandError(f"Restauration impossible : {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Restauration terminée et vérifiée : {summary}."))
        for warning in report.warnings:
            self.stderr.write(f"Attention : {warning}")
