"""Embargo links for named journalists, and staff previews: seen early by the right people, kept by no one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, EmbargoLink
from articles.publishing import embargo
from tests.admin_posts import form_data
from tests.factories import login_verified, make_article, make_editor

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def scheduled():
    return make_article("Accord Occitanie–Kyoto", publish_at=timezone.now() + timedelta(days=1), photos=1)


@pytest.fixture
def link(scheduled, publisher):
    return embargo.create_link(article=scheduled, user=publisher, recipient_name="Claire Martin",
                               expires_at=timezone.now() + timedelta(days=2))


def assert_never_kept(response):
    assert response["Cache-Control"] == "no-store, private"
    assert "noindex" in response["X-Robots-Tag"]


def test_a_valid_link_shows_the_release_with_the_embargo_banner_and_logs_the_visit(client, link, scheduled):
    response = client.get(embargo.link_path(link), HTTP_USER_AGENT="Navigateur de Claire")
    assert response.status_code == 200
    assert "EMBARGO jusqu&#x27;au" in response.text and "(Europe/Paris)" in response.text
    assert "Accord Occitanie–Kyoto" in response.text
    assert_never_kept(response)
    visit = link.visits.get()
    assert visit.user_agent == "Navigateur de Claire" and visit.ip_address == "127.0.0.1"


def test_the_link_downloads_the_press_kit_too(client, link):
    response = client.get(reverse("articles:embargo-press-kit", args=[link.article.slug, embargo.make_token(link)]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert_never_kept(response)
    assert link.visits.count() == 1


def test_an_expired_link_is_a_404(client, link, time_machine):
    time_machine.move_to(link.expires_at + timedelta(seconds=1))
    assert client.get(embargo.link_path(link)).status_code == 404
    assert not link.visits.exists()


def test_a_tampered_link_is_a_404(client, link):
    token = embargo.make_token(link)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("articles:embargo-detail", args=[link.article.slug, tampered])).status_code == 404


def test_a_link_signed_for_another_id_cannot_be_forged_by_editing_the_payload(client, link, scheduled, publisher):
    other = embargo.create_link(article=scheduled, user=publisher, recipient_name="Autre", expires_at=link.expires_at)
    payload, signature = embargo.make_token(link).rsplit(":", 1)
    _, other_signature = embargo.make_token(other).rsplit(":", 1)
    assert client.get(reverse("articles:embargo-detail", args=[scheduled.slug, f"{payload}:{other_signature}"])).status_code == 404


def test_a_revoked_link_is_a_404(client, link, publisher):
    embargo.revoke(link=link, user=publisher)
    assert client.get(embargo.link_path(link)).status_code == 404


def test_a_link_for_another_release_is_a_404(client, link):
    other = make_article("Autre communiqué", publish_at=timezone.now() + timedelta(days=1))
    response = client.get(reverse("articles:embargo-detail", args=[other.slug, embargo.make_token(link)]))
    assert response.status_code == 404


def test_a_release_sent_back_to_review_closes_its_links(client, link, scheduled):
    Article.objects.filter(pk=scheduled.pk).update(status=S.REVIEW)
    assert client.get(embargo.link_path(link)).status_code == 404


def test_only_publication_creates_links(scheduled):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        embargo.create_link(article=scheduled, user=make_editor("Rédaction"), recipient_name="X",
                            expires_at=timezone.now() + timedelta(days=1))


def test_the_admin_shows_the_copyable_link_and_its_visits(client, link, scheduled):
    login_verified(client, make_editor("Publication"))
    client.get(embargo.link_path(link))  # the journalist opens it
    page = client.get(reverse("admin:articles_article_change", args=[scheduled.pk]))
    assert embargo.link_url(link) in page.text
    assert "1 consultation, la dernière le" in page.text
    listing = client.get(reverse("admin:articles_embargolink_changelist"))
    assert "Claire Martin" in listing.text


def test_a_publisher_revokes_a_link_from_the_admin(client, link):
    login_verified(client, make_editor("Publication"))
    client.post(reverse("admin:articles_embargolink_changelist"), {"action": "revoke", "_selected_action": [link.pk]})
    link.refresh_from_db()
    assert link.revoked_at is not None


# --- Staff preview --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.REVIEW, S.WITHDRAWN])
def test_an_editor_previews_any_release_exactly_as_the_public_page_with_a_banner(client, status):
    article = make_article("Brouillon confidentiel", status=status, quotes=1, tags=["Kyoto"])
    client.force_login(make_editor("Rédaction"))
    response = client.get(reverse("articles:article-preview", args=[article.pk]))
    assert response.status_code == 200
    assert "Aperçu — non publié" in response.text
    assert "Brouillon confidentiel" in response.text and "Citation 0" in response.text
    assert [t.name for t in response.templates][0] == "articles/article_detail.html"
    assert_never_kept(response)


def test_a_visitor_cannot_preview(client):
    article = make_article("Brouillon confidentiel", status=S.DRAFT)
    response = client.get(reverse("articles:article-preview", args=[article.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "Brouillon confidentiel" not in response.text


def test_the_public_page_has_no_banner(client):
    response = client.get(make_article("En ligne").get_absolute_url())
    assert "Aperçu" not in response.text and "EMBARGO" not in response.text


# --- Links made and revoked in the admin: the same rules as embargo.create_link / revoke ----


def paris(value):
    local = timezone.localtime(value)
    return {"expires_at_0": local.strftime("%d/%m/%Y"), "expires_at_1": local.strftime("%H:%M:%S")}


def link_admin_data(article, **fields):
    return {"article": article.pk, "recipient_name": "Claire Martin", "recipient_email": "",
            "visits-TOTAL_FORMS": "0", "visits-INITIAL_FORMS": "0", **fields}


def article_page_with_links(client, article, *rows, existing=()):
    """What the release's admin page posts back with its embargo link rows (existing ones first)."""
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is EmbargoLink)
    data = form_data(page, **{f"{prefix}-TOTAL_FORMS": str(len(existing) + len(rows)),
                              f"{prefix}-INITIAL_FORMS": str(len(existing))})
    for i, row in enumerate([*existing, *rows]):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


