"""Real-browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded (`playwright install` is never run): Playwright is given the binary
that Debian's `chromium` package installs. Without it these tests are skipped, with the reason in
pytest's summary; with PRESSROOM_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser is a failure,
so CI can never go green by skipping them.
"""

import io
import os
import shutil
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from articles.models import Article, ArticlePhoto, Credit, Photo, PressContact, Quote, Speaker

CHROMIUM = os.environ.get("PRESSROOM_CHROMIUM", "/usr/bin/chromium")
# The machine has no network but the package registries: without the background-networking
# flags Chromium keeps trying to reach Google's hosts and its start is slow and noisy.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def browser_missing() -> str | None:
    """Why a real browser cannot run here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements-dev.txt)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; or set PRESSROOM_CHROMIUM)"
    return None


def require_or_skip(reason: str):
    """Skip with `reason`, or fail when CI said the browser (and Java) must be there."""
    if os.environ.get("PRESSROOM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PRESSROOM_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"real-browser checks not run: {reason}")


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the whole package (a start costs about a second)."""
    reason = browser_missing()
    if reason:
        require_or_skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on the main thread, and Django then refuses
    # every ORM call from that thread as "async unsafe". The calls made meanwhile are the tests'
    # own synchronous set-up and checks, so the guard is lifted while this browser lives; package
    # scope, not session, so the rest of the suite runs with the guard and without the loop.
    allow_before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if allow_before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allow_before


def _serve_media(route, request):
    # In production the front server serves /media/ (see README) and Django's urls only do it
    # with DEBUG on; the browser gets the uploaded files from MEDIA_ROOT here, read-only.
    root = Path(settings.MEDIA_ROOT).resolve()
    path = unquote(urlsplit(request.url).path).removeprefix(settings.MEDIA_URL)
    file = (root / path).resolve()
    if file.is_relative_to(root) and file.is_file():
        route.fulfill(path=file)
    else:
        route.fulfill(status=404, body="")


@pytest.fixture
def live_site(live_server, settings):
    # The live server speaks plain HTTP; the production settings mark cookies Secure.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server


def open_context(browser, live_site):
    """A fresh browser profile (no cookies) in French, at desktop width, with /media/ served."""
    ctx = browser.new_context(base_url=live_site.url, locale="fr-FR", viewport=DESKTOP)
    ctx.set_default_timeout(15_000)
    ctx.route(f"{live_site.url}{settings.MEDIA_URL}**", _serve_media)
    return ctx


