"""What every answer tells the browser: a Content-Security-Policy without inline scripts or
styles, a Permissions-Policy that turns off what a press room never uses, and a security.txt."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article, make_photo, place

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_public_pages_carry_a_policy_without_inline_scripts_or_styles(client):
    make_article("Communiqué")
    csp = directives(client.get("/"))
    assert csp["default-src"] == ["'self'"]
    assert "'self'" in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"] and "*" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"] and csp["style-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in csp["style-src"][1:])  # one known stylesheet, by hash
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]


def test_a_page_served_from_the_page_cache_carries_the_policy_too(client):
    make_article("Communiqué")
    client.get("/")
    cached = client.get("/")
    assert cached["X-Page-Cache"] == "hit"
    assert "script-src 'self'" in cached["Content-Security-Policy"]
    assert "nonce-" not in cached["Content-Security-Policy"]  # no inline script, no nonce to go stale


def test_the_admin_carries_the_policy(admin_client):
    article = make_article("Communiqué")
    csp = directives(admin_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-inline'" not in csp["style-src"]


def test_an_inline_script_gets_a_nonce_only_the_policy_knows(rf):
    """The way to add an inline script when one is needed: {{ request.csp_nonce }}, new each request."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">go()</script>')
    nonces = []
    for _ in range(2):
        request = rf.get("/")
        middleware = CSPMiddleware(lambda r: HttpResponse(template.render({}, r)))
        response = middleware(request)
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in directives(response)["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)


def inline_code(html: str, nonce: str | None = None) -> list[str]:
    """What the policy would block: inline handlers, style= attributes, inline scripts without `nonce`."""
    found = [m.group(0)[:120] for rx in (INLINE_HANDLER, STYLE_ATTRIBUTE) for m in rx.finditer(html)]
    return found + [m.group(0) for m in INLINE_SCRIPT.finditer(html) if not nonce or f'nonce="{nonce}"' not in m.group(0)]


def header_nonce(response) -> str | None:
    found = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    return found.group(1) if found else None


def test_the_editors_import_map_carries_the_nonce_of_the_policy(admin_client):
    """django-prose-editor's modules load through an inline import map: without the nonce, no editor."""
    response = admin_client.get(reverse("admin:articles_article_add"))
    nonce = header_nonce(response)
    assert nonce and f'<script type="importmap" nonce="{nonce}">' in response.content.decode()
    assert header_nonce(admin_client.get(reverse("admin:articles_article_add"))) != nonce  # new each time


def test_no_page_relies_on_what_the_policy_refuses(client, admin_client):
    """Inline handlers, style= attributes and inline scripts without the nonce would be blocked: none is
    rendered. (tests/browser/test_csp.py checks the same in Chromium, with the pages' scripts running.)"""
    photo = make_photo()
    article = place(make_article("Communiqué", tags=["Économie"], quotes=1, contacts=1), photo)
    public = ["/", article.get_absolute_url(), "/mots-cles/economie/", "/recherche/?q=communique", "/archives/",
              "/accessibilite/", "/page-absente/"]
    for url in public:
        assert inline_code(client.get(url).content.decode()) == [], url
    admin = [reverse("admin:index"), reverse("admin:articles_article_changelist"),
             reverse("admin:articles_article_add"), reverse("admin:articles_article_change", args=[article.pk]),
             reverse("admin:articles_photo_changelist"), reverse("admin:articles_photo_change", args=[photo.pk]),
             reverse("admin:articles_embargolink_changelist"), reverse("admin:login")]
    for url in admin:
        response = admin_client.get(url)
        assert inline_code(response.content.decode(), header_nonce(response)) == [], url


def test_the_checker_finds_what_it_looks_for():
    assert inline_code('<input onclick="this.select()">') and inline_code('<img style="x">')
    assert inline_code("<script>alert(1)</script>")
    assert inline_code('<script nonce="old">go()</script>', "new") and not inline_code('<script nonce="n">go()</script>', "n")
    assert not inline_code('<script src="/static/a.js"></script><script type="application/ld+json">{}</script>')


def test_powerful_browser_features_are_turned_off(client):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


# --- /.well-known/security.txt (RFC 9116) ------------------------------------------------------

def security_txt_fields(response) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in response.content.decode().splitlines():
        name, _, value = line.partition(": ")
        fields.setdefault(name, []).append(value)
    return fields


def test_security_txt_says_whom_to_tell_until_when(client, settings):
    settings.SECURITY_CONTACT = ["mailto:securite@example.org", "https://example.org/signaler"]
    settings.SECURITY_POLICY_URL = "https://example.org/politique-de-divulgation"
    settings.SITE_URL = "https://presse.example.org"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = security_txt_fields(response)
    assert fields["Contact"] == ["mailto:securite@example.org", "https://example.org/signaler"]
    assert fields["Canonical"] == ["https://presse.example.org/.well-known/security.txt"]
    assert fields["Preferred-Languages"] == ["fr, en"]
    assert fields["Policy"] == ["https://example.org/politique-de-divulgation"]
    (expires,) = fields["Expires"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", expires)  # RFC 3339, in UTC
    expires_at = datetime.fromisoformat(expires.replace("Z", "+00:00"))
    assert timezone.now() + timedelta(days=30) < expires_at < timezone.now() + timedelta(days=365)


def test_security_txt_stays_in_date_as_time_passes(client, settings):
    import time_machine

    settings.SECURITY_CONTACT = ["mailto:securite@example.org"]
    later = timezone.now() + timedelta(days=400)
    with time_machine.travel(later, tick=False):
        expires = security_txt_fields(client.get("/.well-known/security.txt"))["Expires"][0]
        assert datetime.fromisoformat(expires.replace("Z", "+00:00")) > later


def test_without_a_contact_there_is_no_security_txt(client, settings):
    settings.SECURITY_CONTACT = []
    assert client.get("/.well-known/security.txt").status_code == 404


def test_security_txt_is_read_only(client, settings):
    settings.SECURITY_CONTACT = ["mailto:securite@example.org"]
    assert client.post("/.well-known/security.txt").status_code == 405


SECURITY_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", "X-Content-Type-Options",
                    "Referrer-Policy", "Cross-Origin-Opener-Policy")


def test_a_cached_page_is_answered_with_every_security_header_of_the_page_it_replays(client):
    """The page cache answers before any other middleware: the headers they add travel with the page."""
    article = make_article("Communiqué")
    for url in ("/", article.get_absolute_url()):
        built = client.get(url)
        cached = client.get(url)
        assert (built["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit"), url
        for name in SECURITY_HEADERS:
            assert cached[name] == built[name], (url, name)
        assert cached["Vary"] == built["Vary"] and cached["Content-Language"] == built["Content-Language"]


def test_an_answer_whose_policy_names_a_nonce_is_never_stored(rf):
    """A nonce is one request's: replaying it would allow an old inline script (or break a new one)."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    from articles.caching.page_cache import PageCacheMiddleware
    from articles.caching.policy import mark_public

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">go()</script>')
    stack = PageCacheMiddleware(CSPMiddleware(lambda r: mark_public(HttpResponse(template.render({}, r)))))
    first, second = stack(rf.get("/")), stack(rf.get("/"))
    assert "'nonce-" in first["Content-Security-Policy"]
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "miss")
    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]  # each its own nonce


def test_a_host_that_is_not_allowed_gets_django_s_400_from_in_front_of_the_page_cache(client):
    make_article("Communiqué")
    client.get("/")
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
