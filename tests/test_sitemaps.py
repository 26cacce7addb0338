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


# --- Tag pages in each language (issue #14) -------------------------------------------------------

XHTML = "{http://www.w3.org/1999/xhtml}link"


def tag_entries(client):
    """The tags' sitemap: {URL: {"lastmod", "alternates": {hreflang: URL}}}."""
    entries = {}
    for url in read_section(client, absolute("/sitemap-tags.xml")):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = {
            "lastmod": datetime.fromisoformat(url.findtext("sm:lastmod", namespaces=NS)),
            "alternates": {link.get("hreflang"): link.get("href") for link in url.findall(XHTML)},
        }
    return entries


@pytest.fixture
def tags_in_three_languages():
    """A French release and its public English and Japanese translations carry "Économie" (named
    in both) and "Kyoto" (named in neither); hidden releases carry tags of their own."""
    from articles.models import TagTranslation

    now = timezone.now()
    original = make_article("Économie à Kyoto", tags=["Économie", "Kyoto"], publish_at=now - timedelta(days=3))
    english = make_article("Economy in Kyoto", language="en", translation_of=original, tags=["Économie", "Kyoto"],
                           publish_at=now - timedelta(days=2))
    japanese = make_article("京都の経済", language="ja", translation_of=original, tags=["Économie"],
                            publish_at=now - timedelta(days=1))
    economy = english.tags.get(name="Économie")
    TagTranslation.objects.create(tag=economy, language="en", name="Economy")
    TagTranslation.objects.create(tag=economy, language="ja", name="経済", slug="keizai")
    # Seen only on an English release under embargo and a Japanese draft: in French, "Kyoto" is public.
    make_article("Embargoed", language="en", tags=["Vendanges"], publish_at=now + timedelta(days=1))
    make_article("下書き", language="ja", status=Article.Status.DRAFT, tags=["Kyoto"])
    vintage = Article.objects.get(title="Embargoed").tags.get()
    TagTranslation.objects.create(tag=vintage, language="en", name="Grape harvest")
    Article.objects.filter(publish_at__isnull=False).update(updated_at=F("publish_at"))
    return original, english, japanese


def test_each_tag_page_is_listed_in_every_language_whose_public_releases_carry_it(client, tags_in_three_languages):
    original, english, japanese = tags_in_three_languages
    entries = tag_entries(client)
    assert set(entries) == {
        absolute("/mots-cles/economie/"), absolute("/en/tags/economy/"), absolute("/ja/tags/keizai/"),
        absolute("/mots-cles/kyoto/"), absolute("/en/tags/kyoto/"),  # no English name: its own slug
    }
    # Nothing of the embargoed or draft releases: neither the tag nor its English name, nor a
    # Japanese page for a tag only a Japanese draft carries.
    xml = client.get("/sitemap-tags.xml").text
    assert "vendanges" not in xml.lower() and "grape" not in xml.lower() and "/ja/tags/kyoto/" not in xml
    # Each page's lastmod is the newest change among the releases it lists: its language's.
    assert entries[absolute("/mots-cles/economie/")]["lastmod"] == original.publish_at.replace(microsecond=0)
    assert entries[absolute("/en/tags/economy/")]["lastmod"] == english.publish_at.replace(microsecond=0)
    assert entries[absolute("/ja/tags/keizai/")]["lastmod"] == japanese.publish_at.replace(microsecond=0)


def test_a_tag_s_pages_name_each_other_with_hreflang_alternates(client, tags_in_three_languages):
    entries = tag_entries(client)
    economy = {"fr": absolute("/mots-cles/economie/"), "en": absolute("/en/tags/economy/"),
               "ja": absolute("/ja/tags/keizai/"), "x-default": absolute("/mots-cles/economie/")}
    for language in ("fr", "en", "ja"):
        assert entries[economy[language]]["alternates"] == economy
    kyoto = {"fr": absolute("/mots-cles/kyoto/"), "en": absolute("/en/tags/kyoto/"), "x-default": absolute("/mots-cles/kyoto/")}
    assert entries[absolute("/en/tags/kyoto/")]["alternates"] == kyoto


def test_a_tag_s_japanese_page_is_listed_at_the_minute_its_release_goes_live(client, time_machine):
    from articles.models import TagTranslation

    release_at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    make_article("Économie", tags=["Économie"])  # public: the French page is listed
    # A group under embargo: the translation goes live with its original, whatever its own time.
    original = make_article("Économie à Kyoto", tags=["Économie"], publish_at=release_at)
    make_article("経済", language="ja", translation_of=original, tags=["Économie"])
    TagTranslation.objects.create(tag=original.tags.get(), language="ja", name="経済", slug="keizai")
    entries = tag_entries(client)
    assert set(entries) == {absolute("/mots-cles/economie/")} and entries[absolute("/mots-cles/economie/")]["alternates"] == {}
    time_machine.move_to(release_at + timedelta(minutes=1))
    assert set(tag_entries(client)) == {absolute("/mots-cles/economie/"), absolute("/ja/tags/keizai/")}


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
