"""Read a stored file chunk by chunk, from the local disk or the bucket alike.

Downloads and press kits use these, never a local path: every app server reads the same
files wherever they are stored.
"""

from __future__ import annotations

from pathlib import PurePath

from django.http import FileResponse

CHUNK = 64 * 1024
CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
                 ".zip": "application/zip"}


def open_stream(storage, name: str):
    """(a readable file-like object, its size or None) for `name` in `storage`, not read yet."""
    if hasattr(storage, "open_stream"):
        return storage.open_stream(name)
    fh = storage.open(name, "rb")
    try:
        size = storage.size(name)
    except (NotImplementedError, OSError):
        size = None
    return fh, size


def iter_chunks(storage, name: str, size: int = CHUNK):
    """The file's bytes, `size` at a time; the file is closed when the iteration ends or is dropped."""
    fh, _length = open_stream(storage, name)
    try:
        while chunk := fh.read(size):
            yield chunk
    finally:
        fh.close()


def stored_file_response(storage, name: str, *, filename: str | None = None,
                         as_attachment: bool = False) -> FileResponse:
    """A streamed answer with the file `name` of `storage`, its type from its name."""
    fh, length = open_stream(storage, name)
    content_type = CONTENT_TYPES.get(PurePath(name).suffix.lower())
    response = FileResponse(fh, as_attachment=as_attachment, filename=filename or "", content_type=content_type)
    if length is not None:
        response["Content-Length"] = str(length)
    return response


def file_response(fieldfile, *, filename: str | None = None, as_attachment: bool = False) -> FileResponse:
    """A streamed answer with the stored file `fieldfile` (a FieldFile)."""
    return stored_file_response(fieldfile.storage, fieldfile.name, filename=filename, as_attachment=as_attachment)
