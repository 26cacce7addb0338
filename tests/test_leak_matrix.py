"""The leak matrix: nothing of a draft, an in-review, a scheduled or a withdrawn release
reaches any public surface — until the scheduled one's minute, when it appears on all of them.

Each hidden release carries a unique marker in its title, body, slug, tag, quote,
speaker, photo caption, credit, press contact and original file name. Every public surface is
fetched and searched for the markers. Surfaces are listed once, in SURFACES, by URL
name; every one of them exists, so a name that no longer resolves fails the matrix
(a renamed surface would otherwise silently leave it). To cover a new surface, add a line.
"""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles.models import Article, PressContact, Quote
from articles.publishing import workflow
from tests.factories import image_upload, make_article, make_credit, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

S = Article.Status
MARKERS = {"draft": "zqdraftmark", "review": "zqreviewmark", "scheduled": "zqschedmark", "withdrawn": "zqgonemark"}

# (label, URL name, args from a case, query, kind). Every kind must not show the marker while
# the release is hidden; "page" must show it once the release is public; "download" must answer
# 404 while hidden and 200 once public; "index" shows no titles, only its absence is checked.
SURFACES = [
    ("home", "articles:article-list", lambda c: [], {}, "page"),
    ("home page 2", "articles:article-list", lambda c: [], {"page": 2}, "page"),
    ("article", "articles:article-detail", lambda c: [c["article"].slug], {}, "page"),
    ("tag page", "articles:tag-detail", lambda c: [c["tag"]], {}, "page"),
    # A tag under its name in a translation's language (issue #14): /en/tags/<its English slug>/.
    ("translated tag page", "articles:tag-detail", lambda c: [c.get("tag_here", c["tag"])], {}, "page"),
    ("translated tag RSS feed", "articles:tag-feed-rss", lambda c: [c.get("tag_here", c["tag"])], {}, "page"),
    ("speaker page", "articles:speaker-detail", lambda c: [c["speaker"].slug], {}, "page"),
    ("credit page", "articles:credit-detail", lambda c: [c["credit"].slug], {}, "page"),
    # "corps" is in every hidden body and in no public one: the page echoing the query is no leak.
    ("search", "articles:search", lambda c: [], {"q": "corps"}, "page"),
    ("archives", "articles:archive-index", lambda c: [], {}, "index"),  # months and counts, no titles
    # The world is frozen on 2 March 2026 (Paris): the scheduled release goes out that month.
    ("archive year", "articles:archive-year", lambda c: ["2026"], {}, "page"),
    ("archive month", "articles:archive-month", lambda c: ["2026", "03"], {}, "page"),
    ("RSS feed", "articles:feed-rss", lambda c: [], {}, "page"),
    ("Atom feed", "articles:feed-atom", lambda c: [], {}, "page"),
    ("tag RSS feed", "articles:tag-feed-rss", lambda c: [c["tag"]], {}, "page"),
    ("tag Atom feed", "articles:tag-feed-atom", lambda c: [c["tag"]], {}, "page"),
    ("speaker RSS feed", "articles:speaker-feed-rss", lambda c: [c["speaker"].slug], {}, "page"),
    ("speaker Atom feed", "articles:speaker-feed-atom", lambda c: [c["speaker"].slug], {}, "page"),
    ("sitemap", "articles:sitemap", lambda c: [], {}, "index"),  # the index names sections, not pages
    ("sitemap of releases", "articles:sitemap-section", lambda c: ["articles"], {}, "page"),
    ("sitemap of tags", "articles:sitemap-section", lambda c: ["tags"], {}, "page"),
    ("sitemap of speakers", "articles:sitemap-section", lambda c: ["speakers"], {}, "page"),
    ("sitemap of pages", "articles:sitemap-section", lambda c: ["pages"], {}, "index"),  # home and archives
    ("press kit", "articles:press-kit", lambda c: [c["article"].slug], {}, "download"),
    ("release PDF", "articles:release-pdf", lambda c: [c["article"].slug], {}, "download"),
    ("photo download", "articles:photo-download", lambda c: [c["photo"].pk], {}, "download"),
    ("press contact vCard", "articles:contact-vcard", lambda c: [c["article"].slug, c["contact"].pk], {}, "download"),
    ("press contacts vCards", "articles:release-vcards", lambda c: [c["article"].slug], {}, "download"),
    # The public API (articles/api/): every endpoint, and its OpenAPI document.
    ("API releases", "api-v1:release-list", lambda c: [], {}, "page"),
    ("API release", "api-v1:release-detail", lambda c: [c["article"].pk], {}, "page"),
    ("API releases in French", "api-v1:release-list", lambda c: [], {"language": "fr", "limit": 100}, "page"),
    ("API tags", "api-v1:tag-list", lambda c: [], {"limit": 100}, "page"),
    ("API tag", "api-v1:tag-detail", lambda c: [c["tag"]], {}, "page"),
    ("API tag releases", "api-v1:tag-releases", lambda c: [c["tag"]], {}, "page"),
    ("API speakers", "api-v1:speaker-list", lambda c: [], {"limit": 100}, "page"),
    ("API speaker", "api-v1:speaker-detail", lambda c: [c["speaker"].slug], {}, "page"),
    ("API speaker releases", "api-v1:speaker-releases", lambda c: [c["speaker"].slug], {}, "page"),
    ("API credits", "api-v1:credit-list", lambda c: [], {"limit": 100}, "page"),
    ("API credit", "api-v1:credit-detail", lambda c: [c["credit"].slug], {}, "page"),
    ("API credit releases", "api-v1:credit-releases", lambda c: [c["credit"].slug], {}, "page"),
    ("OpenAPI document", "api-openapi", lambda c: [], {}, "index"),
]


