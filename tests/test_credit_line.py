"""One credit line, "Nicolas Datiche / Région Occitanie", wherever a photo reaches the public."""

import io
import json
import re
import zipfile

import feedparser
import pytest
from django.core.files.storage import FileSystemStorage
from PIL import Image

from tests.factories import make_article, make_credit, make_photo, place, xp_text

pytestmark = pytest.mark.django_db

LINE = "Nicolas Datiche / Région Occitanie"


@pytest.fixture
def release():
    credit = make_credit("Nicolas Datiche", organisation="Région Occitanie")
    return place(make_article("Accord avec Kyoto", tags=["Kyoto"]), make_photo(credit=credit, caption="Signature"))


def test_credit_line_names_the_organisation_when_there_is_one():
    assert make_credit("Nicolas Datiche", organisation="Région Occitanie").credit_line() == LINE
    assert make_credit("Agence Sud Images").credit_line() == "Agence Sud Images"


def test_the_page_the_json_ld_the_feeds_the_press_kit_and_the_file_all_say_the_same(client, release):
    html = client.get(release.get_absolute_url()).content.decode()
    assert f"Crédit photo : {LINE}" in html
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(data)["image"][0]["creditText"] == LINE
    for url in ("/flux/rss/", "/flux/atom/"):
        [entry] = feedparser.parse(client.get(url).content).entries
        assert entry.media_credit[0]["content"] == LINE, url
        assert f"Crédit photo : {LINE}" in entry.content[0].value, url
    response = client.get(f"/communiques/{release.slug}/dossier-de-presse.zip")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as kit:
        assert f"Crédit photo : {LINE}" in kit.read("LEGENDES.txt").decode()
    with release.lead_photo.image.open("rb") as fh, Image.open(fh) as im:
        assert xp_text(im.getexif(), 0x9C9C) == f"© {LINE}"  # XPComment: the exact text (Copyright is ASCII)


def test_a_feed_asks_storage_for_each_enclosure_size_once_and_never_opens_a_file(client, monkeypatch):
    """RSS needs the enclosure's length: one stat per item (Rendition stores no size)."""
    for i in range(3):
        place(make_article(f"Communiqué {i}"), make_photo())
    sizes, opened = [], []
    real_size = FileSystemStorage.size
    monkeypatch.setattr(FileSystemStorage, "size", lambda self, name: sizes.append(name) or real_size(self, name))
    monkeypatch.setattr(FileSystemStorage, "open", lambda self, name, mode="rb": opened.append(name))
    feed = feedparser.parse(client.get("/flux/rss/").content)
    assert len(feed.entries) == 3
    assert all(int(entry.enclosures[0].length) > 0 for entry in feed.entries)
    assert len(sizes) == 3 and not opened
