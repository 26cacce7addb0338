"""A standfirst is plain text: in a feed it reaches readers as the words typed, never as markup."""

from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.factories import make_article, make_speaker

pytestmark = pytest.mark.django_db

HOSTILE = 'Accord signé <script>alert("x")</script> & <img src=x onerror=alert(1)> « R&D »'
ATOM = "{http://www.w3.org/2005/Atom}"


class Markup(HTMLParser):
    """What a feed reader's HTML parser makes of a summary: its tags and its text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text += data


@pytest.fixture
def release():
    article = make_article("Accord", standfirst=HOSTILE, tags=["Japon"])
    article.quotes.create(speaker=make_speaker("Carole Delga"), text="Bravo.", position=0)
    return article


FEEDS = {
    "rss": ("articles:feed-rss", []),
    "atom": ("articles:feed-atom", []),
    "tag rss": ("articles:tag-feed-rss", ["japon"]),
    "tag atom": ("articles:tag-feed-atom", ["japon"]),
    "speaker rss": ("articles:speaker-feed-rss", ["carole-delga"]),
    "speaker atom": ("articles:speaker-feed-atom", ["carole-delga"]),
}


def summaries(xml: bytes) -> list[str]:
    root = ElementTree.fromstring(xml)
    if root.tag == f"{ATOM}feed":
        found = root.findall(f"{ATOM}entry/{ATOM}summary")
        assert all(e.get("type") == "html" for e in found)
    else:
        found = root.findall("channel/item/description")
    return [e.text for e in found]


@pytest.mark.parametrize("feed", FEEDS, ids=list(FEEDS))
def test_a_script_in_the_standfirst_reaches_feed_readers_as_text_not_markup(client, release, feed):
    name, args = FEEDS[feed]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    [summary] = summaries(response.content)
    seen = Markup(summary)
    assert seen.tags == []  # no <script>, no <img onerror>
    assert seen.text == HOSTILE  # and the editor's words, all of them, as typed
