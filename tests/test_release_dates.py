"""One rule for the dates of a release, whatever surface shows them (articles/metadata.py).

Published: the first publication, kept when the release is republished. Modified: the
last change the public could see (its republication here), never after now. The page
says "Mis à jour le" once the release was republished.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from articles.publishing import workflow
from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SM = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def republished(time_machine):
    """Published on 3 March, sent back to review, corrected and republished on 10 March."""
    publisher = make_editor("Publication")
    time_machine.move_to(datetime(2026, 3, 3, 10, 0, tzinfo=PARIS), tick=False)
    article = make_article("Accord avec Kyoto", status=Article.Status.REVIEW, tags=["Kyoto"])
    workflow.publish(article=article, user=publisher)
    time_machine.move_to(datetime(2026, 3, 10, 9, 0, tzinfo=PARIS), tick=False)
    workflow.send_back_to_review(article=article, user=publisher)
    workflow.publish(article=article, user=publisher, publish_at=datetime(2026, 3, 10, 11, 0, tzinfo=PARIS))
    time_machine.move_to(datetime(2026, 3, 12, 8, 0, tzinfo=PARIS), tick=False)
    article.refresh_from_db()
    return article


FIRST = datetime(2026, 3, 3, 10, 0, tzinfo=PARIS)
AGAIN = datetime(2026, 3, 10, 11, 0, tzinfo=PARIS)


def test_the_page_shows_the_first_publication_and_when_it_was_updated(client, republished):
    html = client.get(republished.get_absolute_url()).content.decode()
    dateline = re.search(r'<p class="dateline".*?</p>', html, re.S).group()
    assert '<time datetime="2026-03-03T10:00:00+01:00">3 mars 2026</time>' in dateline
    assert 'Mis à jour le <time datetime="2026-03-10T11:00:00+01:00">10 mars 2026</time>' in html
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(data)
    assert datetime.fromisoformat(data["datePublished"]) == FIRST
    assert datetime.fromisoformat(data["dateModified"]) == AGAIN
    assert f'<meta property="article:published_time" content="{FIRST.isoformat()}">' in html
    assert f'<meta property="article:modified_time" content="{AGAIN.isoformat()}">' in html


def test_a_release_published_once_says_nothing_of_an_update(client):
    article = make_article("Une seule fois", publish_at=timezone.now() - timedelta(days=1))
    assert "Mis à jour le" not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("url", ["/flux/rss/", "/flux/atom/", "/mots-cles/kyoto/flux/atom/"])
def test_feeds_give_the_first_publication_and_the_republication_as_update(client, republished, url):
    feed = feedparser.parse(client.get(url).content)
    [entry] = feed.entries
    assert datetime(*entry.published_parsed[:6], tzinfo=ZoneInfo("UTC")) == FIRST
    if "atom" in url:  # RSS 2.0 has no per-item update date
        assert datetime(*entry.updated_parsed[:6], tzinfo=ZoneInfo("UTC")) == AGAIN


def test_the_sitemap_dates_the_release_and_its_tag_page_by_the_republication(client, republished):
    for section, loc in [("articles", republished.get_absolute_url()), ("tags", "/mots-cles/kyoto/")]:
        root = ET.fromstring(client.get(f"/sitemap-{section}.xml").content)
        lastmods = {u.findtext("sm:loc", namespaces=SM): u.findtext("sm:lastmod", namespaces=SM)
                    for u in root.findall("sm:url", SM)}
        assert datetime.fromisoformat(lastmods[f"{settings.SITE_URL}{loc}"]) == AGAIN, section
