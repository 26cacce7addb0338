"""Press-kit download speed from the bucket (SeaweedFS) against the local disk, in the same run.

Run: .venv/bin/python bench/press_kit_storage.py [PHOTOS] [ROUNDS]   (default 8 photos, 5 rounds)

One release with PHOTOS photos of 24 megapixels (noisy JPEGs of a few MB, like a camera's),
stored once on the local disk and once in a SeaweedFS bucket (deploy/seaweedfs.py, ports of
9300-9399); then its press kit is downloaded through the real view (`/communiques/<slug>/
dossier-de-presse.zip`, Django's test client, the body read to the end) ROUNDS times from each,
alternating. Prints the median time and throughput of each and their ratio. A throwaway
SQLite database and media folder; nothing else is touched.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def noisy_jpeg(width: int = 6000, height: int = 4000) -> bytes:
    from PIL import Image

    base = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    buf = io.BytesIO()
    Image.merge("RGB", (base, noise, Image.linear_gradient("L").resize((width, height)))).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def main() -> None:
    photos = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    tmp = Path(tempfile.mkdtemp(prefix="pressroom-bench-kit-"))
    sys.path.insert(0, str(ROOT))
    os.environ.update(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3", MEDIA_ROOT=f"{tmp}/media",
                      CACHE_DIR=f"{tmp}/cache", DJANGO_SETTINGS_MODULE="pressroom.settings")
    os.environ.pop("MEDIA_S3_BUCKET", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.utils import timezone

    from articles.models import Article, ArticlePhoto, Credit, Photo
    from deploy.seaweedfs import SeaweedFS

    call_command("migrate", verbosity=0)
    server = SeaweedFS(tmp / "seaweedfs")
    server.start()
    try:
        bucket_storage = {"BACKEND": "articles.storage.backends.MediaStorage", "OPTIONS": {
            "bucket_name": server.bucket, "endpoint_url": server.endpoint, "access_key": server.access_key,
            "secret_key": server.secret_key, "region_name": "us-east-1", "addressing_style": "path",
            "signature_version": "s3v4", "default_acl": None}}
        modes = {"local disk": dict(settings.STORAGES),
                 "bucket (SeaweedFS)": {**settings.STORAGES, "default": bucket_storage}}
        data = noisy_jpeg()
        credit = Credit.objects.create(name="Banc d'essai")
        urls, sizes = {}, {}
        for mode, storages in modes.items():
            with override_settings(STORAGES=storages):
                article = Article.objects.create(title=f"Dossier {mode}", status=Article.Status.PUBLISHED,
                                                 publish_at=timezone.now())
                for i in range(photos):
                    photo = Photo(image=ContentFile(data, name=f"p{i}.jpg"), caption=f"Photo {i}", alt_text="x",
                                  credit=credit)
                    photo.save()
                    ArticlePhoto.objects.create(article=article, photo=photo, position=i)
                urls[mode] = f"/communiques/{article.slug}/dossier-de-presse.zip"
        times = {mode: [] for mode in modes}
        client = Client(HTTP_HOST="127.0.0.1")
        for _ in range(rounds):
            for mode, storages in modes.items():
                with override_settings(STORAGES=storages):
                    start = time.perf_counter()
                    response = client.get(urls[mode])
                    assert response.status_code == 200, response.status_code
                    size = sum(len(chunk) for chunk in response.streaming_content)
                    times[mode].append(time.perf_counter() - start)
                    sizes[mode] = size
        print(f"Press kit of {photos} photos of 24 MP ({len(data) / 1e6:.1f} MB each), {rounds} rounds, median:")
        medians = {}
        for mode in modes:
            medians[mode] = statistics.median(times[mode])
            print(f"  {mode:20} {sizes[mode] / 1e6:6.1f} MB in {medians[mode] * 1000:7.0f} ms "
                  f"= {sizes[mode] / 1e6 / medians[mode]:6.0f} MB/s")
        local, bucket = medians["local disk"], medians["bucket (SeaweedFS)"]
        print(f"  bucket / local disk: {bucket / local:.2f}× the time")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
