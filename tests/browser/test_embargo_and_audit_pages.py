"""The embargo page and the audit log in a real Chromium: what the journalist's browser fetches, and what a publisher reads."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.publishing import embargo, workflow
from tests.browser.checks import axe_violations, describe
from tests.browser.conftest import screenshot
from tests.factories import current_totp, give_totp_device

pytestmark = pytest.mark.browser


@pytest.fixture
def publisher(transactional_db):
    # A live-server test empties the tables after each test, the groups of migration 0004 and 0007
    # with them: the permissions that matter here are given again.
    group, _ = Group.objects.get_or_create(name="Publication")
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="articles",
        codename__in=["publish_article", "view_article", "change_article", "view_auditentry"]))
    user = User.objects.create_user("paula", password="mot-de-passe-solide-42", is_staff=True)
    user.groups.add(group)
    return user


def test_the_embargo_page_shows_its_photos_without_the_browser_ever_asking_for_media(page, press_room, publisher):
    release = press_room["fr"]
    workflow.publish(article=release, user=publisher, publish_at=timezone.now() + timedelta(days=1))
    link = embargo.create_link(article=release, user=publisher, recipient_name="Claire Martin",
                               expires_at=timezone.now() + timedelta(days=2))
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    response = page.goto(embargo.link_path(link))
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    images = page.locator("figure.photo img")
    assert images.count() == 2
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=images.nth(i).element_handle())
    assert [url for url in asked if "/media/" in url] == []
    assert any("/embargo/" in url and "/photos/" in url for url in asked)
    assert "EMBARGO jusqu'au" in page.inner_text(".banner")
    screenshot(page, "embargo-page-1280")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert link.visits.count() == 1  # the page, not each photo


def test_a_publisher_reads_the_audit_log(page, press_room, publisher):
    workflow.send_back_to_review(article=press_room["fr"], user=publisher)
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "paula")
    page.fill("#id_password", "mot-de-passe-solide-42")
    page.fill("#id_otp_token", current_totp(give_totp_device(publisher)))  # Publication: two factors
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(reverse("admin:articles_auditentry_changelist"))
    page.locator("#changelist").wait_for()
    text = page.inner_text("#result_list")
    assert "Renvoyé en relecture" in text and "Connexion" in text and "(Europe/Paris)" in text
    assert press_room["fr"].title in text
    page.click(f"#result_list a:text('{press_room['fr'].title}')")
    page.locator("#changelist").wait_for()
    assert page.locator("#result_list tbody tr").count() == 1  # filtered on the release
    assert Article.objects.get(pk=press_room["fr"].pk).status == Article.Status.REVIEW
    screenshot(page, "admin-audit-log-1280")
    violations = axe_violations(page)
    assert not violations, describe(violations)
