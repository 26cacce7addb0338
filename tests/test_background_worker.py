"""Real worker processes (`manage.py run_worker`) on the test database, SQLite or PostgreSQL.

These tests never skip: a worker that cannot start fails them, in CI as anywhere
(.ci/run runs them on both databases through `make test`).
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Photo, ReleaseEvent, WorkerHeartbeat
from articles.publishing import workflow
from tests.factories import image_upload, make_article, make_editor, make_photo, place

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Workers:
    """Starts worker subprocesses on the test database; kills whatever is left at the end."""

    def __init__(self, tmp_path, settings):
        self.tmp_path, self.settings, self.procs = tmp_path, settings, []
        self.probe_dir = tmp_path / "probe"
        self.probe_dir.mkdir()

    def start(self, name: str, *, probe_sleep: float = 0, stale_seconds: float = 60) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "PRESSROOM_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
            "MEDIA_ROOT": str(self.settings.MEDIA_ROOT),
            "PROBE_DIR": str(self.probe_dir),
            "PROBE_SLEEP": str(probe_sleep),
            "WORKER_SWEEP_SECONDS": "0.5",
            "WORKER_STALE_SECONDS": str(stale_seconds),
        }
        log = open(self.tmp_path / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--queue-name", "*", "--interval", "0.2",
             "--no-startup-delay", "--worker-id", name],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        proc.name, proc.log = name, log
        self.procs.append(proc)
        return proc

    def output(self, proc) -> str:
        proc.log.flush()
        return (self.tmp_path / f"{proc.name}.log").read_text(errors="replace")

    def wait_for(self, condition, *, timeout: float = 60, what: str = "the workers"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            for proc in self.procs:
                if proc.poll() is not None and proc.returncode not in (0, -signal.SIGKILL):
                    pytest.fail(f"worker {proc.name} exited with {proc.returncode}:\n{self.output(proc)}")
            time.sleep(0.1)
        logs = "\n".join(f"--- {p.name}\n{self.output(p)[-3000:]}" for p in self.procs)
        pytest.fail(f"{what}: not done after {timeout} s\n{logs}")

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.log.close()

    def effects(self) -> list[str]:
        return sorted(p.name for p in self.probe_dir.glob("effect-*"))

    def calls(self) -> list[str]:
        log = self.probe_dir / "calls.log"
        return log.read_text().split("\n")[:-1] if log.exists() else []


def editorial_roles():
    """The groups migration 0004 makes: a transactional test's flush (another's, or ours) empties their table."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("articles.migrations.0004_editorial_roles")
    for name, specs in roles.ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for spec in specs:
            for app_label, codename in roles.codenames(spec):
                group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


@pytest.fixture
def workers(tmp_path, settings):
    settings.TASKS = QUEUE  # this test process queues jobs in the database, as the site does
    editorial_roles()
    pool = Workers(tmp_path, settings)
    yield pool
    pool.stop_all()


def went_live(article) -> list[ReleaseEvent]:
    return list(ReleaseEvent.objects.filter(article=article, kind=ReleaseEvent.Kind.WENT_LIVE))


def test_with_two_workers_each_scheduled_release_goes_live_exactly_once_within_seconds(workers):
    publisher = make_editor("Publication")
    workers.start("worker-a")
    workers.start("worker-b")
    workers.wait_for(lambda: WorkerHeartbeat.objects.count() == 2, what="two workers started")
    at = timezone.now() + timedelta(seconds=6)
    releases = [
        workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher, publish_at=at)
        for _ in range(12)
    ]
    if timezone.now() < at - timedelta(seconds=1):
        assert ReleaseEvent.objects.count() == 0  # scheduled: nothing has gone live before its time

    workers.wait_for(
        lambda: ReleaseEvent.objects.filter(kind="went_live", dispatched_at__isnull=False).count() >= 12,
        what="12 releases announced",
    )
    time.sleep(2)  # a few more sweeps by both workers: still nothing doubles

    for release in releases:
        events = went_live(release)
        assert len(events) == 1 and events[0].publication == 1
        assert events[0].at >= release.publish_at
    assert len(workers.effects()) == 12 and len(workers.calls()) == 12
    delays = sorted(e.payload["delay_seconds"] for e in ReleaseEvent.objects.filter(kind="went_live"))
    print(f"\nwent-live delay (scheduled time → event), 12 releases, 2 workers, 0.5 s sweep: "
          f"min {delays[0]:.2f} s, max {delays[-1]:.2f} s")
    assert delays[-1] < 60


