"""Optimistic locking for what releases share: photos, credits, speakers, press contacts and tags.

Releases carry a `version` column, bumped by `workflow.apply_edit`. The rows they share
are locked one way for all five: a form carries a token made of when it was opened and
a fingerprint of the row's editable values as the editor saw them; the save locks the
row (SELECT … FOR UPDATE, held until the admin's transaction ends) and compares the
fingerprint with the row as stored. Any difference refuses the save.

Why a fingerprint rather than a version column (a decision a reader might undo):

* taggit's `Tag` is not our model: no column can be added to it, and one mechanism for
  all five is easier to trust than two;
* it sees every writer, with nothing for any of them to remember: the importer, a
  shell, a queryset `.update()` that never calls `save()`, a migration;
* a change undone before the save (A → B → A) goes unnoticed, and that loses nothing:
  what is stored is exactly what the editor opened.

Who changed the row and when are not part of it: the admin reads them from its own
change log (`articles/admin/common.py`), and says "modifié" without a name when the
change came from elsewhere.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import models
from django.utils import timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def locked_fields(model: type[models.Model]) -> list[models.Field]:
    """The values an editor can change, hence the ones a second editor could overwrite.

    Not a file: a photo's master is rewritten under a new name by its background job
    after every caption or credit change (photo_services), so its name changes without
    anyone editing the photo, and counting it would refuse the next save of whoever
    opened the page before the job ran (the editor who just saved, first of all). A
    save without a new upload never writes the file; one with an upload replaces it,
    which is what the editor asked for.
    """
    return [
        f for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and not isinstance(f, models.FileField)
    ]


def fingerprint(obj: models.Model) -> str:
    """A digest of `obj`'s editable values as stored."""
    values = [(field.name, field.value_to_string(obj)) for field in locked_fields(type(obj))]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


def opened_token(obj: models.Model, *, now: datetime | None = None) -> str:
    """What a change form carries: "<opened at, µs since 1970>.<fingerprint>"."""
    opened_at = (now or timezone.now()) - _EPOCH
    return f"{opened_at // _MICROSECOND}.{fingerprint(obj)}"


def read_token(token) -> tuple[datetime, str] | None:
    """(opened at, fingerprint), or None for a missing or malformed token."""
    stamp, _, digest = str(token or "").strip().partition(".")
    if not (stamp.isascii() and stamp.isdigit() and len(digest) == 64):
        return None
    try:
        return _EPOCH + int(stamp) * _MICROSECOND, digest
    except (OverflowError, ValueError):  # a date past year 9999
        return None


@dataclass(frozen=True)
class Conflict:
    """Why a save is refused: the row changed since it was opened, or the form did not say."""

    current: models.Model  # the row as stored now, locked until the transaction ends
    opened_at: datetime | None  # None: the form carried no (readable) token
    token: str  # a token for the current row: the form's next save, made knowingly, goes through

    @property
    def missing(self) -> bool:
        return self.opened_at is None


def check_unchanged(*, model: type[models.Model], pk, token) -> Conflict | None:
    """Lock the row `pk` of `model` and say whether it is still what `token` was made from.

    Call it inside the transaction that saves the row (the admin's change view is one):
    the lock keeps anyone else from saving in between. Returns None when the save may go on.
    """
    current = model._default_manager.select_for_update().get(pk=pk)
    opened = read_token(token)
    if opened is not None and opened[1] == fingerprint(current):
        return None
    return Conflict(current=current, opened_at=opened[0] if opened else None, token=opened_token(current))
