"""Where media live: the local disk by default, an S3-compatible bucket when configured.

- `backends.py`: the bucket storage (django-storages' S3 backend): private objects,
  short signed URLs, and plain public URLs for the copies under `public/`;
- `streaming.py`: read a stored file chunk by chunk, whatever the storage (downloads, press kits);
- `exposure.py`: which renditions sit under `public/` — those of public photos, and only those;
- `bucket.py`: create the bucket and its policy (anonymous reads under `public/` only).
"""