def existing_row(link, **fields):
    return {"id": link.pk, "article": link.article_id, "recipient_name": link.recipient_name,
            "recipient_email": link.recipient_email, **paris(link.expires_at), **fields}


def test_the_link_page_refuses_an_expiry_in_the_past_in_french(client, scheduled, publisher):
    login_verified(client, publisher)
    url = reverse("admin:articles_embargolink_add")
    response = client.post(url, link_admin_data(scheduled, **paris(timezone.now() - timedelta(hours=1))))
    assert response.status_code == 200
    assert "La date d&#x27;expiration doit être dans le futur." in response.text
    assert not EmbargoLink.objects.exists()


def test_the_release_page_refuses_an_expiry_in_the_past_in_french(client, scheduled, publisher):
    login_verified(client, publisher)
    row = {"recipient_name": "Claire Martin", "recipient_email": "", **paris(timezone.now() - timedelta(hours=1))}
    response = client.post(reverse("admin:articles_article_change", args=[scheduled.pk]),
                           article_page_with_links(client, scheduled, row))
    assert response.status_code == 200
    assert "La date d&#x27;expiration doit être dans le futur." in response.text
    assert not EmbargoLink.objects.exists()


def test_both_admin_pages_create_links_through_create_link(client, scheduled, publisher, caplog):
    login_verified(client, publisher)
    expires = timezone.now() + timedelta(days=2)
    caplog.set_level("INFO", logger="articles.publishing.embargo")
    response = client.post(reverse("admin:articles_embargolink_add"), link_admin_data(scheduled, **paris(expires)))
    assert response.status_code == 302
    row = {"recipient_name": "  Paul Durand ", "recipient_email": "", **paris(expires)}
    response = client.post(reverse("admin:articles_article_change", args=[scheduled.pk]),
                           article_page_with_links(client, scheduled, row))
    assert response.status_code == 302
    links = EmbargoLink.objects.order_by("pk")
    assert [(link.recipient_name, link.created_by) for link in links] == [("Claire Martin", publisher), ("Paul Durand", publisher)]
    assert sum("created by" in record.getMessage() for record in caplog.records) == 2


def test_a_links_release_cannot_be_changed(client, link, publisher):
    login_verified(client, publisher)
    other = make_article("Autre communiqué", publish_at=timezone.now() + timedelta(days=1))
    url = reverse("admin:articles_embargolink_change", args=[link.pk])
    assert "article" not in client.get(url).context["adminform"].form.fields
    client.post(url, link_admin_data(other, **paris(link.expires_at)))
    link.refresh_from_db()
    assert link.article_id != other.pk


