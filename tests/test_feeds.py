"""Feeds: what a journalist's feed reader receives, in RSS 2.0 and in Atom."""

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article, ArticlePhoto, Quote
from tests.factories import make_article, make_credit, make_photo, make_speaker

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
ALL_FEEDS = ["/flux/rss/", "/flux/atom/"]


@pytest.fixture
def kyoto():
    article = make_article(
        "Occitanie & Kyoto : un accord <historique>",
        standfirst="La présidente de Région a signé un accord de coopération.",
        body="<p>Les trois premiers jours de ce déplacement…</p>",
        publish_at=datetime(2025, 3, 3, 10, 0, tzinfo=PARIS),
        tags=["Kyoto", "Économie"],
    )
    photo = make_photo(
        credit=make_credit("Nicolas Datiche", organisation="Région Occitanie"),
        caption="Carole Delga à Kyoto",
        alt_text="Carole Delga serre la main du gouverneur",
    )
    ArticlePhoto.objects.create(article=article, photo=photo, position=0)
    Quote.objects.create(article=article, speaker=make_speaker("Carole Delga"), text="Une opportunité.")
    return article


@pytest.fixture
def hidden():
    """A draft and an embargoed release sharing the tag and the speaker of the public one."""
    delga = make_speaker("Carole Delga bis")
    draft = make_article("Brouillon secret", status=Article.Status.DRAFT, tags=["Kyoto"])
    embargoed = make_article("Embargo secret", publish_at=timezone.now() + timedelta(hours=2), tags=["Kyoto"])
    for article in (draft, embargoed):
        Quote.objects.create(article=article, speaker=delga, text="Secret.")
    return [draft, embargoed]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def utc(struct):
    return datetime.fromtimestamp(calendar.timegm(struct), tz=ZoneInfo("UTC"))


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_the_feed_is_valid_and_lists_the_public_release_with_absolute_links(client, kyoto, hidden, url):
    response, feed = parse(client, url)
    assert feed.version in {"rss20", "atom10"}
    assert response["Content-Type"].startswith(
        "application/rss+xml" if url.endswith("rss/") else "application/atom+xml"
    )
    assert feed.feed.title == settings.SITE_NAME
    assert [entry.title for entry in feed.entries] == ["Occitanie & Kyoto : un accord <historique>"]
    entry = feed.entries[0]
    assert entry.link == f"{settings.SITE_URL}{kyoto.get_absolute_url()}"
    assert {tag.term for tag in entry.tags} == {"Kyoto", "Économie"}


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_a_release_published_at_ten_in_paris_in_winter_is_dated_nine_utc(client, kyoto, url):
    _, feed = parse(client, url)
    assert utc(feed.entries[0].published_parsed) == datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_the_full_text_comes_with_the_lead_photo_and_its_credit(client, kyoto, url):
    _, feed = parse(client, url)
    entry = feed.entries[0]
    content = entry.content[0].value
    assert "Les trois premiers jours de ce déplacement" in content
    assert "Crédit photo : Nicolas Datiche / Région Occitanie" in content  # Credit.credit_line()
    rendition = kyoto.lead_photo.rendition("w1600-jpeg")
    image_url = f"{settings.SITE_URL}{rendition.file.url}"
    assert f'src="{image_url}"' in content

    [enclosure] = entry.enclosures
    assert enclosure.href == image_url
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == rendition.file.size > 0

    [media] = entry.media_content
    assert media["url"] == image_url and media["medium"] == "image"
    assert entry.media_credit[0]["content"] == "Nicolas Datiche / Région Occitanie"


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_the_guid_does_not_change_when_the_slug_or_the_text_does(client, kyoto, url):
    _, before = parse(client, url)
    guid = before.entries[0].id
    assert guid.startswith("tag:") and str(kyoto.pk) in guid and kyoto.slug not in guid
    kyoto.slug = "un-autre-slug"
    kyoto.title = "Un autre titre"
    kyoto.save()
    _, after = parse(client, url)
    assert after.entries[0].id == guid
    assert after.entries[0].link.endswith("/communiques/un-autre-slug/")


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_the_feed_is_never_dated_in_the_future(client, url, time_machine):
    """Even when an application server's clock is behind the database's."""
    make_article(publish_at=timezone.now() - timedelta(hours=2))  # saved (updated_at) "now"
    time_machine.move_to(timezone.now() - timedelta(hours=1), tick=False)
    response, feed = parse(client, url)
    now = timezone.now()
    feed_date = feed.feed.get("updated_parsed")
    assert feed_date is not None
    assert utc(feed_date) <= now
    assert all(utc(e.get("updated_parsed") or e.published_parsed) <= now for e in feed.entries)


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_the_feed_says_where_it_lives(client, kyoto, url):
    _, feed = parse(client, url)
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{settings.SITE_URL}{url}"]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_the_tag_feed_lists_only_the_public_releases_with_that_tag(client, kyoto, hidden, fmt):
    make_article("Autre sujet", tags=["Toulouse"])
    _, feed = parse(client, f"/mots-cles/kyoto/flux/{fmt}/")
    assert [entry.title for entry in feed.entries] == [kyoto.title]
    assert "Kyoto" in feed.feed.title


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_the_speaker_feed_lists_only_the_public_releases_quoting_them(client, kyoto, hidden, fmt):
    make_article("Sans citation")
    speaker = kyoto.quotes.get().speaker
    _, feed = parse(client, f"/intervenants/{speaker.slug}/flux/{fmt}/")
    assert [entry.title for entry in feed.entries] == [kyoto.title]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_tag_or_speaker_known_only_from_hidden_releases_has_no_feed(client, hidden, fmt):
    make_article(status=Article.Status.DRAFT, tags=["Confidentiel"])
    assert client.get(f"/mots-cles/confidentiel/flux/{fmt}/").status_code == 404
    assert client.get(f"/intervenants/carole-delga-bis/flux/{fmt}/").status_code == 404
    assert client.get(f"/mots-cles/inconnu/flux/{fmt}/").status_code == 404


def test_hidden_releases_are_in_no_feed(client, kyoto, hidden):
    for url in ALL_FEEDS + ["/mots-cles/kyoto/flux/rss/", "/mots-cles/kyoto/flux/atom/"]:
        body = client.get(url).content.decode()
        assert "secret" not in body.lower(), url


def test_an_embargoed_release_enters_the_feed_at_its_time(client, time_machine):
    release_at = timezone.now() + timedelta(hours=2)
    make_article("Annonce sous embargo", publish_at=release_at)
    assert parse(client, "/flux/rss/")[1].entries == []
    time_machine.move_to(release_at + timedelta(seconds=1))
    assert [e.title for e in parse(client, "/flux/rss/")[1].entries] == ["Annonce sous embargo"]


def test_pages_announce_their_feeds_to_browsers_and_readers(client, kyoto):
    speaker = kyoto.quotes.get().speaker
    pages = {
        "/": ["/flux/rss/", "/flux/atom/"],
        "/mots-cles/kyoto/": ["/mots-cles/kyoto/flux/rss/", "/mots-cles/kyoto/flux/atom/"],
        speaker.get_absolute_url(): [f"/intervenants/{speaker.slug}/flux/rss/", f"/intervenants/{speaker.slug}/flux/atom/"],
    }
    for page, feeds in pages.items():
        html = client.get(page).content.decode()
        for feed in feeds:
            kind = "rss" if feed.endswith("rss/") else "atom"
            assert f'<link rel="alternate" type="application/{kind}+xml"' in html
            assert f'href="{feed}"' in html, (page, feed)
