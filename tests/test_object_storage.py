"""Media on a real S3 server (SeaweedFS): private objects, public copies only for public photos,
downloads and press kits streamed from the bucket. (The local disk stays the default: every
other test file runs on it.)"""

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Photo, Rendition
from articles.publishing import workflow
from articles.publishing.events import claim_went_live
from articles.storage.backends import MediaStorage
from articles.storage.exposure import sync_public_media
from tests.factories import make_article, make_editor, make_photo, place
from tests.object_storage import anonymous_get

pytestmark = pytest.mark.django_db

S = Article.Status


def keys(s3_server, bucket) -> set[str]:
    answer = s3_server.client().list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in answer.get("Contents", [])}


def plain_url(s3_server, bucket, name) -> str:
    """The object's address without any signature: what a visitor who learnt the name would try."""
    return f"{s3_server.endpoint}/{bucket}/{name}"


def embargoed_release_with_photo():
    photo = make_photo()
    article = place(make_article(publish_at=timezone.now() + timedelta(hours=2)), photo)
    return article, Photo.objects.get(pk=photo.pk)


def embargo_ends(article):
    """The minute comes (no clock travel: the S3 server checks signatures against real time)."""
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))


def test_uploads_and_renditions_are_objects_in_the_bucket_and_nothing_on_the_local_disk(s3_media, s3_server, settings):
    assert isinstance(default_storage, MediaStorage)
    photo = make_photo()
    stored = keys(s3_server, s3_media)
    assert photo.image.name in stored
    renditions = list(Rendition.objects.filter(photo=photo))
    assert len(renditions) == 9
    assert {r.file.name for r in renditions} <= stored
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_an_embargoed_photo_is_refused_to_an_anonymous_visitor_of_the_bucket(s3_media, s3_server):
    article, photo = embargoed_release_with_photo()
    assert sync_public_media() == (0, 0)  # not public: nothing moves
    names = [photo.image.name] + [r.file.name for r in photo.renditions.all()]
    for name in names:
        assert not name.startswith("public/")
        status, body = anonymous_get(plain_url(s3_server, s3_media, name))
        assert status == 403, name
        assert b"AccessDenied" in body
    # Staff (the admin's thumbnails) get short signed URLs, which work.
    signed = photo.renditions.first().file.url
    assert "X-Amz-Signature=" in signed
    assert "X-Amz-Expires=600" in signed
    assert anonymous_get(signed)[0] == 200
    # And the bucket cannot be listed by anyone.
    assert anonymous_get(f"{s3_server.endpoint}/{s3_media}/")[0] == 403


def test_when_the_embargo_ends_renditions_get_public_urls_a_cdn_can_cache_and_the_master_stays_private(
    s3_media, s3_server, client
):
    article, photo = embargoed_release_with_photo()
    embargo_ends(article)
    assert sync_public_media() == (9, 0)
    assert sync_public_media() == (0, 0)  # idempotent
    renditions = list(Rendition.objects.filter(photo=photo))
    stored = keys(s3_server, s3_media)
    for rendition in renditions:
        assert rendition.file.name.startswith("public/renditions/")
        assert rendition.file.name in stored
        assert rendition.file.name.removeprefix("public/") not in stored  # moved, not copied
        url = rendition.file.url
        assert url == plain_url(s3_server, s3_media, rendition.file.name)  # no signature, no expiry
        status, body = anonymous_get(url)
        assert status == 200 and body[:2] in (b"\xff\xd8", b"RI")  # JPEG or WebP (RIFF)
    # The public page names those public URLs, never a signed one.
    page = client.get(article.get_absolute_url()).content.decode()
    srcs = set(re.findall(r'(?:src|srcset)="([^"]+)"', page))
    assert any(s3_media in src for src in srcs)
    assert "X-Amz-Signature" not in page
    # Full resolution only through the app, which applies the rule.
    assert anonymous_get(plain_url(s3_server, s3_media, photo.image.name))[0] == 403


def test_a_withdrawn_release_takes_its_photos_public_copies_away(s3_media, s3_server):
    article = make_article()
    photo = make_photo()
    place(article, photo)
    sync_public_media()
    public_urls = [r.file.url for r in Rendition.objects.filter(photo=photo)]
    assert all(anonymous_get(url)[0] == 200 for url in public_urls)

    workflow.withdraw(article=Article.objects.get(pk=article.pk), user=make_editor("Publication"), reason="Erreur")
    assert sync_public_media() == (0, 9)
    for url in public_urls:
        assert anonymous_get(url)[0] in (403, 404), url
    for rendition in Rendition.objects.filter(photo=photo):
        assert not rendition.file.name.startswith("public/")
        assert anonymous_get(rendition.file.url)[0] == 200  # signed, for the staff
    assert not {k for k in keys(s3_server, s3_media) if k.startswith("public/")}


