"""A communications officer's day in the admin, in a real Chromium: the release list and form
fit a 1,280 px screen and a 375 px phone, states read as words, the body editor speaks
French and checks spelling, and Publication's dashboard opens the admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Quote
from tests.browser.checks import axe_violations, describe
from tests.browser.conftest import DESKTOP, PHONE, open_context, screenshot
from tests.factories import current_totp, give_totp_device, make_article, make_speaker

pytestmark = pytest.mark.browser
LONG_TITLE = "La Région Occitanie et la préfecture de Kyoto renouvellent leur accord de coopération économique, culturelle et universitaire"


@pytest.fixture
def admin_page(browser, live_site, transactional_db):
    user = get_user_model().objects.create_superuser("publication", "p@example.org", "mot-de-passe-solide-42")
    context = open_context(browser, live_site)
    page = context.new_page()
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "publication")
    page.fill("#id_password", "mot-de-passe-solide-42")
    page.fill("#id_otp_token", current_totp(give_totp_device(user)))
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    yield page
    context.close()


def page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_the_release_list_and_form_fit_a_desktop_and_a_phone(admin_page):
    page = admin_page
    now = timezone.now()
    live = make_article(LONG_TITLE, tags=["Japon", "Économie", "Coopération internationale"])
    make_article("Sous embargo jusqu'à jeudi", publish_at=now + timedelta(days=2))
    make_article("Brouillon du jour", status=Article.Status.DRAFT)
    Quote.objects.create(article=live, speaker=make_speaker("Carole Delga"), position=0,
                         text="Cet accord ouvre à nos entreprises les portes du Japon, et à nos étudiants celles de ses universités.")
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(reverse("admin:articles_article_changelist"))
        screenshot(page, f"admin-list-{viewport['width']}")
        assert page_width(page) <= viewport["width"], f"list {page_width(page)} px at {viewport['width']}"
        states = page.locator("td.field-state_column")
        assert sorted(states.all_inner_texts()) == ["Brouillon", "En ligne", "Programmé"]
        violations = axe_violations(page)  # the state column (words, contrast) and the list as cards
        assert not violations, describe(violations)
        for k in range(states.count()):  # each state in sight, not scrolled away to the right
            box = states.nth(k).locator(".release-state").bounding_box()
            assert box["x"] + box["width"] <= viewport["width"], states.nth(k).inner_text()
        if viewport is DESKTOP:
            title = page.locator("th.field-title a", has_text="La Région Occitanie")
            lines = title.evaluate("a => Math.round(a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight))")
            assert lines <= 4, f"the title wraps over {lines} lines"
            # Every column in view: the table is no wider than the space it is given.
            overflow = page.evaluate("() => { const t = document.querySelector('#result_list');"
                                     " return t.getBoundingClientRect().right - t.parentElement.getBoundingClientRect().right; }")
            assert overflow <= 1, f"the list's last columns are hidden ({overflow:.0f} px)"
        page.goto(reverse("admin:articles_article_change", args=[live.pk]))
        page.locator(".ProseMirror:visible").first.wait_for()
        screenshot(page, f"admin-form-{viewport['width']}")
        assert page_width(page) <= viewport["width"], f"form {page_width(page)} px at {viewport['width']}"
        assert page.locator(".release-state-header").inner_text().startswith("État : En ligne")
        violations = axe_violations(page)  # the state header, the drop zone, the new-photo fields
        assert not violations, describe(violations)


def test_the_body_editor_checks_spelling_and_speaks_french(admin_page):
    page = admin_page
    english = make_article("Kyoto agreement", language="en", status=Article.Status.DRAFT)
    page.goto(reverse("admin:articles_article_add"))
    area = page.locator(".ProseMirror:visible").first
    area.wait_for()
    assert area.get_attribute("spellcheck") == "true" and area.get_attribute("lang") == "fr"
    assert page.locator("#id_title").get_attribute("spellcheck") == "true"
    menu = page.locator(".prose-editor:visible").first
    menu_text = menu.inner_text() + " ".join(
        menu.locator("[title]").evaluate_all("els => els.map(e => e.title)"))
    for english_word in ("Heading 2", "Paragraph", "bold", "insert link"):
        assert not re.search(rf"\b{english_word}\b", menu_text), english_word
    assert "Gras" in menu_text and "Insérer un lien" in menu_text
    # The link dialog: "Modifier le lien", "Titre", "Mettre à jour" — not "Edit Link / Title / Update".
    area.click()
    page.keyboard.type("Un lien vers la Région")
    page.keyboard.press("Shift+Home")
    menu.locator('[title="Insérer un lien"]').click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    words = dialog.inner_text()
    assert "Modifier le lien" in words and "Titre" in words and "Edit Link" not in words
    screenshot(page, "admin-editor-link-dialog")
    page.keyboard.press("Escape")
    page.goto(reverse("admin:articles_article_change", args=[english.pk]))
    assert page.locator(".ProseMirror:visible").first.get_attribute("lang") == "en"


def test_publication_opens_the_admin_on_its_dashboard(admin_page):
    page = admin_page
    now = timezone.now()
    make_article("Inauguration du lycée de Saint-Orens", publish_at=now + timedelta(days=1))
    make_article("Budget 2027 à relire", status=Article.Status.REVIEW)
    make_article("Rentrée : 45 000 ordinateurs", publish_at=now - timedelta(hours=5))
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(reverse("admin:index"))
        dashboard = page.locator("section.dashboard")
        for text in ("Programmés cette semaine", "Inauguration du lycée de Saint-Orens", "Budget 2027 à relire",
                     "Rentrée : 45 000 ordinateurs", "Droits photo qui expirent bientôt"):
            assert dashboard.get_by_text(text).first.is_visible(), text
        assert page_width(page) <= viewport["width"]
        violations = axe_violations(page)
        assert not violations, describe(violations)
        screenshot(page, f"admin-dashboard-{viewport['width']}")


DROP_TWO_PHOTOS = """async (zone) => {
    const files = [];
    for (const [name, colour] of [["signature-kyoto.jpg", "#2a5d8f"], ["temple.jpg", "#8f2a2a"]]) {
        const canvas = document.createElement("canvas");
        canvas.width = 900; canvas.height = 600;
        const g = canvas.getContext("2d");
        g.fillStyle = colour; g.fillRect(0, 0, 900, 600);
        g.fillStyle = "#f0d070"; g.beginPath(); g.arc(650, 180, 90, 0, 7); g.fill();
        const blob = await new Promise(done => canvas.toBlob(done, "image/jpeg", 0.9));
        files.push(new File([blob], name, {type: "image/jpeg"}));
    }
    const transfer = new DataTransfer();
    files.forEach(f => transfer.items.add(f));
    zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""


def test_a_publisher_publishes_a_release_with_a_dropped_photo_and_a_quote_in_few_clicks(admin_page):
    """The issue counted 12 clicks and 6 page loads with the "+" popups; this is the path now."""
    from articles.models import Credit, Photo

    page = admin_page
    make_speaker("Carole Delga", role="présidente de la Région Occitanie")
    Credit.objects.create(name="Antoine Darnaud")
    clicks, loads = 0, 0

    def click(locator):
        nonlocal clicks
        clicks += 1
        locator.click()

    page.goto(reverse("admin:index"))
    loads += 1
    click(page.locator(f'a[href="{reverse("admin:articles_article_add")}"]').first)
    page.wait_for_url("**/add/")
    loads += 1
    page.fill("#id_title", "La Région inaugure le lycée de Saint-Orens")
    click(page.locator(".ProseMirror:visible").first)
    page.keyboard.type("Le lycée accueillera 1 200 élèves dès la rentrée.")
    # Two photos dropped at once (one drag counts as one click); one row each, texts typed in place.
    zone = page.locator(".photo-drop")
    zone.evaluate(DROP_TWO_PHOTOS)
    clicks += 1
    assert "2 photos ajoutées" in zone.inner_text()
    rows = page.locator("#article_photos-group .inline-related:not(.empty-form)")
    assert [rows.nth(k).locator("input[name$='-position']").input_value() for k in range(2)] == ["0", "1"]
    first = rows.nth(0)
    first.locator("input[name$='-upload_caption']").fill("La signature au lycée")
    first.locator("input[name$='-upload_alt_text']").fill("Deux élus signent devant le lycée")
    first.locator("input[name$='-upload_credit']").fill("Antoine Darnaud")
    picker = first.locator(".focal-picker.local")
    # The chosen file, shown before any upload.
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picker.locator("img").element_handle())
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)  # the focal point
    clicks += 1
    second = rows.nth(1)
    second.locator("input[name$='-upload_caption']").fill("Le temple")
    second.locator("input[name$='-upload_alt_text']").fill("Un temple rouge")
    second.locator("input[name$='-upload_credit']").fill("Aiko Mori")
    screenshot(page, "admin-photos-dropped-1280")
    violations = axe_violations(page)  # the drop zone, its status and the chosen files' focal pickers
    assert not violations, describe(violations)
    # One quote, by a speaker already known.
    click(page.locator("#id_quotes-0-speaker + .select2"))
    page.locator(".select2-container--open .select2-search__field").fill("Delga")
    click(page.locator(".select2-results__option", has_text="Carole Delga").first)
    page.fill("#id_quotes-0-text", "Ce lycée est une promesse faite aux familles de Saint-Orens.")
    page.select_option("#id_status", "published")
    clicks += 1
    click(page.locator("input[name=_save]"))
    page.wait_for_url("**/article/")
    loads += 1
    assert page.locator(".errornote, .errorlist").count() == 0, page.locator(".errornote, .errorlist").all_inner_texts()
    article = Article.objects.get(title="La Région inaugure le lycée de Saint-Orens")
    assert article.is_public()
    photos = [p.photo for p in article.article_photos.order_by("position")]
    assert [(p.caption, p.credit.name) for p in photos] == [("La signature au lycée", "Antoine Darnaud"), ("Le temple", "Aiko Mori")]
    assert abs(photos[0].focal_x - 0.25) < 0.03 and abs(photos[0].focal_y - 0.75) < 0.03
    assert Photo.objects.count() == 2 and Credit.objects.count() == 2
    assert [q.speaker.name for q in article.quotes.all()] == ["Carole Delga"]
    print(f"\nPublished with two photos and one quote: {clicks} clicks, {loads} page loads")
    assert clicks <= 8 and loads <= 3
