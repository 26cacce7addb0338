"""Photo files follow every write: a credit renamed from the admin, the importer, a job or
the shell gets its new name written into the files of each of its photos.

A photo's own caption, credit, licence and focal point are handled by `Photo.save()`
(articles/models.py), which compares them with what its files were made from.
"""

from django.db.models.signals import post_save, pre_save

from ..models import Credit
from .services import refresh_credit_photos

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


def connect() -> None:
    pre_save.connect(_remember_credit_line, sender=Credit, dispatch_uid="photos.credit_line.before")
    post_save.connect(_credit_saved, sender=Credit, dispatch_uid="photos.credit_line.after")
