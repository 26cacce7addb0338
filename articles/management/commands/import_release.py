"""`python manage.py import_release PATH`: a press office's release file into the press room."""

import zipfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.importer import ReleaseError, import_release
from articles.importer.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Importe un communiqué (texte brut ou Markdown, avec un en-tête YAML facultatif) : "
        "article, photos, crédits, citations, intervenants, mots-clés et contacts, en une seule transaction. "
        "Relancé sur le même fichier, il ne crée rien de nouveau."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help="Le fichier du communiqué (.md pour du Markdown, sinon texte brut), ou un dossier ou une archive "
                 "ZIP de communiqués (.md, .markdown, .txt) : chacun est importé à part, ceux déjà importés sont passés.",
        )
        parser.add_argument(
            "--user",
            help="Nom d'utilisateur qui importe : ses droits s'appliquent (un membre de la Rédaction ne peut "
                 "importer qu'un brouillon ou un communiqué en relecture). Sans lui, l'import est fait au nom "
                 "de la « ligne de commande », qui a les droits de la Publication.",
        )

    def handle(self, *args, path, user=None, **options):
        author = None
        if user:
            try:
                author = get_user_model()._default_manager.get_by_natural_key(user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"utilisateur « {user} » inconnu") from exc
        if Path(path).is_dir() or zipfile.is_zipfile(path):
            return self._import_archive(path, author)
        try:
            import_release(path=path, user=author, stdout=self.stdout)
        except ReleaseError as exc:
            raise CommandError(str(exc)) from exc
        except (PermissionDenied, ValidationError) as exc:
            # The workflow's refusal, in its own words; nothing was written.
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("import refusé, rien n'a été écrit : " + " ".join(messages)) from exc

    def _import_archive(self, path, author):
        bar_width = 30

        def progress(done, total, name):
            # One line redrawn in place on a terminal; one line per 50 files in a log.
            filled = bar_width * done // total if total else bar_width
            line = f"[{'#' * filled}{'.' * (bar_width - filled)}] {done}/{total} {name[-40:]}"
            if self.stderr.isatty():
                self.stderr.write(f"\r{line:<90}", ending="")
                if done == total:
                    self.stderr.write("")
            elif done % 50 == 0 or done == total:
                self.stderr.write(line)

        try:
            report = import_archive(path=path, user=author, progress=progress)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        write = self.stdout.write
        write(f"Communiqués créés : {len(report.created)}")
        write(f"Déjà importés, passés : {len(report.skipped)}")
        write(f"En erreur : {len(report.errors)}")
        for name, line, message in report.errors:
            write(f"  {name}, ligne {line} : {message}")
        if report.warnings:
            write(f"Avertissements : {report.warnings} (importez un fichier seul pour les lire)")
        if report.errors:
            raise CommandError(f"{len(report.errors)} fichier(s) non importé(s) : voir la liste ci-dessus")
