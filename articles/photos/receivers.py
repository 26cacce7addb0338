"""Photo files follow every write: a credit renamed from the admin, the importer, a job or
the shell gets its new name written into the files of each of its photos.

A photo's own caption, credit, licence and focal point: `Photo.save()` (articles/models.py)
compares them with what its files were made from and says whether a job is needed; the
receiver below queues it, in the save's transaction.
"""

from django.db.models.signals import post_save, pre_save

from ..models import Credit, Photo
from .services import refresh_credit_photos, schedule_photo_files

# The credit line written into each file's metadata (Artist, Copyright, XMP) reads these.
WRITTEN_INTO_FILES = ("name", "organisation")


def _remember_credit_line(sender, instance, raw, **kwargs):
    instance._credit_line_before = (
        None if instance.pk is None or raw
        else Credit.objects.filter(pk=instance.pk).values_list(*WRITTEN_INTO_FILES).first()
    )


def _credit_saved(sender, instance, created, raw, **kwargs):
    before = getattr(instance, "_credit_line_before", None)
    if created or raw or before is None:
        return
    if before != tuple(getattr(instance, name) for name in WRITTEN_INTO_FILES):
        # One background job per photo (4.3 s per 6000×4000 JPEG): queued in this
        # transaction, the jobs exist only if the rename commits.
        refresh_credit_photos(instance)


def _photo_saved(sender, instance, raw, **kwargs):
    job = getattr(instance, "_files_job", None)
    if job is not None and not raw:
        instance._files_job = None
        schedule_photo_files(instance, **job)


def connect() -> None:
    post_save.connect(_photo_saved, sender=Photo, dispatch_uid="photos.files.after_save")
    pre_save.connect(_remember_credit_line, sender=Credit, dispatch_uid="photos.credit_line.before")
    post_save.connect(_credit_saved, sender=Credit, dispatch_uid="photos.credit_line.after")
