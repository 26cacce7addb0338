"""A real S3 server for the tests: SeaweedFS, started once per session (or the one .ci/run started).

`.ci/run` starts SeaweedFS for the PostgreSQL run and passes it as PRESSROOM_TEST_S3_*;
otherwise the session starts its own on free ports of 9300–9399 (PRESSROOM_TEST_S3_PORTS
changes the range). A SeaweedFS that cannot run skips these tests locally and fails them
in CI, never silently.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.seaweedfs import SeaweedFS, SeaweedFSError


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1",
                            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))

    def storage_settings(self, bucket: str) -> dict:
        """settings.STORAGES["default"] as pressroom/settings.py writes it for MEDIA_S3_BUCKET."""
        return {
            "BACKEND": "articles.storage.backends.MediaStorage",
            "OPTIONS": {
                "bucket_name": bucket, "endpoint_url": self.endpoint, "access_key": self.access_key,
                "secret_key": self.secret_key, "region_name": "us-east-1", "addressing_style": "path",
                "signature_version": "s3v4", "default_acl": None, "querystring_auth": True,
                "querystring_expire": 600, "public_base_url": "",
            },
        }


def start_session_server():
    """(S3Server, the SeaweedFS we started or None)."""
    endpoint = os.environ.get("PRESSROOM_TEST_S3_ENDPOINT_URL")
    if endpoint:
        return S3Server(endpoint, os.environ["PRESSROOM_TEST_S3_ACCESS_KEY_ID"],
                        os.environ["PRESSROOM_TEST_S3_SECRET_ACCESS_KEY"]), None
    first, last = (int(p) for p in os.environ.get("PRESSROOM_TEST_S3_PORTS", "9300-9399").split("-"))
    server = SeaweedFS(Path(tempfile.mkdtemp(prefix="pressroom-test-seaweedfs-")), port_range=(first, last))
    try:
        server.start()
    except SeaweedFSError as exc:
        message = f"SeaweedFS could not start: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return S3Server(server.endpoint, server.access_key, server.secret_key), server


def new_bucket(server: S3Server) -> str:
    """A bucket of the test's own, with Pressroom's policy (manage.py setup_media_bucket)."""
    from articles.storage.backends import MediaStorage
    from articles.storage.bucket import ensure_bucket

    name = f"test-{secrets.token_hex(6)}"
    ensure_bucket(MediaStorage(**server.storage_settings(name)["OPTIONS"]))
    return name


def anonymous_get(url: str) -> tuple[int, bytes]:
    """What anyone on the internet gets at `url`: (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
