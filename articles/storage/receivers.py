"""After a release event, move renditions in or out of `public/` at once (exposure.py).

The worker's sweep would do it within WORKER_SWEEP_SECONDS anyway; this makes a withdrawal
private, and a publication cacheable, as soon as its event is dispatched.
"""

from __future__ import annotations

from django.db import transaction


def _release_changed(sender, **kwargs):
    from .exposure import sync_public_media

    # After the commit: the move copies and deletes objects, which a rollback could not undo.
    transaction.on_commit(sync_public_media)


def connect() -> None:
    from ..publishing.events import release_removed, release_updated, release_went_live, release_withdrawn

    for signal in (release_went_live, release_updated, release_withdrawn, release_removed):
        signal.connect(_release_changed, dispatch_uid=f"storage.exposure.{id(signal)}")
