"""The bucket storage: every object private, except the copies under `public/`.

An object is written private (no ACL: the bucket's default). `url()` of a private name is a
signed URL valid `MEDIA_S3_SIGNED_SECONDS`; of a name under `public/` (a rendition of a
photo shown by a public release, see exposure.py) a plain URL that a CDN can cache, which
the bucket policy lets anyone read (bucket.py). So the database row says, by its name,
whether its file may be read by anyone: no lookup per URL.
"""

from __future__ import annotations

from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from .names import PUBLIC_PREFIX, is_public_name

__all__ = ["PUBLIC_PREFIX", "MediaStorage"]


class MediaStorage(S3Storage):
    """django-storages' S3 storage with public and private names (settings.STORAGES, MEDIA_S3_*)."""

    def __init__(self, *, public_base_url: str = "", **settings):
        # A name already taken gets a suffix, as on the local disk (the press kit's marker relies
        # on it), at the cost of one HEAD request per save; django-storages' default overwrites.
        settings.setdefault("file_overwrite", False)
        super().__init__(**settings)
        self.public_base_url = public_base_url.rstrip("/") + "/" if public_base_url else ""

    def url(self, name, parameters=None, expire=None, http_method=None):
        if is_public_name(name) and not parameters and http_method is None:
            if self.public_base_url:
                return self.public_base_url + filepath_to_uri(clean_name(name))
            key = self._normalize_name(clean_name(name))
            # botocore's unsigned client writes the plain address of the object (path or host style).
            return self.unsigned_connection.meta.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket_name, "Key": key}
            )
        return super().url(name, parameters=parameters, expire=expire, http_method=http_method)

    def copy(self, source: str, target: str) -> None:
        """Server-side copy (no bytes through this process); the target is private like any object."""
        self.bucket.Object(self._normalize_name(clean_name(target))).copy_from(
            CopySource={"Bucket": self.bucket_name, "Key": self._normalize_name(clean_name(source))},
        )

    def open_stream(self, name: str):
        """The object's body as a stream (botocore's StreamingBody: read(n), iter_chunks(), close()) and its size.

        `open()` would first download the whole object into a temporary file; a 25 MB
        photo or a press kit is sent as it arrives instead.
        """
        answer = self.bucket.Object(self._normalize_name(clean_name(name))).get()
        return answer["Body"], answer["ContentLength"]