def resolved_surfaces():
    missing = []
    for label, name, args, _query, _kind in SURFACES:
        try:
            reverse(name, args=args(_dummy_case()))
        except NoReverseMatch:
            missing.append(f"{label} ({name})")
    assert not missing, f"Leak matrix: surfaces that no longer resolve: {', '.join(missing)}"
    return SURFACES


def test_every_surface_of_the_matrix_resolves():
    assert resolved_surfaces() == SURFACES


class _Dummy:
    slug, pk = "x", 1


def _dummy_case():
    return {"article": _Dummy, "tag": "x", "speaker": _Dummy, "credit": _Dummy, "photo": _Dummy, "contact": _Dummy}


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace").lower()


def hidden_release(kind: str, marker: str, publisher):
    now = timezone.now()
    status, publish_at = {
        "draft": (S.DRAFT, None), "review": (S.REVIEW, now - timedelta(hours=1)),
        "scheduled": (S.PUBLISHED, now + timedelta(hours=1)), "withdrawn": (S.PUBLISHED, now - timedelta(days=2)),
    }[kind]
    article = make_article(f"Titre {marker}", body=f"<p>Corps {marker}</p>", slug=f"communique-{marker}",
                           status=status, publish_at=publish_at, tags=[marker])
    speaker = make_speaker(f"Intervenant {marker}")
    Quote.objects.create(article=article, speaker=speaker, text=f"Citation {marker}", position=0)
    credit = make_credit(f"Studio {marker}")
    photo = make_photo(credit=credit, caption=f"Légende {marker}", image=image_upload(f"{marker}-original.jpg"))
    place(article, photo)
    contact = PressContact.objects.create(name=f"Contact {marker}", email=f"{marker}@example.org")
    article.press_contacts.add(contact)
    if kind == "withdrawn":
        workflow.withdraw(article=article, user=publisher, reason="Retiré à la demande de l'organisateur.")
    from articles.discovery.search import refresh_search_document

    refresh_search_document(article)
    return {"article": article, "tag": marker, "speaker": speaker, "credit": credit, "photo": photo, "contact": contact,
            "marker": marker}


