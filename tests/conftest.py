import pytest
from django.http import HttpRequest
from django.test import Client

from tests.factories import login_verified, make_editor


class AxesAwareClient(Client):
    """The test client, whose login() hands django-axes the request it requires.

    Every login view passes the request to authenticate(); Django's test client does not,
    and django-axes (first in AUTHENTICATION_BACKENDS) refuses to guess a client.
    """

    def login(self, **credentials):
        if "request" not in credentials:
            request = HttpRequest()
            request.META["REMOTE_ADDR"] = "127.0.0.1"  # as the test client's own requests
            credentials["request"] = request
        return super().login(**credentials)


@pytest.fixture
def client():
    return AxesAwareClient()


@pytest.fixture
def admin_client(client, admin_user):
    """A superuser logged in with both factors, as the admin login leaves them (articles/two_factor.py)."""
    return login_verified(client, admin_user)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Each test writes uploads to its own folder and starts with an empty cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _french_to_start_with():
    """Each test starts in French, as a command or a job does. LocaleMiddleware activates the
    language of each request in the thread and leaves it there: after a test that visited /en/,
    reverse() and gettext() in the next test would speak English (issue #14)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


# --- Editors, and logged-in editors for the admin tests ------------------------------------------


@pytest.fixture
def publisher():
    """A member of Publication (not logged in): the actor of workflow services in the domain tests."""
    return make_editor("Publication")



@pytest.fixture
def writer_client(client):
    client.force_login(make_editor("Rédaction"))
    return client


@pytest.fixture
def publisher_client(client):
    login_verified(client, make_editor("Publication"))
    return client


# --- A real S3 server (SeaweedFS): tests/object_storage.py ------------------------------------


@pytest.fixture(scope="session")
def s3_server():
    from tests.object_storage import start_session_server

    server, process = start_session_server()
    yield server
    if process is not None:
        process.stop()


@pytest.fixture
def s3_media(settings, s3_server):
    """Media in a new bucket of the S3 server for this test, as MEDIA_S3_BUCKET would put them."""
    from tests.object_storage import new_bucket

    bucket = new_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings(bucket)}
    return bucket