def test_a_photo_still_shown_by_another_public_release_stays_public(s3_media, s3_server):
    photo = make_photo()
    first, second = make_article(), make_article()
    place(first, photo)
    place(second, photo)
    sync_public_media()
    workflow.withdraw(article=Article.objects.get(pk=first.pk), user=make_editor("Publication"), reason="Erreur")
    assert sync_public_media() == (0, 0)


def test_the_release_event_moves_the_files_once_committed(s3_media, django_capture_on_commit_callbacks):
    article = make_article()
    photo = make_photo()
    place(article, photo)
    sync_public_media()
    claim_went_live(article_id=article.pk)  # the worker's sweep announced it: its withdrawal is an event
    with django_capture_on_commit_callbacks(execute=True):
        # The test settings dispatch the event at once: its receiver asks for a move after the commit.
        workflow.withdraw(article=Article.objects.get(pk=article.pk), user=make_editor("Publication"), reason="Erreur")
    assert not Rendition.objects.filter(photo=photo, file__startswith="public/").exists()


def test_the_photo_download_streams_the_master_from_the_bucket(s3_media, s3_server, client):
    photo = make_photo()
    place(make_article(), photo)
    response = client.get(reverse("articles:photo-download", args=[photo.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    stored = s3_server.client().get_object(Bucket=s3_media, Key=photo.image.name)["Body"].read()
    assert data == stored
    assert response["Content-Length"] == str(len(stored))
    assert response["Content-Type"] == "image/jpeg"


def test_the_press_kit_streams_every_photo_from_the_bucket(s3_media, s3_server, client):
    article = make_article(photos=2)
    response = client.get(reverse("articles:press-kit", args=[article.slug]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    photos = [name for name in archive.namelist() if name.endswith(".jpg")]
    assert len(photos) == 2
    masters = {s3_server.client().get_object(Bucket=s3_media, Key=p.photo.image.name)["Body"].read()
               for p in article.article_photos.select_related("photo")}
    assert {archive.read(name) for name in photos} == masters


def test_an_embargo_link_serves_its_photos_from_the_bucket_through_the_app(s3_media, client):
    from articles.publishing import embargo

    article, photo = embargoed_release_with_photo()
    link = embargo.create_link(article=article, user=make_editor("Publication"), recipient_name="Agence",
                               expires_at=timezone.now() + timedelta(days=1))
    rendition = photo.renditions.get(spec="w480-webp")
    response = client.get(embargo.photo_path(link, photo.pk, "w480-webp"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == rendition.file.read()
    assert "private" in response["Cache-Control"]


def test_setup_media_bucket_creates_the_bucket_with_its_policy(settings, s3_server):
    import secrets

    bucket = f"setup-{secrets.token_hex(4)}"
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings(bucket)}
    out = io.StringIO()
    call_command("setup_media_bucket", stdout=out)
    assert "créé" in out.getvalue()
    call_command("setup_media_bucket", stdout=out)  # again: nothing breaks
    s3_server.client().put_object(Bucket=bucket, Key="public/x.txt", Body=b"x")
    s3_server.client().put_object(Bucket=bucket, Key="renditions/x.txt", Body=b"x")
    assert anonymous_get(f"{s3_server.endpoint}/{bucket}/public/x.txt")[0] == 200
    assert anonymous_get(f"{s3_server.endpoint}/{bucket}/renditions/x.txt")[0] == 403


def test_the_worker_sweep_survives_a_bucket_that_does_not_answer(settings, caplog):
    """A bucket down is logged and tried again at the next sweep; the worker's other chores go on."""
    from articles.storage.exposure import sweep_public_media
    from tests.object_storage import S3Server

    photo = make_photo()
    place(make_article(), photo)  # public: its renditions are to be moved
    before = sorted(Rendition.objects.filter(photo=photo).values_list("file", flat=True))
    dead = S3Server("http://127.0.0.1:9", "k", "s")  # nothing listens on the discard port
    settings.STORAGES = {**settings.STORAGES, "default": dead.storage_settings("gone")}
    sweep_public_media()
    assert "Public media not synchronised" in caplog.text
    assert sorted(Rendition.objects.filter(photo=photo).values_list("file", flat=True)) == before


def test_a_press_kit_built_ahead_is_a_private_object_streamed_from_the_bucket_and_gone_on_withdrawal(
    s3_media, s3_server, client
):
    from articles.tasks import refresh_press_kit

    article = make_article(photos=2)
    assert refresh_press_kit.call(article.pk) == "built"
    kits = {k for k in keys(s3_server, s3_media) if k.startswith(f"dossiers-de-presse/{article.pk}/")}
    zip_name = next(k for k in kits if k.endswith(".zip"))
    assert any(k.endswith(".fini") for k in kits)
    assert anonymous_get(plain_url(s3_server, s3_media, zip_name))[0] == 403  # only through the app

    response = client.get(reverse("articles:press-kit", args=[article.slug]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == s3_server.client().get_object(Bucket=s3_media, Key=zip_name)["Body"].read()
    assert response["Content-Length"] == str(len(body))
    assert zipfile.ZipFile(io.BytesIO(body)).namelist()[-2:] == ["LEGENDES.txt", "COMMUNIQUE.txt"]

    workflow.withdraw(article=Article.objects.get(pk=article.pk), user=make_editor("Publication"), reason="Erreur")
    assert refresh_press_kit.call(article.pk) == "not public: discarded"
    assert not {k for k in keys(s3_server, s3_media) if k.startswith(f"dossiers-de-presse/{article.pk}/")}


def test_with_a_bucket_the_content_security_policy_lets_pages_show_its_photos():
    from tests.factories import run_manage

    show = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    local = run_manage("shell", "-c", show, DEBUG="1")
    assert local.stdout.strip().splitlines()[-1] == "[\"'self'\", 'data:']", local.stderr
    bucket = run_manage("shell", "-c", show, DEBUG="1", MEDIA_S3_BUCKET="media",
                        MEDIA_S3_ENDPOINT_URL="http://127.0.0.1:9333", MEDIA_S3_PUBLIC_URL="https://photos.example.org/media/")
    assert "'http://127.0.0.1:9333', 'https://photos.example.org'" in bucket.stdout, bucket.stderr


def test_new_renditions_of_a_public_photo_leave_no_public_copy_behind(
    s3_media, s3_server, django_capture_on_commit_callbacks
):
    """A credit renamed: the job writes new renditions (private) and deletes the old ones under both
    names they may have (a sweep may have moved them under public/ since the job read them)."""
    photo = make_photo()
    place(make_article(), photo)
    sync_public_media()
    old_public = {k for k in keys(s3_server, s3_media) if k.startswith("public/")}
    assert len(old_public) == 9
    credit = photo.credit
    credit.name = "Nicolas Datiche (renommé)"
    with django_capture_on_commit_callbacks(execute=True):
        credit.save()  # its receiver queues the photo's job, which runs at once here
    stored = keys(s3_server, s3_media)
    assert not old_public & stored
    assert sync_public_media() == (9, 0)
    public_now = {k for k in keys(s3_server, s3_media) if k.startswith("public/")}
    assert public_now == {r.file.name for r in Rendition.objects.filter(photo=photo)}


def test_a_sweep_moving_renditions_while_the_job_replaces_them_leaves_no_public_copy(
    s3_media, s3_server, monkeypatch, django_capture_on_commit_callbacks
):
    """The race itself: the job has read the renditions' private names, then a worker's sweep
    moves them under public/ before the job saves the new ones. The job's clean-up deletes
    the public copies too, so nothing stays readable once the photo stops being public."""
    from articles.photos import services

    photo = make_photo()
    place(make_article(), photo)
    real_render, swept = services.render, []

    def render_after_a_sweep(*args, **kwargs):
        if not swept:
            swept.append(sync_public_media())  # another worker's sweep, between the job's read and its saves
        return real_render(*args, **kwargs)

    monkeypatch.setattr(services, "render", render_after_a_sweep)
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh_photo_files(Photo.objects.get(pk=photo.pk), rewrite_master=False)
    assert swept == [(9, 0)]
    assert not Rendition.objects.filter(photo=photo, file__startswith="public/").exists()
    assert not {k for k in keys(s3_server, s3_media) if k.startswith("public/")}


def test_a_release_pdf_is_drawn_from_the_bucket_kept_there_privately_and_gone_on_withdrawal(s3_media, s3_server, client):
    from pypdf import PdfReader

    from articles.tasks import refresh_release_pdf

    article = make_article("Communiqué dans le seau", photos=1)
    assert refresh_release_pdf.call(article.pk) == "built"
    stored = {k for k in keys(s3_server, s3_media) if k.startswith(f"communiques-pdf/{article.pk}/")}
    pdf_name = next(k for k in stored if k.endswith(".pdf"))
    assert anonymous_get(plain_url(s3_server, s3_media, pdf_name))[0] == 403  # only through the app

    response = client.get(reverse("articles:release-pdf", args=[article.slug]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == s3_server.client().get_object(Bucket=s3_media, Key=pdf_name)["Body"].read()
    page = PdfReader(io.BytesIO(body)).pages[0]
    assert "Communiqué dans le seau" in page.extract_text()
    assert page.images  # the lead photo's rendition, read from the bucket

    workflow.withdraw(article=Article.objects.get(pk=article.pk), user=make_editor("Publication"), reason="Erreur")
    assert refresh_release_pdf.call(article.pk) == "not public: discarded"
    assert not {k for k in keys(s3_server, s3_media) if k.startswith(f"communiques-pdf/{article.pk}/")}
    assert client.get(reverse("articles:release-pdf", args=[article.slug])).status_code == 404
