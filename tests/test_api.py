"""The public API, as a partner's program sees it: public releases only, pages by cursor,
JSON errors that name the parameter at fault, ETags, rate limits and partner tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.api.models import ApiToken, hash_token
from articles.models import Article, PressContact, Quote
from articles.publishing import workflow
from tests.factories import make_article, make_credit, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db
S = Article.Status


def get(client, url, **params):
    return client.get(url, params)


def test_the_list_shows_public_releases_newest_first_and_nothing_else(client):
    older = make_article("Plus ancien", publish_at=timezone.now() - timedelta(days=2))
    newer = make_article("Plus récent", publish_at=timezone.now() - timedelta(hours=1))
    make_article("Brouillon", status=S.DRAFT)
    make_article("Sous embargo", publish_at=timezone.now() + timedelta(hours=1))
    make_article("En relecture", status=S.REVIEW, publish_at=timezone.now() - timedelta(hours=1))
    response = client.get("/api/v1/releases")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert [item["id"] for item in data["items"]] == [newer.pk, older.pk]
    assert data["next_cursor"] is None and data["next"] is None


def test_a_release_carries_its_body_photos_with_credits_quotes_tags_and_contacts(client):
    credit = make_credit("Nicolas Datiche", organisation="Région Occitanie")
    speaker = make_speaker("Carole Delga", role="présidente")
    article = make_article("Kyoto", body="<p>Premier &amp; <strong>second</strong>.</p><p>Suite.</p>", tags=["Japon"],
                           location="Tokyo", change_note="Corrigé.")
    place(article, make_photo(credit=credit, caption="Au pavillon", licence="CC BY 4.0"))
    Quote.objects.create(article=article, speaker=speaker, text="Une belle journée.", position=0)
    article.press_contacts.add(PressContact.objects.create(name="Service presse", email="presse@example.org"))
    data = client.get(f"/api/v1/releases/{article.pk}").json()
    assert data["title"] == "Kyoto" and data["location"] == "Tokyo" and data["language"] == "fr"
    assert "<strong>second</strong>" in data["body_html"]
    assert data["body_text"] == "Premier & second.\n\nSuite."
    assert data["url"].endswith(f"/communiques/{article.slug}/")
    photo = data["photos"][0]
    assert photo["caption"] == "Au pavillon" and photo["licence"] == "CC BY 4.0"
    assert photo["credit"]["credit_line"] == "Nicolas Datiche / Région Occitanie"
    assert {r["spec"] for r in photo["renditions"]} >= {"w480-jpeg", "w960-webp"}
    assert data["quotes"] == [{"text": "Une belle journée.", "speaker": {
        "name": "Carole Delga", "role": "présidente", "organisation": "", "slug": speaker.slug,
        "url": f"http://127.0.0.1:8000/intervenants/{speaker.slug}/"}}]
    assert data["tags"][0]["slug"] == "japon"
    assert data["press_contacts"][0]["email"] == "presse@example.org"
    assert data["change_note"] == "Corrigé."
    assert data["first_published_at"] and data["updated_at"]


def test_the_cursor_walks_every_public_release_once_even_when_several_share_a_minute(client):
    when = timezone.now() - timedelta(hours=3)
    ids = {make_article(publish_at=when).pk for _ in range(5)} | {make_article().pk for _ in range(4)}
    seen, url, pages = [], "/api/v1/releases?limit=2", 0
    while url:
        data = client.get(url).json()
        seen += [item["id"] for item in data["items"]]
        url, pages = data["next"], pages + 1
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    assert pages == 5


@pytest.mark.parametrize("query, parameter", [
    ("cursor=%%%", "cursor"), ("cursor=bm9ub25zZW5zZQ", "cursor"), ("cursor=MjAyNi0wMS0wMXw5OTk5OTk5OTk5OTk5OTk5OTk5OTk", "cursor"),
    ("limit=0", "limit"), ("limit=1000", "limit"), ("limit=abc", "limit"),
    ("language=xx", "language"), ("updated_since=hier", "updated_since"),
])
def test_bad_parameters_are_a_json_400_naming_the_parameter(client, query, parameter):
    make_article()
    response = client.get(f"/api/v1/releases?{query}")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["detail"]


def test_filters_by_tag_speaker_credit_language_and_update_time(client):
    speaker, credit = make_speaker("Didier Codorniou"), make_credit("Studio Sud")
    tagged = make_article(tags=["Vigne"])
    quoted = make_article()
    Quote.objects.create(article=quoted, speaker=speaker, text="Oui.")
    pictured = place(make_article(), make_photo(credit=credit))
    english = make_article(language="en")
    old = make_article(publish_at=timezone.now() - timedelta(days=30))
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30),
                                              first_published_at=timezone.now() - timedelta(days=30))

    def ids(**params):
        return [item["id"] for item in client.get("/api/v1/releases", params).json()["items"]]

    assert ids(tag="vigne") == [tagged.pk]
    assert ids(speaker=speaker.slug) == [quoted.pk]
    assert ids(credit=credit.slug) == [pictured.pk]
    assert ids(language="en") == [english.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert old.pk not in ids(updated_since=since) and tagged.pk in ids(updated_since=since)
    assert ids(tag="inconnu") == []


def test_one_release_answers_404_until_its_minute_and_for_drafts(client, time_machine):
    scheduled = make_article("Bientôt", publish_at=timezone.now() + timedelta(minutes=5))
    draft = make_article("Brouillon", status=S.DRAFT)
    for article in (scheduled, draft):
        response = client.get(f"/api/v1/releases/{article.pk}")
        assert response.status_code == 404 and response.json() == {"detail": "Introuvable."}
    time_machine.move_to(scheduled.publish_at + timedelta(seconds=1), tick=False)
    assert client.get(f"/api/v1/releases/{scheduled.pk}").status_code == 200


def test_a_withdrawn_release_answers_410_with_its_public_reason_and_nothing_else(client):
    publisher = make_editor("Publication")
    article = make_article("Salon annulé", body="<p>Texte secret désormais</p>", publish_at=timezone.now() - timedelta(days=1))
    workflow.publish(article=article, user=publisher)
    workflow.withdraw(article=article, user=publisher, reason="Le salon est reporté.")
    response = client.get(f"/api/v1/releases/{article.pk}")
    assert response.status_code == 410
    data = response.json()
    assert data["status"] == "withdrawn" and data["reason"] == "Le salon est reporté."
    assert "Salon annulé" not in response.content.decode() and "secret" not in response.content.decode()


def test_a_removed_release_answers_410_and_one_the_public_never_saw_404(client):
    publisher = make_editor("Publication")
    seen = make_article(publish_at=timezone.now() - timedelta(days=1))
    workflow.publish(article=seen, user=publisher)
    workflow.remove(article=seen, user=publisher)
    assert client.get(f"/api/v1/releases/{seen.pk}").status_code == 410
    assert client.get(f"/api/v1/releases/{seen.pk}").json()["status"] == "removed"
    never = make_article(publish_at=timezone.now() + timedelta(days=1))
    workflow.publish(article=never, user=publisher, publish_at=never.publish_at)
    workflow.withdraw(article=never, user=publisher, reason="Annulé avant l'heure.")
    response = client.get(f"/api/v1/releases/{never.pk}")
    assert response.status_code == 404 and "Annulé" not in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/releases/0", "/api/v1/releases/99999999999999999999999", "/api/v1/releases/abc"])
def test_ids_out_of_range_are_a_400_not_a_database_error(client, path):
    response = client.get(path)
    assert response.status_code == 400 and response.json()["parameter"] == "id"


def test_tags_speakers_and_credits_exist_only_through_a_public_release(client):
    speaker, hidden_speaker = make_speaker("Public"), make_speaker("Caché")
    credit, hidden_credit = make_credit("Visible"), make_credit("Invisible")
    public = place(make_article(tags=["ouvert"]), make_photo(credit=credit))
    Quote.objects.create(article=public, speaker=speaker, text="Dit.")
    draft = place(make_article(status=S.DRAFT, tags=["secret"]), make_photo(credit=hidden_credit))
    Quote.objects.create(article=draft, speaker=hidden_speaker, text="Chut.")
    for kind, shown, hidden in [("tags", "ouvert", "secret"), ("speakers", speaker.slug, hidden_speaker.slug),
                                ("credits", credit.slug, hidden_credit.slug)]:
        listing = client.get(f"/api/v1/{kind}").json()
        assert [item["slug"] for item in listing["items"]] == [shown], kind
        assert client.get(f"/api/v1/{kind}/{shown}").status_code == 200
        assert client.get(f"/api/v1/{kind}/{hidden}").status_code == 404
        assert client.get(f"/api/v1/{kind}/{hidden}/releases").status_code == 404
        releases = client.get(f"/api/v1/{kind}/{shown}/releases").json()
        assert [item["id"] for item in releases["items"]] == [public.pk], kind


def test_an_etag_answers_304_and_a_change_gives_a_new_one(client):
    article = make_article("Version 1")
    first = client.get(f"/api/v1/releases/{article.pk}")
    etag = first["ETag"]
    again = client.get(f"/api/v1/releases/{article.pk}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert "max-age" in again["Cache-Control"]
    article.title = "Version 2"
    article.save()
    changed = client.get(f"/api/v1/releases/{article.pk}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_cache_control_never_runs_past_the_next_scheduled_publication(client, settings):
    settings.PUBLIC_CACHE_MAX_AGE = 300
    make_article()
    assert "max-age=300" in client.get("/api/v1/releases")["Cache-Control"]
    make_article(publish_at=timezone.now() + timedelta(seconds=90))
    control = client.get("/api/v1/releases")["Cache-Control"]
    max_age = int(control.split("max-age=")[1].split(",")[0])
    assert 85 <= max_age <= 90 and "public" in control
    assert "Cache-Control" not in client.get("/api/v1/releases/999") or "public" not in client.get("/api/v1/releases/999")["Cache-Control"]


def test_anonymous_clients_are_limited_per_address_with_retry_after(client, settings):
    settings.API_ANONYMOUS_RATE = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/releases").status_code == 200
    refused = client.get("/api/v1/releases")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Trop de requêtes" in refused.json()["detail"]
    # Another address has its own allowance.
    assert client.get("/api/v1/releases", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_spoofed_forwarded_for_does_not_escape_the_limit(client, settings):
    settings.API_ANONYMOUS_RATE = "2/m"
    for n in range(2):
        client.get("/api/v1/releases", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert client.get("/api/v1/releases", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_a_partner_token_is_stored_hashed_and_buys_a_higher_limit(client, settings):
    settings.API_ANONYMOUS_RATE, settings.API_TOKEN_RATE = "2/m", "5/m"
    token, raw = ApiToken.issue(name="Le Midi libre")
    assert raw.startswith("prs_") and token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=raw).exists() and raw[:10] == token.prefix
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert [client.get("/api/v1/releases", **auth).status_code for _ in range(6)] == [200] * 5 + [429]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_unknown_or_revoked_token_is_refused_not_downgraded(client):
    token, raw = ApiToken.issue(name="Ancien partenaire")
    token.revoke()
    for header in (f"Bearer {raw}", "Bearer prs_inventé", "Basic Zm9vOmJhcg=="):
        response = client.get("/api/v1/releases", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["detail"] == "Jeton d'API inconnu ou révoqué."


def test_the_openapi_document_and_its_documentation_page_ship_everything_themselves(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/releases" in paths and "/api/v1/releases/{id}" in paths
    assert {"PartnerToken": []} in paths["/api/v1/releases"]["get"]["security"]
    assert {} in paths["/api/v1/releases"]["get"]["security"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_the_api_is_never_stored_in_the_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    make_article()
    client.get("/api/v1/releases")
    assert client.get("/api/v1/releases")["X-Page-Cache"] == "bypass"
