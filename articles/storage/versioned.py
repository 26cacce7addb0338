"""Files drawn from one version of a release and kept in storage: the press kit, the PDF.

Each is stored under a hash of everything it shows (its `fingerprint`), so a download can
tell at once whether the stored file is this version's. A file storage writes a file in
place, so a file's name exists while it is still being written: a small marker naming the
finished file is written last, and readers look for the marker, never for the file itself.
Two workers building the same version at once each write a file; the first marker wins and
the other file is deleted.
"""

from __future__ import annotations

import logging
import secrets

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from .failures import STORAGE_UNAVAILABLE

logger = logging.getLogger(__name__)


class StoredVersion:
    """One release's derived file, in `ROOT/<article id>/<fingerprint>-<random>.<EXTENSION>`."""

    ROOT: str = ""
    EXTENSION: str = ""
    NAME: str = "derived file"  # in the logs

    article = None

    @property
    def fingerprint(self) -> str:  # pragma: no cover - each kind says what it hashes
        raise NotImplementedError

    def file(self) -> File:  # pragma: no cover - each kind draws its own
        """The whole file of this version, to be saved."""
        raise NotImplementedError

    @property
    def folder(self) -> str:
        return f"{self.ROOT}/{self.article.pk}"

    @property
    def done_marker(self) -> str:
        """Written last, naming this version's file once it is whole."""
        return f"{self.folder}/{self.fingerprint}.fini"

    def _finished(self) -> str | None:
        if not default_storage.exists(self.done_marker):
            return None
        with default_storage.open(self.done_marker, "rb") as fh:
            name = fh.read(300).decode(errors="replace")
        ok = name.startswith(f"{self.folder}/{self.fingerprint}-") and name.endswith(f".{self.EXTENSION}")
        return name if ok and default_storage.exists(name) else None

    def prebuilt(self) -> str | None:
        """The stored file of this very version; None when not built yet, or storage failing
        (the caller then streams or draws it instead)."""
        try:
            return self._finished()
        except STORAGE_UNAVAILABLE:
            logger.warning("%s %s: storage unreachable", self.NAME, self.done_marker, exc_info=True)
            return None

    def store(self) -> tuple[str | None, bool]:
        """Write this version's file unless it is there, delete the release's older ones.

        Returns the stored name and whether this call's file is the one kept.
        """
        finished = self._finished()
        built = False
        if finished is None:
            name = f"{self.folder}/{self.fingerprint}-{secrets.token_hex(6)}.{self.EXTENSION}"
            content = self.file()
            try:
                name = default_storage.save(name, content)
            finally:
                content.close()
            if default_storage.exists(self.done_marker):  # a marker naming a file that is gone
                default_storage.delete(self.done_marker)
            marker = default_storage.save(self.done_marker, ContentFile(name.encode()))
            if marker != self.done_marker:  # another worker finished the same version first: theirs stays
                default_storage.delete(marker)
                default_storage.delete(name)
                finished = self._finished()
            else:
                finished, built = name, True
        discard(self.ROOT, self.article.pk, keep={self.done_marker, finished})
        return finished, built


def discard(root: str, article_id: int, *, keep: set | None = None) -> int:
    """Delete a release's stored files under `root` (files and markers) but those in `keep`; how many.

    A withdrawn or removed release keeps none: its text and photos must not stay
    downloadable from storage.
    """
    folder = f"{root}/{article_id}"
    keep = keep or set()
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    gone = 0
    for filename in files:
        if f"{folder}/{filename}" not in keep:
            default_storage.delete(f"{folder}/{filename}")
            gone += 1
    return gone
