"""Every link of a staff preview works for the person previewing (issue #16, section 1).

A draft's press kit, HD downloads, and the pages of its new speaker, tag and credit are 404s
at their public addresses; the preview links their preview versions, which show the public
page plus the previewed release. The crawl follows every link of the preview pages as a
writer and as a publisher; each preview address is closed to visitors, to staff without the
right to view releases, and to crafted addresses naming another release's photo, tag,
speaker or credit.
"""

import io
import zipfile
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from articles.models import Article, PressContact, Quote
from tests.factories import login_verified, make_article, make_credit, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

S = Article.Status
PREVIEW_NAMES = {"article-preview", "preview-press-kit", "preview-photo-download", "preview-tag", "preview-speaker",
                 "preview-credit", "preview-vcards", "preview-contact-vcard"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in ("href", "src") and value]


def internal_links(page_url: str, html: str) -> set[str]:
    """The site's own addresses on a page (href and src), without the admin, static files and media."""
    parser = _Links()
    parser.feed(html)
    links = set()
    for value in parser.found:
        if value.startswith(settings.SITE_URL + "/"):
            value = value[len(settings.SITE_URL):]
        if value.startswith(("#", "mailto:", "tel:", "//")) or "://" in value:
            continue
        url = urljoin(page_url, value).split("#")[0]  # "?page=2" is relative to the page
        if url.startswith(("/admin/", settings.STATIC_URL, settings.MEDIA_URL)):
            continue
        links.add(url)
    return links


def read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def url_name(url: str) -> str | None:
    """The URL name of a site address, in whichever language's part of the site it is."""
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            try:
                return resolve(urlsplit(url).path).url_name
            except Resolver404:
                continue
    return None


def is_preview(url: str) -> bool:
    return url_name(url) in PREVIEW_NAMES


