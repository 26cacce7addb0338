"""`python manage.py import_release PATH`: a press office's release file into the press room."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.importer import ReleaseError, import_release


class Command(BaseCommand):
    help = (
        "Importe un communiqué (texte brut ou Markdown, avec un en-tête YAML facultatif) : "
        "article, photos, crédits, citations, intervenants, mots-clés et contacts, en une seule transaction. "
        "Relancé sur le même fichier, il ne crée rien de nouveau."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Le fichier du communiqué (.md pour du Markdown, sinon texte brut).")
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
        try:
            import_release(path=path, user=author, stdout=self.stdout)
        except ReleaseError as exc:
            raise CommandError(str(exc)) from exc
        except (PermissionDenied, ValidationError) as exc:
            # The workflow's refusal, in its own words; nothing was written.
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("import refusé, rien n'a été écrit : " + " ".join(messages)) from exc
