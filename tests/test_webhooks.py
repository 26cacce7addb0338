"""Webhooks, as a partner's server receives them: signed (Standard Webhooks), carrying the release
as the API shows it, once per event, retried with backoff, and never sent to an internal address."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook

from articles.models import Article, Quote, ReleaseEvent
from articles.publishing import events, workflow
from articles.webhooks import services
from articles.webhooks.addresses import UnsafeAddress, resolve
from articles.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import make_article, make_credit, make_editor, make_photo, make_speaker, place
from tests.webhook_receiver import start_receiver

pytestmark = pytest.mark.django_db
S = Article.Status
Kind = ReleaseEvent.Kind


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver is on 127.0.0.1
    server = start_receiver()
    yield server
    server.stop()


def endpoint_for(receiver, events=None, **kwargs):
    endpoint = WebhookEndpoint.objects.create(url=receiver.url(), events=events or list(Kind.values), **kwargs)
    receiver.secret = endpoint.secret
    return endpoint


def in_review(title="Un communiqué", **kwargs):
    return make_article(title, status=S.REVIEW, publish_at=timezone.now() - timedelta(minutes=1), **kwargs)


def test_publishing_sends_one_signed_went_live_carrying_the_release_as_the_api_shows_it(client, receiver, publisher):
    endpoint = endpoint_for(receiver)
    article = in_review("Kyoto", tags=["Japon"])
    place(article, make_photo(credit=make_credit("Nicolas Datiche")))
    Quote.objects.create(article=article, speaker=make_speaker("Carole Delga"), text="Bravo.")
    workflow.publish(article=article, user=publisher)

    [message] = receiver.wait_for(1)
    assert message.valid is True  # our own few lines of the specification's HMAC
    Webhook(endpoint.secret).verify(message.body, message.headers)  # and the reference library
    assert message.headers["content-type"] == "application/json"
    payload = message.json
    assert payload["type"] == "release.went_live"
    assert payload["data"] == client.get(f"/api/v1/releases/{article.pk}").json()
    delivery = WebhookDelivery.objects.get()
    assert message.headers["webhook-id"] == delivery.message_id
    assert (delivery.state, delivery.attempts, delivery.response_code) == ("succeeded", 1, 204)
    assert delivery.article == article and delivery.duration_ms is not None


def test_a_tampered_body_or_another_secret_fails_the_check(receiver, publisher):
    endpoint = endpoint_for(receiver)
    workflow.publish(article=in_review(), user=publisher)
    [message] = receiver.wait_for(1)
    with pytest.raises(Exception):  # noqa: B017 (the library raises its own WebhookVerificationError)
        Webhook(endpoint.secret).verify(message.body.replace(b"Un communiqu", b"Un autre"), message.headers)
    other = WebhookEndpoint(url="https://example.org/").secret
    with pytest.raises(Exception):  # noqa: B017
        Webhook(other).verify(message.body, message.headers)


def test_each_endpoint_gets_only_the_events_it_chose_and_withdrawals_carry_the_notice_only(receiver, publisher):
    endpoint_for(receiver, events=[Kind.WITHDRAWN, Kind.REMOVED])
    article = in_review("Salon secret", body="<p>Texte du salon</p>")
    workflow.publish(article=article, user=publisher)
    article.refresh_from_db()
    workflow.withdraw(article=article, user=publisher, reason="Le salon est reporté.")
    [message] = receiver.wait_for(1)
    assert len(receiver.received) == 1
    payload = message.json
    assert payload["type"] == "release.withdrawn"
    assert payload["data"]["reason"] == "Le salon est reporté." and payload["data"]["status"] == "withdrawn"
    assert b"Salon secret" not in message.body and b"Texte du salon" not in message.body


def test_an_update_that_takes_a_release_off_the_site_carries_its_id_and_nothing_it_now_says(receiver, publisher):
    endpoint_for(receiver, events=[Kind.UPDATED])
    article = in_review("Annonce")
    workflow.publish(article=article, user=publisher)
    workflow.send_back_to_review(article=article, user=publisher)
    [message] = receiver.wait_for(1)
    assert message.json["type"] == "release.updated"
    assert message.json["data"] == {"id": article.pk, "api_url": f"http://127.0.0.1:8000/api/v1/releases/{article.pk}",
                                    "public": False}


def test_a_scheduled_release_is_announced_once_at_its_minute_not_before(receiver, publisher, time_machine):
    endpoint_for(receiver)
    at = timezone.now() + timedelta(minutes=10)
    article = make_article("Sous embargo", status=S.REVIEW, publish_at=at)
    workflow.publish(article=article, user=publisher, publish_at=at)
    assert events.sweep_went_live() == 0
    assert receiver.received == [] and not WebhookDelivery.objects.exists()
    time_machine.move_to(at + timedelta(seconds=2), tick=False)
    assert events.sweep_went_live() == 1
    assert events.sweep_went_live() == 0
    assert [m.json["type"] for m in receiver.wait_for(1)] == ["release.went_live"]
    # The event's dispatch may run twice (at least once): it finds its delivery and sends nothing new.
    event = ReleaseEvent.objects.get(kind=Kind.WENT_LIVE)
    assert services.deliveries_for_event(event) == []
    assert WebhookDelivery.objects.count() == 1 and len(receiver.received) == 1


def test_a_failed_delivery_is_retried_by_a_job_with_exponential_backoff(receiver, publisher, settings):
    receiver.status = 500
    endpoint = endpoint_for(receiver)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a queue that can defer
    settings.WEBHOOK_RETRY_SECONDS = 30
    workflow.publish(article=in_review(), user=publisher)
    # Queued, not run: dispatch the event and run the delivery as a worker would.
    event = ReleaseEvent.objects.get()
    [delivery] = services.deliveries_for_event(event)
    before = timezone.now()
    assert services.attempt(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_code) == ("retrying", 1, 500)
    assert delivery.response_excerpt == "erreur du destinataire" and "500" in delivery.error
    assert timedelta(seconds=29) <= delivery.next_attempt_at - before <= timedelta(seconds=31)
    # The first run was queued with no delay (django-tasks-db stores that as a far-future sentinel).
    retry = DBTaskResult.objects.filter(task_path="articles.webhooks.tasks.deliver_webhook",
                                        run_after__lt=before + timedelta(days=1)).get()
    assert retry.run_after == delivery.next_attempt_at and retry.args_kwargs["args"] == [delivery.pk]
    assert services.attempt(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert timedelta(seconds=59) <= delivery.next_attempt_at - delivery.last_attempt_at <= timedelta(seconds=61)
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    receiver.status = 200
    assert services.attempt(delivery.pk) == "delivered"
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and len(receiver.received) == 3
    assert len({m.headers["webhook-id"] for m in receiver.received}) == 1  # the same message each time


def test_the_last_attempt_gives_up(receiver, publisher, settings):
    receiver.status = 503
    endpoint_for(receiver)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WEBHOOK_ATTEMPTS = 2
    workflow.publish(article=in_review(), user=publisher)
    [delivery] = services.deliveries_for_event(ReleaseEvent.objects.get())
    assert [services.attempt(delivery.pk) for _ in range(2)] == ["retrying", "failed"]
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.next_attempt_at is None


def test_an_endpoint_that_keeps_failing_is_disabled_with_a_notice_in_the_admin(client, receiver, publisher, settings):
    from tests.factories import login_verified

    receiver.status = 500
    settings.WEBHOOK_DISABLE_AFTER = 3
    endpoint = endpoint_for(receiver)
    for n in range(4):
        workflow.publish(article=in_review(f"Communiqué {n}"), user=publisher)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert "3 échecs" in endpoint.disabled_reason
    assert len(receiver.received) == 3  # the fourth release was not sent to a disabled endpoint
    login_verified(client, publisher)
    page = client.get(reverse("admin:articles_webhookendpoint_changelist")).content.decode()
    assert "est désactivé" in page and receiver.url() in page
    # Turned back on by a publisher, it starts afresh.
    endpoint.is_active = True
    endpoint.save()
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.disabled_at is None


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8140/", "http://localhost/", "http://10.0.0.5/", "http://192.168.1.1/", "http://172.16.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/",
    "http://100.64.0.1/", "http://0.0.0.0/", "ftp://example.org/", "http://user:pass@example.org/", "http:///nohost",
])
def test_internal_addresses_are_refused(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(UnsafeAddress):
        resolve(url)


def test_a_public_address_is_accepted_and_the_setting_allows_internal_ones(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    assert resolve("http://8.8.8.8:8080/hook?x=1").path == "/hook?x=1"
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    assert resolve("http://127.0.0.1:8140/").address == "127.0.0.1"


def test_without_the_setting_nothing_reaches_a_local_receiver(receiver, publisher, settings):
    endpoint = endpoint_for(receiver)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    workflow.publish(article=in_review(), user=publisher)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.state == "failed" and "adresse interne" in delivery.error
    assert receiver.wait_for(1, timeout=0.5) == []


# --- The admin -------------------------------------------------------------------------------


@pytest.fixture
def publisher_admin(client, publisher):
    from tests.factories import login_verified

    return login_verified(client, publisher)


def test_a_publisher_registers_an_endpoint_and_sees_its_secret_once(publisher_admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    add = reverse("admin:articles_webhookendpoint_add")
    refused = publisher_admin.post(add, {"url": "http://169.254.169.254/", "events": ["went_live"], "is_active": "on"})
    assert refused.status_code == 200 and "adresse interne" in refused.content.decode()
    assert not WebhookEndpoint.objects.exists()
    response = publisher_admin.post(add, {"url": "https://8.8.8.8/hooks", "description": "Le Midi libre",
                                          "events": ["went_live", "withdrawn"], "is_active": "on"})
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["went_live", "withdrawn"] and endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()
    change = publisher_admin.get(reverse("admin:articles_webhookendpoint_change", args=[endpoint.pk]))
    assert change.status_code == 200 and endpoint.secret not in change.content.decode()


def test_a_writer_has_no_access_to_webhooks_or_tokens(client):
    client.force_login(make_editor("Rédaction"))
    for name in ("webhookendpoint", "webhookdelivery", "apitoken"):
        assert client.get(reverse(f"admin:articles_{name}_changelist")).status_code == 403


def test_the_delivery_log_per_endpoint_and_per_release_and_resend(publisher_admin, receiver, publisher):
    endpoint = endpoint_for(receiver)
    article = in_review("Journal")
    workflow.publish(article=article, user=publisher)
    delivery = WebhookDelivery.objects.get()
    log = reverse("admin:articles_webhookdelivery_changelist")
    for query in (f"?endpoint__id__exact={endpoint.pk}", f"?article={article.pk}"):
        page = publisher_admin.get(log + query).content.decode()
        assert 'class="field-event_type">release.went_live' in page and "Journal" in page, query
    assert 'class="field-event_type"' not in publisher_admin.get(log + "?article=999999").content.decode()
    response = publisher_admin.post(log, {"action": "resend", "_selected_action": [delivery.pk]}, follow=True)
    assert "1 envoi relancé" in response.content.decode()
    received = receiver.wait_for(2)
    assert len(received) == 2 and received[0].headers["webhook-id"] == received[1].headers["webhook-id"]
    assert received[1].valid is True
    assert publisher_admin.post(reverse("admin:articles_webhookdelivery_change", args=[delivery.pk]), {}).status_code == 403


def test_a_publisher_issues_a_partner_token_shown_once_and_revokes_it(publisher_admin, client):
    from articles.api.models import ApiToken

    response = publisher_admin.post(reverse("admin:articles_apitoken_add"), {"name": "Le Midi libre"})
    token = ApiToken.objects.get()
    page = response.content.decode()
    raw = page.split('id="shown-once" readonly value="')[1].split('"')[0]
    assert raw.startswith("prs_") and ApiToken.objects.verify(raw) == token and raw not in json.dumps(
        list(ApiToken.objects.values()), default=str)
    assert raw not in publisher_admin.get(reverse("admin:articles_apitoken_change", args=[token.pk])).content.decode()
    publisher_admin.post(reverse("admin:articles_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and ApiToken.objects.verify(raw) is None