def crawl(browser, start: str) -> dict[str, int]:
    """Every internal link reachable from `start` through preview pages, with its status.

    Preview pages are followed; a public page they link to is fetched (it must answer) but
    not followed: the crawl checks the preview, not the whole site.
    """
    seen, queue = {}, [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = browser.get(url)
        body = read(response)
        seen[url] = response.status_code
        if response.status_code == 200 and is_preview(url) and response["Content-Type"].startswith("text/html"):
            queue += sorted(internal_links(url, body.decode()) - set(seen))
    return seen


@pytest.fixture
def draft():
    """A draft with two photos (one by a new photographer), a new speaker, a new tag and a tag
    already public elsewhere, a press contact, and a body linking its own public addresses."""
    public = make_article("Le port de Sète agrandi", tags=["Économie"], publish_at=timezone.now() - timedelta(days=2))
    known_photo = make_photo(credit=make_credit("Studio public"))
    place(public, known_photo)
    Quote.objects.create(article=public, speaker=make_speaker("Voix publique"), text="Déjà publique.", position=0)

    article = make_article("Accord secret avec Kyoto", status=S.DRAFT, tags=["Économie", "Kyoto inédit"])
    new_photo = make_photo(credit=make_credit("Nouvelle photographe"), caption="Signature à Kyoto")
    place(article, new_photo, known_photo)
    speaker = make_speaker("Nouvel intervenant")
    Quote.objects.create(article=article, speaker=speaker, text="Une coopération exemplaire.", position=0)
    article.press_contacts.add(PressContact.objects.create(name="Service de presse", email="presse@example.org"))
    article.body = (
        f'<p>Voir <a href="{settings.SITE_URL}{article.get_absolute_url()}#suite">ce communiqué</a>, '
        f'<a href="{reverse("articles:press-kit", args=[article.slug])}">le dossier de presse</a> et '
        f'<a href="{reverse("articles:photo-download", args=[new_photo.pk])}">la photo</a>.</p>'
    )
    article.save()
    other = make_article("Un autre brouillon", status=S.DRAFT, tags=["Autre sujet"])
    other_photo = make_photo(credit=make_credit("Photographe d'ailleurs"))
    place(other, other_photo)
    Quote.objects.create(article=other, speaker=make_speaker("Voix d'ailleurs"), text="Ailleurs.", position=0)
    return {"article": article, "public": public, "new_photo": new_photo, "known_photo": known_photo,
            "speaker": speaker, "other": other, "other_photo": other_photo}


def writer():
    browser = Client()
    browser.force_login(make_editor("Rédaction"))
    return browser


def publisher():
    return login_verified(Client(), make_editor("Publication"))


def preview_addresses(case) -> dict[str, str]:
    """One address of each preview version, for the draft."""
    article = case["article"]
    pk = article.pk
    return {
        "page": reverse("articles:article-preview", args=[pk]),
        "press kit": reverse("articles:preview-press-kit", args=[pk]),
        "photo": reverse("articles:preview-photo-download", args=[pk, case["new_photo"].pk]),
        "tag": reverse("articles:preview-tag", args=[pk, "kyoto-inedit"]),
        "speaker": reverse("articles:preview-speaker", args=[pk, case["speaker"].slug]),
        "credit": reverse("articles:preview-credit", args=[pk, case["new_photo"].credit.slug]),
        "vcards": reverse("articles:preview-vcards", args=[pk]),
    }


@pytest.mark.parametrize("who", [writer, publisher], ids=["writer", "publisher"])
def test_every_link_of_a_draft_s_preview_answers_for_the_person_previewing(draft, who):
    browser = who()
    statuses = crawl(browser, reverse("articles:article-preview", args=[draft["article"].pk]))
    broken = {url: status for url, status in statuses.items() if status != 200}
    assert broken == {}
    # The crawl reached every preview version the page offers: this test cannot pass on a page without links.
    reached = {url_name(url) for url in statuses}
    assert PREVIEW_NAMES <= reached, PREVIEW_NAMES - reached
    # …and the public pages of what is already public, which exist for everyone.
    assert reverse("articles:article-list") in statuses
    assert draft["public"].get_absolute_url() in statuses


def test_the_preview_links_no_public_address_that_is_a_404_before_publication(client, draft):
    article, page = draft["article"], writer().get(reverse("articles:article-preview", args=[draft["article"].pk])).text
    for public in (
        article.get_absolute_url(),
        reverse("articles:press-kit", args=[article.slug]),
        reverse("articles:photo-download", args=[draft["new_photo"].pk]),
        reverse("articles:tag-detail", args=["kyoto-inedit"]),
        reverse("articles:speaker-detail", args=[draft["speaker"].slug]),
        reverse("articles:credit-detail", args=[draft["new_photo"].credit.slug]),
    ):
        assert client.get(public).status_code == 404, public  # the public address is still closed…
        assert f'href="{public}' not in page and f'href="{settings.SITE_URL}{public}' not in page  # …and not linked
    # The body's links to the release itself go to the preview, its fragment kept.
    assert f'href="{reverse("articles:article-preview", args=[article.pk])}#suite"' in page
    assert f'href="{reverse("articles:preview-press-kit", args=[article.pk])}"' in page


def test_the_preview_pages_show_the_public_list_and_the_previewed_release(draft):
    browser, article = writer(), draft["article"]
    addresses = preview_addresses(draft)
    tag_page = browser.get(reverse("articles:preview-tag", args=[article.pk, "economie"])).text
    assert "Accord secret avec Kyoto" in tag_page and "Le port de Sète agrandi" in tag_page
    # Not public yet, so it goes out newest: first in the list.
    assert tag_page.index("Accord secret avec Kyoto") < tag_page.index("Le port de Sète agrandi")
    assert "Un autre brouillon" not in tag_page
    speaker_page = browser.get(addresses["speaker"]).text
    assert "Une coopération exemplaire." in speaker_page and "Nouvel intervenant" in speaker_page
    credit = browser.get(reverse("articles:preview-credit", args=[article.pk, draft["known_photo"].credit.slug])).text
    assert "Accord secret avec Kyoto" in credit and "Le port de Sète agrandi" in credit
    for name in ("tag", "speaker", "credit"):
        response = browser.get(addresses[name])
        assert "Aperçu — cette page telle qu&#x27;elle sera une fois" in response.text, name
        assert response["Cache-Control"] == "no-store, private" and "noindex" in response["X-Robots-Tag"], name


def test_the_preview_s_downloads_are_the_draft_s_own_and_never_kept(draft):
    browser, addresses = publisher(), preview_addresses(draft)
    kit = browser.get(addresses["press kit"])
    assert kit.status_code == 200 and kit["Cache-Control"] == "no-store, private"
    names = zipfile.ZipFile(io.BytesIO(read(kit))).namelist()
    assert "COMMUNIQUE.txt" in names and len([n for n in names if n.endswith(".jpg")]) == 2
    photo = browser.get(addresses["photo"])
    assert photo.status_code == 200 and photo["Cache-Control"] == "no-store, private"
    assert "attachment" in photo["Content-Disposition"]
    assert read(photo) == draft["new_photo"].image.open("rb").read()  # the cleaned master, as stored


def test_no_preview_address_opens_to_a_visitor_or_to_staff_without_the_right(client, draft):
    outsider = Client()
    outsider.force_login(User.objects.create_user("stagiaire", is_staff=True))  # staff, in no editorial group
    member = Client()
    member.force_login(User.objects.create_user("abonne"))  # an account that is not staff
    for label, url in preview_addresses(draft).items():
        for browser in (client, member):
            response = browser.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), (label, url)
            assert b"Accord secret" not in read(response)
        response = outsider.get(url)
        assert response.status_code == 403, (label, url)
        assert b"Accord secret" not in read(response)


