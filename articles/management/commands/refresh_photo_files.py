"""manage.py refresh_photo_files: rewrite every photo's files under the current metadata rules."""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.photos.services import refresh_all_photo_files


class Command(BaseCommand):
    help = ("Réécrit les fichiers de toutes les photos (métadonnées de l'original et déclinaisons) "
            "selon les règles actuelles : à lancer une fois après une mise à jour qui les change.")

    def handle(self, *args, **options):
        with transaction.atomic():  # the jobs exist only if every photo's new version is recorded
            count = refresh_all_photo_files()
        self.stdout.write(f"{count} photo(s) mise(s) en file d'attente ; le worker réécrit leurs fichiers.")
