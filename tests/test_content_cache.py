"""Answers kept until content changes: never stale after an edit, never past an embargo."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.caching import content as content_cache
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_an_answer_is_computed_once_until_content_changes():
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert content_cache.remember("probe", compute) == 1
    assert content_cache.remember("probe", compute) == 1
    make_article()  # a new publication: every answer depends on "publications"
    assert content_cache.remember("probe", compute) == 2


def test_an_answer_never_outlives_the_next_scheduled_publication(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_article(publish_at=timezone.now() + timedelta(minutes=2))
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert content_cache.remember("probe", compute) == 1
    time_machine.shift(timedelta(minutes=1))
    assert content_cache.remember("probe", compute) == 1
    time_machine.shift(timedelta(minutes=1, seconds=1))
    assert content_cache.remember("probe", compute) == 2
