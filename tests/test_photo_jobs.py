"""A photo's renditions are a background job: "en cours" until made, "échec" when it failed.

Here jobs are queued and not run (django-tasks' dummy backend), or run in this process;
real workers: tests/test_background_worker.py.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Photo, Rendition
from articles.photos.services import refresh_credit_photos
from articles.publishing import workflow
from articles.tasks import make_photo_files
from tests.factories import make_article, make_credit, make_editor, make_photo, place

pytestmark = pytest.mark.django_db

QUEUED_NOT_RUN = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued_not_run(settings):
    settings.TASKS = QUEUED_NOT_RUN


def test_a_new_photo_is_en_cours_and_its_release_cannot_go_live_until_its_renditions_exist(queued_not_run):
    photo = make_photo(caption="Port de Sète")
    release = place(make_article(status=Article.Status.REVIEW), photo)

    assert photo.get_files_state_display() == "En cours"
    assert not photo.renditions.exists()
    with pytest.raises(ValidationError, match="« Port de Sète » sont en cours de préparation"):
        workflow.publish(article=release, user=make_editor("Publication"))

    make_photo_files.call(photo.pk, photo.files_version)  # what the worker does
    photo.refresh_from_db()
    assert photo.get_files_state_display() == "Prête"
    assert photo.renditions.count() == 9
    workflow.publish(article=release, user=make_editor("Publication"))


def test_the_photo_library_shows_which_photos_are_en_cours(admin_client, settings):
    older = make_photo(caption="Ancienne")
    settings.TASKS = QUEUED_NOT_RUN
    newer = make_photo(caption="Nouvelle")

    page = admin_client.get(reverse("admin:articles_photo_changelist")).content.decode()
    rows = {photo: page.split(f"/{photo.pk}/change/", 1)[1].split("</tr>", 1)[0] for photo in (older, newer)}
    assert "Prête" in rows[older] and "En cours" in rows[newer]


def test_a_public_page_shows_no_broken_image_for_a_photo_without_renditions(client):
    photo = make_photo(caption="Sans déclinaisons")
    release = place(make_article(), photo)
    Rendition.objects.filter(photo=photo).delete()  # e.g. files lost, job not yet run again

    response = client.get(release.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sans déclinaisons" in page  # caption and credit still there
    assert "<img" not in page.split("Sans déclinaisons")[0].rsplit("<figure", 1)[-1]
    assert 'src=""' not in page


def test_a_job_that_keeps_failing_leaves_the_photo_in_echec_and_its_release_cannot_go_live():
    photo = make_photo(caption="Fichier perdu")
    release = place(make_article(status=Article.Status.REVIEW), photo)
    photo.image.storage.delete(photo.image.name)  # the master is gone
    photo.caption = "Fichier perdu, légende corrigée"
    photo.save()  # the job runs (immediate backend), fails; this backend cannot retry later: given up

    photo = Photo.objects.get(pk=photo.pk)
    assert photo.get_files_state_display() == "Échec"
    assert "FileNotFoundError" in photo.files_error
    with pytest.raises(ValidationError, match="La préparation de la photo .* a échoué"):
        workflow.publish(article=release, user=make_editor("Publication"))


def test_a_failed_job_is_retried_later_with_a_growing_delay(settings):
    from django_tasks_db.models import DBTaskResult

    photo = make_photo()
    photo.image.storage.delete(photo.image.name)
    Photo.objects.filter(pk=photo.pk).update(files_version=photo.files_version + 1)  # e.g. a new caption
    photo = Photo.objects.get(pk=photo.pk)
    settings.TASKS = DATABASE_QUEUE

    for attempt, delay in ((1, 20), (2, 40), (3, 80)):
        before = timezone.now()
        with pytest.raises(FileNotFoundError):
            make_photo_files.call(photo.pk, photo.files_version, rewrite_master=True, attempt=attempt)
        retry = DBTaskResult.objects.latest("enqueued_at")
        assert retry.args_kwargs["kwargs"] == {"rewrite_master": True, "attempt": attempt + 1}
        assert before + timedelta(seconds=delay - 1) < retry.run_after < timezone.now() + timedelta(seconds=delay + 1)
    assert Photo.objects.get(pk=photo.pk).files_error == ""  # not given up yet: still "en cours"

    with pytest.raises(FileNotFoundError):
        make_photo_files.call(photo.pk, photo.files_version, rewrite_master=True, attempt=4)
    assert DBTaskResult.objects.count() == 3  # the last attempt queues nothing more
    assert Photo.objects.get(pk=photo.pk).get_files_state_display() == "Échec"


def test_the_job_is_idempotent_and_a_superseded_version_is_left_to_the_newer_job():
    photo = make_photo()
    files = sorted(r.file.name for r in photo.renditions.all())
    assert make_photo_files.call(photo.pk, photo.files_version) == "already made"
    assert make_photo_files.call(photo.pk, photo.files_version - 1) == "superseded"
    assert sorted(r.file.name for r in photo.renditions.all()) == files


def test_renaming_a_credit_puts_its_photos_en_cours_until_their_files_are_rewritten(queued_not_run):
    credit = make_credit("Nicolas Datiche")
    settings_photos = [make_photo(credit=credit), make_photo(credit=credit)]
    for photo in settings_photos:
        make_photo_files.call(photo.pk, photo.files_version)
    credit.name = "Nicolas Datiche-Martin"
    credit.save()

    assert refresh_credit_photos(credit) == 2
    assert {p.get_files_state_display() for p in Photo.objects.filter(credit=credit)} == {"En cours"}
    for photo in Photo.objects.filter(credit=credit):
        make_photo_files.call(photo.pk, photo.files_version, rewrite_master=True)
        photo.refresh_from_db()
        assert photo.get_files_state_display() == "Prête"
        with photo.image.open("rb") as fh:
            assert b"Nicolas Datiche-Martin" in fh.read()


def test_failed_jobs_are_listed_with_their_traceback_for_staff(admin_client, client, settings):
    from django_tasks_db.models import DBTaskResult

    photo = make_photo()
    photo.image.storage.delete(photo.image.name)
    Photo.objects.filter(pk=photo.pk).update(files_version=photo.files_version + 1)
    photo = Photo.objects.get(pk=photo.pk)
    settings.TASKS = DATABASE_QUEUE
    make_photo_files.enqueue(photo.pk, photo.files_version, attempt=4)  # its last attempt
    from django_tasks_db.management.commands.db_worker import Worker

    job = DBTaskResult.objects.get()
    Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="test", excluded_queue_names=[]).run_task(job)

    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    listing = admin_client.get(changelist, {"status__exact": "FAILED"}).content.decode()
    assert "make_photo_files" in listing
    detail = admin_client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[job.pk])).content.decode()
    assert "FileNotFoundError" in detail

    client.force_login(make_editor("Rédaction"))
    assert client.get(changelist).status_code == 403  # staff with the right, not every editor


def test_an_upright_camera_jpeg_is_cleaned_without_touching_its_pixels():
    from tests.factories import CAMERA_SECRETS, camera_jpeg

    original = camera_jpeg() + b"\xff\xd8 a second image (MPF preview) with its own GPS \xff\xd9"
    photo = make_photo(image=SimpleUploadedFile("camera.jpg", original, "image/jpeg"), caption="Sans décodage")
    with photo.image.open("rb") as fh:
        master = fh.read()

    scan = original[original.index(b"\xff\xda"):original.index(b"\xff\xd9") + 2]
    assert master.endswith(scan)  # the compressed picture, byte for byte, and nothing after it
    assert not any(secret in master for secret in CAMERA_SECRETS)
    assert b"Sans d\xc3\xa9codage" in master and photo.credit.name.encode() in master


def test_a_malformed_jpeg_is_not_cleaned_by_copying_but_decoded_or_refused():
    from articles.photos.files import jpeg_without_metadata

    photo = make_photo()
    assert jpeg_without_metadata(b"\xff\xd8\xff\xe1\x00", photo) is None
    assert jpeg_without_metadata(b"not a jpeg at all", photo) is None
    with photo.image.open("rb") as fh:
        whole = fh.read()
    assert jpeg_without_metadata(whole[: len(whole) // 2], photo) is None  # no end of image
