"""schemathesis against /api/openapi.json: generated requests, valid and invalid, on every operation.

No answer is a 500, every answer matches the OpenAPI document (status code, content
type, headers, body schema), and bad input is refused with a documented 4xx.
"""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from articles.models import Quote, TagTranslation
from tests.factories import make_article, make_credit, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

# The document as a client downloads it (the view reads no database).
schema = schemathesis.openapi.from_dict(json.loads(Client(HTTP_HOST="127.0.0.1").get("/api/openapi.json").content))
APP = get_wsgi_application()


@pytest.fixture
def press_room(settings):
    """A few public releases to find, and requests sent as a WSGI server would, on the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    settings.API_ANONYMOUS_RATE = "1000000/m"  # thousands of generated requests from one address
    speaker, credit = make_speaker("Carole Delga"), make_credit("Nicolas Datiche")
    for n in range(3):
        article = place(make_article(f"Communiqué {n}", tags=["kyoto", f"tag-{n}"]), make_photo(credit=credit))
        Quote.objects.create(article=article, speaker=speaker, text="Une citation.")
    # An English translation (issue #14): one tag named in English, one falling back to French.
    english = make_article("Release 0", language="en", translation_of=article, tags=["kyoto", "tag-2"])
    TagTranslation.objects.create(tag=english.tags.get(name="kyoto"), language="en", name="Kyoto (en)")
    # As Django's test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented_and_never_a_500(case, press_room):
    # Every check but one: a cursor is opaque, so a string the schema allows (base64url) can still
    # be a forged or stale cursor, which the API refuses with its documented 400 naming `cursor`.
    case.call_and_validate(app=APP, excluded_checks=[positive_data_acceptance])