@pytest.fixture
def world(time_machine, settings):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    settings.API_ANONYMOUS_RATE = "100000/m"  # the matrix asks the API hundreds of times in one frozen minute
    publisher = make_editor("Publication")
    for i in range(settings.ARTICLES_PER_PAGE):  # a full first page: one leaked card would add a page 2
        make_article(f"Communiqué public {i}", publish_at=timezone.now() - timedelta(days=3, minutes=i))
    return {kind: hidden_release(kind, marker, publisher) for kind, marker in MARKERS.items()}


def fetch_all(client, case, surfaces):
    for label, name, args, query, kind in surfaces:
        url = reverse(name, args=args(case))
        response = client.get(url, query)
        moved_to = ""
        if response.status_code == 301:
            # A tag's French slug under /en/ moves to its English address (issue #14): the new
            # address is what the visitor learns, so it counts as seen, and so does its page.
            moved_to = response["Location"]
            response = client.get(moved_to)
        # An error page or a refusal (429) shows no marker: it must not pass for "nothing leaked".
        assert response.status_code in (200, 404, 410), f"{label}: {response.status_code}"
        # A page may echo the address it was asked for (e.g. a 404 page): that is not a leak.
        seen = body_of(response).replace((moved_to or url).lower(), "")
        response.text_seen = f"{moved_to.lower()} {seen}"
        yield label, kind, name, response


def beyond_notice(kind: str, label: str, seen: str, marker: str) -> str:
    """What a page shows beyond a withdrawal notice: at its own address the notice names the release
    the public saw, as GOV.UK does (issue #16), by its title and nothing else of it (no text, quote,
    caption, credit or tag)."""
    if kind == "withdrawn" and label == "article":
        assert f"titre {marker}" in seen
        return seen.replace(f"titre {marker}", "")
    return seen


def test_no_marker_of_a_hidden_release_appears_on_any_public_surface(client, world):
    surfaces = resolved_surfaces()
    for kind, case in world.items():
        marker = case["marker"]
        assert marker not in case["photo"].image.name  # stored under a random name
        for label, surface_kind, _name, response in fetch_all(client, case, surfaces):
            assert marker not in beyond_notice(kind, label, response.text_seen, marker), f"{marker} ({kind}) leaks on {label}"
            if surface_kind == "download":
                assert response.status_code == 404, f"{label} of a {kind} release"
        article_response = client.get(case["article"].get_absolute_url())
        assert article_response.status_code == (200 if kind == "withdrawn" else 404)
        # Guessing the photo's original name or its stored name in /media/ finds nothing public.
        for path in (f"photos/{marker}-original.jpg", case["photo"].image.name):
            assert client.get(f"{settings.MEDIA_URL}{path}").status_code == 404
        for rendition in case["photo"].renditions.all():
            for label, _, _, response in fetch_all(client, case, surfaces):
                assert rendition.file.name.lower() not in response.text_seen, f"rendition of {kind} on {label}"
    home = body_of(client.get(reverse("articles:article-list")))
    assert "page 1 sur 2" not in home  # the counts do not include hidden releases


def test_the_scheduled_release_appears_everywhere_at_its_minute_and_the_others_stay_hidden(client, world, time_machine):
    surfaces = resolved_surfaces()
    time_machine.move_to(world["scheduled"]["article"].publish_at + timedelta(minutes=1), tick=False)
    case = world["scheduled"]
    for label, kind, _name, response in fetch_all(client, case, surfaces):
        if label == "home page 2":
            continue  # the newest release is on page 1
        assert response.status_code == 200, label
        if kind == "page":
            assert case["marker"] in response.text_seen, f"the scheduled release is missing from {label}"
    assert "page 1 sur 2" in body_of(client.get(reverse("articles:article-list")))
    for kind in ("draft", "review", "withdrawn"):
        hidden = world[kind]
        for label, _, _, response in fetch_all(client, hidden, surfaces):
            seen = beyond_notice(kind, label, response.text_seen, hidden["marker"])
            assert hidden["marker"] not in seen, f"{kind} leaks on {label} after the embargo"


