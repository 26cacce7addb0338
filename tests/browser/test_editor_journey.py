"""An editor publishes a release with a photo and quotes in the admin; a visitor then finds and reads it.

All of it through a real Chromium, as people do it: the rich-text body is typed into the
ProseMirror editor, the new credit, photo and speaker are created from the admin's "+" popups,
the release is published with the admin's action, and the visitor finds it by browsing and
searching, on a phone and on a desktop, and reads it with the keyboard alone.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from PIL import Image, ImageDraw

from articles.models import Article, Credit, Photo, Speaker
from tests.browser.checks import axe_violations, describe, skip_link_problems
from tests.browser.conftest import DESKTOP, PHONE, open_context, screenshot
from tests.factories import current_totp, give_totp_device

pytestmark = pytest.mark.browser

TITLE = "La Région ouvre une maison de l'Occitanie à Osaka"
STANDFIRST = "Un lieu pour les entreprises, les étudiants et les artistes de la région au Japon."
BODY = "La maison ouvrira ses portes au printemps, près de la gare d'Umeda."
CAPTION = "La future maison de l'Occitanie, quartier d'Umeda"
ALT = "Une façade vitrée au coin d'une rue animée d'Osaka"
CREDIT = "Aiko Mori"
NEW_SPEAKER = "Jean-Luc Gibelin"
QUOTE_NEW = "Nos entreprises auront enfin une adresse à Osaka."
QUOTE_EXISTING = "Osaka accueille l'Occitanie avec joie."


def jpeg_file(tmp_path) -> str:
    img = Image.new("RGB", (1400, 900), (40, 70, 120))
    ImageDraw.Draw(img).rectangle((300, 250, 1100, 900), fill=(190, 190, 200))
    path = tmp_path / "maison-osaka.jpg"
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    path.write_bytes(buf.getvalue())
    return str(path)


def pick_autocomplete(page, select_id: str, text: str):
    """Choose `text` in one of the admin's select2 autocompletes, as a mouse user does."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def add_through_popup(page, select_id: str, fill) -> None:
    """Click the "+" beside `select_id`, let `fill(popup)` fill the form, save; the popup closes."""
    with page.expect_popup() as opened:
        page.locator(f"#add_{select_id}").click()
    popup = opened.value
    popup.wait_for_load_state()
    fill(popup)
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()


@pytest.fixture
def publisher(transactional_db):
    return get_user_model().objects.create_superuser("publication", "publication@example.org", "mot-de-passe-solide-42")


