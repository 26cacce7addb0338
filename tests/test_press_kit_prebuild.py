"""The press kit is built ahead, once per version, and a download never serves a stale one.

A journalist downloading the kit of a big release at the minute it goes live gets a file
already in storage; an edit the kit does not yet reflect is streamed fresh instead.
"""

import io
import zipfile
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from articles.models import Article
from articles.photos.press_kit import FOLDER, PressKit
from articles.publishing import workflow
from tests.factories import make_article

pytestmark = pytest.mark.django_db

S = Article.Status


def kit_files(article) -> list[str]:
    """The release's built kits in storage (each with its "fini" marker beside it)."""
    try:
        return sorted(name for name in default_storage.listdir(f"{FOLDER}/{article.pk}")[1] if name.endswith(".zip"))
    except FileNotFoundError:
        return []


def current_kit(article) -> PressKit:
    return PressKit(Article.objects.with_page().get(pk=article.pk))


def download(client, article):
    response = client.get(reverse("articles:press-kit", args=[article.slug]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return response, zipfile.ZipFile(io.BytesIO(body)), body


@pytest.fixture
def live(publisher):
    """A release with two photos, published now by a publisher (the went-live event's job builds its kit)."""
    article = make_article("Un accord à Kyoto", status=S.REVIEW, photos=2)
    return workflow.publish(article=article, user=publisher)


def test_going_live_builds_the_kit_into_storage(live):
    kit = current_kit(live)
    assert len(kit_files(live)) == 1
    with default_storage.open(kit.prebuilt(), "rb") as stored:
        names = zipfile.ZipFile(io.BytesIO(stored.read())).namelist()
    assert names[-2:] == ["LEGENDES.txt", "COMMUNIQUE.txt"] and len(names) == 4


def test_the_download_sends_the_built_kit_byte_for_byte(client, live):
    kit = current_kit(live)
    response, zipped, body = download(client, live)
    with default_storage.open(kit.prebuilt(), "rb") as stored:
        assert body == stored.read()
    assert int(response["Content-Length"]) == len(body)  # a stored file, not a stream of unknown size
    assert response["Content-Disposition"] == 'attachment; filename="dossier-de-presse-un-accord-a-kyoto.zip"'
    assert zipped.testzip() is None


def test_a_caption_changed_since_the_build_is_in_the_next_download_and_the_kit_is_rebuilt(client, live, publisher):
    old = current_kit(live).prebuilt()
    photo = live.article_photos.first().photo
    photo.caption = "Nouvelle légende après correction"
    photo.save()  # shared photo: the release itself is not saved, no event
    response, zipped, _body = download(client, live)
    assert "Nouvelle légende après correction" in zipped.read("LEGENDES.txt").decode()
    # That download queued the rebuild (run at once by the test settings): the stale kit is gone.
    new = current_kit(live).prebuilt()
    assert new is not None and new != old
    assert kit_files(live) == [new.rsplit("/", 1)[1]]
    response, zipped, body = download(client, live)
    assert response.has_header("Content-Length")
    assert "Nouvelle légende après correction" in zipped.read("LEGENDES.txt").decode()


def test_a_correction_by_a_publisher_rebuilds_the_kit(live, publisher):
    old = current_kit(live).prebuilt()
    live.refresh_from_db()
    live.body = "<p>Texte corrigé.</p>"
    live.change_note = "Chiffre corrigé"
    live.save()
    workflow.publish(article=live, user=publisher)  # an approved correction: the "updated" event
    new = current_kit(live)
    assert "Texte corrigé." in new.release
    assert new.prebuilt() not in (None, old)
    assert kit_files(live) == [new.prebuilt().rsplit("/", 1)[1]]  # built by the event's job; the old one gone


@pytest.mark.parametrize("leave", ["withdraw", "remove", "send_back_to_review"])
def test_a_release_that_leaves_the_site_keeps_no_kit_in_storage(client, live, publisher, leave):
    assert kit_files(live)
    if leave == "withdraw":
        workflow.withdraw(article=live, user=publisher, reason="Erreur de date")
    else:
        getattr(workflow, leave)(article=live, user=publisher)
    from articles.tasks import refresh_press_kit

    refresh_press_kit.call(live.pk)  # sent back to review fires no event: the job alone decides
    assert kit_files(live) == []
    assert client.get(reverse("articles:press-kit", args=[live.slug])).status_code in (404, 410)


def test_an_embargoed_release_never_gets_a_built_kit(publisher):
    from datetime import timedelta

    from django.utils import timezone

    from articles.tasks import refresh_press_kit

    article = workflow.publish(article=make_article(status=S.REVIEW, photos=1), user=publisher,
                               publish_at=timezone.now() + timedelta(days=2))
    assert refresh_press_kit.call(article.pk) == "not public: discarded"
    assert kit_files(article) == []


def test_storage_failing_on_lookup_still_streams_the_kit(client, live):
    with mock.patch.object(type(default_storage._wrapped), "exists", side_effect=OSError("storage down")):
        response = client.get(reverse("articles:press-kit", args=[live.slug]))
        assert response.status_code == 200
        assert not response.has_header("Content-Length")
        zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip()


def test_the_kit_names_the_site_address_whatever_host_the_request_came_with(client, live, settings):
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get(reverse("articles:press-kit", args=[live.slug]), HTTP_HOST="evil.example")
    text = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("COMMUNIQUE.txt").decode()
    assert "evil.example" not in text
    assert f"Source : {settings.SITE_URL}/communiques/{live.slug}/" in text


def test_a_kit_still_being_written_is_not_sent(client, live):
    kit = current_kit(live)
    default_storage.delete(kit.done_marker)  # as while a worker is still writing the ZIP
    with mock.patch("articles.views.downloads.refresh_press_kit"):  # the build it queues does not run here
        response = client.get(reverse("articles:press-kit", args=[live.slug]))
    assert not response.has_header("Content-Length")  # streamed, not the file in storage
    b"".join(response.streaming_content)


def test_two_builds_of_one_version_keep_one_kit(live):
    kit = current_kit(live)
    first = kit.prebuilt()
    default_storage.delete(kit.done_marker)  # a build that died before its marker
    assert kit.build() is True
    assert kit.build() is False  # the second finds it finished
    assert len(kit_files(live)) == 1 and kit.prebuilt() != first