DATE_PATTERNS = [
    (re.compile(r"<lastmod>([^<]+)</lastmod>"), datetime.fromisoformat),
    (re.compile(r"<(?:updated|published)>([^<]+)</(?:updated|published)>"), datetime.fromisoformat),
    (re.compile(r"<pubDate>([^<]+)</pubDate>"), parsedate_to_datetime),
    (re.compile(r"<lastBuildDate>([^<]+)</lastBuildDate>"), parsedate_to_datetime),
]


def test_feed_and_sitemap_dates_never_exceed_now(client, world):
    surfaces = [s for s in resolved_surfaces() if "feed" in s[0] or s[0].startswith("sitemap")]
    now = timezone.now()
    checked = 0
    for label, _, _, response in fetch_all(client, world["scheduled"], surfaces):
        text = response.content.decode()
        for pattern, parse in DATE_PATTERNS:
            for raw in pattern.findall(text):
                value = parse(raw.strip().replace("Z", "+00:00"))
                if timezone.is_naive(value):
                    value = timezone.make_aware(value)
                assert value <= now, f"{label} announces {raw}, after now"
                checked += 1
    assert checked


def test_the_old_address_of_a_re_embargoed_release_reveals_nothing_until_its_new_minute(client, world, time_machine):
    """Published, sent back to review, retitled and rescheduled: its old address must not
    301 to the new slug, which names what is still under embargo."""
    publisher = make_editor("Publication", username="publieur-bis")
    marker = "zqrenamedmark"
    article = make_article("Annonce d'un partenariat", slug="annonce-partenariat", status=S.REVIEW,
                           publish_at=timezone.now() - timedelta(days=1))
    workflow.publish(article=article, user=publisher)  # the public saw it at /communiques/annonce-partenariat/
    workflow.send_back_to_review(article=article, user=publisher)
    article.refresh_from_db()
    article.title, article.slug = f"Fusion secrète avec {marker}", f"fusion-secrete-{marker}"
    article.body = f"<p>Corps {marker}</p>"
    workflow.record_slug_change(article=article, old_slug="annonce-partenariat")
    article.save()
    workflow.publish(article=article, user=publisher, publish_at=timezone.now() + timedelta(hours=2))

    old_url = reverse("articles:article-detail", args=["annonce-partenariat"])
    for _ in range(2):  # the second answer may come from the page cache: it must be the same 404
        response = client.get(old_url)
        assert response.status_code == 404
        assert marker not in response.get("Location", "")
        assert marker not in body_of(response)
    case = {**world["scheduled"], "article": article}
    for label, _kind, _name, response in fetch_all(client, case, resolved_surfaces()):
        assert marker not in response.text_seen, f"the new slug of a re-embargoed release leaks on {label}"
        assert marker not in response.get("Location", ""), label

    time_machine.move_to(timezone.now() + timedelta(hours=2, minutes=1), tick=False)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_the_old_address_of_a_withdrawn_release_shows_the_notice_without_naming_the_new_one(client, world):
    publisher = make_editor("Publication", username="publieur-ter")
    article = make_article("Annonce", slug="annonce-ancienne", status=S.REVIEW)
    workflow.publish(article=article, user=publisher)
    article.refresh_from_db()
    article.slug = "annonce-zqnewslugmark"
    workflow.record_slug_change(article=article, old_slug="annonce-ancienne")
    article.save()
    workflow.withdraw(article=article, user=publisher, reason="Retiré à la demande du partenaire.")
    response = client.get(reverse("articles:article-detail", args=["annonce-ancienne"]))
    assert response.status_code == 200
    assert "Retiré à la demande du partenaire." in response.text
    assert "zqnewslugmark" not in response.text


# --- Translations (issue #14): a translation is seen only with its group, on every surface of every language.

TRANSLATION_CASES = {
    # marker: (the original's fate, the translation's own state)
    "zqtrdraftmark": "original in draft, translation marked published by hand",
    "zqtrreviewmark": "original in review, translation marked published by hand",
    "zqtrschedmark": "group scheduled by the workflow",
    "zqtrforgedmark": "group scheduled, translation's own time forged into the past",
    "zqtrgonemark": "group published, then withdrawn by the workflow",
    "zqtrleftmark": "group published, translation in draft left out by the publisher",
}


