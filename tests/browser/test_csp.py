"""The Content-Security-Policy breaks nothing: in Chromium, with every script of the page running
and the admin's widgets used as an editor uses them, the browser reports no violation.

Chromium reports each blocked script, style or handler both as a `securitypolicyviolation` event
and on the console; both are collected, on every page and popup of the browser profile.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.publishing import embargo
from tests.browser.conftest import open_context, public_pages
from tests.factories import current_totp, give_totp_device

pytestmark = pytest.mark.browser

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ${e.sample || ""}`);
});
"""


class Violations:
    """Every CSP report of a browser profile: console messages and securitypolicyviolation events."""

    def __init__(self, context):
        self.console: list[str] = []
        self.pages = []
        context.add_init_script(COLLECT_VIOLATIONS)
        context.on("page", self._watch)

    def _watch(self, page):
        self.pages.append(page)
        page.on("console", lambda message: self.console.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
        page.on("pageerror", lambda error: self.console.append(f"{page.url}: uncaught {error}"))

    def all(self) -> list[str]:
        events = []
        for page in self.pages:
            if not page.is_closed():
                events += [f"{page.url}: {v}" for v in page.evaluate("window.__cspViolations || []")]
        return self.console + events


@pytest.fixture
def watched(browser, live_site):
    ctx = open_context(browser, live_site)
    violations = Violations(ctx)
    yield ctx, violations
    ctx.close()


def log_in(page, user, password):
    page.goto(reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.fill("#id_otp_token", current_totp(give_totp_device(user)))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_public_pages_report_no_csp_violation(watched, press_room):
    ctx, violations = watched
    page = ctx.new_page()
    for name, url in public_pages(press_room).items():
        for _ in range(2):  # the second visit comes from the page cache, with this request's policy
            response = page.goto(url)
            assert "content-security-policy" in response.headers, name
            page.wait_for_load_state("load")
    page.goto(press_room["fr"].get_absolute_url())
    assert page.locator("figure img").first.evaluate("img => img.complete && img.naturalWidth > 0")  # images shown
    assert violations.all() == [], "\n".join(violations.all())


def test_the_admin_works_under_the_policy_and_reports_no_violation(watched, press_room):
    ctx, violations = watched
    password = "mot-de-passe-solide-42"
    user = get_user_model().objects.create_superuser("csp-admin", "csp@example.org", password)
    release = press_room["fr"]
    embargo.create_link(article=release, user=user, recipient_name="Journaliste",
                        expires_at=timezone.now() + timedelta(days=2))
    page = ctx.new_page()
    log_in(page, user, password)

    page.goto(reverse("admin:articles_article_change", args=[release.pk]))
    # The rich-text editor (its modules come through the nonce-bearing import map) starts and types.
    editor = page.locator(".ProseMirror:visible").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Ajout sous CSP.")
    assert "Ajout sous CSP." in editor.inner_text()
    # The inlines' "add another" row.
    rows = page.locator("#quotes-group tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#quotes-group .add-row a").click()
    assert rows.count() == before + 1
    # An autocomplete (select2, fed by the admin's JSON view).
    page.locator("#id_press_contacts + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill("Service")
    page.locator(".select2-results__option", has_text="Service de presse").first.wait_for()
    page.keyboard.press("Escape")
    # The collapsed "Avancé" section opens.
    advanced = page.locator("details:has(#id_slug), fieldset.collapse:has(#id_slug)").first
    advanced.locator("summary, .collapse-toggle").first.click()
    assert page.locator("#id_slug").is_visible()
    # The date and time widgets: the calendar and the clock open, "Aujourd'hui" fills the date.
    for kind in ("calendar", "clock"):
        opener = page.locator(f".datetimeshortcuts a[id^={kind}link]:visible").first
        number = opener.get_attribute("id").removeprefix(f"{kind}link")
        opener.click()
        assert page.locator(f"#{kind}box{number}").is_visible(), kind
        page.keyboard.press("Escape")
    # The embargo link to copy is selected whole on click (a static script; it was onclick="…").
    link = page.locator("input[data-select-on-click]").first
    link.click()
    assert link.evaluate("el => el.selectionStart === 0 && el.selectionEnd === el.value.length")

    # The photo's focal point picker places its ring without a style= attribute.
    page.goto(reverse("admin:articles_photo_change", args=[press_room["photos"][0].pk]))
    ring = page.locator(".focal-marker").bounding_box()
    picture = page.locator("[data-focal-picker] img").bounding_box()
    assert abs(ring["x"] + ring["width"] / 2 - (picture["x"] + picture["width"] / 2)) < 3  # the default, centred

    for url in (reverse("admin:index"), reverse("admin:articles_article_changelist"),
                reverse("admin:articles_article_add"), reverse("admin:articles_photo_changelist")):
        page.goto(url)
        page.wait_for_load_state("load")
    assert violations.all() == [], "\n".join(violations.all())


def test_the_collector_sees_a_violation_when_there_is_one(watched, press_room):
    """The test above could not fail if nothing were collected: an inline script is reported."""
    ctx, violations = watched
    page = ctx.new_page()
    page.goto(public_pages(press_room)["home"])
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.ran = 1";
                             document.body.append(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    assert any("script-src" in v for v in violations.all())
