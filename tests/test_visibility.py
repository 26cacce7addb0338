"""The one visibility rule: Article.objects.public() and Article.is_public() agree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.mark.parametrize(
    ("status", "offset", "expected"),
    [
        (S.PUBLISHED, timedelta(hours=-1), True),
        (S.PUBLISHED, timedelta(seconds=-1), True),
        (S.PUBLISHED, timedelta(hours=1), False),  # embargoed
        (S.PUBLISHED, None, False),  # published without a date is not public
        (S.DRAFT, timedelta(hours=-1), False),
        (S.REVIEW, timedelta(hours=-1), False),
        (S.WITHDRAWN, timedelta(hours=-1), False),
    ],
)
def test_public_and_is_public_agree(status, offset, expected):
    publish_at = None if offset is None else timezone.now() + offset
    article = Article.objects.create(title="Sujet", status=status, publish_at=publish_at)
    assert article.is_public() is expected
    assert Article.objects.public().filter(pk=article.pk).exists() is expected


def test_an_embargoed_article_becomes_public_at_its_minute_without_a_job(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(publish_at=timezone.now() + timedelta(minutes=10))
    assert not Article.objects.public().filter(pk=article.pk).exists()
    time_machine.shift(timedelta(minutes=10))
    assert Article.objects.public().filter(pk=article.pk).exists()
    assert article.is_public()


@pytest.mark.parametrize(
    ("status", "offset", "expected"),
    [
        (S.PUBLISHED, timedelta(hours=-1), True),
        (S.PUBLISHED, timedelta(hours=1), False),
        (S.DRAFT, timedelta(hours=-1), False),
        (S.WITHDRAWN, timedelta(hours=-1), False),
    ],
)
def test_a_quote_is_public_exactly_when_its_article_is(status, offset, expected):
    from articles.models import Quote
    from tests.factories import make_speaker

    article = Article.objects.create(title="Sujet", status=status, publish_at=timezone.now() + offset)
    quote = Quote.objects.create(article=article, speaker=make_speaker(), text="« … »")
    assert Quote.objects.public().filter(pk=quote.pk).exists() is expected is article.is_public()
