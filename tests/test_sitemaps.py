"""sitemap.xml and robots.txt: what search engines are told to crawl, and what not."""

import fnmatch
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticlePhoto, Quote
from tests.factories import make_article, make_photo, make_speaker

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "image": "http://www.google.com/schemas/sitemap-image/1.1"}
PARIS = ZoneInfo("Europe/Paris")


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def read_index(client, host=None):
    """/sitemap.xml, the index: {section sitemap URL: its lastmod}."""
    extra = {"HTTP_HOST": host} if host else {}
    response = client.get("/sitemap.xml", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    sections = {}
    for entry in root.findall("sm:sitemap", NS):
        lastmod = entry.findtext("sm:lastmod", namespaces=NS)
        sections[entry.findtext("sm:loc", namespaces=NS)] = datetime.fromisoformat(lastmod) if lastmod else None
    return sections


def read_section(client, url):
    assert url.startswith(settings.SITE_URL), url
    path, _, query = url.removeprefix(settings.SITE_URL).partition("?")
    response = client.get(path, dict(parse_qsl(query)))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    return root.findall("sm:url", NS)


def read_sitemap(client):
    """Every entry of every section the index names: {URL: {lastmod, images}}."""
    entries = {}
    for section in read_index(client):
        for url in read_section(client, section):
            lastmod = url.findtext("sm:lastmod", namespaces=NS)
            loc = url.findtext("sm:loc", namespaces=NS)
            assert loc not in entries, f"{loc} listed twice"
            entries[loc] = {
                "lastmod": datetime.fromisoformat(lastmod) if lastmod else None,
                "images": [img.findtext("image:loc", namespaces=NS) for img in url.findall("image:image", NS)],
            }
    return entries


@pytest.fixture
def press_room():
    public = make_article("Public", tags=["Kyoto"], publish_at=datetime(2025, 3, 3, 10, 0, tzinfo=PARIS))
    ArticlePhoto.objects.create(article=public, photo=make_photo(), position=0)
    speaker = make_speaker("Carole Delga")
    Quote.objects.create(article=public, speaker=speaker, text="Oui.")
    hidden = [
        make_article("Brouillon", status=Article.Status.DRAFT, tags=["Secret-brouillon"]),
        make_article("Embargo", publish_at=timezone.now() + timedelta(days=1), tags=["Secret-embargo"]),
        make_article("Retiré", status=Article.Status.WITHDRAWN, publish_at=timezone.now() - timedelta(days=3)),
    ]
    Quote.objects.create(article=hidden[1], speaker=make_speaker("Personne cachée"), text="Chut.")
    return public, speaker, hidden


def test_the_sitemap_lists_every_public_page_and_nothing_else(client, press_room):
    public, speaker, hidden = press_room
    assert set(read_sitemap(client)) == {
        absolute("/"),
        absolute("/archives/"),
        absolute(public.get_absolute_url()),
        absolute("/mots-cles/kyoto/"),
        absolute(speaker.get_absolute_url()),
    }


def test_every_date_is_a_valid_zoned_datetime_no_later_than_now(client, press_room):
    public, _, _ = press_room
    now = timezone.now()
    for loc, entry in read_sitemap(client).items():
        assert entry["lastmod"] is not None, loc
        assert entry["lastmod"].tzinfo is not None, loc
        assert entry["lastmod"] <= now, loc
        assert entry["lastmod"] >= public.publish_at.replace(microsecond=0), loc


def test_a_release_written_before_its_embargo_was_last_changed_when_it_went_public(client, time_machine):
    release_at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    article = make_article("Sous embargo", publish_at=release_at)  # last saved now, two days earlier
    assert absolute(article.get_absolute_url()) not in read_sitemap(client)
    time_machine.move_to(release_at + timedelta(hours=1))
    assert read_sitemap(client)[absolute(article.get_absolute_url())]["lastmod"] == release_at


def test_a_photo_is_listed_with_its_large_jpeg(client, press_room):
    public, _, _ = press_room
    rendition = public.lead_photo.rendition("w1600-jpeg")
    assert read_sitemap(client)[absolute(public.get_absolute_url())]["images"] == [absolute(rendition.file.url)]


def test_a_tag_page_changes_when_its_newest_public_release_does(client, press_room):
    newer = make_article("Plus récent", tags=["Kyoto"], publish_at=timezone.now() - timedelta(minutes=5))
    make_article("Caché", tags=["Kyoto"], publish_at=timezone.now() + timedelta(days=1))  # does not count
    # Each release last edited when it was published.
    Article.objects.filter(publish_at__isnull=False).update(updated_at=F("publish_at"))
    assert read_sitemap(client)[absolute("/mots-cles/kyoto/")]["lastmod"] == newer.publish_at.replace(microsecond=0)


def test_urls_come_from_site_url_whatever_host_was_asked(client, press_room, settings):
    settings.ALLOWED_HOSTS = ["*"]
    for path in ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-pages.xml"]:
        response = client.get(path, HTTP_HOST="autre-nom.example")
        assert b"autre-nom.example" not in response.content, path
        assert settings.SITE_URL.encode() in response.content, path


def test_the_index_names_one_sitemap_per_section_with_its_last_change(client, press_room):
    public, _, _ = press_room
    sections = read_index(client)
    assert set(sections) == {absolute(f"/sitemap-{name}.xml") for name in ("pages", "articles", "tags", "speakers")}
    newest = max(entry["lastmod"] for entry in read_sitemap(client).values())
    assert sections[absolute("/sitemap-pages.xml")] == newest
    for loc, lastmod in sections.items():
        assert lastmod is not None and lastmod.tzinfo is not None and lastmod <= timezone.now(), loc


def test_a_large_archive_is_split_into_pages_each_listed_by_the_index(client, monkeypatch):
    from articles.discovery.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    public = [make_article(f"Public {i}", publish_at=timezone.now() - timedelta(hours=i + 1)) for i in range(5)]
    hidden = make_article("Embargo", publish_at=timezone.now() + timedelta(hours=1))
    sections = read_index(client)
    pages = [loc for loc in sections if "/sitemap-articles.xml" in loc]
    assert sorted(pages) == [absolute("/sitemap-articles.xml")] + [absolute(f"/sitemap-articles.xml?p={n}") for n in (2, 3)]
    entries = read_sitemap(client)
    for article in public:
        assert absolute(article.get_absolute_url()) in entries
    assert absolute(hidden.get_absolute_url()) not in entries
    assert client.get("/sitemap-articles.xml", {"p": 4}).status_code == 404


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_previews_and_embargo_links(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /apercu/" in lines
    embargo_url = reverse("articles:embargo-detail", args=["un-communique", "jeton"])
    patterns = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")]
    assert any(fnmatch.fnmatch(embargo_url, pattern + "*") for pattern in patterns), embargo_url
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the public site stays crawlable
