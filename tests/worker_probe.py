"""A receiver of "went live", installed only in the test workers (tests/worker_settings.py).

It stands for a webhook or a CDN purge: it announces that it started (calls.log), takes
PROBE_SLEEP seconds (so that a test can kill the worker in the middle), then records its
effect idempotently, keyed on the release and the publication: one file each.
"""

import os
import time

from django.apps import AppConfig


def record_effect(sender, event, article, **kwargs):
    probe_dir = os.environ["PROBE_DIR"]
    key = f"{event.article_id}-{event.publication}"
    with open(os.path.join(probe_dir, "calls.log"), "a") as log:
        log.write(f"{key} {os.getpid()}\n")
    time.sleep(float(os.environ.get("PROBE_SLEEP", "0")))
    try:
        fd = os.open(os.path.join(probe_dir, f"effect-{key}"), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return  # done already: idempotent
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)


class ProbeConfig(AppConfig):
    name = "tests.worker_probe"
    label = "worker_probe"

    def ready(self):
        from articles.publishing.events import release_went_live

        if os.environ.get("PROBE_DIR"):
            release_went_live.connect(record_effect, dispatch_uid="tests.worker_probe")
