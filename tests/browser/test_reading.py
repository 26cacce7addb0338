"""Reading in a real Chromium (issue #16): the search form and the withdrawal notice, as a visitor sees them."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from articles.paris_time import day_label
from articles.publishing import workflow
from tests.browser.checks import axe_violations, describe
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

LOOK = "e => { const s = getComputedStyle(e); return [s.borderRadius, s.paddingTop, s.paddingLeft, s.fontSize]; }"


def test_the_search_page_form_looks_like_the_headers_box_which_keeps_the_query(page, press_room):
    page.goto("/recherche/?q=Kyoto")
    assert page.input_value("#site-search-q") == "Kyoto"
    assert page.input_value("#recherche-q") == "Kyoto"
    for field in ("input", "button"):
        header = page.eval_on_selector(f".site-search {field}", LOOK)
        form = page.eval_on_selector(f".search-form {field}[type]" if field == "button" else "#recherche-q", LOOK)
        assert form == header, field
    # Two search landmarks, each with its own name.
    names = page.eval_on_selector_all("form[role=search]", "fs => fs.map(f => f.getAttribute('aria-labelledby') || f.querySelector('label').textContent)")
    assert len(names) == 2
    screenshot(page, "search-1280")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_withdrawn_release_names_itself_with_the_notice_and_passes_axe(page, press_room):
    # A live-server test empties the tables after each test, the groups of the migrations with them.
    group, _ = Group.objects.get_or_create(name="Publication")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="articles",
                                                     codename__in=["publish_article", "view_article", "change_article"]))
    publisher = User.objects.create_user("paula", is_staff=True)
    publisher.groups.add(group)
    release = press_room["fr"]
    release.first_published_at = release.publish_at
    release.save()
    workflow.withdraw(article=release, user=publisher, reason="Les chiffres du troisième paragraphe étaient erronés.")
    page.goto(release.get_absolute_url())
    assert page.inner_text("h1") == release.title
    notice = page.inner_text(".withdrawn-notice")
    assert f"retiré le {day_label(timezone.now())}" in notice and "chiffres du troisième paragraphe" in notice
    assert "Réunies à Kyoto" not in page.content()  # not a word of its text
    screenshot(page, "withdrawn-1280")
    violations = axe_violations(page)
    assert not violations, describe(violations)
