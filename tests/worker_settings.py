"""Settings of the worker subprocesses started by tests/test_background_worker.py.

The test settings, but with the real database queue, the test database of the
test process (PRESSROOM_TEST_DB_NAME) and its media folder (MEDIA_ROOT), and a probe
receiver (tests/worker_probe.py) whose effect the tests count.
"""

import os

from tests.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DATABASES["default"]["NAME"] = os.environ["PRESSROOM_TEST_DB_NAME"]  # noqa: F405
MEDIA_ROOT = os.environ["MEDIA_ROOT"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.worker_probe.ProbeConfig"]  # noqa: F405
LOGGING["root"]["level"] = "INFO"  # noqa: F405
