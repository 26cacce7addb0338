"""The bucket and its policy: every object private, anyone may read under `public/`.

`manage.py setup_media_bucket` runs this once per installation (make cluster, the tests);
it is safe to run again. On AWS, the account's "Block Public Access" must allow a bucket
policy for the public URLs to work; nothing else is ever public.
"""

from __future__ import annotations

import json

from .backends import PUBLIC_PREFIX, MediaStorage


def public_read_policy(bucket: str, location: str = "") -> dict:
    prefix = f"{location.strip('/')}/" if location.strip("/") else ""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "PressroomPublicRenditions",
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject"],
            "Resource": [f"arn:aws:s3:::{bucket}/{prefix}{PUBLIC_PREFIX}*"],
        }],
    }


def ensure_bucket(storage: MediaStorage) -> bool:
    """Create the bucket if it does not exist and set its policy; True when it was created."""
    client = storage.connection.meta.client
    created = False
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if storage.bucket_name not in existing:
        client.create_bucket(Bucket=storage.bucket_name)
        created = True
    client.put_bucket_policy(Bucket=storage.bucket_name,
                             Policy=json.dumps(public_read_policy(storage.bucket_name, storage.location)))
    return created