def fetch_all_in(client, language, case, surfaces):
    from django.utils import translation

    with translation.override(language):
        yield from fetch_all(client, case, surfaces)


def translated_release(marker: str, publisher):
    """A French original and its English translation; the translation carries `marker` everywhere."""
    now = timezone.now()
    original = make_article("Original en français", status=S.REVIEW, publish_at=None)  # no marker: it may be public
    translation_case = hidden_release("draft", marker, publisher)
    article = translation_case["article"]
    Article.objects.filter(pk=article.pk).update(language="en", translation_of=original, status=S.REVIEW)
    article.refresh_from_db()
    if marker == "zqtrdraftmark":
        Article.objects.filter(pk=original.pk).update(status=S.DRAFT)
        Article.objects.filter(pk=article.pk).update(status=S.PUBLISHED, publish_at=now - timedelta(days=1))
    elif marker == "zqtrreviewmark":
        Article.objects.filter(pk=article.pk).update(status=S.PUBLISHED, publish_at=now - timedelta(days=1))
    elif marker == "zqtrschedmark":
        workflow.publish(article=original, user=publisher, publish_at=now + timedelta(hours=1))
    elif marker == "zqtrforgedmark":
        workflow.publish(article=original, user=publisher, publish_at=now + timedelta(hours=1))
        Article.objects.filter(pk=article.pk).update(publish_at=now - timedelta(days=1))
    elif marker == "zqtrgonemark":
        workflow.publish(article=original, user=publisher)
        workflow.withdraw(article=original, user=publisher, reason="Retiré à la demande de l'organisateur.")
    elif marker == "zqtrleftmark":
        Article.objects.filter(pk=article.pk).update(status=S.DRAFT)
        workflow.publish(article=original, user=publisher, leave_out=[article.pk])
    article.refresh_from_db()
    # The tag's English name and address carry the marker too, and the translation's caption.
    from taggit.models import Tag

    from articles.models import ArticlePhoto, TagTranslation

    TagTranslation.objects.create(tag=Tag.objects.get(name=marker), language="en", name=f"English {marker}",
                                  slug=f"english-{marker}")
    ArticlePhoto.objects.filter(article=article).update(caption=f"Caption {marker}", alt_text=f"Alt {marker}")
    translation_case["tag_here"] = f"english-{marker}"
    from articles.discovery.search import refresh_search_document

    refresh_search_document(article)
    original.refresh_from_db()
    return {**translation_case, "article": article, "original": original}


@pytest.fixture
def translated_world(time_machine, settings):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    settings.API_ANONYMOUS_RATE = "100000/m"  # every surface, in three languages, in one frozen minute
    publisher = make_editor("Publication")
    for i in range(settings.ARTICLES_PER_PAGE):  # a full English first page: one leaked card would add a page 2
        make_article(f"Public release {i}", language="en", publish_at=timezone.now() - timedelta(days=3, minutes=i))
    return {marker: translated_release(marker, publisher) for marker in TRANSLATION_CASES}


def test_no_translation_is_seen_before_or_without_its_group_on_any_surface_of_any_language(client, translated_world):
    for language in ("en", "fr", "ja"):
        for marker, case in translated_world.items():
            surfaces = resolved_surfaces()
            for label, surface_kind, _name, response in fetch_all_in(client, language, case, surfaces):
                seen = beyond_notice("withdrawn" if marker == "zqtrgonemark" else "", label, response.text_seen, marker)
                assert marker not in seen, f"{marker} ({TRANSLATION_CASES[marker]}) leaks on {language} {label}"
                if surface_kind == "download":
                    assert response.status_code == 404, f"{language} {label} of {marker}"
    for marker, case in translated_world.items():
        assert not case["article"].is_public()
        status = client.get(case["article"].get_absolute_url()).status_code
        assert status == (200 if marker == "zqtrgonemark" else 404), marker  # withdrawn: the public notice
    home = body_of(client.get("/en/"))
    assert "page 1 of 2" not in home and "page 1 sur 2" not in home  # no hidden translation in the counts


