"""manage.py setup_media_bucket: create the media bucket (MEDIA_S3_BUCKET) and its policy."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from articles.storage.backends import MediaStorage
from articles.storage.bucket import ensure_bucket


class Command(BaseCommand):
    help = "Crée le compartiment des médias (MEDIA_S3_BUCKET) et sa politique : tout privé, sauf public/."

    def handle(self, *args, **options):
        if not isinstance(default_storage, MediaStorage):
            raise CommandError("Les médias sont sur le disque local : définissez MEDIA_S3_BUCKET (voir le README).")
        try:
            created = ensure_bucket(default_storage)
        except Exception as exc:  # botocore's errors: unreachable endpoint, wrong keys
            raise CommandError(f"Le compartiment « {default_storage.bucket_name} » n'a pas pu être préparé : {exc}") from exc
        state = "créé" if created else "déjà présent"
        self.stdout.write(f"Compartiment « {default_storage.bucket_name} » {state} ; lecture anonyme limitée à public/.")