def test_an_editor_publishes_a_release_and_a_visitor_finds_and_reads_it(browser, live_site, publisher, tmp_path):
    Speaker.objects.create(name="Yuki Sato", role="adjointe au maire d'Osaka")
    admin = open_context(browser, live_site)
    page = admin.new_page()

    # Log in.
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "publication")
    page.fill("#id_password", "mot-de-passe-solide-42")
    page.fill("#id_otp_token", current_totp(give_totp_device(publisher)))  # a superuser: two factors
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")

    # Write the release.
    page.goto(reverse("admin:articles_article_add"))
    page.fill("#id_title", TITLE)
    page.fill("#id_standfirst", STANDFIRST)
    editor = page.locator(".ProseMirror:visible").first
    editor.click()
    page.keyboard.type(BODY)
    page.fill("#id_location", "Osaka")

    # A photo uploaded from the inline's "+", with a credit created from the photo form's own "+".
    def fill_photo(popup):
        popup.set_input_files("#id_image", jpeg_file(tmp_path))
        popup.fill("#id_caption", CAPTION)
        popup.fill("#id_alt_text", ALT)
        add_through_popup(popup, "id_credit", lambda p: (p.fill("#id_name", CREDIT), p.fill("#id_organisation", "Studio Mori")))
        assert CREDIT in popup.locator("#id_credit + .select2").inner_text()

    add_through_popup(page, "id_article_photos-0-photo", fill_photo)
    assert CAPTION in page.locator("#id_article_photos-0-photo + .select2").inner_text()

    # Two quotes: a new speaker created from the inline's "+", and one already known.
    add_through_popup(page, "id_quotes-0-speaker", lambda p: (p.fill("#id_name", NEW_SPEAKER),
                                                             p.fill("#id_role", "vice-président de la Région")))
    page.fill("#id_quotes-0-text", QUOTE_NEW)
    page.locator("#quotes-group .add-row a").click()
    pick_autocomplete(page, "id_quotes-1-speaker", "Yuki Sato")
    page.fill("#id_quotes-1-text", QUOTE_EXISTING)
    page.fill("#id_quotes-1-position", "1")

    page.fill("#id_tags", "Japon, Économie")
    page.locator("input[name=_continue]").click()
    page.wait_for_url("**/change/")
    assert page.locator(".errornote, .errorlist").count() == 0, page.locator(".errornote, .errorlist").all_inner_texts()
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.DRAFT
    assert BODY in article.body
    assert [(q.speaker.name, q.text) for q in article.quotes.order_by("position")] == [
        (NEW_SPEAKER, QUOTE_NEW), ("Yuki Sato", QUOTE_EXISTING)]
    photo = Photo.objects.get(caption=CAPTION)
    assert photo.alt_text == ALT and photo.credit == Credit.objects.get(name=CREDIT)
    assert sorted(t.name for t in article.tags.all()) == ["Japon", "Économie"]

    # Preview the page before anyone else can see it.
    try:
        reverse("articles:article-preview", args=[article.pk])
        has_preview = True
    except NoReverseMatch:
        has_preview = False
    if has_preview:
        with page.expect_popup() as opened:
            page.locator(f'a[href="{reverse("articles:article-preview", args=[article.pk])}"]').click()
        preview = opened.value
        preview.wait_for_load_state()
        assert preview.locator("h1").inner_text() == TITLE
        screenshot(preview, "journey-preview-1280")
        preview.close()

    # Publish with the admin's action, confirmed on its own page.
    page.goto(reverse("admin:articles_article_changelist"))
    page.locator(f'input[name=_selected_action][value="{article.pk}"]').check()
    page.select_option("select[name=action]", "publish_now")
    page.locator("button[name=index], button.button[type=submit]").first.click()
    page.locator("input[type=submit], button[type=submit]").filter(has_text="publier").first.click()
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.is_public()
    admin.close()

    # A visitor finds the release on the home page, its tag page, its speaker page and by searching.
    visitor = open_context(browser, live_site)
    page = visitor.new_page()
    page.goto("/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    page.goto(reverse("articles:tag-detail", args=["economie"]))
    assert page.get_by_role("link", name=TITLE).is_visible()
    speaker = Speaker.objects.get(name=NEW_SPEAKER)
    page.goto(speaker.get_absolute_url())
    assert page.get_by_text(QUOTE_NEW).is_visible()
    assert page.get_by_role("link", name=TITLE).is_visible()
    try:
        search_url = reverse("articles:search")
    except NoReverseMatch:
        search_url = None
    if search_url:
        page.goto(search_url)
        page.get_by_role("searchbox").first.fill("maison occitanie osaka")
        page.get_by_role("searchbox").first.press("Enter")
        page.wait_for_url("**q=*")
        page.locator(f'main a[href="{article.get_absolute_url()}"]').click()
        page.wait_for_url(f"**{article.get_absolute_url()}")

    # It reads well on a phone and on a desktop: nothing wider than the screen, the photo loaded.
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto(article.get_absolute_url())
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        image = page.get_by_role("img", name=ALT)
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert CREDIT in page.locator("figure", has=image).locator("figcaption").inner_text()
        screenshot(page, f"journey-article-{viewport['width']}")
        violations = axe_violations(page)
        assert not violations, describe(violations)

    # With the keyboard alone: the skip link first, then every link, each with a visible focus ring.
    page.goto(article.get_absolute_url())
    assert skip_link_problems(page) == []
    page.reload()  # and Tab through the whole page from the top
    links = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
        .filter(a => a.offsetParent !== null).map(a => a.href)""")
    reached, unringed = [], []
    for _ in range(len(links) + 20):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement;
            if (el === document.body || el.dataset.tabbed) return null;  // past the end, or wrapped around
            el.dataset.tabbed = 'yes';
            const style = getComputedStyle(el);
            const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
                || (style.boxShadow && style.boxShadow !== 'none');
            return {href: el.href || null, tag: el.tagName, ring, text: el.textContent.trim().slice(0, 40)};
        }""")
        if focused is None:
            break
        if focused["href"]:
            reached.append(focused["href"])
        if not focused["ring"]:
            unringed.append(focused)
    missed = sorted(set(links) - set(reached))
    assert missed == [], f"not reached with Tab: {missed}; reached, in order: {reached}"
    assert unringed == []
    visitor.close()