def test_a_worker_killed_mid_job_loses_nothing_and_doubles_nothing(workers):
    publisher = make_editor("Publication")
    release = workflow.publish(
        article=make_article(status=Article.Status.REVIEW), user=publisher, publish_at=timezone.now() + timedelta(seconds=1)
    )
    first = workers.start("worker-killed", probe_sleep=30, stale_seconds=2)
    workers.wait_for(lambda: len(workers.calls()) == 1, what="the went-live receiver started")
    first.send_signal(signal.SIGKILL)
    first.wait(10)

    # Killed in the middle of the receiver: the event is recorded, its effect is not, its job is stuck.
    assert len(went_live(release)) == 1 and went_live(release)[0].dispatched_at is None
    assert workers.effects() == []
    assert DBTaskResult.objects.running().count() == 1

    workers.start("worker-restarted", stale_seconds=2)
    workers.wait_for(lambda: ReleaseEvent.objects.filter(dispatched_at__isnull=False).count() == 1,
                     what="the orphaned dispatch run again")
    time.sleep(1.5)

    assert len(went_live(release)) == 1  # nothing doubled
    assert workers.effects() == [f"effect-{release.pk}-1"]  # nothing lost
    assert len(workers.calls()) == 2  # the receiver ran again, and its effect was recorded once
    assert DBTaskResult.objects.running().count() == 0
    assert DBTaskResult.objects.failed().count() == 0


def test_a_new_photo_is_en_cours_until_the_worker_has_made_its_renditions(workers):
    publisher = make_editor("Publication")
    photo = make_photo(image=image_upload("grande.jpg", size=(3000, 2000)))
    release = place(make_article(status=Article.Status.REVIEW), photo)

    assert photo.get_files_state_display() == "En cours"
    assert photo.renditions.count() == 0
    with pytest.raises(Exception, match="en cours de préparation"):
        workflow.publish(article=release, user=publisher)

    workers.start("worker-photos")
    workers.wait_for(lambda: Photo.objects.get(pk=photo.pk).files_state == "ready", what="the renditions")

    photo.refresh_from_db()
    assert photo.renditions.count() == 9
    assert all(Path(r.file.path).exists() for r in photo.renditions.all())
    workflow.publish(article=release, user=publisher)
    workers.wait_for(lambda: ReleaseEvent.objects.filter(dispatched_at__isnull=False).count() == 1,
                     what="the went-live event dispatched")
    assert len(went_live(release)) == 1


def test_the_press_kit_of_a_release_that_goes_live_is_built_by_a_worker(workers, settings):
    from articles.photos.press_kit import PressKit

    publisher = make_editor("Publication")
    release = place(make_article(status=Article.Status.REVIEW), make_photo(image=image_upload("kit.jpg", size=(1600, 1000))))
    workers.start("worker-kits")
    workers.wait_for(lambda: all(p.files_state == "ready" for p in Photo.objects.all()), what="the renditions")
    workflow.publish(article=release, user=publisher)
    kit = PressKit(Article.objects.with_page().get(pk=release.pk))
    stored = Path(settings.MEDIA_ROOT) / kit.done_marker
    workers.wait_for(stored.exists, what="the press kit built in storage")
    assert (Path(settings.MEDIA_ROOT) / kit.prebuilt()).stat().st_size > 1000
    assert DBTaskResult.objects.failed().count() == 0
    # The release's PDF too, by the same event, from the rendition the worker made first.
    from articles.printing.release_pdf import ReleasePdf

    pdf = ReleasePdf(Article.objects.with_page().get(pk=release.pk))
    workers.wait_for((Path(settings.MEDIA_ROOT) / pdf.done_marker).exists, what="the release PDF drawn in storage")
    assert (Path(settings.MEDIA_ROOT) / pdf.prebuilt()).read_bytes().startswith(b"%PDF-")
    assert DBTaskResult.objects.failed().count() == 0
