"""Test settings: the project's own settings, with a throwaway key and media folder.

The database and cache still come from DATABASE_URL / REDIS_URL, so CI runs
the same suite on SQLite and on PostgreSQL with Redis.
"""

import hashlib
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

# Background jobs run at once, inside the caller's transaction (django-tasks' immediate backend),
# so most tests see a photo's renditions right after its save, as an editor would once the worker
# has run. The real queue and real worker processes are exercised by tests/test_background_worker.py,
# which starts `manage.py run_worker` subprocesses with the database backend (tests/worker_settings.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's in-memory test database: worker subprocesses must open the same database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"pressroom-test-{hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:10]}.sqlite3"),  # noqa: F405
    }

# WhiteNoise looks for STATIC_ROOT at start-up; tests serve no static files, but it must exist.
STATIC_ROOT = tempfile.mkdtemp(prefix="pressroom-test-static-")

# As a production deployment must (`check --deploy` warns otherwise): /.well-known/security.txt is served.
SECURITY_CONTACT = ["mailto:securite@example.org"]
