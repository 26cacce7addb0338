"""Accessibility (RGAA 4.1 / WCAG 2.1 AA) of the public site and of the editors' admin, in a real Chromium.

axe-core finds what a machine can find; the other tests check what axe does not look at:
the page language, passages in another language, quotes, photo credits, the skip link,
unique titles and the accessibility statement linked from every page.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from tests.browser.checks import (
    axe_violations,
    describe,
    figure_problems,
    footer_statement_problems,
    lang_of,
    quote_problems,
    skip_link_problems,
)
from tests.browser.conftest import DESKTOP, PHONE, public_pages, screenshot
from tests.factories import current_totp, give_totp_device

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "home", "article", "article-en", "tag", "speaker", "search", "archives", "archive-year", "credit", "accessibility", "404",
]


def visit(page, url: str, expected_status: int = 200):
    response = page.goto(url)
    assert response.status == expected_status, f"{url} answered {response.status}"
    return response


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_public_page_has_no_wcag_violation_on_a_phone_or_a_desktop(page, press_room, page_type):
    url = public_pages(press_room).get(page_type)
    if url is None:
        pytest.skip(f"the {page_type} page does not exist yet (its URL name does not resolve)")
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        visit(page, url, 404 if page_type == "404" else 200)
        screenshot(page, f"{page_type}-{viewport['width']}")
        violations = axe_violations(page)
        assert not violations, f"{url} at {viewport['width']} px:\n{describe(violations)}"


def test_every_public_page_says_its_language_with_a_skip_link_to_main_and_the_accessibility_statement(page, press_room):
    problems = {}
    for page_type, url in public_pages(press_room).items():
        visit(page, url, 404 if page_type == "404" else 200)
        # French at today's addresses; another language under its prefix (issue #14), e.g. /en/.
        language = url.split("/")[1] if url.startswith(("/en/", "/ja/")) else "fr"
        with translation.override(language):
            statement = reverse("articles:accessibility")
        found = skip_link_problems(page) + footer_statement_problems(page, statement)
        if page.evaluate("() => document.documentElement.lang") != language:
            found.append(f'<html> is not lang="{language}"')
        if found:
            problems[url] = found
    assert not problems, problems


def test_each_public_page_has_a_title_of_its_own(page, press_room):
    titles = {}
    for page_type, url in public_pages(press_room).items():
        visit(page, url, 404 if page_type == "404" else 200)
        titles.setdefault(page.title().strip(), []).append(url)
    assert "" not in titles
    assert all(len(urls) == 1 for urls in titles.values()), {t: u for t, u in titles.items() if len(u) > 1}


def test_photos_are_figures_with_their_caption_and_credit(page, press_room):
    pages = public_pages(press_room)
    visit(page, pages["article"])
    assert page.locator("main img").count() == 2
    assert figure_problems(page) == []
    for photo in press_room["photos"]:
        figcaption = page.locator("figure", has=page.locator(f'img[alt="{photo.alt_text}"]')).locator("figcaption")
        assert photo.caption in figcaption.inner_text()
        assert "Nicolas Datiche" in figcaption.inner_text()
    # Cards show the credit under the photo; the caption is left to the release page.
    for page_type in ("home", "tag", "credit", "search", "archive-year"):
        if page_type in pages:
            visit(page, pages[page_type])
            if page_type in ("home", "tag", "credit"):
                assert page.locator("main img").count() >= 1, page_type
            assert figure_problems(page, captions=page_type == "credit") == [], page_type


def test_quotes_are_blockquotes_naming_the_speaker_in_a_footer_cite(page, press_room):
    pages = public_pages(press_room)
    visit(page, pages["article"])
    quotes = [(q.text, q.speaker.name) for q in press_room["fr"].quotes.all()]
    assert len(quotes) == 2
    assert quote_problems(page, quotes) == []

    # A speaker's page lists the quotes of releases in its own language (issue #14).
    tanaka = press_room["tanaka"]
    for language in ("fr", "en"):
        with translation.override(language):
            visit(page, tanaka.get_absolute_url())
        said = [(q.text, "Kenji Tanaka") for q in tanaka.quotes.filter(article__language=language)]
        assert said and quote_problems(page, said) == [], language


def test_each_page_says_its_language_and_marks_the_passages_in_another(page, press_room):
    en = press_room["en"]
    pages = public_pages(press_room)

    visit(page, pages["article-en"])  # an English release, at its English address
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert lang_of(page, en.title) == "en"
    assert lang_of(page, "Meeting in Kyoto") == "en"

    visit(page, "/en/")  # the English home page: the language switcher names French in French
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert lang_of(page, "Français") == "fr"

    visit(page, pages["home"])
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    assert lang_of(page, press_room["fr"].title) == "fr"
    assert lang_of(page, "English") == "en"


# --- The admin is in scope of RGAA too ----------------------------------------------------------

@pytest.fixture
def editor(transactional_db):
    return get_user_model().objects.create_superuser("redaction", "redaction@example.org", "mot-de-passe-solide-42")


def log_in(page, username="redaction", password="mot-de-passe-solide-42"):
    visit(page, reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    user = get_user_model().objects.get(username=username)  # a superuser: two factors
    page.fill("#id_otp_token", current_totp(give_totp_device(user)))
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("admin_page", ["login", "article-list", "article-add", "article-change"])
def test_admin_page_has_no_wcag_violation(page, press_room, editor, admin_page):
    if admin_page == "login":
        url = reverse("admin:login")
    else:
        log_in(page)
        url = {
            "article-list": reverse("admin:articles_article_changelist"),
            "article-add": reverse("admin:articles_article_add"),
            "article-change": reverse("admin:articles_article_change", args=[press_room["fr"].pk]),
        }[admin_page]
    visit(page, url)
    if admin_page != "login":
        page.locator("#changelist, .ProseMirror:visible").first.wait_for()  # the admin's scripts have run
    screenshot(page, f"admin-{admin_page}-1280")
    violations = axe_violations(page)
    assert not violations, f"{url}:\n{describe(violations)}"


# --- The checkers themselves catch what they are meant to ----------------------------------------

BAD_PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Page fautive</title></head><body>
<header><a href="/">Accueil</a></header>
<main id="contenu"><h1>Page fautive</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
<p>« Une citation hors blockquote. » — Quelqu'un</p></main>
<footer><p>Pas de déclaration.</p></footer></body></html>"""


def test_axe_reports_an_image_without_alt(page):
    page.set_content(BAD_PAGE)
    assert "image-alt" in {v["id"] for v in axe_violations(page)}


def test_our_own_checks_report_a_page_that_breaks_them(page):
    page.set_content(BAD_PAGE)
    assert figure_problems(page) == ["image « data:image/gif;base64,R0lGODlhAQABAAAAACw= » is not in a <figure>"]
    assert quote_problems(page, [("Une citation hors blockquote.", "Quelqu'un")]) == [
        "« Une citation hors blockquote. » is not in a <blockquote>"
    ]
    assert footer_statement_problems(page, "/accessibilite/") == ["no link to the accessibility statement in the footer"]
    assert skip_link_problems(page) == ["the first focusable element is <a> « Accueil », not a skip link"]
