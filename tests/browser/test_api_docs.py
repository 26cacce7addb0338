"""The API's documentation page in Chromium: Swagger UI from our own static files, every operation
listed, "Try it out" answered by the API, and no Content-Security-Policy violation."""

import pytest

from tests.browser.conftest import open_context
from tests.browser.test_csp import Violations

pytestmark = pytest.mark.browser


def test_the_api_documentation_works_within_the_csp_and_without_a_cdn(browser, live_site, press_room):
    ctx = open_context(browser, live_site)
    violations = Violations(ctx)
    outside = []
    ctx.on("request", lambda request: outside.append(request.url) if not request.url.startswith(live_site.url) else None)
    page = ctx.new_page()
    response = page.goto("/api/v1/docs")
    assert response.status == 200 and "content-security-policy" in response.headers
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/releases" in paths and "/api/v1/releases/{id}" in paths
    ctx.close()
    assert outside == [], f"requests outside the site: {outside}"
    assert violations.all() == [], "\n".join(violations.all())
