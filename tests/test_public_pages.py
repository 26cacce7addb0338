"""What a visitor sees on each public page, in French, and what never reaches them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticlePhoto, PressContact, Quote
from tests.factories import image_upload, make_article, make_credit, make_photo, make_speaker

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
S = Article.Status


@pytest.fixture
def kyoto():
    """A complete public release, as the importer would build it."""
    article = make_article(
        "Occitanie et Kyoto signent un accord",
        standfirst="La présidente de Région a signé un accord de coopération.",
        body="<p>Les trois premiers jours de ce déplacement…</p>",
        location="Kyoto",
        publish_at=datetime(2026, 3, 3, 10, 0, tzinfo=PARIS),
        tags=["Kyoto", "Économie"],
    )
    credit = make_credit("Nicolas Datiche")
    for position, caption in enumerate(["Carole Delga à Kyoto", "Signature de l'accord"]):
        photo = make_photo(credit=credit, caption=caption, alt_text=f"Photo : {caption}")
        ArticlePhoto.objects.create(article=article, photo=photo, position=position)
    delga = make_speaker("Carole Delga", role="présidente de la Région Occitanie / Pyrénées-Méditerranée")
    Quote.objects.create(article=article, speaker=delga, text="Notre région, comme celle de Kyoto, aime son histoire.")
    article.press_contacts.add(
        PressContact.objects.create(name="Service presse", role="Région Occitanie", email="presse@example.org", phone="05 61 33 50 50")
    )
    return article


def test_every_page_is_in_french_with_a_skip_link_to_the_main_content_and_the_accessibility_link(client, kyoto):
    for url in ["/", kyoto.get_absolute_url(), "/mots-cles/kyoto/", "/intervenants/carole-delga/", "/accessibilite/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="fr">' in html
        assert html.index('href="#contenu"') < html.index("<header")  # first focusable element
        assert '<main id="contenu"' in html
        assert f'href="{reverse("articles:accessibility")}"' in html
        assert "/static/css/site.css" in html
        # The public site runs no script at all; JSON-LD is a data block browsers never execute.
        executable = html.replace('<script type="application/ld+json">', "")
        assert "<script" not in executable


def test_the_site_stays_in_french_for_a_browser_that_prefers_english(client, kyoto):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "3 mars 2026" in response.content.decode()


def test_each_page_has_its_own_title(client, kyoto):
    titles = set()
    for url in ["/", kyoto.get_absolute_url(), "/mots-cles/kyoto/", "/intervenants/carole-delga/", "/accessibilite/"]:
        html = client.get(url).content.decode()
        titles.add(html[html.index("<title>") : html.index("</title>")])
    assert len(titles) == 5
    assert f"<title>Occitanie et Kyoto signent un accord — {settings.SITE_NAME}</title>" in client.get(
        kyoto.get_absolute_url()
    ).content.decode()


def test_the_home_page_shows_each_release_as_a_card_with_its_lead_photo_and_credit(client, kyoto):
    response = client.get(reverse("articles:article-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="{kyoto.get_absolute_url()}">Occitanie et Kyoto signent un accord</a>' in html
    assert '<time datetime="2026-03-03T10:00:00+01:00">3 mars 2026</time>' in html
    assert "La présidente de Région a signé un accord de coopération." in html
    assert "Crédit photo : Nicolas Datiche" in html
    lead = kyoto.lead_photo
    assert f'<img src="{lead.rendition("w960-jpeg").file.url}" srcset="{lead.srcset("jpeg")}"' in html
    assert lead.image.url not in html  # a card never sends the full-resolution master
    assert f'alt="Photo : Carole Delga à Kyoto" width="{lead.width}" height="{lead.height}">' in html
    assert f'<source type="image/webp" srcset="{lead.srcset("webp")}"' in html
    assert html.count("<img") == 1  # only the lead photo


def test_a_photo_is_offered_in_each_rendition_width_once(client):
    article = make_article()
    small, large = make_photo(), make_photo(image=image_upload("large.jpg", size=(2000, 1000)))
    ArticlePhoto.objects.create(article=article, photo=small, position=0)
    ArticlePhoto.objects.create(article=article, photo=large, position=1)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'srcset="{small.srcset("jpeg")}"' in html and small.srcset("jpeg").count(" 64w") == 1
    assert [c.rsplit(" ", 1)[1] for c in large.srcset("webp").split(", ")] == ["480w", "960w", "1600w"]
    assert f'srcset="{large.srcset("webp")}"' in html


def test_only_the_first_card_image_loads_at_once_the_others_lazily(client):
    for _ in range(3):
        make_article(photos=1)
    html = client.get("/").content.decode()
    assert html.count("<img") == 3
    assert html.count('loading="lazy"') == 2


def test_the_home_page_is_paginated_and_page_two_has_its_own_title(client):
    per_page = settings.ARTICLES_PER_PAGE
    now = timezone.now()
    for i in range(per_page + 2):
        make_article(f"Communiqué numéro {i:02d}", publish_at=now - timedelta(hours=i + 1))
    first = client.get("/")
    assert first.content.decode().count('class="card"') == per_page
    assert "Page 1 sur 2" in first.content.decode()
    assert '<a href="?page=2" rel="next">' in first.content.decode()
    second = client.get("/?page=2")
    assert second.status_code == 200
    html = second.content.decode()
    assert html.count('class="card"') == 2
    assert f"Communiqué numéro {per_page + 1:02d}" in html
    assert f"<title>Communiqués de presse, page 2 sur 2 — {settings.SITE_NAME}</title>" in html
    assert '<a href="?page=1" rel="prev">' in html
    assert client.get("/?page=3").status_code == 404


def test_an_empty_press_room_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Aucun communiqué publié pour le moment." in response.content.decode()


def test_the_article_page_shows_the_release_with_dateline_photos_quotes_tags_and_contacts(client, kyoto):
    response = client.get(kyoto.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<article class="release" lang="fr">' in html
    assert "<h1>Occitanie et Kyoto signent un accord</h1>" in html
    assert 'Kyoto, le <time datetime="2026-03-03T10:00:00+01:00">3 mars 2026</time>' in html
    assert '<meta name="description" content="La présidente de Région a signé un accord de coopération.">' in html
    assert "<p>Les trois premiers jours de ce déplacement…</p>" in html
    # Photos: each a figure, its caption and visible credit in the figcaption.
    assert html.count("<figure") == 2
    assert html.count("<figcaption>") == 2
    assert '<span class="caption">Signature de l&#x27;accord</span>' in html
    assert html.count("Crédit photo : Nicolas Datiche") == 2
    # Quotes: a blockquote, the speaker linked in a cite, the role beside it.
    assert "<h2" in html and ">Citations</h2>" in html
    assert "<blockquote" in html
    assert "<p>Notre région, comme celle de Kyoto, aime son histoire.</p>" in html
    assert '<cite><a href="/intervenants/carole-delga/">Carole Delga</a></cite>, présidente de la Région Occitanie' in html
    # Tags and press contacts.
    assert '<a href="/mots-cles/kyoto/">Kyoto</a>' in html
    assert '<a href="/mots-cles/economie/">Économie</a>' in html
    assert '<a href="mailto:presse@example.org">presse@example.org</a>' in html
    assert '<a href="tel:0561335050">05 61 33 50 50</a>' in html


def test_an_english_release_lives_on_the_english_site_with_english_labels(client):
    article = make_article("Occitanie signs an agreement with Kyoto", language="en", quotes=1, tags=["Kyoto"])
    assert article.get_absolute_url() == f"/en/releases/{article.slug}/"
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert '<article class="release" lang="en">' in html
    assert '<h2 id="citations-titre" lang="en">Quotes</h2>' in html
    assert '<p class="dateline" lang="en">' in html
    # At the French address, it moves to its own.
    response = client.get(f"/communiques/{article.slug}/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()


def test_the_first_of_the_month_is_written_1er(client):
    make_article(publish_at=datetime(2026, 3, 1, 9, 0, tzinfo=PARIS))
    assert "1er mars 2026" in client.get("/").content.decode()


def test_the_tag_page_lists_the_public_releases_with_that_tag(client, kyoto):
    make_article("Sans rapport", tags=["Toulouse"])
    response = client.get(reverse("articles:tag-detail", args=["kyoto"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Mot-clé : Kyoto</h1>" in html
    assert "Occitanie et Kyoto signent un accord" in html
    assert "Sans rapport" not in html
    assert "Crédit photo : Nicolas Datiche" in html


def test_the_speaker_page_lists_their_public_quotes_each_linking_to_its_article(client, kyoto):
    response = client.get(reverse("articles:speaker-detail", args=["carole-delga"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Citations de Carole Delga</h1>" in html
    assert "présidente de la Région Occitanie / Pyrénées-Méditerranée" in html
    assert "<blockquote" in html and "<cite>Carole Delga</cite>" in html
    assert f'<a href="{kyoto.get_absolute_url()}" lang="fr">Occitanie et Kyoto signent un accord</a>' in html
    assert '<time datetime="2026-03-03T10:00:00+01:00">3 mars 2026</time>' in html


def test_the_accessibility_statement_gives_the_rgaa_status_and_the_ways_to_appeal(client):
    response = client.get("/accessibilite/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Déclaration d'accessibilité</h1>" in html
    # Without an audit, the RGAA allows one status only, in its own words.
    assert "est <strong>non conforme</strong> avec le référentiel général" in html
    assert "le site n'a encore pas été audité" in html
    assert "partiellement conforme" not in html
    assert "RGAA" in html
    assert "Défenseur des droits" in html
    assert "Cette déclaration a été établie le" in html


def test_the_accessibility_statement_describes_the_site_as_it_is(client):
    html = client.get("/accessibilite/").content.decode()
    # The site has a search engine and archives: the statement links them and no longer says otherwise.
    assert f'<a href="{reverse("articles:search")}">moteur de recherche</a>' in html
    assert f'href="{reverse("articles:archive-index")}"' in html
    assert "pas encore de moteur de recherche" not in html
    assert client.get(reverse("articles:search")).status_code == 200
    assert client.get("/sitemap.xml").status_code == 200


def test_every_page_footer_declares_the_same_rgaa_status_as_the_statement(client, kyoto):
    for url in ["/", kyoto.get_absolute_url(), "/accessibilite/", "/nulle-part/"]:
        html = client.get(url).content.decode()
        assert "Accessibilité : non conforme</a>" in html, url


def test_an_audited_status_is_declared_with_its_audit(client, settings):
    settings.RGAA_STATUS = "partiellement"
    settings.RGAA_AUDIT = "Audit du 12 mars 2027 par Access42 : 87 % des critères respectés."
    html = client.get("/accessibilite/").content.decode()
    assert "est <strong>partiellement conforme</strong> avec le référentiel général" in html
    assert "Audit du 12 mars 2027 par Access42 : 87 % des critères respectés." in html
    assert "Accessibilité : partiellement conforme</a>" in html


@pytest.mark.parametrize(
    ("status", "audit", "refused"),
    [("partiellement", "", True), ("totalement", "", True), ("conforme", "", True), ("non", "", False),
     ("totalement", "Audit du 2 avril 2027, 100 %", False)],
)
def test_the_settings_refuse_a_better_status_without_an_audit(status, audit, refused):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pressroom.settings", "DEBUG": "1",
           "RGAA_STATUS": status, "RGAA_AUDIT": audit}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                            capture_output=True, text=True, timeout=60)
    if refused:
        assert result.returncode != 0
        assert "RGAA_" in result.stderr
    else:
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "url",
    ["/communiques/inconnu/", "/mots-cles/inconnu/", "/intervenants/inconnu/", "/nulle-part/"],
)
def test_an_unknown_address_gives_the_french_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert '<html lang="fr">' in html
    assert 'href="/accessibilite/"' in html


def test_the_500_page_renders_without_any_context():
    # Django renders 500.html with no context and no context processors.
    html = loader.get_template("500.html").render()
    assert '<html lang="fr">' in html
    assert "<h1>Erreur du serveur</h1>" in html
    assert 'href="#contenu"' in html
    assert 'href="/accessibilite/"' in html


# Visibility: the rule lives in Article.objects.public(); these check every public page goes through it.

HIDDEN = {
    "draft": {"status": S.DRAFT},
    "review": {"status": S.REVIEW},
    "embargoed": {"status": S.PUBLISHED, "publish_at_offset": timedelta(days=1)},
    "withdrawn": {"status": S.WITHDRAWN},
}


@pytest.fixture
def press_room(time_machine):
    """A page and a bit of public releases and one hidden release of each kind, sharing a tag and a speaker."""
    time_machine.move_to(datetime(2026, 3, 3, 12, 0, tzinfo=PARIS), tick=False)
    now = timezone.now()
    speaker = make_speaker("Carole Delga")
    for i in range(settings.ARTICLES_PER_PAGE + 1):
        public = make_article(f"Public {i:02d}", publish_at=now - timedelta(hours=i + 1), tags=["Kyoto"])
        Quote.objects.create(article=public, speaker=speaker, text=f"Citation publique {i:02d}")
    hidden = {}
    for name, spec in HIDDEN.items():
        offset = spec.get("publish_at_offset", -timedelta(minutes=30))
        article = make_article(f"Caché {name}", status=spec["status"], publish_at=now + offset, tags=["Kyoto"])
        Quote.objects.create(article=article, speaker=speaker, text=f"Citation cachée {name}")
        hidden[name] = article
    return hidden


def _all_public_listings(client) -> str:
    return "".join(
        client.get(url).content.decode()
        for url in ["/", "/?page=2", "/mots-cles/kyoto/", "/mots-cles/kyoto/?page=2", "/intervenants/carole-delga/"]
    )


@pytest.mark.parametrize("name", HIDDEN)
def test_a_release_that_is_not_public_is_absent_from_every_page_and_its_own_address_is_404(client, press_room, name):
    article = press_room[name]
    html = _all_public_listings(client)
    assert "Public 10" in html  # the listings really are the full ones
    assert f"Caché {name}" not in html
    assert f"Citation cachée {name}" not in html
    assert client.get(article.get_absolute_url()).status_code == 404


def test_hidden_releases_do_not_count_in_the_pagination(client, press_room):
    html = client.get("/?page=2").content.decode()
    assert html.count('class="card"') == 1
    assert "Page 2 sur 2" in html


def test_a_tag_or_a_speaker_known_only_from_hidden_releases_is_404(client):
    speaker = make_speaker("Porte-parole secret")
    article = make_article("Brouillon", status=S.DRAFT, tags=["Secret"])
    Quote.objects.create(article=article, speaker=speaker, text="Rien à déclarer.")
    assert client.get("/mots-cles/secret/").status_code == 404
    assert client.get(speaker.get_absolute_url()).status_code == 404


def test_an_embargoed_release_appears_everywhere_at_its_time(client, press_room, time_machine):
    article = press_room["embargoed"]
    time_machine.shift(timedelta(days=1))
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Caché embargoed" in client.get("/").content.decode()  # the newest, so first on the home page
    assert "Caché embargoed" in client.get("/mots-cles/kyoto/").content.decode()
    assert "Citation cachée embargoed" in client.get("/intervenants/carole-delga/").content.decode()
