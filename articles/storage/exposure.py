"""Which renditions anyone may read straight from the bucket: those of public photos, only those.

A photo is public when a public release shows it (`Photo.objects.public()`, the one
visibility rule), which changes at a minute nobody clicks (an embargo ends) as well as on
a withdrawal. `sync_public_media()` compares the rule with the names in the database and
moves the difference: a rendition of a public photo is copied under `public/` (its row then
names the copy, so its URL is a plain, cacheable one); a rendition under `public/` whose
photo is no longer public is copied back to a private name and the public copy deleted.

It runs in every worker's sweep (articles/worker.py, every WORKER_SWEEP_SECONDS) and at
once after each release event is committed (receivers.py). Until a new public photo is
moved (seconds), its pages show signed URLs, which work too. Masters are never moved: full
resolution goes through the app (downloads), which applies the rule itself.

With the local disk (the default) there is nothing to do: /media/ is served as before.
"""

from __future__ import annotations

import logging

from botocore.exceptions import ClientError

from .backends import PUBLIC_PREFIX, MediaStorage

logger = logging.getLogger(__name__)


def _storage():
    """The renditions' storage when it is the bucket (a lazy default_storage passes isinstance), else None."""
    from ..models import Rendition

    storage = Rendition._meta.get_field("file").storage
    return storage if isinstance(storage, MediaStorage) else None


def _move(storage: MediaStorage, rendition_id: int, old: str, new: str) -> bool:
    """Copy `old` to `new`, point the row at `new` if it still names `old`, delete what is left over."""
    from ..models import Rendition

    try:
        storage.copy(old, new)
    except ClientError as exc:
        # Gone meanwhile (a newer rendition replaced it, another worker moved it): next sweep sees the new state.
        logger.info("Rendition %s not moved (%s): %s", rendition_id, old, exc)
        return False
    if Rendition.objects.filter(pk=rendition_id, file=old).update(file=new):
        storage.delete(old)
        return True
    current = Rendition.objects.filter(pk=rendition_id).values_list("file", flat=True).first()
    if current != new:  # replaced by a new rendition meanwhile: our copy belongs to nobody
        storage.delete(new)
    return False


def sync_public_media(*, limit: int = 1000) -> tuple[int, int]:
    """Move renditions in or out of `public/` to match the visibility rule now: (exposed, hidden).

    Hidden first: a photo leaving the site matters more than one arriving. At most `limit`
    of each per call (the next sweep goes on). Idempotent, and safe with several workers:
    each row moves by a conditional UPDATE, and the names are deterministic.
    """
    storage = _storage()
    if storage is None:
        return 0, 0
    from ..models import Photo, Rendition

    public = Photo.objects.public()
    to_hide = (Rendition.objects.filter(file__startswith=PUBLIC_PREFIX).exclude(photo__in=public)
               .values_list("pk", "file")[:limit])
    hidden = sum(_move(storage, pk, name, name[len(PUBLIC_PREFIX):]) for pk, name in to_hide)
    to_expose = (Rendition.objects.filter(photo__in=public).exclude(file__startswith=PUBLIC_PREFIX)
                 .values_list("pk", "file")[:limit])
    exposed = sum(_move(storage, pk, name, PUBLIC_PREFIX + name) for pk, name in to_expose)
    if exposed or hidden:
        # Pages name the renditions by URL: retire those that still hold the old ones.
        from ..caching.generation import bump_generation

        bump_generation()
        logger.info("Public media: %d renditions made public, %d made private.", exposed, hidden)
    return exposed, hidden


def sweep_public_media() -> None:
    """The worker's chore: `sync_public_media`, with a bucket that does not answer logged, not raised."""
    from botocore.exceptions import BotoCoreError

    try:
        sync_public_media()
    except (BotoCoreError, ClientError) as exc:
        logger.warning("Public media not synchronised (the bucket did not answer), tried again next round: %s", exc)
