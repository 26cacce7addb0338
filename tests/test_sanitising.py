"""Whatever an editor or an import types, no markup reaches a visitor as live HTML.

The body is rich text: Article.save() reduces it to an allowlist with nh3, and
the templates mark it safe. Every other field is plain text, auto-escaped.
"""

import pytest
from django.urls import reverse

from articles.models import ArticlePhoto, PressContact, Quote
from tests.factories import make_article, make_credit, make_photo, make_speaker

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SHORT_EVIL = "<script>alert(1)</script>"  # fits a 40-character phone field on PostgreSQL


@pytest.fixture
def booby_trapped():
    article = make_article(
        f"Titre {EVIL}",
        standfirst=f"Chapô {EVIL}",
        body=(
            '<p>Texte <strong>gras</strong></p><script>alert("corps")</script>'
            '<p><img src="x" onerror="alert(2)"></p>'
            '<p><a href="javascript:alert(3)">piège</a> <a href="https://example.org/">lien sûr</a></p>'
            '<p onclick="alert(4)" style="color:red">clic</p><iframe src="https://evil.example/"></iframe>'
        ),
        location=f"Kyoto {EVIL}",
        tags=[f"Balise {EVIL}"],
    )
    photo = make_photo(credit=make_credit(f"Photographe {EVIL}"), caption=f"Légende {EVIL}", alt_text=f'Alt" {EVIL}')
    ArticlePhoto.objects.create(article=article, photo=photo, position=0)
    speaker = make_speaker(f"Intervenant {EVIL}", role=f"Fonction {EVIL}")
    Quote.objects.create(article=article, speaker=speaker, text=f"Citation {EVIL}")
    article.press_contacts.add(PressContact.objects.create(name=f"Contact {EVIL}", role=f"Rôle {EVIL}", phone=SHORT_EVIL))
    return article


def _pages(client, article) -> dict[str, str]:
    speaker = article.quotes.get().speaker
    tag = article.tags.get()
    urls = {
        "home": "/",
        "article": article.get_absolute_url(),
        "tag": reverse("articles:tag-detail", args=[tag.slug]),
        "speaker": speaker.get_absolute_url(),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    return pages


def test_no_script_event_handler_or_javascript_link_reaches_any_page(client, booby_trapped):
    for name, html in _pages(client, booby_trapped).items():
        # JSON-LD is a data block, never executed; inside it "<" is escaped as \u003C.
        import re

        for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            assert "<" not in data and ">" not in data, name
        html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
        assert "<script" not in html, name
        assert "<img src=x" not in html, name
        assert "<iframe" not in html, name
        assert "javascript:" not in html, name
        assert "onclick=" not in html, name
        # `onerror=` survives only as text inside escaped markup, never as an attribute.
        assert " onerror=" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", ""), name


def test_the_body_keeps_its_allowed_formatting_and_loses_the_rest(client, booby_trapped):
    html = client.get(booby_trapped.get_absolute_url()).content.decode()
    assert "<p>Texte <strong>gras</strong></p>" in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">lien sûr</a>' in html
    assert ">piège</a>" in html  # the link text stays, its javascript: href does not
    assert 'alert("corps")' not in html  # the script's content goes with it
    assert "style=" not in html


def test_html_in_plain_text_fields_is_shown_as_text(client, booby_trapped):
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    pages = _pages(client, booby_trapped)
    article = pages["article"]
    for label in ["Titre", "Chapô", "Kyoto", "Légende", "Photographe", "Citation", "Intervenant", "Fonction", "Contact", "Rôle", "Balise"]:
        assert f"{label} {escaped}" in article, label
    assert f"<title>Titre {escaped}" in article
    assert f'<meta name="description" content="Chapô {escaped}' in article
    assert f'alt="Alt&quot; {escaped}' in article
    assert f"Titre {escaped}" in pages["home"]
    assert f"Titre {escaped}" in pages["tag"]
    assert f"Intervenant {escaped}" in pages["speaker"]


def test_html_to_text_keeps_blocks_apart_and_words_whole():
    from articles.sanitize import html_to_text

    body = "<h2>Titre</h2><p>Un <strong>Kyo</strong>to &amp; l’Occitanie<br>ligne</p><ul><li>un</li><li>deux</li></ul>"
    assert html_to_text(body) == "Titre\n\nUn Kyoto & l’Occitanie\nligne\n\nun\n\ndeux"
    assert html_to_text("") == html_to_text(None) == ""
