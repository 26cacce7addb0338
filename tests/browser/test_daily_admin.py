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
        screenshot(page, f"admin-dashboard-{viewport['width']}")
