"""Test settings: the project's own settings, with a throwaway key and media folder.

The database and cache still come from DATABASE_URL / REDIS_URL, so CI runs
the same suite on SQLite and on PostgreSQL with Redis.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-" + "k" * 60)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from pressroom.settings import *  # noqa: E402,F403

MEDIA_ROOT = tempfile.mkdtemp(prefix="pressroom-test-media-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"pressroom-test-{os.getpid()}"  # noqa: F405
else:
    # Local memory keeps the suite fast; the shared file cache that `make run` uses is
    # tested with real processes in tests/test_shared_cache.py.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# WhiteNoise looks for STATIC_ROOT at start-up; tests serve no static files, but it must exist.
STATIC_ROOT = tempfile.mkdtemp(prefix="pressroom-test-static-")
