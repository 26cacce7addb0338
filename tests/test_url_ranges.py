"""Out-of-range dates, pages and ids in any public address: a 404, never a 500.

The test walks the URL patterns themselves (pressroom/urls.py and the articles app),
so a pattern added later is covered without anyone remembering to add it here: each
parameter is given hostile values of its own kind while the others stay valid, and
every list is asked for impossible pages. On PostgreSQL a too-large integer raises a
DataError, on SQLite an OverflowError: both were 500s.
"""

import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from articles.alerts import tokens
from articles.models import EmbargoLink, PressContact, Subscriber
from articles.publishing import embargo
from tests.factories import login_verified, make_article, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
# By converter (or regex group name): values out of range, or of the wrong shape, for it.
HOSTILE = {
    "id": ["0", HUGE, str(2**63), str(2**31), "-1", "abc", "1.5"],
    "int": ["0", HUGE, str(2**63), "-1", "abc"],
    "year": ["0000", "0001", "1899", "3000", "9999", "99999", "-2026", "20x6"],
    "month": ["00", "13", "99", "1", "-1", "ab"],
    "slug": ["x" * 300, "inconnu", "%00", "..", "a%2Fb"],
    "str": ["%00", "x" * 3000, "..", "abc:def", "%FF%FE"],
}
PAGES = ["0", "-1", HUGE, "abc", "1.5", "%00", "9" * 5000, "last2", "2"]  # one release: page 2 does not exist


def public_patterns():
    """(route text, name, converters) for every pattern outside the admin and the media."""
    found = []

    def walk(resolvers, prefix=""):
        for entry in resolvers:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                # The admin is walked by tests/test_admin_urls.py; the JSON API answers a bad
                # parameter with a 400 naming it, and schemathesis sends it hostile values
                # (tests/test_api_schema.py, tests/test_api.py).
                if route.startswith(("admin/", "api/")):
                    continue
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                # A French address under /en/ from before the path words were translated
                # (views/legacy_paths.py) takes the values of the pattern it redirects to.
                name = entry.name or getattr(entry.callback, "legacy_of", None)
                found.append((prefix + route, name, dict(getattr(entry.pattern, "converters", {}))))

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture
def room():
    """One release with everything a public address can name, and valid values for each parameter."""
    speaker = make_speaker("Carole Delga")
    article = make_article("Occitanie à Kyoto", tags=["Japon"], publish_at=timezone.now() - timedelta(days=3))
    article.quotes.create(speaker=speaker, text="Une coopération exemplaire.", position=0)
    photo = make_photo()
    place(article, photo)
    contact = PressContact.objects.create(name="Service de presse", email="presse@example.org")
    article.press_contacts.add(contact)
    link = EmbargoLink.objects.create(
        article=article, recipient_name="Journaliste", expires_at=timezone.now() + timedelta(days=1)
    )
    subscriber = Subscriber.objects.create(email="abonne@example.org")
    year = timezone.localtime(article.publish_at).year
    month = timezone.localtime(article.publish_at).month
    valid = {
        "article-detail": {"slug": article.slug},
        "press-kit": {"slug": article.slug},
        "release-pdf": {"slug": article.slug},
        "photo-download": {"pk": photo.pk},
        "release-vcards": {"slug": article.slug},
        "contact-vcard": {"slug": article.slug, "pk": contact.pk},
        "preview-vcards": {"pk": article.pk},
        "preview-contact-vcard": {"pk": article.pk, "contact_id": contact.pk},
        "embargo-vcards": {"slug": article.slug, "token": embargo.make_token(link)},
        "embargo-contact-vcard": {"slug": article.slug, "token": embargo.make_token(link), "contact_id": contact.pk},
        "credit-detail": {"slug": photo.credit.slug},
        "tag-detail": {"slug": "japon"},
        "speaker-detail": {"slug": speaker.slug},
        "archive-year": {"year": f"{year:04d}"},
        "archive-month": {"year": f"{year:04d}", "month": f"{month:02d}"},
        "tag-feed-rss": {"slug": "japon"},
        "tag-feed-atom": {"slug": "japon"},
        "speaker-feed-rss": {"slug": speaker.slug},
        "speaker-feed-atom": {"slug": speaker.slug},
        "sitemap-section": {"section": "articles"},
        "article-preview": {"pk": article.pk},
        "embargo-detail": {"slug": article.slug, "token": embargo.make_token(link)},
        "embargo-press-kit": {"slug": article.slug, "token": embargo.make_token(link)},
        "embargo-pdf": {"slug": article.slug, "token": embargo.make_token(link)},
        "embargo-photo": {"slug": article.slug, "token": embargo.make_token(link), "photo_id": photo.pk, "spec": "w960-jpeg"},
        "subscription-confirm": {"token": tokens.confirm_token(subscriber)},
        "subscription-manage": {"token": tokens.manage_token(subscriber)},
        "subscription-unsubscribe": {"token": tokens.manage_token(subscriber)},
    }
    return valid