def test_an_address_naming_another_release_s_item_is_a_404(draft):
    browser, pk, other = writer(), draft["article"].pk, draft["other"]
    crafted = [
        reverse("articles:preview-photo-download", args=[pk, draft["other_photo"].pk]),
        reverse("articles:preview-tag", args=[pk, "autre-sujet"]),
        reverse("articles:preview-speaker", args=[pk, other.quotes.get().speaker.slug]),
        reverse("articles:preview-credit", args=[pk, draft["other_photo"].credit.slug]),
        # The public release's own items, which the draft does not show.
        reverse("articles:preview-speaker", args=[pk, "voix-publique"]),
        # Unknown ones, and an unknown release.
        reverse("articles:preview-tag", args=[pk, "inconnu"]),
        reverse("articles:preview-credit", args=[pk, "inconnu"]),
        reverse("articles:preview-press-kit", args=[10**9]),
        reverse("articles:preview-tag", args=[10**9, "kyoto-inedit"]),
        *(reverse("articles:preview-tag", args=[pk, "kyoto-inedit"]) + f"?page={page}"
          for page in ("2", "0", "-1", "abc", "9" * 5000)),
    ]
    for url in crafted:
        response = browser.get(url)
        assert response.status_code == 404, url
        assert b"Un autre brouillon" not in read(response)


def test_an_english_release_previews_its_pages_under_the_english_words(draft):
    article = make_article("Secret agreement with Kyoto", status=S.DRAFT, language="en", tags=["Économie"])
    place(article, draft["new_photo"])
    with translation.override("en"):
        start = reverse("articles:article-preview", args=[article.pk])
    assert start.startswith("/en/preview/")
    statuses = crawl(writer(), start)
    assert {url: status for url, status in statuses.items() if status != 200} == {}
    assert any(url.startswith(f"/en/preview/{article.pk}/tags/") for url in statuses)
    assert any(url.startswith(f"/en/preview/{article.pk}/press-kit.zip") for url in statuses)


def test_a_preview_page_costs_the_same_queries_however_many_releases_it_lists(draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser, article = writer(), draft["article"]
    urls = [reverse("articles:preview-tag", args=[article.pk, "economie"]),
            reverse("articles:preview-credit", args=[article.pk, draft["known_photo"].credit.slug]),
            reverse("articles:preview-speaker", args=[article.pk, draft["speaker"].slug]),
            reverse("articles:article-preview", args=[article.pk])]

    def costs():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert browser.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    before = costs()
    speaker = draft["speaker"]
    for i in range(6):
        public = make_article(f"Communiqué public {i}", tags=["Économie"], publish_at=timezone.now() - timedelta(days=3, minutes=i))
        place(public, make_photo(credit=draft["known_photo"].credit))
        Quote.objects.create(article=public, speaker=speaker, text=f"Déjà dit {i}.", position=0)
    after = costs()
    assert after == before