@pytest.fixture
def context(browser, live_site):
    ctx = open_context(browser, live_site)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def screenshot(page, name: str) -> Path:
    """A full-page PNG in screenshots/ (git-ignored; the README names the folder)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- Test data: a small press room with every kind of public page --------------------------

def photo_upload(name: str, colors=((30, 90, 140), (200, 120, 40)), size=(1600, 1000)) -> SimpleUploadedFile:
    """A real JPEG, a diagonal two-colour picture with a disc, so screenshots show a photo-like image."""
    img = Image.new("RGB", size, colors[0])
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.polygon([(0, h), (w, h * 0.35), (w, h)], fill=colors[1])
    draw.ellipse((w * 0.65, h * 0.12, w * 0.8, h * 0.12 + w * 0.15), fill=(250, 220, 120))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def url_for(*names: str, args=(), query: str = "") -> str | None:
    """The first of `names` that resolves (some page types are still being built), or None."""
    for name in names:
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            continue
    return None


@pytest.fixture
def press_room(transactional_db):
    """Two public releases (one in English), with photos, quotes, tags and a contact; and a draft."""
    now = timezone.now()
    credit = Credit.objects.create(name="Nicolas Datiche", organisation="Région Occitanie")
    delga = Speaker.objects.create(name="Carole Delga", role="présidente de la Région Occitanie / Pyrénées-Méditerranée")
    tanaka = Speaker.objects.create(name="Kenji Tanaka", role="maire adjoint de Kyoto")
    fr = Article.objects.create(
        title="Occitanie et Kyoto signent un accord de coopération économique",
        standfirst="La Région et la préfecture de Kyoto s'engagent pour l'innovation, le tourisme et la culture.",
        body=(
            "<p>Réunies à Kyoto, les deux délégations ont signé un accord de coopération de trois ans.</p>"
            "<h2>Trois axes</h2><ul><li>l'innovation ;</li><li>le tourisme ;</li><li>la culture.</li></ul>"
            '<p>Le texte de l\'accord est <a href="https://www.laregion.fr/">en ligne</a>.</p>'
        ),
        location="Kyoto",
        status=Article.Status.PUBLISHED,
        publish_at=now - timedelta(hours=2),
    )
    en = Article.objects.create(
        title="Kyoto and Occitania sign an economic cooperation agreement",
        standfirst="The Region and Kyoto Prefecture commit to innovation, tourism and culture.",
        body="<p>Meeting in Kyoto, both delegations signed a three-year agreement.</p>",
        location="Kyoto",
        language="en",
        status=Article.Status.PUBLISHED,
        publish_at=now - timedelta(hours=1),
    )
    draft = Article.objects.create(title="Brouillon sur Kyoto", status=Article.Status.DRAFT)
    lead = Photo.objects.create(
        image=photo_upload("signature.jpg"),
        caption="Carole Delga et Kenji Tanaka après la signature à Kyoto",
        alt_text="Deux personnes se serrent la main devant les drapeaux de l'Occitanie et du Japon",
        credit=credit,
    )
    second = Photo.objects.create(
        image=photo_upload("temple.jpg", colors=((60, 110, 60), (150, 40, 40))),
        caption="Le temple Kiyomizu-dera, visité par la délégation",
        alt_text="Un temple de bois rouge sur une colline boisée",
        credit=credit,
    )
    for position, photo in enumerate([lead, second]):
        ArticlePhoto.objects.create(article=fr, photo=photo, position=position)
    ArticlePhoto.objects.create(article=en, photo=lead, position=0)
    Quote.objects.create(article=fr, speaker=delga, position=0,
                         text="Cet accord ouvre à nos entreprises les portes du Japon.")
    Quote.objects.create(article=fr, speaker=tanaka, position=1,
                         text="Kyoto et l'Occitanie partagent le goût de l'innovation et du patrimoine.")
    Quote.objects.create(article=en, speaker=tanaka, position=0,
                         text="Kyoto and Occitania share a taste for innovation and heritage.")
    fr.tags.add("Économie", "Japon")
    en.tags.add("Japon")
    fr.press_contacts.add(PressContact.objects.create(
        name="Service de presse", role="Région Occitanie", email="presse@example.org", phone="05 61 33 50 50"))
    for article in (fr, en):
        article.save()  # the search document includes what was attached after the first save
    return {"fr": fr, "en": en, "draft": draft, "credit": credit, "delga": delga, "tanaka": tanaka,
            "photos": [lead, second]}


def public_pages(room) -> dict[str, str]:
    """Every public page type whose URL name resolves today, by a short name used in screenshots."""
    fr = room["fr"]
    pages = {
        "home": url_for("articles:article-list"),
        "article": fr.get_absolute_url(),
        "article-en": room["en"].get_absolute_url(),
        "tag": url_for("articles:tag-detail", args=["economie"]),
        "speaker": room["tanaka"].get_absolute_url(),
        "search": url_for("articles:search", query="?q=Kyoto"),
        "archives": url_for("articles:archive-index"),
        "archive-year": url_for("articles:archive-year", args=[f"{timezone.localtime(fr.publish_at).year}"]),
        "credit": url_for("articles:credit-detail", args=[room["credit"].slug]),
        "accessibility": url_for("articles:accessibility"),
        "subscribe": url_for("articles:subscription-subscribe", query="?mot-cle=economie"),
        "404": "/cette-page-n-existe-pas/",
    }
    return {name: url for name, url in pages.items() if url}


@pytest.fixture
def java():
    path = shutil.which("java")
    if not path:
        require_or_skip("no Java runtime for the Nu HTML Checker (Debian: apt-get install default-jre-headless)")
    return path
