"""What search engines and social networks read in an article page's <head>, and the related releases."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from articles.discovery.metadata import modified_at
from articles.models import Article, ArticlePhoto
from tests.factories import make_article, make_credit, make_photo

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def kyoto():
    article = make_article(
        "Occitanie et Kyoto signent un accord",
        standfirst="La présidente de Région a signé un accord de coopération.",
        publish_at=datetime(2025, 3, 3, 10, 0, tzinfo=PARIS),
        tags=["Kyoto", "Économie"],
    )
    photo = make_photo(
        credit=make_credit("Nicolas Datiche", organisation="Région Occitanie"),
        caption="Carole Delga à Kyoto",
        alt_text="Carole Delga serre la main du gouverneur",
    )
    ArticlePhoto.objects.create(article=article, photo=photo, position=0)
    return article


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html):
    [data] = JSON_LD.findall(html)
    return json.loads(data)


def meta(html, attr, name):
    return re.findall(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)">', html)


def test_the_json_ld_describes_a_news_article_by_the_organisation(client, kyoto):
    data = json_ld(page(client, kyoto))
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Occitanie et Kyoto signent un accord"
    assert data["datePublished"] == "2025-03-03T10:00:00+01:00"
    assert datetime.fromisoformat(data["dateModified"]) >= datetime.fromisoformat(data["datePublished"])
    assert data["inLanguage"] == "fr"
    assert sorted(data["keywords"]) == ["Kyoto", "Économie"]
    organisation = {"@type": "Organization", "name": settings.SITE_NAME, "url": f"{settings.SITE_URL}/"}
    assert data["author"] == organisation and data["publisher"] == organisation
    assert data["url"] == f"{settings.SITE_URL}{kyoto.get_absolute_url()}"


def test_the_json_ld_image_names_its_size_caption_and_credit(client, kyoto):
    [image] = json_ld(page(client, kyoto))["image"]
    rendition = kyoto.lead_photo.rendition("w1600-jpeg")
    assert image == {
        "@type": "ImageObject",
        "url": f"{settings.SITE_URL}{rendition.file.url}",
        "contentUrl": f"{settings.SITE_URL}{rendition.file.url}",
        "width": rendition.width,
        "height": rendition.height,
        "caption": "Carole Delga à Kyoto",
        "creditText": "Nicolas Datiche / Région Occitanie",  # Credit.credit_line(), as on the page
        "copyrightHolder": {"@type": "Organization", "name": "Région Occitanie"},
    }


def test_the_first_publication_date_is_kept_after_an_update(client, kyoto):
    first = datetime(2025, 3, 1, 8, 0, tzinfo=PARIS)
    Article.objects.filter(pk=kyoto.pk).update(first_published_at=first)
    assert json_ld(page(client, kyoto))["datePublished"] == "2025-03-01T08:00:00+01:00"


def test_a_title_containing_a_closing_script_tag_cannot_break_out(client):
    title = 'Fin </script><script>alert("x")</script> & <!-- suite'
    article = make_article(title)
    html = page(client, article)
    assert html.count("</script>") == 1  # the JSON-LD's own end tag, and no other
    assert "<script>" not in html
    assert json_ld(html)["headline"] == title


def test_opengraph_and_twitter_use_the_1200_by_630_social_crop_and_its_alt_text(client, kyoto):
    html = page(client, kyoto)
    social = kyoto.lead_photo.rendition("social-jpeg")
    url = f"{settings.SITE_URL}{social.file.url}"
    assert meta(html, "property", "og:image") == [url]
    assert meta(html, "property", "og:image:width") == ["1200"]
    assert meta(html, "property", "og:image:height") == ["630"]
    assert meta(html, "property", "og:image:alt") == ["Carole Delga serre la main du gouverneur"]
    assert meta(html, "name", "twitter:card") == ["summary_large_image"]
    assert meta(html, "name", "twitter:image") == [url]
    assert meta(html, "property", "og:type") == ["article"]
    assert meta(html, "property", "og:title") == ["Occitanie et Kyoto signent un accord"]
    assert meta(html, "property", "og:description") == ["La présidente de Région a signé un accord de coopération."]
    assert meta(html, "property", "og:url") == [f"{settings.SITE_URL}{kyoto.get_absolute_url()}"]


def test_a_release_without_photo_gets_a_small_card_and_no_image(client):
    html = page(client, make_article("Sans photo"))
    assert meta(html, "name", "twitter:card") == ["summary"]
    assert meta(html, "property", "og:image") == []
    assert "image" not in json_ld(html)


def test_each_page_has_one_canonical_url_on_the_public_site(client, kyoto):
    for url, canonical in [
        (kyoto.get_absolute_url(), kyoto.get_absolute_url()),
        ("/", "/"),
        ("/mots-cles/kyoto/", "/mots-cles/kyoto/"),
        ("/archives/", "/archives/"),
        ("/recherche/?q=kyoto", "/recherche/"),
    ]:
        html = client.get(url).content.decode()
        assert re.findall(r'<link rel="canonical" href="([^"]*)">', html) == [f"{settings.SITE_URL}{canonical}"], url


def test_the_modification_date_is_never_before_publication_nor_after_now():
    now = timezone.now()
    written_early = Article(publish_at=now - timedelta(hours=1), updated_at=now - timedelta(days=3))
    assert modified_at(written_early, now=now) == now - timedelta(hours=1)
    clock_ahead = Article(publish_at=now - timedelta(hours=1), updated_at=now + timedelta(minutes=5))
    assert modified_at(clock_ahead, now=now) == now


def test_related_releases_share_tags_are_public_and_the_closest_come_first(client, kyoto):
    two_tags = make_article("Deux mots-clés en commun", tags=["Kyoto", "Économie"], publish_at=timezone.now() - timedelta(days=9))
    one_tag = make_article("Un mot-clé en commun", tags=["Kyoto"])
    make_article("Sans rapport", tags=["Toulouse"])
    make_article("Brouillon lié", tags=["Kyoto"], status=Article.Status.DRAFT)
    make_article("Embargo lié", tags=["Kyoto"], publish_at=timezone.now() + timedelta(hours=1))
    html = page(client, kyoto)
    section = html[html.index("Communiqués liés"):]
    assert section.index(two_tags.title) < section.index(one_tag.title)
    for absent in ["Sans rapport", "Brouillon lié", "Embargo lié"]:
        assert absent not in html
    assert section.count(kyoto.title) == 0


def test_a_release_with_no_related_release_shows_no_empty_section(client, kyoto):
    assert "Communiqués liés" not in page(client, kyoto)


def test_a_public_change_note_is_in_the_json_ld_as_a_correction(client):
    import json

    from tests.factories import make_article

    article = make_article("Accord corrigé", change_note="Mis à jour le 4 mars : correction du nom de l'entreprise.")
    page = client.get(article.get_absolute_url()).content.decode()
    block = page.split('<script type="application/ld+json"')[1].split(">", 1)[1].split("</script>")[0]
    data = json.loads(block)
    assert data["correction"] == {"@type": "CorrectionComment", "text": article.change_note}


def test_cached_related_releases_follow_new_publications_and_embargoes(client, kyoto, settings, time_machine):
    settings.PAGE_CACHE_SECONDS = 0  # the related list has its own cache: test it alone
    time_machine.move_to(timezone.now(), tick=False)
    assert "Communiqués liés" not in page(client, kyoto)  # cached: nothing related yet
    make_article("Publié ensuite", tags=["Kyoto"])
    assert "Publié ensuite" in page(client, kyoto)  # a new content generation
    make_article("Sous embargo", tags=["Kyoto"], publish_at=timezone.now() + timedelta(minutes=5))
    assert "Sous embargo" not in page(client, kyoto)
    time_machine.shift(timedelta(minutes=5, seconds=1))
    assert "Sous embargo" in page(client, kyoto)  # the cached list did not outlive the embargo


def test_only_the_newest_releases_sharing_a_tag_are_ranked(kyoto):
    older = make_article("Plus ancien, deux mots-clés", tags=["Kyoto", "Économie"], publish_at=timezone.now() - timedelta(days=30))
    newer = make_article("Plus récent, un mot-clé", tags=["Kyoto"], publish_at=timezone.now() - timedelta(days=1))
    kyoto = Article.objects.with_page().get(pk=kyoto.pk)
    assert list(Article.objects.public().related_to(kyoto, window=1)) == [newer]
    assert list(Article.objects.public().related_to(kyoto, window=10)) == [older, newer]