def revoke_through(way, client, link):
    if way == "function":
        embargo.revoke(link=link, user=client.user)
    elif way == "action":
        client.post(reverse("admin:articles_embargolink_changelist"), {"action": "revoke", "_selected_action": [link.pk]})
    else:
        article = link.article
        response = client.post(reverse("admin:articles_article_change", args=[article.pk]),
                               article_page_with_links(client, article, existing=[existing_row(link, revoke="on")]))
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors


@pytest.mark.parametrize("way", ["function", "action", "release page"])
def test_revoking_from_the_admin_is_embargo_revoke(client, link, publisher, caplog, way):
    login_verified(client, publisher)
    client.user = publisher
    caplog.set_level("INFO", logger="articles.publishing.embargo")
    revoke_through(way, client, link)
    link.refresh_from_db()
    first = link.revoked_at
    assert first is not None
    assert client.get(embargo.link_path(link)).status_code == 404
    assert [r.getMessage() for r in caplog.records if "revoked by" in r.getMessage()] == [
        f"Embargo link {link.pk} for 'Claire Martin' on article {link.article_id} revoked by {publisher.get_username()}"]

    revoke_through(way, client, link)  # again: the first date stays, nothing more is logged
    link.refresh_from_db()
    assert link.revoked_at == first
    assert sum("revoked by" in r.getMessage() for r in caplog.records) == 1


# --- The visitor's address behind our proxy -------------------------------------------------