def fill(route: str, values: dict) -> str:
    """The address of `route` with these parameter values, written as is (no reverse(): it
    would refuse the very values under test)."""
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route)  # re_path() groups
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), url)  # path() converters
    return "/" + url.lstrip("^").rstrip("$")


def parameters(route: str) -> list[tuple[str, str]]:
    """(kind, name) of each parameter: the converter of a path(), the group's name for a re_path()."""
    groups = [(name if name in HOSTILE else "str", name) for name in re.findall(r"\(\?P<(\w+)>", route)]
    if groups:
        return groups
    return [(converter or "str", name) for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route)]


def clients(client, django_user_model):
    """Anonymous, then a publisher: previews and the admin-only paths also run for staff."""
    yield "anonymous", client
    from django.test import Client

    staff = Client()
    login_verified(staff, make_editor("Publication"))
    yield "publisher", staff


def test_every_pattern_with_parameters_has_valid_values_in_this_test(room):
    """A new pattern with parameters must be added to `room` (and so gets walked)."""
    missing = [name for route, name, _c in public_patterns() if parameters(route) and name not in room]
    assert missing == []


def test_each_valid_address_answers(client, room):
    for route, name, _converters in public_patterns():
        url = fill(route, room.get(name, {}))
        status = client.get(url).status_code
        assert status in (200, 302), (url, status)


def test_an_out_of_range_parameter_in_any_address_is_a_404(client, django_user_model, room):
    checked = 0
    for who, browser in clients(client, django_user_model):
        for route, name, _converters in public_patterns():
            for kind, param in parameters(route):
                for value in HOSTILE[kind]:
                    url = fill(route, {**room[name], param: value})
                    response = browser.get(url)
                    if who == "anonymous" and response.status_code == 302:
                        # Staff-only pages send a visitor to the login first, whatever the id.
                        assert response["Location"].startswith("/admin/login/"), url
                        continue
                    assert response.status_code == 404, (who, url, response.status_code)
                    checked += 1
    assert checked > 200


@pytest.mark.parametrize("page", PAGES)
def test_an_impossible_page_of_any_list_is_a_404(client, room, page):
    from django.urls import resolve

    lists = 0
    for route, name, _converters in public_patterns():
        base = fill(route, room.get(name, {}))
        view = resolve(base).func
        view_class = getattr(view, "view_class", None)
        if view_class is not None and getattr(view_class, "paginate_by", None):
            parameter = getattr(view_class, "page_kwarg", "page")
            query = f"?{parameter}={page}" + ("&q=kyoto" if name == "search" else "")
        elif name == "sitemap-section":
            query = f"?p={page}"
        else:
            continue
        lists += 1
        response = client.get(base + query)
        assert response.status_code == 404, (base + query, response.status_code)
    assert lists >= 7  # home, credit, tag, speaker, search, archive year and month, sitemap sections


@pytest.mark.parametrize(
    "query",
    ["year=0", "year=99999", f"year={HUGE}", "year=abc", "tag=%00", "speaker=" + "x" * 300, "tag=" + "x" * 5000],
)
def test_a_search_with_an_impossible_filter_says_so_in_french(client, room, query):
    response = client.get(f"/recherche/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    label = {"year": "Année", "tag": "Mot-clé", "speaker": "Intervenant"}[query.split("=")[0]]
    assert f'<p class="error" role="alert">Recherche refusée. {label} : ' in html


@pytest.mark.parametrize("query", ["q=%00", "q=kyoto%00", "q=%00%00&page=2"])
def test_a_search_for_a_nul_byte_is_never_a_500(client, room, query):
    response = client.get(f"/recherche/?{query}")
    assert response.status_code == 400  # the form refuses NUL characters, in French
    assert "Recherche refusée. Mots recherchés : Le caractère nul n’est pas autorisé." in response.content.decode()
