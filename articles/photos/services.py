"""Writes that touch a photo's files: renditions, and metadata after a credit changes (run by jobs)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from ..storage.names import twin_names
from .files import SPECS, clean_master, open_upright, render, working_copy


def refresh_photo_files(photo, *, decoded=None, rewrite_master: bool = True) -> None:
    """Make every rendition of `photo` anew (and, when asked, its master's metadata).

    `decoded` is the upright image already decoded from the upload, so a new photo
    is decoded once. Old files are deleted only after the transaction commits, so a
    rollback never leaves a row pointing at a missing file.
    """
    from ..models import Rendition

    old_files = []
    if decoded is None:
        with photo.image.open("rb") as fh:
            cleaned, decoded = clean_master(fh, photo)
        if decoded is None:  # cleaned without decoding: decode it now for the renditions
            decoded, _fmt = open_upright(cleaned)
        if rewrite_master:
            old_files.append((photo.image.storage, photo.image.name))
            photo.image.save(cleaned.name, cleaned, save=False)
            type(photo).objects.filter(pk=photo.pk).update(image=photo.image.name)
    base = working_copy(decoded)
    existing = {r.spec: r for r in Rendition.objects.filter(photo=photo)}
    for spec in SPECS.values():
        data, width, height = render(base, spec, photo)
        rendition = existing.get(spec.name) or Rendition(photo=photo, spec=spec.name)
        if rendition.pk and rendition.file:
            # Both names it may have in a bucket: a worker's sweep may have moved it under public/
            # since this job read it (storage/exposure.py); deleting a missing name does nothing.
            old_files += [(rendition.file.storage, name) for name in twin_names(rendition.file.name)]
        rendition.width, rendition.height = width, height
        rendition.file.save(f"{spec.name}.{'webp' if spec.format == 'WEBP' else 'jpg'}", ContentFile(data), save=False)
        rendition.save()
    if old_files:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in old_files])


def schedule_photo_files(photo, *, rewrite_master: bool) -> None:
    """Queue the job that makes `photo`'s files for its current inputs (articles/tasks.py).

    Queued in the caller's transaction: with the database queue, the job exists only if
    the photo's save commits. Until the job has run, the photo is "en cours".
    """
    from ..tasks import make_photo_files

    make_photo_files.enqueue(photo.pk, photo.files_version, rewrite_master=rewrite_master)


def refresh_all_photo_files(photos=None) -> int:
    """Queue the rewriting of the files of `photos` (every photo by default): their master's
    metadata and every rendition, under the current rules — after an upgrade that changes
    what the files carry (issue #16: ASCII EXIF, IPTC-IIM). One job per photo, each "en
    cours" until it has run; the public keeps the previous files meanwhile."""
    from django.db.models import F

    from ..models import Photo

    photos = Photo.objects.all() if photos is None else photos
    photos.update(files_version=F("files_version") + 1)
    count = 0
    for photo in photos.only("pk", "files_version").iterator(chunk_size=500):
        schedule_photo_files(photo, rewrite_master=True)
        count += 1
    return count


def refresh_credit_photos(credit) -> int:
    """After a credit is renamed, queue the rewriting of each of its photos' files (name in their metadata).

    Each photo is "en cours" from this transaction on, until its job has run.
    """
    from django.db.models import F

    from ..models import Photo

    photos = Photo.objects.filter(credit=credit)
    photos.update(files_version=F("files_version") + 1)
    count = 0
    for photo in photos.only("pk", "files_version"):
        schedule_photo_files(photo, rewrite_master=True)
        count += 1
    return count