def test_without_a_trusted_proxy_the_visit_logs_the_connections_address(client, link, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client.get(embargo.link_path(link), HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.4")
    assert link.visits.get().ip_address == "198.51.100.4"  # anyone can send the header


def test_behind_one_trusted_proxy_the_visit_logs_the_address_it_saw(client, link, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx appends the address it received the request from; the first entry was the client's own claim.
    client.get(embargo.link_path(link), HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    assert link.visits.get().ip_address == "203.0.113.9"


# --- A send-back revokes: an old link never opens a rescheduled release ---------------------


def test_sending_a_release_back_to_review_revokes_its_links_for_good(client, link, scheduled, publisher):
    from articles.publishing import workflow

    workflow.send_back_to_review(article=scheduled, user=publisher)
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == publisher
    assert "En relecture" in link.revocation_reason

    workflow.publish(article=scheduled, user=publisher, publish_at=timezone.now() + timedelta(days=1))
    assert client.get(embargo.link_path(link)).status_code == 404  # rescheduled: the old link stays closed
    assert not link.visits.exists()


def test_withdrawing_and_removing_revoke_links_too(client, publisher):
    from articles.publishing import workflow

    live = make_article("En ligne", photos=0)
    for transition in ("withdraw", "remove"):
        link = embargo.create_link(article=live, user=publisher, recipient_name="Claire Martin",
                                   expires_at=timezone.now() + timedelta(days=2))
        if transition == "withdraw":
            workflow.withdraw(article=live, user=publisher, reason="Erreur de chiffres")
            workflow.publish(article=live, user=publisher)  # published again: the link must not reopen
        else:
            workflow.remove(article=live, user=publisher)
        link.refresh_from_db()
        assert link.revoked_by == publisher, transition
        assert client.get(embargo.link_path(link)).status_code == 404


def test_an_expired_link_is_revoked_too_so_extending_it_cannot_reopen_it(link, scheduled, publisher, time_machine):
    from articles.publishing import workflow

    time_machine.move_to(link.expires_at + timedelta(minutes=1))
    workflow.send_back_to_review(article=scheduled, user=publisher)
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_putting_a_scheduled_release_back_to_review_in_the_admin_form_revokes_its_links(client, link, scheduled, publisher):
    login_verified(client, publisher)
    page = client.get(reverse("admin:articles_article_change", args=[scheduled.pk]))
    prefix = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is EmbargoLink)
    data = form_data(page, status=S.REVIEW, **{f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1",
                                               **{f"{prefix}-0-{k}": v for k, v in existing_row(link).items()}})
    response = client.post(reverse("admin:articles_article_change", args=[scheduled.pk]), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == publisher


def test_a_revoked_link_says_who_revoked_it_and_when(link, publisher):
    embargo.revoke(link=link, user=publisher)
    link.refresh_from_db()
    assert link.revoked_by == publisher and link.revoked_at <= timezone.now()


# --- The embargo page names no file address and carries no preview metadata ------------------


class _Urls(__import__("html.parser").parser.HTMLParser):
    """Every URL in a page: src, srcset candidates, href, content of meta tags; and script bodies."""

    def __init__(self):
        super().__init__()
        self.urls, self.images, self.meta, self.scripts = [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "content", "poster", "action"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if attrs.get("srcset"):
            self.urls.extend(part.split()[0] for part in attrs["srcset"].split(","))
        if tag in ("img", "source"):
            self.images.extend([attrs.get("src")] if attrs.get("src") else [])
            if attrs.get("srcset"):
                self.images.extend(part.split()[0] for part in attrs["srcset"].split(","))
        if tag == "meta":
            self.meta.append(attrs)
        self._in_script = tag == "script"

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag):
        self._in_script = False


def parse(html):
    parser = _Urls()
    parser.feed(html)
    return parser


@pytest.fixture
def with_photos(publisher):
    article = make_article("Accord photographié", publish_at=timezone.now() + timedelta(days=1), photos=2)
    link = embargo.create_link(article=article, user=publisher, recipient_name="Claire Martin",
                               expires_at=timezone.now() + timedelta(days=2))
    return article, link


def test_the_embargo_page_names_no_media_address_and_no_file_name(client, with_photos):
    article, link = with_photos
    page = client.get(embargo.link_path(link))
    assert page.status_code == 200
    parsed = parse(page.text)
    assert parsed.images, "the page shows its photos"
    assert [url for url in parsed.urls if "/media/" in url] == []
    assert "/media/" not in page.text
    for placement in article.article_photos.select_related("photo"):
        files = [placement.photo.image.name, *(r.file.name for r in placement.photo.renditions.all())]
        for name in files:
            assert name.rsplit("/", 1)[-1] not in page.text  # not even the random file name
    assert all(url.startswith(embargo.link_path(link) + "photos/") for url in parsed.images)


def test_the_embargo_page_has_no_opengraph_twitter_or_json_ld(client, with_photos):
    _, link = with_photos
    page = client.get(embargo.link_path(link))
    parsed = parse(page.text)
    assert [m for m in parsed.meta if (m.get("property") or "").startswith(("og:", "article:"))] == []
    assert [m for m in parsed.meta if (m.get("name") or "").startswith("twitter:")] == []
    assert "application/ld+json" not in page.text and parsed.scripts == []
    assert 'rel="canonical"' not in page.text
    # The public page, once live, keeps them (the difference is the link, not the release).
    public = client.get(make_article("En ligne", photos=1).get_absolute_url())
    assert "og:image" in public.text and "application/ld+json" in public.text


def test_each_photo_on_the_embargo_page_is_served_through_the_link_privately(client, with_photos):
    article, link = with_photos
    parsed = parse(client.get(embargo.link_path(link)).text)
    renditions = {r.pk: r for p in article.photos.all() for r in p.renditions.all()}
    by_path = {embargo.photo_path(link, r.photo_id, r.spec): r for r in renditions.values()}
    assert set(parsed.images) <= set(by_path)
    for url in set(parsed.images):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_never_kept(response)
        assert response["Content-Type"] in ("image/webp", "image/jpeg")
        with by_path[url].file.open("rb") as f:
            assert b"".join(response.streaming_content) == f.read()
    assert link.visits.count() == 1  # the page was the visit; its photos are not


def test_the_high_resolution_download_on_the_embargo_page_goes_through_the_link(client, with_photos):
    article, link = with_photos
    photo = article.photos.first()
    original = embargo.photo_path(link, photo.pk, embargo.ORIGINAL)
    assert f'href="{original}"' in client.get(embargo.link_path(link)).text
    response = client.get(original)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert_never_kept(response)
    with photo.image.open("rb") as f:
        assert b"".join(response.streaming_content) == f.read()


def test_a_photo_through_a_closed_link_or_of_another_release_is_a_404(client, with_photos, publisher):
    article, link = with_photos
    photo = article.photos.first()
    stranger = make_article("Autre", publish_at=timezone.now() + timedelta(days=1), photos=1).photos.first()
    spec = photo.renditions.first().spec
    assert client.get(embargo.photo_path(link, stranger.pk, stranger.renditions.first().spec)).status_code == 404
    assert client.get(embargo.photo_path(link, photo.pk, "no-such-spec")).status_code == 404
    assert client.get(embargo.photo_path(link, photo.pk, spec)).status_code == 200
    embargo.revoke(link=link, user=publisher)
    assert client.get(embargo.photo_path(link, photo.pk, spec)).status_code == 404
    assert client.get(embargo.photo_path(link, photo.pk, embargo.ORIGINAL)).status_code == 404


def test_the_public_page_still_serves_its_photos_from_media(client):
    page = client.get(make_article("En ligne", photos=1).get_absolute_url())
    assert all("/media/" in url for url in parse(page.text).images)


# --- HEAD is not a visit --------------------------------------------------------------------


def test_a_head_request_is_not_logged_as_a_visit_and_a_get_is(client, link):
    from articles.models import AuditEntry

    assert client.head(embargo.link_path(link)).status_code == 200
    assert client.head(reverse("articles:embargo-press-kit", args=[link.article.slug, embargo.make_token(link)])).status_code == 200
    assert not link.visits.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EMBARGO_LINK_VISITED).exists()
    client.get(embargo.link_path(link))
    assert link.visits.count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EMBARGO_LINK_VISITED).count() == 1


# --- Every link of an embargo page works, and none names what is still under embargo (issue #16) --


def _site_links(html):
    return sorted({url for url in parse(html).urls if url.startswith("/") and not url.startswith("/static/")})


@pytest.fixture
def new_everything(publisher):
    """A release under embargo whose speaker, tag and photographer appear nowhere public yet, and whose
    body points to its own press kit and page, as writers do."""
    from django.conf import settings

    article = make_article(
        "Fusion des deux agences", publish_at=timezone.now() + timedelta(days=1), photos=1, quotes=1,
        tags=["Fusion secrète"],
        body='<p>Le <a href="/communiques/fusion-des-deux-agences/dossier-de-presse.zip">dossier de presse</a> '
             f'et <a href="{settings.SITE_URL}/communiques/fusion-des-deux-agences/#photos">la page</a> ; '
             '<a href="https://example.org/ailleurs">ailleurs</a>.</p>',
    )
    link = embargo.create_link(article=article, user=publisher, recipient_name="Claire Martin",
                               expires_at=timezone.now() + timedelta(days=2))
    return article, link


def test_every_link_of_the_embargo_page_opens_for_an_anonymous_reader(client, new_everything):
    _, link = new_everything
    page = client.get(embargo.link_path(link))
    links = _site_links(page.text)
    assert any(url.endswith("/dossier-de-presse.zip") for url in links)
    broken = [url for url in links if client.get(url).status_code != 200]
    assert broken == []


def test_the_bodys_press_kit_and_page_links_go_through_the_signed_link(client, new_everything):
    article, link = new_everything
    html = client.get(embargo.link_path(link)).text
    token = embargo.make_token(link)
    assert f'href="{reverse("articles:embargo-press-kit", args=[article.slug, token])}"' in html
    assert f'href="{embargo.link_path(link)}#photos"' in html
    assert 'href="https://example.org/ailleurs"' in html  # other links are left as written
    assert "/communiques/fusion-des-deux-agences/dossier-de-presse.zip" not in html.replace(token + "/", "")


def test_new_speakers_tags_and_credits_are_named_without_a_link_on_the_embargo_page(client, new_everything):
    article, link = new_everything
    html = client.get(embargo.link_path(link)).text
    speaker = article.quotes.get().speaker
    credit = article.article_photos.get().photo.credit
    for name, address in [(speaker.name, speaker.get_absolute_url()),
                          ("Fusion secrète", reverse("articles:tag-detail", args=["fusion-secrete"])),
                          (credit.name, reverse("articles:credit-detail", args=[credit.slug]))]:
        assert name in html
        assert address not in html


def test_speakers_tags_and_credits_already_public_keep_their_links_on_the_embargo_page(client, new_everything):
    article, link = new_everything
    speaker = article.quotes.get().speaker
    credit = article.article_photos.get().photo.credit
    earlier = make_article("Déjà publié", tags=["Fusion secrète"])
    earlier.quotes.create(speaker=speaker, text="Plus tôt")
    from tests.factories import make_photo, place

    place(earlier, make_photo(credit=credit))
    html = client.get(embargo.link_path(link)).text
    for address in [speaker.get_absolute_url(), reverse("articles:tag-detail", args=["fusion-secrete"]),
                    reverse("articles:credit-detail", args=[credit.slug])]:
        assert f'href="{address}"' in html
        assert client.get(address).status_code == 200


def test_the_public_page_still_links_its_speakers_tags_and_credits(client):
    article = make_article("Public", photos=1, quotes=1, tags=["Kyoto"])
    html = client.get(article.get_absolute_url()).text
    assert f'href="{article.quotes.get().speaker.get_absolute_url()}"' in html
    assert 'href="/mots-cles/kyoto/"' in html
    assert f'href="/credits/{article.article_photos.get().photo.credit.slug}/"' in html