def test_a_scheduled_group_appears_in_every_language_at_the_same_request(client, translated_world, time_machine):
    case = translated_world["zqtrschedmark"]
    original_url, translation_url = case["original"].get_absolute_url(), case["article"].get_absolute_url()
    assert client.get(original_url).status_code == 404 and client.get(translation_url).status_code == 404
    time_machine.move_to(case["original"].publish_at, tick=False)
    # The same instant: both at once, never one without the other.
    assert client.get(original_url).status_code == 200 and client.get(translation_url).status_code == 200
    for marker in ("zqtrschedmark", "zqtrforgedmark"):
        live = translated_world[marker]
        for label, kind, _name, response in fetch_all_in(client, "en", live, resolved_surfaces()):
            if label in ("home page 2", "API releases in French"):
                continue  # the newest release is on page 1; an English translation is in no French list
            assert response.status_code == 200, f"{marker} {label}"
            if kind == "page":
                assert marker in response.text_seen, f"the translation {marker} is missing from {label}"
        # The tag's English page is in the tags' sitemap from the group's minute, under its English
        # address (before it, the matrix above finds no trace of it there).
        assert f"/en/tags/english-{marker}/" in client.get("/sitemap-tags.xml").text, marker
    for marker in ("zqtrdraftmark", "zqtrreviewmark", "zqtrgonemark", "zqtrleftmark"):
        hidden = translated_world[marker]
        for label, _, _, response in fetch_all_in(client, "en", hidden, resolved_surfaces()):
            seen = beyond_notice("withdrawn" if marker == "zqtrgonemark" else "", label, response.text_seen, marker)
            assert marker not in seen, f"{marker} leaks on {label} after the group's minute"


# --- The staff preview's addresses (issue #16): a visitor is sent to the login page, learning nothing.

PREVIEW_SURFACES = [
    ("preview", "articles:article-preview", lambda c: [c["article"].pk]),
    ("preview press kit", "articles:preview-press-kit", lambda c: [c["article"].pk]),
    ("preview photo download", "articles:preview-photo-download", lambda c: [c["article"].pk, c["photo"].pk]),
    ("preview tag page", "articles:preview-tag", lambda c: [c["article"].pk, c["tag"]]),
    ("preview speaker page", "articles:preview-speaker", lambda c: [c["article"].pk, c["speaker"].slug]),
    ("preview credit page", "articles:preview-credit", lambda c: [c["article"].pk, c["credit"].slug]),
    ("preview vCards", "articles:preview-vcards", lambda c: [c["article"].pk]),
    ("preview vCard", "articles:preview-contact-vcard", lambda c: [c["article"].pk, c["contact"].pk]),
]


def test_every_preview_address_is_in_the_matrix():
    """A preview address added later must be added here too."""
    from django.urls import get_resolver

    _prefix, articles = get_resolver().namespace_dict["articles"]
    names = {f"articles:{name}" for name in articles.reverse_dict if isinstance(name, str)}
    previews = {name for name in names if name.startswith("articles:preview-") or name == "articles:article-preview"}
    assert previews == {name for _label, name, _args in PREVIEW_SURFACES}


def test_an_anonymous_visitor_learns_nothing_from_any_preview_address(client, world):
    for kind, case in world.items():
        marker = case["marker"]
        for label, name, args in PREVIEW_SURFACES:
            url = reverse(name, args=args(case))
            response = client.get(url)
            assert response.status_code == 302, f"{label} of a {kind} release: {response.status_code}"
            assert response["Location"].startswith("/admin/login/"), label
            seen = (body_of(response) + response["Location"].lower()).replace(url.lower(), "")
            assert marker not in seen, f"{marker} ({kind}) leaks on {label}"
